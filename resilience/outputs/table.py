"""The terminal output: findings grouped by service and severity, with a one-line summary."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from resilience.engine.interface import Finding
from resilience.engine.report import Report
from resilience.model import Severity, Status
from resilience.outputs.interface import OutputFormat, RenderContext, StreamedFormatter
from resilience.outputs.jsonstream import Part
from resilience.outputs.view import by_service, headline, most_severe, plain, printable

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red", Severity.HIGH: "red", Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan", Severity.INFO: "dim",
}
STATUS_STYLE = {Status.PASS: "green", Status.FAIL: "red", Status.ERROR: "magenta",
                Status.WAIVED: "dim"}
_SEVERITY_WIDTH = max(len(s.value) for s in Severity)
_STATUS_WIDTH = max(len(s.value) for s in Status)


class FindingList:
    """One service's findings, one per entry: severity, status, check and asset on the first
    line, the finding below, both wrapped under the check column.

    Drawn line by line rather than as a Rich table: a table measures and pads every cell,
    which made the terminal report of a few hundred findings cost most of a second."""

    def __init__(self, title: str, findings: list[Finding]) -> None:
        self.title = title
        self.findings = findings

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        yield from _lines(console, printable(self.title), width, Segment(""),
                          style=console.get_style("bold"))
        lead = 2 + _SEVERITY_WIDTH + 2 + _STATUS_WIDTH + 2
        if width - lead < 20:  # a very narrow terminal: the finding starts at the margin
            lead = 2
        hang = Segment(" " * lead)
        for f in self.findings:
            yield Segment("  ")
            yield Segment(f.severity.value.ljust(_SEVERITY_WIDTH),
                          console.get_style(SEVERITY_STYLE[f.severity]))
            yield Segment("  ")
            yield Segment(f.status.value if lead == 2 else f.status.value.ljust(_STATUS_WIDTH),
                          console.get_style(STATUS_STYLE[f.status]))
            what = f"{printable(f.check_id)}  {printable(f.asset_name or f.asset_id)}"
            if lead == 2:
                yield Segment.line()
                yield from _lines(console, what, width - lead, hang)
            else:
                yield Segment("  ")
                yield from _lines(console, what, width - lead, hang, first=False)
            message = printable(f.message + (f" Waived: {f.waiver}" if f.waiver else ""))
            yield from _lines(console, message, width - lead, hang)
        yield Segment.line()


def _lines(console: Console, value: str, width: int, indent: Segment, first: bool = True,
           style: Style | None = None) -> RenderResult:
    """``value`` (already made printable) folded to ``width`` cells, each line after
    ``indent`` (not the first line's when ``first`` is false: the caller has drawn its start).
    Only ever drawn as segments of plain text: never read as markup."""
    if "\n" not in value and "\t" not in value and cell_len(value) <= width:
        # Fits as it is (most lines do): no wrapping, the costly part.
        if first:
            yield indent
        yield Segment(value.rstrip(), style)
        yield Segment.line()
        return
    for number, line in enumerate(Text(value).wrap(console, max(width, 1), overflow="fold")):
        if number or first:
            yield indent
        yield Segment(line.plain.rstrip(), style)
        yield Segment.line()


# A terminal lists at most this many results, the most severe first: a large estate has
# hundreds of thousands, which take a minute to print and nobody reads on a screen.
TERMINAL_LIMIT = 2000
def report_parts(report: Report, context: RenderContext, *, show_passes: bool = False,
                 limit: int | None = None) -> list[RenderableType]:
    """Rich renderables for a report, to print one after the other (untrusted text is
    escaped, never read as markup). With ``limit``, only that many results are listed, the
    most severe first, and a note says how many more the files hold."""
    names = {s.id: s.name for s in context.estate.services} if context.estate else {}
    shown = [f for f in report.findings if show_passes or f.status != Status.PASS]
    total = len(shown)
    if limit is not None and total > limit:
        shown = most_severe(shown, limit)
    parts: list[RenderableType] = []
    for sid, items in by_service(shown).items():
        ordered = sorted(items, key=lambda f: (-f.severity.rank, f.check_id, f.asset_id))
        parts.append(FindingList(names.get(sid, sid), ordered))
    if report.gaps:
        from rich.table import Table

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
    if len(shown) < total:
        parts.append(Text(f"Listed above: the {len(shown):,} most severe of {total:,} results. "
                          "For all of them, write files: --format json,sarif --output DIR.",
                          style="yellow"))
    parts.append(Text(headline(report), style="bold"))
    return parts


class TableFormatter(StreamedFormatter):
    """The terminal layout as plain text, every result listed (a file is not a screen)."""

    format = OutputFormat.TABLE
    extension = "txt"
    cost = 15.0  # Rich lays out every line

    def parts(self, report: Report, context: RenderContext,
              cuts: Sequence[float] = ()) -> list[Part]:
        return [lambda: _plain_text(report_parts(report, context))]


def _plain_text(parts: list[RenderableType]) -> Iterator[bytes]:
    """Each renderable printed as plain text 140 columns wide, one after the other."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=140, no_color=True, force_terminal=False)
    for part in parts:
        console.print(part)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
