"""An incident-response plan and a business-continuity or recovery plan exist."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.continuity._services import plan_kind

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity

INCIDENT_RESPONSE = {"incident-response", "cyber-incident-response", "incident-management"}
CONTINUITY = {"business-continuity", "disaster-recovery", "recovery", "it-disaster-recovery",
              "continuity"}


class ContinuityPlanExists(Check):
    meta = CheckMeta(
        id="continuity_plan_exists",
        title="Incident-response and continuity plans exist",
        domain=Domain.CONTINUITY,
        severity=Severity.CRITICAL,
        rationale=(
            "The first hours decide how bad it gets: who isolates what, who calls the insurer "
            "and the ICO within 72 hours, which services come back first. SEPA's plan was "
            "unreachable and unpractised; the HSE's review found no incident response had been "
            "triggered by weeks of alerts. CISA's guide starts with creating these plans."
        ),
        remediation=(
            "Write an incident-response plan (roles, containment, breach reporting, "
            "communications) and a business-continuity or disaster-recovery plan (restore "
            "order, fallbacks), and record them in the estate's plans."
        ),
        lessons=["sepa-2020", "hse-2021", "cisa-stopransomware", "ico-breach-reporting"],
        frameworks=FrameworkRefs(caf=["D1.a"], nist_csf=["ID.IM-04", "RC.RP-01"],
                                 cis=["17.4", "11.1"], iso27001=["A.5.24", "A.5.29"]),
        needs=[DataKind.PLANS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        kinds = {plan_kind(p.kind) for p in ctx.estate.plans}
        missing = []
        if not kinds & INCIDENT_RESPONSE:
            missing.append("incident-response")
        if not kinds & CONTINUITY:
            missing.append("business-continuity or disaster-recovery")
        if not missing:
            yield self.passed(ctx, ctx.estate, f"Plans recorded: {', '.join(sorted(kinds))}.")
        elif gap := ctx.gap_reason(DataKind.PLANS):
            yield self.errored(ctx, ctx.estate, f"No {' or '.join(missing)} plan found, but not "
                               f"every plan was read: {gap}.")
        else:
            yield self.failed(ctx, ctx.estate, f"No {' and no '.join(missing)} plan is recorded.")
