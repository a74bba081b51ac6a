"""Write a report in one or more formats: to stdout, a file, or a folder, always atomically."""

from __future__ import annotations

from pathlib import Path

from resilience.atomic import write_text_atomic
from resilience.engine.report import Report
from resilience.errors import UsageError
from resilience.outputs.interface import OutputFormat, RenderContext, formatter


def output_paths(formats: list[OutputFormat], output: Path | None,
                 stem: str = "resilience-report") -> dict[OutputFormat, Path | None]:
    """Where each format goes. One format: ``output`` is the file (None = stdout). Several
    formats: ``output`` is a folder and each format gets its own file."""
    if len(formats) == 1:
        return {formats[0]: output}
    if output is None:
        raise UsageError("several formats need --output FOLDER (one file per format)")
    return {fmt: output / f"{stem}.{formatter(fmt).extension}" for fmt in formats}


def render_all(report: Report, formats: list[OutputFormat], context: RenderContext
               ) -> dict[OutputFormat, str]:
    """Render every format first, so a failure leaves nothing half-written."""
    return {fmt: formatter(fmt).render(report, context) for fmt in formats}


def write_rendered(rendered: dict[OutputFormat, str], paths: dict[OutputFormat, Path | None]
                   ) -> list[Path]:
    written = []
    for fmt, text in rendered.items():
        path = paths[fmt]
        if path is not None:
            write_text_atomic(path, text)
            written.append(path)
    return written
