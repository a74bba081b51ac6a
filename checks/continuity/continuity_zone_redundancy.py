"""Cloud systems in tiers that require it run across availability zones."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class ContinuityZoneRedundancy(Check):
    meta = CheckMeta(
        id="continuity_zone_redundancy",
        title="Critical cloud systems are zone-redundant",
        domain=Domain.CONTINUITY,
        severity=Severity.MEDIUM,
        rationale=(
            "A cloud region is several data centres; a system pinned to one of them is as "
            "single-site as a server room. Copeland's benefits kept running because they did "
            "not share a site with the rest of the estate."
        ),
        remediation=(
            "Run systems of tiers with zone_redundancy: true in at least two availability "
            "zones (or on a zone-redundant service tier)."
        ),
        remediation_steps={
            Hosting.AWS: "RDS: aws rds modify-db-instance --multi-az; EC2: an Auto Scaling "
                         "group across two or more subnets in different AZs",
            Hosting.AZURE: "Use zone-redundant SKUs (ZRS storage, zone-redundant SQL, VM scale "
                           "sets or VMs in zones 1-3 behind a zone-redundant load balancer)",
        },
        lessons=["copeland-2017"],
        frameworks=FrameworkRefs(caf=["B5.b"], nist_csf=["PR.IR-03"], iso27001=["A.8.14"]),
        needs=[DataKind.SYSTEMS],
        applies_to=[Hosting.AWS, Hosting.AZURE],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for system in ctx.estate.systems:
            if system.hosting not in (Hosting.AWS, Hosting.AZURE):
                continue
            tier = ctx.tier_policy(system)
            if tier is None or not tier.zone_redundancy:
                continue
            zones = sorted(set(system.zones))
            if system.zone_redundant is True or len(zones) >= 2:
                where = f" ({', '.join(zones)})" if zones else ""
                yield self.passed(ctx, system, f"Runs across availability zones{where}.")
            elif system.zone_redundant is False:
                where = f" ({zones[0]})" if zones else ""
                yield self.failed(ctx, system, f"Runs in one availability zone{where}; its tier "
                                  "requires zone redundancy.")
            else:
                yield self.errored(ctx, system, "Whether it is zone-redundant is not known.")
