"""What ``resilience demo`` adds from the scenarios: the ransomware simulation and playbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from resilience.atomic import write_text_atomic
from resilience.scenarios.api import render_simulation, simulate_builtin, write_playbook
from resilience.scenarios.interface import ServiceStatus, Simulation
from resilience.scenarios.timeline import clock

DEMO_SCENARIO = "ransomware"


def summary_lines(sim: Simulation) -> list[str]:
    """A few plain lines: what keeps running, what comes back when, what cannot come back."""
    def names(status: ServiceStatus) -> list[str]:
        return [s.name for s in sim.services if s.status is status]

    lines = []
    running = names(ServiceStatus.RUNNING)
    if running:
        lines.append(f"Keeps running: {', '.join(running)}.")
    back = [f"{s.name} ({clock(s.back_after) if s.back_after is not None else 'no known time'})"
            for s in sim.services if s.status is ServiceStatus.DOWN_RECOVERABLE]
    if back:
        lines.append(f"Down, recoverable: {', '.join(back)}.")
    waiting = names(ServiceStatus.DOWN_WAITING)
    if waiting:
        lines.append(f"Down until a provider recovers: {', '.join(waiting)}.")
    lost = names(ServiceStatus.DOWN_UNRECOVERABLE)
    if lost:
        lines.append(f"No viable restore path: {', '.join(lost)}.")
    missed = sum(1 for s in sim.services if s.meets_rto is False)
    lines.append(f"{missed} service(s) would miss their recovery time objective; "
                 f"{len(sim.gaps)} gap(s) explain why.")
    return lines


def demo_recovery_material(loaded: Any, output_dir: Path) -> tuple[list[str], list[Path]]:
    """Simulate ransomware on the loaded estate and write the simulation and the playbook."""
    sim = simulate_builtin(loaded.estate, loaded.policy, DEMO_SCENARIO, config=loaded.config)
    files = []
    for fmt, ext in (("json", "json"), ("markdown", "md")):
        path = Path(output_dir) / f"simulation-{DEMO_SCENARIO}.{ext}"
        write_text_atomic(path, render_simulation(sim, fmt))
        files.append(path)
    files.extend(write_playbook(loaded.estate, loaded.policy, DEMO_SCENARIO, output_dir,
                                loaded.config))
    return summary_lines(sim), files
