"""Evaluate a catalogue against an estate and a policy, failing closed on missing data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from resilience import __version__
from resilience.engine.interface import Check, CheckContext, Finding, make_finding
from resilience.engine.registry import Catalogue
from resilience.engine.report import EstateCounts, Report, summarise
from resilience.errors import UsageError
from resilience.model import Domain, Estate, Status
from resilience.model.timeutil import utcnow
from resilience.policy import Policy


@dataclass(frozen=True)
class Selection:
    """Which checks to run: by domain and/or id (empty means all)."""

    domains: frozenset[Domain] = field(default_factory=frozenset)
    check_ids: frozenset[str] = field(default_factory=frozenset)

    def choose(self, catalogue: Catalogue) -> list[Check]:
        unknown = self.check_ids - set(catalogue.checks)
        if unknown:
            raise UsageError(
                f"unknown check id(s): {', '.join(sorted(unknown))}; "
                "`resilience checks list` shows the catalogue"
            )
        return [
            c for c in catalogue
            if (not self.domains or c.meta.domain in self.domains)
            and (not self.check_ids or c.meta.id in self.check_ids)
        ]


def _missing_data(check: Check, ctx: CheckContext) -> list[Finding]:
    """Error findings for data the check needs that no source provided, or that a gap hides."""
    out: list[Finding] = []
    for kind in check.meta.needs:
        if not ctx.estate.provided(kind):
            out.append(make_finding(
                check.meta, ctx, ctx.estate, Status.ERROR,
                f"Cannot judge: no source in this estate provides {kind.value}.",
            ))
    seen: set[str] = set()
    for gap in ctx.estate.gaps:
        if set(gap.kinds) & set(check.meta.needs) and gap.scope not in seen:
            seen.add(gap.scope)
            f = make_finding(check.meta, ctx, ctx.estate, Status.ERROR,
                             f"Cannot judge {gap.scope}: {gap.reason}")
            out.append(f.model_copy(update={"asset_id": gap.scope, "asset_type": "collection-gap"}))
    return out


def evaluate_check(check: Check, ctx: CheckContext) -> list[Finding]:
    """Run one check; a crash becomes an error finding, never a silent pass."""
    findings = _missing_data(check, ctx)
    if any(f.asset_type == "estate" for f in findings):
        return findings
    try:
        findings.extend(check.evaluate(ctx))
    except Exception as exc:  # noqa: BLE001 - a broken check must not hide the others
        findings.append(make_finding(
            check.meta, ctx, ctx.estate, Status.ERROR,
            f"The check failed to run ({type(exc).__name__}: {exc}); its result is unknown.",
        ))
    return findings


def run_checks(estate: Estate, policy: Policy, checks: Iterable[Check],
               now: datetime | None = None, include_passes: bool = True) -> Report:
    """Evaluate ``checks`` and assemble the Report. Without ``include_passes`` passing results
    are counted per check but not listed (large estates: millions of passes help nobody)."""
    now = now or utcnow()
    ctx = CheckContext(estate=estate, policy=policy, now=now, keep_passes=include_passes)
    checks = list(checks)
    findings: list[Finding] = []
    omitted: dict[str, int] = {}
    by_tier: Counter[str] = Counter()
    for check in checks:
        results = evaluate_check(check, ctx)
        if include_passes:
            findings.extend(results)
            continue
        kept = []
        for f in results:
            if f.status == Status.PASS:
                by_tier["none" if f.tier is None else str(f.tier)] += 1
            else:
                kept.append(f)
        omitted[check.meta.id] = len(results) - len(kept)
        findings.extend(kept)
    counts = estate.summary()
    return Report(
        tool_version=__version__,
        generated_at=utcnow(),
        as_of=now,
        organisation=estate.organisation,
        estate=EstateCounts(**counts),
        checks=[c.meta for c in checks],
        findings=findings,
        omitted_passes={k: v for k, v in omitted.items() if v},
        omitted_passes_by_tier=dict(sorted(by_tier.items())),
        gaps=list(estate.gaps),
        summary=summarise(findings, list(estate.gaps), [c.meta for c in checks], omitted),
    )
