"""The source interface: each provider is one Source that returns a partial Estate."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar, Protocol

from resilience.model import Estate, Provider


class Progress(Protocol):
    """Where long runs report progress (Rich on a terminal, plain lines in CI): collections
    as tasks, and the stages after them (reading a snapshot, checking) as stages, which only
    a terminal shows."""

    def task(self, description: str, total: int | None = None) -> int: ...
    def stage(self, description: str, total: int) -> int: ...
    def advance(self, task_id: int, amount: int = 1) -> None: ...
    def note(self, message: str) -> None: ...


class NullProgress:
    """Progress that goes nowhere (library use and tests)."""

    def task(self, description: str, total: int | None = None) -> int:
        return 0

    def stage(self, description: str, total: int) -> int:
        return 0

    def advance(self, task_id: int, amount: int = 1) -> None:
        return None

    def note(self, message: str) -> None:
        return None


class Source(ABC):
    """Reads one provider, read-only. Parts it cannot read become gaps in the result, not errors.

    Raise ``SourceError`` only when the source cannot run at all (e.g. no credentials), and
    ``InputError`` for bad user files.
    """

    provider: ClassVar[Provider]

    @abstractmethod
    def collect(self, progress: Progress) -> Estate:
        """Return the part of the estate this source sees, with its SourceRun and gaps."""
