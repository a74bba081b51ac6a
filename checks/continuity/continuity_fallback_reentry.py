"""Manual fallbacks say how the data they capture gets back into the system."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity


class ContinuityFallbackReentry(Check):
    meta = CheckMeta(
        id="continuity_fallback_reentry",
        title="Manual fallbacks have a re-entry plan",
        domain=Domain.CONTINUITY,
        severity=Severity.MEDIUM,
        rationale=(
            "Weeks of paper forms become a backlog that outlasts the outage. Hackney's digital "
            "team captured data in a form that could be merged back later, yet some housing "
            "processes ran on stopgaps for almost three years and council-tax arrears were "
            "expected to take four years to recover."
        ),
        remediation=(
            "For each manual fallback, record how captured data is keyed back in (format, who, "
            "in what order) and how the backlog is cleared."
        ),
        lessons=["hackney-2020"],
        frameworks=FrameworkRefs(caf=["D1.b"], nist_csf=["RC.RP-05"], iso27001=["A.5.29"]),
        needs=[DataKind.SERVICES],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for service in ctx.estate.services:
            fallback = service.manual_fallback
            if fallback is None:
                continue
            if fallback.reentry_plan and fallback.reentry_plan.strip():
                yield self.passed(ctx, service, f"Re-entry plan: {fallback.reentry_plan}")
            else:
                yield self.failed(ctx, service, "The manual fallback does not say how its data "
                                  "gets back into the system.")
