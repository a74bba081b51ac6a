"""Pause Python's cyclic garbage collector around phases that build millions of objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Checks and renderers allocate findings and output dicts by the million, all acyclic
    (freed by reference counting): with the collector on, its full passes over every live
    object cost more than the work itself on a large estate. Nests; restores the old state."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
