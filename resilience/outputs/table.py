"""The terminal output: findings grouped by service and severity, with a one-line summary."""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from resilience.engine.report import Report
from resilience.model import Severity, Status
from resilience.outputs.interface import Formatter, OutputFormat, RenderContext
from resilience.outputs.view import by_service, headline, plain, printable

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red", Severity.HIGH: "red", Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan", Severity.INFO: "dim",
}
STATUS_STYLE = {Status.PASS: "green", Status.FAIL: "red", Status.ERROR: "magenta",
                Status.WAIVED: "dim"}


def report_renderable(report: Report, context: RenderContext, *, show_passes: bool = False) -> Group:
    """Rich renderables for a report (untrusted text is escaped, never read as markup)."""
    names = {s.id: s.name for s in context.estate.services} if context.estate else {}
    shown = [f for f in report.findings if show_passes or f.status != Status.PASS]
    parts: list = []
    for sid, items in by_service(shown).items():
        table = Table(title=escape(printable(names.get(sid, sid))), title_justify="left", expand=False,
                      show_lines=False)
        table.add_column("severity")
        table.add_column("status")
        table.add_column("check")
        table.add_column("asset", overflow="fold")
        table.add_column("finding", overflow="fold")
        for f in sorted(items, key=lambda f: (-f.severity.rank, f.check_id, f.asset_id)):
            table.add_row(
                Text(f.severity.value, style=SEVERITY_STYLE[f.severity]),
                Text(f.status.value, style=STATUS_STYLE[f.status]),
                plain(f.check_id),
                plain(f.asset_name or f.asset_id),
                plain(f.message + (f" Waived: {f.waiver}" if f.waiver else "")),
            )
        parts.append(table)
    if report.gaps:
        gaps = Table(title="Collection gaps (results are incomplete)", title_justify="left")
        for col in ("source", "scope", "data", "reason"):
            gaps.add_column(col, overflow="fold")
        for g in report.gaps:
            gaps.add_row(g.source.value, plain(g.scope), ", ".join(g.kinds), plain(g.reason))
        parts.append(gaps)
    if report.framework is not None:
        from resilience.frameworks_view import framework_renderable

        parts.append(framework_renderable(report.framework))
    for note in report.notes:
        parts.append(plain(f"note: {note}", style="yellow"))
    parts.append(Text(headline(report), style="bold"))
    return Group(*parts)


class TableFormatter(Formatter):
    format = OutputFormat.TABLE
    extension = "txt"

    def render(self, report: Report, context: RenderContext) -> str:
        buffer = io.StringIO()
        console = Console(file=buffer, width=140, no_color=True, force_terminal=False)
        console.print(report_renderable(report, context))
        return buffer.getvalue()
