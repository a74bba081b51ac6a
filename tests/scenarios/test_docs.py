"""Every YAML example in docs/scenarios.md is valid: scenario examples as scenarios, config
examples as a resilience.yaml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from resilience.config import Config
from resilience.scenarios.loading import builtin_scenarios, scenario_from_document
from resilience.yamlfile import parse_yaml, validate_document

DOC = Path(__file__).parents[2] / "docs" / "scenarios.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", DOC.read_text(), flags=re.S)


def test_the_doc_has_examples():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_yaml_examples_validate(index):
    doc = parse_yaml(BLOCKS[index], f"docs/scenarios.md#example{index}")
    if "id" in doc.data:
        scenario_from_document(doc)
    else:
        validate_document(Config, doc, what="a resilience configuration")


def test_every_builtin_scenario_is_documented():
    text = DOC.read_text()
    for scenario_id in builtin_scenarios():
        assert f"`{scenario_id}`" in text, scenario_id


def test_the_documented_estimates_match_the_defaults():
    from resilience.config import DEFAULT_RESTORE_ESTIMATES

    text = " ".join(DOC.read_text().split())
    listed = ", ".join(f"{k.value} {v}" for k, v in DEFAULT_RESTORE_ESTIMATES.items())
    assert listed in text
