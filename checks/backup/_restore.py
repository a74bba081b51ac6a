"""Finding the restore test that counts for a system: the latest one recorded."""

from __future__ import annotations

from resilience.model import BackupCopy


def latest_test(copies: list[BackupCopy]) -> BackupCopy | None:
    """The copy with the most recent dated restore test (the first such copy on a tie), or
    None if no test date is recorded."""
    latest, latest_when = None, None
    for c in copies:  # a plain loop: asked for every tiered system by two checks
        when = c.last_restore_test
        if when is not None and (latest_when is None or when > latest_when):
            latest, latest_when = c, when
    return latest


def latest_passed_test(copies: list[BackupCopy]) -> BackupCopy | None:
    """The copy with the most recent restore test that passed."""
    return latest_test([c for c in copies if c.restore_test_passed is True])
