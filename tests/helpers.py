"""Test helpers: build estates from example dicts and run single checks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from resilience.engine.interface import CheckContext, Finding
from resilience.engine.registry import load_catalogue
from resilience.engine.run import evaluate_check
from resilience.model import Estate
from resilience.policy import Policy, default_policy
from resilience.sources.onprem import parse_estate_document
from resilience.sources.references import check_references
from resilience.yamlfile import parse_yaml

EXAMPLES = Path(__file__).parent / "check_examples"
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)


def estate_from(data: dict[str, Any], name: str = "example.yaml") -> Estate:
    """An estate built through the real on-prem parser, from a dict."""
    doc = parse_yaml(yaml.safe_dump(data, sort_keys=False), name)
    estate = parse_estate_document(doc)
    check_references(estate)
    return estate


def policy_from(overrides: dict[str, Any] | None) -> Policy:
    base = default_policy()
    if not overrides:
        return base
    data = base.model_dump()
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            for k, v in value.items():
                if isinstance(v, dict) and isinstance(data[key].get(k), dict):
                    data[key][k].update(v)
                else:
                    data[key][k] = v
        else:
            data[key] = value
    return Policy.model_validate(data)


def run_one(check_id: str, estate: Estate, policy: Policy | None = None,
            now: datetime = AS_OF) -> list[Finding]:
    check = load_catalogue().get(check_id)
    ctx = CheckContext(estate=estate, policy=policy or default_policy(), now=now)
    return evaluate_check(check, ctx)


class StageRecorder:
    """A progress display that records its stages and how far each got (no collections)."""

    def __init__(self):
        self.stages: list[list] = []

    def task(self, description, total=None):
        raise AssertionError("a snapshot is read, not collected")

    def stage(self, description, total):
        self.stages.append([description, total, 0])
        return len(self.stages) - 1

    def advance(self, task_id, amount=1):
        self.stages[task_id][2] += amount

    def note(self, message):
        return None
