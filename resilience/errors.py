"""The one exception root, with a base per layer; the CLI maps them to exit codes."""

from __future__ import annotations


class ResilienceError(Exception):
    """Root of every error the tool raises on purpose. Messages are written for the user."""

    exit_code = 3


class InputError(ResilienceError):
    """Bad user input: a file that is missing, malformed or invalid (exit code 2)."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        self.detail = message
        where = ""
        if path:
            where = f"{path}:{line}: " if line else f"{path}: "
        super().__init__(f"{where}{message}")


class UsageError(ResilienceError):
    """A command-line combination that cannot work (exit code 2)."""

    exit_code = 2


class SourceError(ResilienceError):
    """A source could not run at all (not a gap: gaps are data, not errors)."""

    exit_code = 3


class CheckError(ResilienceError):
    """The check catalogue is broken: bad metadata, duplicate ids, unknown references."""

    exit_code = 2


class OutputError(ResilienceError):
    """An output could not be written."""

    exit_code = 3


class ScenarioError(ResilienceError):
    """A scenario could not be loaded or simulated."""

    exit_code = 2
