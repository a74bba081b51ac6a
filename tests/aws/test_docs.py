"""docs/aws.md stays true: its policy is the published one, its YAML is a valid configuration."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from resilience.config import Config

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _blocks(lang: str) -> list[str]:
    text = (DOCS / "aws.md").read_text()
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def test_the_policy_in_the_docs_is_the_published_policy():
    (block,) = _blocks("json")
    assert json.loads(block) == json.loads((DOCS / "aws-iam-policy.json").read_text())


def test_the_yaml_example_is_a_valid_configuration():
    (block,) = _blocks("yaml")
    config = Config.model_validate(yaml.safe_load(block))
    assert config.sources.aws is not None and config.sources.aws.assume_role == "ResilienceAudit"
