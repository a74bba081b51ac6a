"""Write a report in one or more formats: to stdout, a file, or a folder, always atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO, NamedTuple

from resilience.atomic import Writeback, append_file, atomic_files
from resilience.engine.report import Report
from resilience.errors import UsageError
from resilience.gcpause import gc_paused
from resilience.outputs.interface import OutputFormat, RenderContext, formatter
from resilience.outputs.jsonstream import Part
from resilience.parallel import Tickets, both, worth_forking
from resilience.sources.interface import NullProgress, Progress


class Piece(NamedTuple):
    """A part of a format and the file it is written to."""

    target: BinaryIO
    render: Part
    output: bool  # the output file itself (else a temporary part, appended to it later)
    whole: bool  # the whole format: the output is complete once it is written
    cost: float = 1.0  # what writing it costs, against the whole JSON report's 1


class Alongside(NamedTuple):
    """Work that needs the report but not its files (recording the history), done by this
    process while a large run's worker writes, instead of before any writing starts."""

    run: Callable[[], object]
    cost: float  # against the whole JSON report's 1, so that the two shares still even out


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
                 context: RenderContext, stdout: BinaryIO | None = None,
                 alongside: Alongside | None = None,
                 progress: Progress | None = None) -> list[Path]:
    """Write each format to its file, or to ``stdout`` where its path is None.

    Files are written piece by piece into temporary files beside their targets and renamed
    only when every one is complete, so a failure or an interrupt leaves nothing half-written
    and a large report is never held whole in memory. Stdout gets the pieces as they come.
    ``alongside`` is done before anything is written, or while the worker writes when the
    files are shared between two processes; if it fails, no file is written. ``progress``
    shows the files being written (a large estate's take seconds).
    """
    files = {fmt: path for fmt, path in paths.items() if path is not None}
    shared = worth_forking(len(report.findings))
    if alongside is not None and not (shared and len(files) == len(paths)):
        alongside.run()  # stdout cannot be taken back, so it waits for this
        alongside = None
    for fmt, path in paths.items():
        if path is None:  # piece by piece too: a large JSON report is hundreds of MB
            out = stdout or sys.stdout.buffer
            with gc_paused():
                for chunk in formatter(fmt).chunks(report, context):
                    out.write(chunk)
    besides = alongside.cost if alongside is not None else 0.0
    progress = progress or NullProgress()
    writing = progress.stage(f"writing {', '.join(fmt.value for fmt in files)}",
                             total=len(files)) if files else None
    with gc_paused(), atomic_files(list(files.values())) as handles, ExitStack() as extras:
        costs = {fmt: formatter(fmt).cost_for(report, context) for fmt in files}
        cuts = _cuts(list(files), besides, costs) if shared else {}
        pieces: list[Piece] = []
        joins: list[tuple[BinaryIO, list[BinaryIO]]] = []
        for fmt, path in files.items():
            renderer = formatter(fmt)
            parts = renderer.parts(report, context, cuts.get(fmt, ()))
            # The first part goes into the file itself, the others into unnamed temporary
            # files beside it (gone if the run stops), appended when all are written.
            targets = [handles[path], *(extras.enter_context(
                tempfile.TemporaryFile(dir=path.parent)) for _ in parts[1:])]
            bounds = [0.0, *cuts.get(fmt, ()), 1.0] if len(parts) > 1 else [0.0, 1.0]
            pieces.extend(Piece(target, part, output=target is targets[0],
                                whole=len(parts) == 1, cost=costs[fmt] * (high - low))
                          for target, part, low, high in zip(targets, parts, bounds[:-1], bounds[1:],
                                                             strict=True))
            joins.append((targets[0], targets[1:]))
        if shared and len(pieces) > 1:
            _share_pieces(sorted(pieces, key=lambda p: -p.cost), alongside)
        else:
            if alongside is not None:
                alongside.run()
            _write(pieces)
        for whole, rest in joins:
            for extra in rest:
                append_file(whole, extra)
    if writing is not None:
        progress.advance(writing, len(files))
    return list(files.values())


def _cuts(formats: list[OutputFormat], besides: float = 0.0,
          costs: dict[OutputFormat, float] | None = None) -> dict[OutputFormat, tuple[float]]:
    """Where to cut a format so that two processes work about as much each: the costliest
    format that can be cut, where it makes up half of the total, when it is more than half
    of it (JSON and SARIF: about 70% of the SARIF log in one process, the rest of it and the
    JSON report in the other). Only the part after the cut is copied again, when it is
    appended. Otherwise the formats are written whole, costliest first. ``besides`` is the
    cost of other work that this process does first (see ``Alongside``); ``costs`` are the
    formats' own, unless given (a shortened SARIF log costs less)."""
    costs = costs or {fmt: formatter(fmt).cost for fmt in formats}
    divisible = [fmt for fmt in formats if formatter(fmt).divisible]
    if not divisible:
        return {}
    largest = max(divisible, key=costs.__getitem__)
    half = (sum(costs.values()) + besides) / 2
    return {largest: (half / costs[largest],)} if costs[largest] > half else {}


def _share_pieces(pieces: list[Piece], alongside: Alongside | None = None) -> None:
    """Both processes take the next piece (the costliest first) until none is left, this one
    after doing ``alongside``; pieces a failed worker had taken are written again here."""
    tickets = Tickets(len(pieces))

    def take() -> list[int]:
        done = []
        while (number := tickets.take()) is not None:
            _write([pieces[number]], settle=True)
            done.append(number)
        return done

    def here() -> list[int]:
        if alongside is not None:
            alongside.run()
        return take()

    try:
        mine, theirs = both(here, take)
    finally:
        tickets.close()
    finished = set(mine) | set(theirs)
    _write([p for i, p in enumerate(pieces) if i not in finished])


def _write(pieces: list[Piece], settle: bool = False) -> None:
    """Render each piece into its file from the start (a worker that failed half-way may have
    written some of it already). The disk starts on the output files as they grow, not on
    the parts that are only kept to be appended to them. With ``settle``, an output that is
    complete is also synced here, so that its ``fsync`` overlaps the other process's work."""
    for piece in pieces:
        target = piece.target
        target.seek(0)
        target.truncate()
        kick = Writeback(target) if piece.output else None
        for chunk in piece.render():
            target.write(chunk)
            if kick is not None:
                kick()
        target.flush()
        if settle and piece.output and piece.whole:
            os.fsync(target.fileno())
