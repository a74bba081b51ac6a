"""Every service of the most critical tier is covered by a continuity or recovery plan."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.continuity._services import most_critical_tier, plan_kind

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity

_RESPONSE_ONLY = {"incident-response", "cyber-incident-response", "incident-management",
                  "communications"}


class ContinuityCriticalServicePlan(Check):
    meta = CheckMeta(
        id="continuity_critical_service_plan",
        title="Every tier-1 service is covered by a continuity plan",
        domain=Domain.CONTINUITY,
        severity=Severity.HIGH,
        rationale=(
            "A continuity plan that forgets a critical service leaves it to improvisation on the "
            "worst day. Hackney named its critical systems only after the attack; SEPA's plan "
            "could not be used. Each most-critical service needs a plan that says how it "
            "continues and how it is restored."
        ),
        remediation=(
            "Add the service to a business-continuity or disaster-recovery plan's covers list "
            "(an empty list means the plan covers all services)."
        ),
        lessons=["hackney-2020", "sepa-2020"],
        frameworks=FrameworkRefs(caf=["D1.a", "B5.a"], nist_csf=["ID.IM-04", "RC.RP-02"],
                                 iso27001=["A.5.29", "A.5.30"]),
        needs=[DataKind.SERVICES, DataKind.PLANS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        top = most_critical_tier(ctx)
        plans = [p for p in ctx.estate.plans if plan_kind(p.kind) not in _RESPONSE_ONLY]
        for service in ctx.estate.services:
            if service.tier != top:
                continue
            covering = [p.id for p in plans if not p.covers or service.id in p.covers]
            if covering:
                yield self.passed(ctx, service, f"Covered by {', '.join(covering)}.")
            elif gap := ctx.gap_reason(DataKind.PLANS):
                yield self.errored(ctx, service, f"No covering plan found, but not every plan was "
                                   f"read: {gap}.")
            else:
                yield self.failed(ctx, service, f"Tier {top} service covered by no continuity or "
                                  "recovery plan.")
