"""``resilience demo``: the whole pipeline on the bundled example council, with no network."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text

from resilience.engine.report import Report
from resilience.model import Domain, Estate, Severity, Status

DEMO_PACKAGE = "resilience.data"
# The example council's facts are dated up to late November 2026; judging them as of a fixed
# day keeps the demo's story (and its tests) the same whenever it is run.
DEMO_AS_OF = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DEMO_FOLDER = "demo"


@dataclass
class DemoResult:
    """What the demo produced."""

    report: Report
    estate: Estate
    output_dir: Path
    files: list[Path] = field(default_factory=list)
    simulation_summary: list[str] = field(default_factory=list)


def demo_config_path(stack: ExitStack) -> Path:
    """The bundled demo configuration, as a real file for the life of ``stack``."""
    folder = resources.files(DEMO_PACKAGE).joinpath(DEMO_FOLDER)
    return stack.enter_context(resources.as_file(folder)) / "resilience.yaml"


def run_demo(output_dir: Path) -> DemoResult:
    """Collect the demo estate, check it, and write every report format, a snapshot, and the
    ransomware simulation and playbook into ``output_dir``."""
    from resilience.outputs.interface import OutputFormat, RenderContext
    from resilience.outputs.write import output_paths, write_report
    from resilience.pipeline import CheckRequest, EstateRequest, anchor_for, run_check
    from resilience.snapshot import save_snapshot

    with ExitStack() as stack:
        config = demo_config_path(stack)
        request = CheckRequest(estate=EstateRequest(config=config), as_of=DEMO_AS_OF)
        report, loaded = run_check(request)
        formats = [f for f in OutputFormat if f != OutputFormat.TABLE]
        context = RenderContext(estate=loaded.estate, anchor=anchor_for(loaded, request.estate))
        files = write_report(report, output_paths(formats, output_dir), context)
        snapshot = output_dir / "estate-snapshot.json"
        save_snapshot(loaded.estate, snapshot)
        files.append(snapshot)
        result = DemoResult(report=report, estate=loaded.estate, output_dir=output_dir,
                            files=files)
        _add_recovery_material(result, loaded)
    return result


def _add_recovery_material(result: DemoResult, loaded) -> None:
    """The ransomware simulation and its playbook."""
    from resilience.scenarios.demo import demo_recovery_material

    summary, files = demo_recovery_material(loaded, result.output_dir)
    result.simulation_summary.extend(summary)
    result.files.extend(files)


def demo_summary(result: DemoResult) -> Group:
    """What the demo found, in plain words, and where the files went."""
    report, estate = result.report, result.estate
    s = report.summary
    parts: list = [
        Text(f"Example estate: {estate.organisation.name}", style="bold"),
        Text(f"{len(estate.services)} business services, {len(estate.systems)} systems, "
             f"{len(estate.backups)} backup copies, {len(estate.accounts)} accounts."),
        Text(f"Readiness score {s.score}/100 from {len(report.checks)} checks "
             f"({s.by_status[Status.PASS]} passed, {s.by_status[Status.FAIL]} failed, "
             f"{s.by_status[Status.ERROR]} could not be judged)."),
    ]
    table = Table(title="Failures by domain and severity", title_justify="left")
    table.add_column("domain")
    for sev in reversed(Severity):
        table.add_column(sev.value, justify="right")
    for domain in Domain:
        counts = [sum(1 for f in report.findings if f.domain == domain and f.severity == sev
                      and f.status == Status.FAIL) for sev in reversed(Severity)]
        table.add_row(domain.value, *(str(c) for c in counts))
    parts.append(table)
    parts.append(Text("The worst gaps:", style="bold"))
    from resilience.outputs.view import headline_failures

    for f in headline_failures(report.findings, limit=6):
        parts.append(Text(f"  [{f.severity.value}] {f.title}: {f.asset_name or f.asset_id}. "
                          f"{f.message}"))
    troubled = {sid for f in report.findings if f.status in (Status.FAIL, Status.ERROR)
                for sid in f.services}
    fine = [s.name for s in estate.services if s.id not in troubled]
    if fine:
        parts.append(Text("Holding up (no check failed or went unjudged): ", style="bold"))
        parts.extend(Text(f"  {name}") for name in fine)
    if result.simulation_summary:
        parts.append(Text("If ransomware hit tomorrow:", style="bold"))
        parts.extend(Text(f"  {line}") for line in result.simulation_summary)
    return Group(*parts)
