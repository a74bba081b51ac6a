"""The exit-code contract: 0 clean, 1 findings at or above --fail-on, 2 input, 3 incomplete/unexpected."""

from __future__ import annotations

from resilience.engine.report import Report
from resilience.model import Severity

OK = 0
FINDINGS = 1
INPUT = 2
INCOMPLETE = 3


def exit_code(report: Report, fail_on: Severity | None, strict: bool) -> int:
    """The exit code a check run ends with."""
    if strict and not report.summary.complete:
        return INCOMPLETE
    if fail_on is not None and report.failing(fail_on):
        return FINDINGS
    return OK
