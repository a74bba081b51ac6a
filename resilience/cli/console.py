"""Consoles and progress for the CLI: Rich on a terminal, plain lines in CI and pipes."""

from __future__ import annotations

import os
import sys
from functools import cache

from rich.console import Console


@cache
def stdout() -> Console:
    return Console(highlight=False)


@cache
def stderr() -> Console:
    return Console(stderr=True, highlight=False)


def interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


class PlainProgress:
    """Progress as plain lines on stderr (CI logs)."""

    def __init__(self) -> None:
        self._names: dict[int, str] = {}

    def task(self, description: str, total: int | None = None) -> int:
        task_id = len(self._names)
        self._names[task_id] = description
        sys.stderr.write(f"collecting: {description}\n")
        return task_id

    def stage(self, description: str, total: int) -> int:
        return -1  # CI logs show what was collected, not the stages after it

    def advance(self, task_id: int, amount: int = 1) -> None:
        return None

    def note(self, message: str) -> None:
        from resilience.outputs.view import printable

        sys.stderr.write(f"{printable(message)}\n")


class RichProgress:
    """A Rich progress display, used as a context manager."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                  MofNCompleteColumn(), console=stderr(), transient=True)

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def task(self, description: str, total: int | None = None) -> int:
        return self._progress.add_task(description, total=total)

    def stage(self, description: str, total: int) -> int:
        return self._progress.add_task(description, total=total)

    def advance(self, task_id: int, amount: int = 1) -> None:
        self._progress.advance(task_id, amount)

    def note(self, message: str) -> None:
        from resilience.outputs.view import printable

        self._progress.console.print(printable(message), markup=False, highlight=False)


def progress():
    """A progress reporter suited to where we run (use as a context manager)."""
    import contextlib

    if interactive():
        return RichProgress()
    return contextlib.nullcontext(PlainProgress())
