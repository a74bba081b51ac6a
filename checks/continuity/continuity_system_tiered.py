"""Every system has a tier, its own or through the services it supports."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity


class ContinuitySystemTiered(Check):
    meta = CheckMeta(
        id="continuity_system_tiered",
        title="Every system is tiered or mapped to a service",
        domain=Domain.CONTINUITY,
        severity=Severity.MEDIUM,
        rationale=(
            "A system with no tier and no service is judged by no recovery rule: nobody has "
            "said how fast it must come back or whether it needs an immutable backup. Atlanta "
            "could not say at once which of its 424 programs were mission-critical; CISA's "
            "guide asks for a critical-asset list that sets restoration priorities."
        ),
        remediation=(
            "Give the system a tier (tag resilience:tier, or tier: in the estate file) or list "
            "it under the services that use it; set default_tier in the policy to hold the "
            "remainder to a floor."
        ),
        lessons=["atlanta-2018", "cisa-stopransomware"],
        frameworks=FrameworkRefs(caf=["A3.a"], nist_csf=["ID.AM-02", "ID.AM-05"], cis=["1.1"],
                                 iso27001=["A.5.9"]),
        needs=[DataKind.SYSTEMS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        default = ctx.policy.default_tier
        for system in ctx.estate.systems:
            tier = ctx.tier_of(system)
            if tier is not None:
                yield self.passed(ctx, system, f"Tier {tier}.")
            elif default is not None:
                yield self.passed(ctx, system, f"No tier of its own; held to the policy's default "
                                  f"tier {default}.")
            else:
                yield self.failed(ctx, system, "No tier and no service: no recovery rule applies "
                                  "to it.")
