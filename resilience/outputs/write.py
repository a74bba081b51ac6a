"""Write a report in one or more formats: to stdout, a file, or a folder, always atomically."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from resilience.atomic import atomic_files
from resilience.engine.report import Report
from resilience.errors import UsageError
from resilience.gcpause import gc_paused
from resilience.outputs.interface import OutputFormat, RenderContext, formatter
from resilience.parallel import both, worth_forking


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


def write_report(report: Report, paths: dict[OutputFormat, Path | None],
                 context: RenderContext, stdout: BinaryIO | None = None) -> list[Path]:
    """Write each format to its file, or to ``stdout`` where its path is None.

    Files are written piece by piece into temporary files beside their targets and renamed
    only when every one is complete, so a failure or an interrupt leaves nothing half-written
    and a large report is never held whole in memory. Stdout gets the rendered text at once.
    """
    for fmt, path in paths.items():
        if path is None:
            text = formatter(fmt).render(report, context).encode("utf-8")
            (stdout or sys.stdout.buffer).write(text)
    files = {fmt: path for fmt, path in paths.items() if path is not None}
    with gc_paused(), atomic_files(list(files.values())) as handles:
        jobs = [(fmt, handles[path]) for fmt, path in files.items()]
        if len(jobs) > 1 and worth_forking(len(report.findings)):
            both(lambda: _write(jobs[0::2], report, context),
                 lambda: _write(jobs[1::2], report, context))
        else:
            _write(jobs, report, context)
    return list(files.values())


def _write(jobs: list[tuple[OutputFormat, BinaryIO]], report: Report,
           context: RenderContext) -> None:
    """Render each format into its (temporary) file, from the start: a worker that failed
    half-way may have written part of it already."""
    for fmt, handle in jobs:
        handle.seek(0)
        handle.truncate()
        handle.writelines(formatter(fmt).chunks(report, context))
        handle.flush()
