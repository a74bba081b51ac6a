"""Plans have been exercised within the policy's maximum age."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.continuity._services import age_text

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity


class ContinuityPlanExercised(Check):
    meta = CheckMeta(
        id="continuity_plan_exercised",
        title="Plans are exercised",
        domain=Domain.CONTINUITY,
        severity=Severity.HIGH,
        rationale=(
            "SEPA's incident response plan had never been exercised. The British Library's "
            "review lists practising business continuity plans among its lessons, and the NCSC "
            "asks for recovery steps to be exercised regularly. An exercise is how a plan's "
            "gaps are found before an attacker finds them."
        ),
        remediation=(
            "Exercise every plan (tabletop at least; a restore or fail-over for recovery plans) "
            "at least every continuity.plan_exercise_max_age and record the date and lessons."
        ),
        lessons=["sepa-2020", "british-library-2023", "ncsc-ransomware-guidance"],
        frameworks=FrameworkRefs(caf=["D1.c", "B5.a"], nist_csf=["ID.IM-04"], cis=["17.7"],
                                 iso27001=["A.5.24", "A.5.30"]),
        needs=[DataKind.PLANS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        limit = ctx.policy.continuity.plan_exercise_max_age
        for plan in ctx.estate.plans:
            if plan.last_exercised is None:
                yield self.errored(ctx, plan, "When it was last exercised is not recorded (if "
                                   "never, exercise it).")
                continue
            age = ctx.now - plan.last_exercised
            if age > limit:
                yield self.failed(ctx, plan, f"Last exercised {age_text(age)} ago; the limit is "
                                  f"{age_text(limit)}.")
            else:
                yield self.passed(ctx, plan, f"Exercised {age_text(age)} ago.")
