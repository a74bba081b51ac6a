"""Manual fallbacks have been exercised recently."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.continuity._services import age_text

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity


class ContinuityFallbackExercised(Check):
    meta = CheckMeta(
        id="continuity_fallback_exercised",
        title="Manual fallbacks are exercised",
        domain=Domain.CONTINUITY,
        severity=Severity.MEDIUM,
        rationale=(
            "A fallback nobody has tried is a hope: forms run out, phone lists are stale, staff "
            "do not know the steps. Colonial Pipeline's regulator alleged it had not prepared "
            "for manual shutdown and restart; Norsk Hydro kept plants running because people "
            "could operate them by hand."
        ),
        remediation=(
            "Exercise each manual fallback at least every continuity.fallback_exercise_max_age "
            "(a tabletop or a real half-day on paper) and record the date and lessons."
        ),
        lessons=["colonial-2021", "norsk-hydro-2019"],
        frameworks=FrameworkRefs(caf=["D1.c", "B5.a"], nist_csf=["ID.IM-04"], cis=["17.7"],
                                 iso27001=["A.5.30"]),
        needs=[DataKind.SERVICES],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        limit = ctx.policy.continuity.fallback_exercise_max_age
        for service in ctx.estate.services:
            fallback = service.manual_fallback
            if fallback is None:
                continue
            if fallback.last_exercised is None:
                yield self.errored(ctx, service, "A manual fallback is recorded but not when it "
                                   "was last exercised (if never, exercise it).")
                continue
            age = ctx.now - fallback.last_exercised
            if age > limit:
                yield self.failed(ctx, service, f"Manual fallback last exercised {age_text(age)} "
                                  f"ago; the limit is {age_text(limit)}.")
            else:
                yield self.passed(ctx, service, f"Manual fallback exercised {age_text(age)} ago.")
