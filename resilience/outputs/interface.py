"""The output-format interface, its enum and the registry mapping each format to its renderer."""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from resilience.engine.report import Report
from resilience.errors import UsageError
from resilience.model import SourceRef


class OutputFormat(StrEnum):
    """Formats a report can be written in."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    JUNIT = "junit"
    HTML = "html"


@dataclass(frozen=True)
class RenderContext:
    """Extra material some formats show: the estate (for per-service views), history, etc."""

    estate: Any = None
    #: Earlier runs of the same estate, oldest first (``resilience.history.RunRecord``).
    history: list[Any] = field(default_factory=list)
    framework: str | None = None
    #: Where results without a file of their own point (cloud assets, estate-wide results):
    #: the configuration or snapshot the run was read from. SARIF needs a file to anchor to.
    anchor: SourceRef | None = None
    #: At most this many SARIF results, the most severe (GitHub code scanning rejects a run
    #: of more than 25,000 and keeps 5,000); None lists every one.
    sarif_max_results: int | None = None


class Formatter(ABC):
    """Renders a Report as text in one format."""

    format: ClassVar[OutputFormat]
    extension: ClassVar[str]

    @abstractmethod
    def render(self, report: Report, context: RenderContext) -> str:
        """The whole document as text."""

    def chunks(self, report: Report, context: RenderContext) -> Iterator[bytes]:
        """The document as UTF-8 pieces, for writing without holding it whole in memory."""
        for part in self.parts(report, context):
            yield from part()

    #: What writing it costs, against the JSON report's 1 (CPU time measured at 100,000
    #: systems): how a large run shares the formats between two processes.
    cost: ClassVar[float] = 1.0
    #: Whether ``parts`` honours ``cuts`` (a format in one piece is written by one process).
    divisible: ClassVar[bool] = False
    #: Whether it shows earlier runs (``RenderContext.history``), which the run must then
    #: record before it is rendered.
    shows_history: ClassVar[bool] = False

    def cost_for(self, report: Report, context: RenderContext) -> float:
        """What writing this report costs against the whole JSON report's 1 (``cost``,
        unless the context makes it smaller)."""
        return self.cost

    def parts(self, report: Report, context: RenderContext,
              cuts: Sequence[float] = ()) -> list[Callable[[], Iterator[bytes]]]:
        """The document as pieces that can be rendered separately (in two processes) and
        joined in order, cut near ``cuts`` (fractions of its findings). Most formats are one
        piece, rendered at once."""
        return [lambda: iter((self.render(report, context).encode("utf-8"),))]


class StreamedFormatter(Formatter):
    """A format that grows with the estate: defined by its ``parts``, rendered in pieces."""

    def render(self, report: Report, context: RenderContext) -> str:
        return b"".join(self.chunks(report, context)).decode("utf-8")

    @abstractmethod
    def parts(self, report: Report, context: RenderContext,
              cuts: Sequence[float] = ()) -> list[Callable[[], Iterator[bytes]]]:
        """The document in pieces cut near ``cuts`` (see ``jsonstream.spliced``)."""


class TemplateFormatter(StreamedFormatter):
    """A format rendered by a Jinja2 template, written as it is generated: a large estate's
    HTML report is 140 MB, and rendering it whole kept every one of its small pieces in a
    list first (1.2 GB at 100,000 systems)."""

    @abstractmethod
    def template(self) -> Any:
        """The Jinja2 template."""

    @abstractmethod
    def variables(self, report: Report, context: RenderContext) -> dict[str, Any]:
        """What the template is given."""

    def parts(self, report: Report, context: RenderContext,
              cuts: Sequence[float] = ()) -> list[Callable[[], Iterator[bytes]]]:
        return [lambda: self._generate(report, context)]

    def _generate(self, report: Report, context: RenderContext,
                  size: int = 1 << 20) -> Iterator[bytes]:
        """The template's output as UTF-8, in pieces of about ``size`` characters."""
        pending: list[str] = []
        length = 0
        for piece in self.template().generate(**self.variables(report, context)):
            pending.append(piece)
            length += len(piece)
            if length >= size:
                yield "".join(pending).encode("utf-8")
                pending, length = [], 0
        yield "".join(pending).encode("utf-8")


def with_newline(parts: list[Callable[[], Iterator[bytes]]]
                 ) -> list[Callable[[], Iterator[bytes]]]:
    """``parts`` with a final newline after the last one (text files end with one)."""
    last = parts[-1]

    def ending() -> Iterator[bytes]:
        yield from last()
        yield b"\n"

    return [*parts[:-1], ending]


# Lazy registry: importing a renderer (Jinja2, XML) only when that format is asked for.
FORMATTERS: dict[OutputFormat, str] = {
    OutputFormat.TABLE: "resilience.outputs.table:TableFormatter",
    OutputFormat.JSON: "resilience.outputs.json_format:JsonFormatter",
    OutputFormat.MARKDOWN: "resilience.outputs.markdown:MarkdownFormatter",
    OutputFormat.SARIF: "resilience.outputs.sarif:SarifFormatter",
    OutputFormat.JUNIT: "resilience.outputs.junit:JunitFormatter",
    OutputFormat.HTML: "resilience.outputs.html:HtmlFormatter",
}


def formatter(fmt: OutputFormat) -> Formatter:
    """The renderer for ``fmt``."""
    module_name, _, cls_name = FORMATTERS[fmt].partition(":")
    return getattr(importlib.import_module(module_name), cls_name)()


def parse_formats(text: str) -> list[OutputFormat]:
    """``json,sarif`` -> [JSON, SARIF], with a clear error for unknown names."""
    out: list[OutputFormat] = []
    for part in (p.strip().lower() for p in text.split(",")):
        if not part:
            continue
        try:
            fmt = OutputFormat(part)
        except ValueError:
            choices = ", ".join(f.value for f in OutputFormat)
            raise UsageError(f"unknown format '{part}'; choose from {choices}") from None
        if fmt not in out:
            out.append(fmt)
    if not out:
        raise UsageError("--format needs at least one format")
    return out
