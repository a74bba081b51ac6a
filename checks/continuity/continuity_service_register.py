"""Every service in the register has a tier, an owner, its systems and a recovery time."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity


class ContinuityServiceRegister(Check):
    meta = CheckMeta(
        id="continuity_service_register",
        title="Every service has a tier, an owner, systems and an RTO",
        domain=Domain.CONTINUITY,
        severity=Severity.HIGH,
        rationale=(
            "Restoring in the right order needs a list agreed before the attack: which service "
            "matters most, who owns it, which systems it needs and how long it can be down. "
            "Redcar restored by service need; Atlanta took more than a third of 424 programs "
            "offline and had to work out which mattered; Hackney had to name Academy, Mosaic "
            "and M3 as its priorities mid-crisis. CISA asks for a critical-asset list."
        ),
        remediation=(
            "Complete the service register: for each service record its tier, a named owner, "
            "the systems it runs on and its RTO (from the tier or its own)."
        ),
        lessons=["redcar-2020", "atlanta-2018", "hackney-2020", "cisa-stopransomware"],
        frameworks=FrameworkRefs(caf=["A3.a", "A1.b"], nist_csf=["GV.OC-04", "ID.AM-05"],
                                 cis=["1.1"], iso27001=["A.5.9"]),
        needs=[DataKind.SERVICES],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for service in ctx.estate.services:
            missing = []
            if service.tier is None:
                missing.append("tier")
            if not (service.owner and service.owner.strip()):
                missing.append("owner")
            if not service.systems:
                missing.append("systems")
            tier = ctx.policy.tier(service.tier)
            if service.rto is None and (service.tier is None or tier is None):
                missing.append("RTO")
            if missing:
                yield self.failed(ctx, service, f"The register lacks its {', '.join(missing)}.")
            else:
                yield self.passed(ctx, service, f"Tier {service.tier}, owner {service.owner}, "
                                  f"{len(service.systems)} system(s).")
