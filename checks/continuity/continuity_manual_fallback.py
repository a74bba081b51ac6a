"""Services in tiers that require it have a documented manual fallback."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.continuity._services import service_policy

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity


class ContinuityManualFallback(Check):
    meta = CheckMeta(
        id="continuity_manual_fallback",
        title="Critical services have a manual fallback",
        domain=Domain.CONTINUITY,
        severity=Severity.HIGH,
        rationale=(
            "Restores take days to months; people still need paying, caring for and answering "
            "in the meantime. Maersk handled about 80% of its business by hand, Norsk Hydro ran "
            "plants manually, and Hackney paid housing benefit within a week on workarounds. "
            "Colonial Pipeline's regulator found it had not planned for manual operation."
        ),
        remediation=(
            "Write down, for every service in a tier with manual_fallback: true, how it keeps "
            "going without IT (paper forms, phone scripts, a stand-alone cloud form), who runs "
            "it and where the materials are kept."
        ),
        lessons=["maersk-2017", "norsk-hydro-2019", "hackney-2020", "colonial-2021"],
        frameworks=FrameworkRefs(caf=["D1.b", "B5.a"], nist_csf=["PR.IR-03", "RC.RP-02"],
                                 iso27001=["A.5.29", "A.5.30"]),
        needs=[DataKind.SERVICES],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for service in ctx.estate.services:
            tier = service_policy(ctx, service)
            if tier is None or not tier.manual_fallback:
                continue
            if service.manual_fallback is not None:
                yield self.passed(ctx, service, "Manual fallback: "
                                  f"{service.manual_fallback.description}")
            else:
                yield self.failed(ctx, service, f"Tier '{tier.name}' requires a manual fallback, "
                                  "and none is recorded.")
