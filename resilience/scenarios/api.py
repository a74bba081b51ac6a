"""Library entry points for ``simulate`` and ``playbook``: what the CLI and the demo call."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from resilience.atomic import write_text_atomic
from resilience.config import Config
from resilience.errors import UsageError
from resilience.gcpause import gc_paused
from resilience.model import Estate
from resilience.model.timeutil import utcnow
from resilience.policy import Policy
from resilience.scenarios.interface import Scenario, Simulation
from resilience.scenarios.loading import builtin_scenarios, choose_scenario
from resilience.scenarios.simulate import SimulationOptions, simulate
from resilience.teardown import keep

FORMATS = ("table", "json", "markdown")


@dataclass(frozen=True)
class ScenarioRequest:
    """What ``simulate`` and ``playbook`` were asked for."""

    estate: Any  # resilience.pipeline.EstateRequest
    scenario_id: str | None = None
    scenario_file: Path | None = None
    params: dict[str, str] = field(default_factory=dict)
    as_of: datetime | None = None


def _config(config: Any) -> Config:
    """Accept a Config, a LoadedConfig, or nothing (the defaults)."""
    if config is None:
        return Config()
    return getattr(config, "config", config)


def _options(config: Config, params: dict[str, str] | None, as_of: datetime | None
             ) -> SimulationOptions:
    return SimulationOptions(params=dict(params or {}), restore=config.playbook.restore,
                             as_of=as_of)


def _scenario(scenario_id: str) -> Scenario:
    found = builtin_scenarios()
    if scenario_id not in found:
        raise UsageError(f"unknown scenario '{scenario_id}'; choose from "
                         f"{', '.join(sorted(found))}")
    return found[scenario_id]


def simulate_builtin(estate: Estate, policy: Policy, scenario_id: str,
                     params: dict[str, str] | None = None, config: Any = None,
                     as_of: datetime | None = None) -> Simulation:
    """Simulate a built-in scenario (for the demo and other callers with an estate in hand)."""
    cfg = _config(config)
    return simulate(estate, policy, _scenario(scenario_id), _options(cfg, params, as_of))


def playbook_files(estate: Estate, policy: Policy, scenario: Scenario, config: Any = None,
                   params: dict[str, str] | None = None, as_of: datetime | None = None
                   ) -> tuple[Simulation, dict[str, str]]:
    """Simulate and render the playbook; returns the simulation and {file name: text}."""
    from resilience.scenarios.playbook import build_view, render_html, render_markdown

    cfg = _config(config)
    sim = simulate(estate, policy, scenario, _options(cfg, params, as_of))
    view = build_view(estate, scenario, sim, cfg, as_of or utcnow())
    stem = f"playbook-{scenario.id}"
    return sim, {f"{stem}.md": render_markdown(view), f"{stem}.html": render_html(view)}


def write_playbook(estate: Estate, policy: Policy, scenario_id: str, output_dir: Path,
                   config: Any = None, params: dict[str, str] | None = None,
                   as_of: datetime | None = None, scenario: Scenario | None = None) -> list[Path]:
    """Write the Markdown and HTML playbook for a scenario into ``output_dir``.

    Everything is rendered before anything is written, so a failure leaves no half-set."""
    chosen = scenario or _scenario(scenario_id)
    _, files = playbook_files(estate, policy, chosen, config, params, as_of)
    written = []
    for name, text in files.items():
        path = Path(output_dir) / name
        write_text_atomic(path, text)
        written.append(path)
    return written


def run_request(request: ScenarioRequest, progress=None):
    """Load the estate named by the request and choose its scenario."""
    from resilience.pipeline import load_estate

    scenario = choose_scenario(request.scenario_id, request.scenario_file)
    loaded = load_estate(request.estate, progress)
    return loaded, scenario


def simulate_request(request: ScenarioRequest, progress=None) -> tuple[Simulation, Any]:
    """``resilience simulate``: the simulation and the loaded estate."""
    loaded, scenario = run_request(request, progress)
    with gc_paused():
        sim = simulate(loaded.estate, loaded.policy, scenario,
                       _options(loaded.config.config, request.params, request.as_of))
        # Like the estate, the simulation lives until the command ends and holds no cycles:
        # moved out of the cyclic collector's sight, its million objects are not scanned again
        # the moment collection resumes (about half a second on 100,000 systems).
        gc.freeze()
    keep(sim)
    return sim, loaded


@gc_paused()
def render_simulation(sim: Simulation, fmt: str) -> str:
    """The simulation as JSON or Markdown text."""
    if fmt == "json":
        return b"".join(simulation_chunks(sim, fmt)).decode("utf-8")
    if fmt == "markdown":
        from resilience.scenarios.playbook import render_simulation_markdown

        return render_simulation_markdown(sim)
    raise UsageError(f"unknown format '{fmt}'; choose from {', '.join(FORMATS)}")


# The simulation's long lists: in JSON, each of their items is compact on a line of its own.
_ITEM_LISTS = ("services", "systems", "restore_plan", "gaps")


@gc_paused()
def simulation_chunks(sim: Simulation, fmt: str) -> list[bytes]:
    """``render_simulation`` encoded as UTF-8, in pieces to write one after the other. JSON
    comes straight from the encoder: a large simulation's document (over 70 MB on 100,000
    systems) is not decoded into text only to be encoded again for writing. It is indented,
    except that each service, system, restore step and gap is compact on a line of its own
    (smaller, quicker, and easy to grep and compare line by line)."""
    if fmt != "json":
        return [render_simulation(sim, fmt).encode("utf-8")]
    from resilience.outputs.jsonstream import filled

    head = sim.model_copy(update=dict.fromkeys(_ITEM_LISTS, [])).model_dump_json(indent=2)
    lists = {}
    for key in _ITEM_LISTS:
        items = getattr(sim, key)
        encode = items[0].__pydantic_serializer__.to_json if items else None
        lists[key] = [encode(item) for item in items]
    return [*filled(head.encode(), 1, lists), b"\n"]


def parse_format(value: str) -> str:
    fmt = value.strip().lower()
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{value}'; choose from {', '.join(FORMATS)}")
    return fmt
