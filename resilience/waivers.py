"""Waivers: accepted risks, each with an owner and an expiry date, applied to a Report.

A waiver names one check and an asset id or glob pattern (``fnmatch``: ``*``, ``?``, ``[..]``).
While it is in force (the report's as-of date is on or before ``expires``), every ``fail`` or
``error`` finding it matches becomes ``waived``, carries the waiver's reason, owner and expiry
in ``Finding.waiver``, leaves the score and does not fail the run. An expired waiver stops
applying and a note says so; a waiver that matches nothing is reported in the notes too, so
the file does not silently rot.

```yaml
waivers:
  - check: backup_system_has_copy
    asset: "legacy-*"
    reason: Being decommissioned in March; data exported to the archive.
    owner: it-operations@example.gov.uk
    expires: 2027-03-31
```
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path

from pydantic import Field, field_validator

from resilience.engine.interface import Finding
from resilience.engine.report import Report
from resilience.model import Status
from resilience.model.estate import Strict
from resilience.yamlfile import load_yaml, validate_document

WAIVABLE = frozenset({Status.FAIL, Status.ERROR})


class Waiver(Strict):
    """One accepted risk."""

    check: str = Field(pattern=r"^[a-z][a-z0-9_]+$", description="The check id.")
    asset: str = Field(min_length=1, description="An asset id, or a glob pattern such as 'legacy-*'.")
    reason: str = Field(min_length=1, description="Why the risk is accepted.")
    owner: str = Field(min_length=1, description="Who accepted it and will revisit it.")
    expires: date = Field(description="The last day the waiver applies (ISO date).")

    @field_validator("reason", "owner", "asset")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be blank")
        return v.strip()

    def matches(self, finding: Finding) -> bool:
        return finding.check_id == self.check and fnmatchcase(finding.asset_id, self.asset)


class WaiverFile(Strict):
    """The waivers file (``resilience schema`` does not cover it; this model is the contract)."""

    version: int = Field(1, description="File format version.")
    waivers: list[Waiver] = Field(default_factory=list)


@dataclass(frozen=True)
class LocatedWaiver:
    """A waiver with the file and line it was written on, for notes."""

    waiver: Waiver
    file: str
    line: int | None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


def load_waivers(path: Path | str) -> list[LocatedWaiver]:
    """Read and validate a waivers file (InputError with file and line when it is wrong)."""
    doc = load_yaml(path)
    parsed = validate_document(WaiverFile, doc, what="a waivers file (waivers: [...])")
    return [LocatedWaiver(w, doc.path, doc.line_of(("waivers", i)))
            for i, w in enumerate(parsed.waivers)]


def _stamp(w: Waiver) -> str:
    return f"{w.reason} (owner: {w.owner}; until {w.expires.isoformat()})"


def apply_waivers(report: Report, waivers: list[LocatedWaiver],
                  today: date | None = None) -> Report:
    """A copy of ``report`` with matching findings waived, the summary redone, and notes added.

    ``today`` defaults to the report's as-of date, so ``--as-of`` also judges waiver expiry."""
    today = today or report.as_of.date()
    ran = {m.id for m in report.checks}
    active = [lw for lw in waivers if lw.waiver.expires >= today]
    expired = [lw for lw in waivers if lw.waiver.expires < today]
    used: dict[int, int] = {}
    findings: list[Finding] = []
    for f in report.findings:
        if f.status in WAIVABLE:
            hit = next((lw for lw in active if lw.waiver.matches(f)), None)
            if hit is not None:
                used[id(hit)] = used.get(id(hit), 0) + 1
                f = f.model_copy(update={"status": Status.WAIVED, "waiver": _stamp(hit.waiver)})
        findings.append(f)
    notes: list[str] = []
    for lw in expired:
        w = lw.waiver
        again = sum(1 for f in findings if f.status in WAIVABLE and w.matches(f))
        tail = (f"{again} finding(s) it covered count again" if again
                else "it matches no failing finding; remove it")
        notes.append(f"Waiver expired on {w.expires.isoformat()} ({lw.where}, owner {w.owner}): "
                     f"{w.check} on '{w.asset}' no longer applies; {tail}.")
    not_run = [lw for lw in active if lw.waiver.check not in ran]
    for lw in active:
        if lw.waiver.check in ran and id(lw) not in used:
            w = lw.waiver
            notes.append(f"Waiver ({lw.where}) for {w.check} on '{w.asset}' matches no failing "
                         "finding; remove it or correct the check id or asset pattern.")
    if not_run:
        listed = ", ".join(f"{lw.waiver.check} ({lw.where})" for lw in not_run)
        notes.append(f"{len(not_run)} waiver(s) name checks that did not run (unknown id, "
                     f"skipped or not selected): {listed}.")
    waived = sum(used.values())
    if waived:
        notes.append(f"{waived} finding(s) waived as accepted risks by {len(used)} waiver(s).")
    return report.with_findings(findings, notes)
