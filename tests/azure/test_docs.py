"""The YAML examples in docs/azure.md are valid configuration."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from resilience.config import Config

DOC = Path(__file__).resolve().parents[2] / "docs" / "azure.md"


def test_yaml_examples_validate():
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(), re.S)
    assert blocks
    for block in blocks:
        config = Config.model_validate(yaml.safe_load(block))
        assert config.sources.azure is not None
