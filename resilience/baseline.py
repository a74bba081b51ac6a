"""Baselines: compare a run with an earlier JSON report and keep only what is new.

Exact semantics (a finding is identified by its key, check id + asset id; a *problem* is a
``fail`` or ``error``):

- **known**: a problem now whose key was also a problem in the baseline. Known problems are
  removed from the report's findings, so outputs and the exit code (``--fail-on``) reflect only
  what is new; like waived results they leave the score, and a note gives the score over the
  whole estate.
- **new**: a problem now whose key was not a problem in the baseline (absent, passing, or
  waived then: a waiver that has since expired surfaces as new). New problems stay.
- **fixed**: a problem in the baseline whose key is now passing or gone, counted only for
  checks that ran this time (a check left out by ``--check`` fixes nothing). Listed in notes.
  A problem that is now waived is a change of status, not a fix.
- Passes and waived findings are kept unchanged.

Make the baseline from a run without ``--baseline`` (its JSON report), or problems hidden in
it would count as new next time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from typing_extensions import TypedDict

from resilience.engine.report import REPORT_SCHEMA_VERSION, Report
from resilience.model import Status
from resilience.model.timeutil import Timestamp
from resilience.yamlfile import load_json_model

PROBLEMS = frozenset({Status.FAIL, Status.ERROR})
# When a check reports one asset twice, the most alarming status is the one that counts.
STATUS_RANK = {Status.PASS: 0, Status.WAIVED: 1, Status.ERROR: 2, Status.FAIL: 3}
NOTE_LIMIT = 20
Key = tuple[str, str]


@dataclass
class StatusDiff:
    """How findings moved between two runs, by key."""

    new: list[tuple[Key, Status | None, Status]] = field(default_factory=list)
    fixed: list[tuple[Key, Status, Status | None]] = field(default_factory=list)
    changed: list[tuple[Key, Status, Status]] = field(default_factory=list)


def worst_status(statuses: Iterable[tuple[Key, Status]]) -> dict[Key, Status]:
    """One status per key (a check can report one asset twice): the most alarming wins."""
    rank = STATUS_RANK
    out: dict[Key, Status] = {}
    for key, status in statuses:
        if key not in out or rank[status] > rank[out[key]]:
            out[key] = status
    return out


def compare_statuses(before: Mapping[Key, Status], after: Mapping[Key, Status],
                     checks_run: Iterable[str] | None = None) -> StatusDiff:
    """New problems, fixed problems, and other status changes between two runs.

    A key missing from ``after`` is fixed only when its check is in ``checks_run`` (None: any)."""
    ran = None if checks_run is None else set(checks_run)
    diff = StatusDiff()
    for key, now in sorted(after.items()):
        then = before.get(key)
        if now in PROBLEMS and then not in PROBLEMS:
            diff.new.append((key, then, now))
        elif then is not None and then != now and not (then in PROBLEMS and now == Status.PASS):
            diff.changed.append((key, then, now))
    for key, then in sorted(before.items()):
        if then not in PROBLEMS:
            continue
        now = after.get(key)
        if now is None and ran is not None and key[0] not in ran:
            continue
        if now is None or now == Status.PASS:
            diff.fixed.append((key, then, now))
    return diff


class _Skimmed(BaseModel):
    """Read from a report for a baseline: the fields named, the others skipped."""

    model_config = ConfigDict(extra="ignore")


class BaselineFinding(TypedDict):
    """A finding's key and status (a dict: a large report has hundreds of thousands)."""

    __pydantic_config__ = ConfigDict(extra="ignore")  # type: ignore[misc]
    check_id: str
    asset_id: str
    status: Status


class BaselineOrganisation(_Skimmed):
    name: str


class Baseline(_Skimmed):
    """What a baseline needs of an earlier JSON report: each finding's key and status, when
    it was made and for whom. The rest is skipped unread: a 100,000-system report is 300-400
    MB, and reading all of it took most of a gigabyte."""

    schema_version: int
    generated_at: Timestamp
    organisation: BaselineOrganisation
    findings: list[BaselineFinding]

    def statuses(self) -> dict[Key, Status]:
        """One status per key, the most alarming."""
        return worst_status(((f["check_id"], f["asset_id"]), f["status"]) for f in self.findings)


def load_baseline(path: Path | str) -> Baseline:
    """Read an earlier ``--format json`` report, with one clear error when it is not one."""
    return load_json_model(Baseline, path, what="a resilience JSON report",
                           how=" (make one with `resilience check --format json`)",
                           version=REPORT_SCHEMA_VERSION)


def _listed(keys: list[Key]) -> str:
    shown = ", ".join(f"{c} on {a}" for c, a in keys[:NOTE_LIMIT])
    more = len(keys) - NOTE_LIMIT
    return shown + (f" and {more} more" if more > 0 else "")


def apply_baseline(report: Report, baseline: Baseline, source: str) -> Report:
    """A copy of ``report`` without the problems already in ``baseline``, with notes."""
    before = baseline.statuses()
    after = worst_status((f.key, f.status) for f in report.findings)
    diff = compare_statuses(before, after, checks_run=[m.id for m in report.checks])
    kept = [f for f in report.findings
            if not (f.status in PROBLEMS and before.get(f.key) in PROBLEMS)]
    known = len(report.findings) - len(kept)
    when = baseline.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    notes = [
        f"Baseline {source} ({when}): {len(diff.new)} new problem(s) shown, {known} known "
        f"problem(s) hidden, {len(diff.fixed)} fixed since then. Readiness over the whole "
        f"estate, known problems included: {report.summary.score}/100."]
    if diff.fixed:
        notes.append("Fixed since the baseline: " + _listed([k for k, _, _ in diff.fixed]) + ".")
    if baseline.organisation.name != report.organisation.name:
        notes.append(f"The baseline is for '{baseline.organisation.name}', this run for "
                     f"'{report.organisation.name}'; check that you compared the right files.")
    return report.with_findings(kept, notes)
