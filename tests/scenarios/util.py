"""Helpers for the scenario tests: the fixture estate, small estates, and running scenarios."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from resilience.config import RestoreSettings
from resilience.model import Estate
from resilience.policy import default_policy
from resilience.scenarios.interface import Scenario, Simulation
from resilience.scenarios.loading import builtin_scenarios, scenario_from_document
from resilience.scenarios.simulate import SimulationOptions, simulate
from resilience.yamlfile import parse_yaml
from tests.helpers import estate_from

HERE = Path(__file__).parent
FIXTURE = HERE / "fixture_estate.yaml"
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)


def fixture_estate() -> Estate:
    return estate_from(yaml.safe_load(FIXTURE.read_text()), name="fixture_estate.yaml")


def scenario_from(data: dict[str, Any] | str, name: str = "scenario.yaml") -> Scenario:
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    return scenario_from_document(parse_yaml(text, name))


def run(estate: Estate, scenario: str | Scenario, params: dict[str, str] | None = None,
        **restore: Any) -> Simulation:
    chosen = builtin_scenarios()[scenario] if isinstance(scenario, str) else scenario
    options = SimulationOptions(params=params or {}, restore=RestoreSettings(**restore),
                                as_of=AS_OF)
    return simulate(estate, default_policy(), chosen, options)


def statuses(sim: Simulation) -> dict[str, str]:
    return {s.id: s.status.value for s in sim.services}
