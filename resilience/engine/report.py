"""The Report: findings, collection gaps, a readiness score and summaries, as one JSON contract."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from pydantic import Field

from resilience.engine.interface import CheckMeta, Finding
from resilience.frameworks_view import FrameworkView
from resilience.model import CollectionGap, Domain, Organisation, Severity, Status
from resilience.model.estate import Strict

REPORT_SCHEMA_VERSION = 1
SEVERITY_WEIGHT = {
    Severity.CRITICAL: 10, Severity.HIGH: 5, Severity.MEDIUM: 3, Severity.LOW: 1, Severity.INFO: 0,
}


class Summary(Strict):
    """Counts a reader or a script wants first."""

    total: int
    by_status: dict[Status, int]
    by_domain: dict[Domain, dict[Status, int]]
    failed_by_severity: dict[Severity, int]
    score: int = Field(ge=0, le=100, description="Readiness: severity-weighted share of passes.")
    complete: bool = Field(description="False when any collection gap or error result exists.")


class EstateCounts(Strict):
    services: int
    systems: int
    backups: int
    accounts: int
    gaps: int


class Report(Strict):
    """The result of one check run."""

    schema_version: int = REPORT_SCHEMA_VERSION
    tool_version: str
    generated_at: datetime
    as_of: datetime
    organisation: Organisation
    estate: EstateCounts
    checks: list[CheckMeta]
    findings: list[Finding]
    omitted_passes: dict[str, int] = Field(
        default_factory=dict,
        description="Passing results counted but not listed, by check id (list them with "
        "--include-passes). Summaries and scores include them.",
    )
    omitted_passes_by_tier: dict[str, int] = Field(
        default_factory=dict,
        description="The same unlisted passes by recovery tier ('1', '2', ... or 'none').",
    )
    omitted_passes_by_service: dict[str, int] = Field(
        default_factory=dict,
        description="The same unlisted passes by business service id: a pass about a system "
        "counts under every service it serves, as a finding is listed under each.",
    )
    gaps: list[CollectionGap]
    summary: Summary
    notes: list[str] = Field(default_factory=list, description="Waiver and baseline notices.")
    framework: FrameworkView | None = Field(
        None, description="Results per control of one framework, when --framework was asked.")

    def failing(self, at_least: Severity = Severity.INFO) -> list[Finding]:
        return [f for f in self.findings if f.status == Status.FAIL and f.severity >= at_least]

    def with_findings(self, findings: list[Finding], notes: list[str] | None = None) -> Report:
        """A copy with changed findings (waivers, baselines) and a recomputed summary and view."""
        report = self.model_copy(update={
            "findings": findings,
            "notes": self.notes + (notes or []),
            "summary": summarise(findings, self.gaps, self.checks, self.omitted_passes),
        })
        return report.with_framework(self.framework.framework) if self.framework else report

    def with_framework(self, framework: str | None) -> Report:
        """A copy that carries the view of ``framework`` (caf, nist_csf, cis, iso27001)."""
        if framework is None:
            return self
        from resilience.frameworks_view import framework_view

        return self.model_copy(update={"framework": framework_view(self, framework)})


def score(findings: list[Finding], omitted: list[tuple[CheckMeta, int]] = ()) -> int:
    """Severity-weighted share of passing results; errors count against (fail closed)."""
    return _score(Counter((f.severity, f.status) for f in findings), omitted)


def _score(counts: Counter[tuple[Severity, Status]], omitted: list[tuple[CheckMeta, int]]) -> int:
    """``score`` from the number of findings of each severity and status."""
    total = passed = 0
    for (severity, status), n in counts.items():
        if status == Status.WAIVED:
            continue
        total += SEVERITY_WEIGHT[severity] * n
        if status == Status.PASS:
            passed += SEVERITY_WEIGHT[severity] * n
    for meta, count in omitted:
        total += SEVERITY_WEIGHT[meta.severity] * count
        passed += SEVERITY_WEIGHT[meta.severity] * count
    return 100 if total == 0 else round(100 * passed / total)


def summarise(findings: list[Finding], gaps: list[CollectionGap], checks: list[CheckMeta] = (),
              omitted_passes: dict[str, int] | None = None) -> Summary:
    """Build the summary block from findings, passes counted but not listed, and gaps."""
    metas = {m.id: m for m in checks}
    omitted = [(metas[cid], n) for cid, n in (omitted_passes or {}).items() if n]
    # One pass over the findings (a large estate lists hundreds of thousands).
    counts = Counter((f.domain, f.status, f.severity) for f in findings)
    by_status: Counter[Status] = Counter()
    by_domain: dict[Domain, dict[Status, int]] = {
        d: {s: 0 for s in Status} for d in Domain
    }
    weighed: Counter[tuple[Severity, Status]] = Counter()
    failed: Counter[Severity] = Counter()
    for (domain, status, severity), n in counts.items():
        by_status[status] += n
        by_domain[domain][status] += n
        weighed[severity, status] += n
        if status == Status.FAIL:
            failed[severity] += n
    for meta, n in omitted:
        by_status[Status.PASS] += n
        by_domain[meta.domain][Status.PASS] += n
    return Summary(
        total=sum(by_status.values()),
        by_status={s: by_status.get(s, 0) for s in Status},
        by_domain=by_domain,
        failed_by_severity={s: failed.get(s, 0) for s in Severity},
        score=_score(weighed, omitted),
        complete=not gaps and by_status.get(Status.ERROR, 0) == 0,
    )
