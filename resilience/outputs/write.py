"""Write a report in one or more formats: to stdout, a file, or a folder, always atomically."""

from __future__ import annotations

from pathlib import Path

from resilience.atomic import write_text_atomic
from resilience.engine.report import Report
from resilience.errors import UsageError
from resilience.outputs.interface import OutputFormat, RenderContext, formatter


def output_paths(formats: list[OutputFormat], output: Path | None,
                 stem: str = "resilience-report") -> dict[OutputFormat, Path | None]:
    """Where each format goes. One format: ``output`` is the file (None = stdout; an existing
    folder gets ``<stem>.<ext>`` inside it). Several formats: ``output`` is a folder and each
    format gets its own file."""
    if len(formats) == 1:
        if output is not None and output.is_dir():
            return {formats[0]: output / f"{stem}.{formatter(formats[0]).extension}"}
        return {formats[0]: output}
    if output is None:
        raise UsageError("several formats need --output FOLDER (one file per format)")
    if output.exists() and not output.is_dir():
        raise UsageError(f"--output {output}: several formats need a folder, and this is a file")
    return {fmt: output / f"{stem}.{formatter(fmt).extension}" for fmt in formats}


def render_all(report: Report, formats: list[OutputFormat], context: RenderContext
               ) -> dict[OutputFormat, str]:
    """Render every format first, so a failure leaves nothing half-written."""
    return {fmt: formatter(fmt).render(report, context) for fmt in formats}


def write_rendered(rendered: dict[OutputFormat, str], paths: dict[OutputFormat, Path | None]
                   ) -> list[Path]:
    """Write each rendered text to its file atomically (stdout entries are left to the caller)."""
    written = []
    for fmt, text in rendered.items():
        path = paths[fmt]
        if path is not None:
            write_text_atomic(path, text)
            written.append(path)
    return written
