"""Leave a large run without freeing its millions of objects one by one (as mypy does).

A 100,000-system run holds several million objects until it ends; freeing them at exit takes
about half a second and serves nothing, since the operating system takes the memory back at
once. The CLI arms this; what the run keeps then lives until the process ends, and the CLI
leaves through ``leave`` after flushing its output. Library callers (tests, other programs)
never arm it, so nothing is kept for them.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, NoReturn

_ARMED: list[bool] = []
_KEPT: list[Any] = []


def arm() -> None:
    """Called by the CLI's entry point only."""
    _ARMED.append(True)


def keep(*objects: Any) -> None:
    """Hold large results (an estate, a report, a simulation) until the process ends."""
    if _ARMED:
        _KEPT.extend(objects)


def leave(code: int) -> NoReturn:
    """Exit with ``code``: at once when a large result was kept, after flushing stdout and
    stderr (every file the run writes is complete and closed before this point)."""
    if _KEPT:
        for stream in (sys.stdout, sys.stderr):
            # A reader gone (`| head`) or a closed stream: nothing more can be written.
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
    sys.exit(code)
