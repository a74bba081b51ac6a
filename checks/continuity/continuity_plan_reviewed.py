"""Plans have been reviewed within the policy's maximum age."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.continuity._services import age_text

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity


class ContinuityPlanReviewed(Check):
    meta = CheckMeta(
        id="continuity_plan_reviewed",
        title="Plans are reviewed",
        domain=Domain.CONTINUITY,
        severity=Severity.MEDIUM,
        rationale=(
            "Plans go stale as systems, suppliers and people change: contact numbers, restore "
            "orders and decision-makers drift. SEPA's plan was known only to a few senior "
            "managers; the British Library's review asks for continuity plans to be kept "
            "current and practised."
        ),
        remediation=(
            "Review every plan at least every continuity.plan_review_max_age and after every "
            "major change or incident; record the date."
        ),
        lessons=["sepa-2020", "british-library-2023"],
        frameworks=FrameworkRefs(caf=["D1.a"], nist_csf=["ID.IM-04"], cis=["17.4"],
                                 iso27001=["A.5.24"]),
        needs=[DataKind.PLANS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        limit = ctx.policy.continuity.plan_review_max_age
        for plan in ctx.estate.plans:
            if plan.last_reviewed is None:
                yield self.errored(ctx, plan, "When it was last reviewed is not recorded.")
                continue
            age = ctx.now - plan.last_reviewed
            if age > limit:
                yield self.failed(ctx, plan, f"Last reviewed {age_text(age)} ago; the limit is "
                                  f"{age_text(limit)}.")
            else:
                yield self.passed(ctx, plan, f"Reviewed {age_text(age)} ago.")
