"""A report seen through one framework: per control, met, not met or not assessed, and why."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from enum import StrEnum

from pydantic import Field

from resilience.catalogues import frameworks
from resilience.engine.interface import CheckMeta
from resilience.engine.report import Report
from resilience.errors import UsageError
from resilience.model import Status
from resilience.model.estate import Strict

VIEW_SCHEMA_VERSION = 1

# What users type (``nist-csf``) and what check metadata uses (``nist_csf``).
ALIASES = {"nist-csf": "nist_csf", "nist": "nist_csf", "csf": "nist_csf", "iso": "iso27001",
           "iso-27001": "iso27001", "cis-v8": "cis", "ncsc-caf": "caf"}


class ControlStatus(StrEnum):
    """How a control stands in one run."""

    MET = "met"
    NOT_MET = "not-met"
    NOT_ASSESSED = "not-assessed"


class CheckOutcome(Strict):
    """One check behind a control, with its findings counted by status."""

    check_id: str
    title: str
    counts: dict[Status, int]


class ControlView(Strict):
    """One control of the framework and the evidence for its status."""

    id: str
    title: str
    status: ControlStatus
    reason: str
    checks: list[CheckOutcome] = Field(default_factory=list)


class FrameworkView(Strict):
    """The whole framework view of a report."""

    schema_version: int = VIEW_SCHEMA_VERSION
    framework: str
    name: str
    organisation: str
    as_of: datetime
    summary: dict[ControlStatus, int]
    controls: list[ControlView]


def framework_id(value: str) -> str:
    """The catalogue id for what a user typed (``nist-csf`` -> ``nist_csf``); UsageError if unknown."""
    key = value.strip().lower()
    key = ALIASES.get(key, key.replace("-", "_"))
    known = frameworks()
    if key not in known:
        choices = ", ".join(k.replace("_", "-") for k in known)
        raise UsageError(f"--framework: '{value}' is not one of {choices}")
    return key


def _judge(outcomes: list[CheckOutcome]) -> tuple[ControlStatus, str]:
    if not outcomes:
        return ControlStatus.NOT_ASSESSED, "No check in this run covers it."
    total = Counter()
    for o in outcomes:
        total.update(o.counts)
    if total[Status.FAIL]:
        return ControlStatus.NOT_MET, f"{total[Status.FAIL]} failing finding(s)."
    if total[Status.ERROR]:
        # Fail closed: with part of the evidence missing, the control is not shown as met.
        return ControlStatus.NOT_ASSESSED, (f"{total[Status.ERROR]} finding(s) could not be "
                                            "judged (missing data).")
    if total[Status.PASS]:
        waived = f", {total[Status.WAIVED]} waived" if total[Status.WAIVED] else ""
        return ControlStatus.MET, f"{total[Status.PASS]} passing finding(s){waived}."
    if total[Status.WAIVED]:
        return ControlStatus.NOT_ASSESSED, "Every finding is waived."
    return ControlStatus.NOT_ASSESSED, "Its checks found nothing in scope to judge."


def framework_view(report: Report, framework: str) -> FrameworkView:
    """Map ``report`` onto ``framework`` (``caf``, ``nist-csf``, ``cis``, ``iso27001``)."""
    fid = framework_id(framework)
    fw = frameworks()[fid]
    counts: dict[str, Counter] = {}
    for f in report.findings:
        counts.setdefault(f.check_id, Counter())[f.status] += 1
    # Passing results a report counts without listing them still show a control is met.
    for check_id, passes in report.omitted_passes.items():
        counts.setdefault(check_id, Counter())[Status.PASS] += passes
    citing: dict[str, list[CheckMeta]] = {}
    for meta in report.checks:
        for control in getattr(meta.frameworks, fid):
            citing.setdefault(control, []).append(meta)
    controls = []
    for control in fw.controls:
        outcomes = [
            CheckOutcome(check_id=m.id, title=m.title,
                         counts={s: counts.get(m.id, Counter()).get(s, 0) for s in Status})
            for m in sorted(citing.get(control.id, []), key=lambda m: m.id)
        ]
        status, reason = _judge(outcomes)
        controls.append(ControlView(id=control.id, title=control.title, status=status,
                                    reason=reason, checks=outcomes))
    tally = Counter(c.status for c in controls)
    return FrameworkView(
        framework=fid, name=fw.name, organisation=report.organisation.name,
        as_of=report.as_of, summary={s: tally.get(s, 0) for s in ControlStatus},
        controls=controls,
    )


def _md(text: str) -> str:
    """Keep text inert inside a Markdown table cell."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|").replace("\n", " "))


_LABEL = {ControlStatus.MET: "met", ControlStatus.NOT_MET: "**not met**",
          ControlStatus.NOT_ASSESSED: "not assessed"}


def render_framework_markdown(view: FrameworkView) -> str:
    """The view as a Markdown document."""
    s = view.summary
    lines = [
        f"# {_md(view.name)}: {_md(view.organisation)}",
        "",
        f"As of {view.as_of:%Y-%m-%d %H:%M} UTC. {s[ControlStatus.MET]} met, "
        f"{s[ControlStatus.NOT_MET]} not met, {s[ControlStatus.NOT_ASSESSED]} not assessed.",
        "",
        "| Control | Title | Status | Why | Checks |",
        "|---|---|---|---|---|",
    ]
    for c in view.controls:
        checks = ", ".join(
            f"`{o.check_id}` ({o.counts[Status.PASS]} pass, {o.counts[Status.FAIL]} fail, "
            f"{o.counts[Status.ERROR]} error)" for o in c.checks) or "none"
        lines.append(f"| {_md(c.id)} | {_md(c.title)} | {_LABEL[c.status]} | {_md(c.reason)} "
                     f"| {checks} |")
    return "\n".join(lines) + "\n"


def framework_renderable(view: FrameworkView):
    """A Rich table of the view for the terminal (imports Rich only when called)."""
    from rich.table import Table
    from rich.text import Text

    style = {ControlStatus.MET: "green", ControlStatus.NOT_MET: "bold red",
             ControlStatus.NOT_ASSESSED: "yellow"}
    s = view.summary
    table = Table(title=Text(f"{view.name}: {s[ControlStatus.MET]} met, "
                             f"{s[ControlStatus.NOT_MET]} not met, "
                             f"{s[ControlStatus.NOT_ASSESSED]} not assessed"),
                  title_justify="left")
    for col in ("control", "title", "status", "why"):
        table.add_column(col)
    table.add_column("checks", overflow="fold")
    for c in view.controls:
        table.add_row(Text(c.id), Text(c.title), Text(c.status.value, style=style[c.status]),
                      Text(c.reason), Text("\n".join(o.check_id for o in c.checks) or "-"))
    return table
