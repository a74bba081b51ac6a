"""The simulation as Rich tables for the terminal (the only scenario module that knows Rich)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table

from resilience.durations import format_duration
from resilience.outputs.view import first_rows, plain
from resilience.scenarios.interface import ServiceStatus, Simulation
from resilience.scenarios.timeline import clock

_ALL = "--format json or markdown --output FILE lists them all"
_STYLE = {
    ServiceStatus.RUNNING: "green",
    ServiceStatus.DOWN_RECOVERABLE: "yellow",
    ServiceStatus.DOWN_WAITING: "magenta",
    ServiceStatus.DOWN_UNRECOVERABLE: "bold red",
}


def simulation_renderable(sim: Simulation) -> Group:
    """Services, restore order and gaps; untrusted names are plain text, never markup."""
    params = ", ".join(f"{k}={v}" for k, v in sim.parameters.items())
    head = plain(f"{sim.title} ({sim.scenario}; {params}) for {sim.organisation}", style="bold")
    services = Table(title="Services", title_justify="left")
    for col in ("service", "status", "back at", "RTO", "why"):
        services.add_column(col, overflow="fold")
    for s in first_rows(sim.services, services, _ALL):
        status = plain(s.status.value, style=_STYLE[s.status])
        if s.on_fallback:
            status.append(" (on its fallback)", style="dim")
        rto = format_duration(s.rto) if s.rto is not None else "none"
        if s.meets_rto is False:
            rto += " MISSED"
        services.add_row(plain(s.name), status,
                         clock(s.back_after) if s.back_after is not None else "-",
                         plain(rto, style="red" if s.meets_rto is False else ""),
                         plain("; ".join(s.reasons)))
    order = Table(title=f"Restore order (starts {clock(sim.mobilisation)}, "
                        f"{sim.parallel_streams} team(s))", title_justify="left")
    for col in ("#", "system", "action", "copy", "time", "done at"):
        order.add_column(col, overflow="fold")
    for st in first_rows(sim.restore_plan, order, _ALL):
        order.add_row(str(st.order), plain(st.name + (" (cycle)" if st.in_cycle else "")),
                      st.action.value, plain(st.copy_id or "-"),
                      f"{format_duration(st.duration)} {st.duration_source}", clock(st.finish))
    parts: list = [head, services, order]
    if sim.gaps:
        gaps = Table(title=f"Gaps ({len(sim.gaps)})", title_justify="left")
        for col in ("gap", "about", "what", "checks"):
            gaps.add_column(col, overflow="fold")
        for g in first_rows(sim.gaps, gaps, _ALL):
            gaps.add_row(g.code.value, plain(g.subject), plain(g.message), ", ".join(g.checks) or "-")
        parts.append(gaps)
    for w in sim.warnings:
        parts.append(plain(f"warning: {w}", style="yellow"))
    return Group(*parts)
