"""Finding the restore test that counts for a system: the latest one recorded."""

from __future__ import annotations

from datetime import datetime

from resilience.model import BackupCopy


def latest_test(copies: list[BackupCopy]) -> BackupCopy | None:
    """The copy with the most recent dated restore test, or None if no test date is recorded."""
    dated = [c for c in copies if c.last_restore_test is not None]
    return max(dated, key=lambda c: c.last_restore_test or datetime.min) if dated else None


def latest_passed_test(copies: list[BackupCopy]) -> BackupCopy | None:
    """The copy with the most recent restore test that passed."""
    return latest_test([c for c in copies if c.restore_test_passed is True])
