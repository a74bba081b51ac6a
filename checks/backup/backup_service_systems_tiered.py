"""Systems that hold data for a business service get a recovery tier from it or their own."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import backed_up_by_us

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupServiceSystemsTiered(Check):
    meta = CheckMeta(
        id="backup_service_systems_tiered",
        title="Every system with data in a service has a tier",
        domain=Domain.BACKUP,
        severity=Severity.MEDIUM,
        rationale=(
            "Recovery targets come from the business: how long each service can be down and how "
            "much data it can lose. After the attack Hackney named revenues and benefits, social "
            "care and planning as the systems to bring back first; Atlanta's lesson is an "
            "inventory with criticality ratings; Redcar restored by service need. A "
            "system that a service relies on, where neither it nor any of its services has a "
            "tier, escapes every backup requirement."
        ),
        remediation=(
            "Give the service a tier from the business impact analysis (or give the system one), "
            "so its RPO, RTO and copy requirements apply."
        ),
        remediation_steps={
            Hosting.AWS: (
                "Tag the resource: `aws resourcegroupstaggingapi tag-resources "
                "--resource-arn-list <arn> --tags resilience:tier=1`."
            ),
            Hosting.AZURE: (
                "Tag the resource: `az tag update --resource-id <id> --operation Merge --tags "
                "resilience:tier=1`."
            ),
            Hosting.ONPREM: "Set `tier:` on the service (or the system) in the estate file.",
        },
        lessons=["hackney-2020", "atlanta-2018", "redcar-2020"],
        frameworks=FrameworkRefs(caf=["A3.a", "B5.a"], nist_csf=["ID.AM-05", "GV.OC-04"],
                                 cis=["1.1", "11.1"], iso27001=["A.5.9", "A.5.30"]),
        needs=[DataKind.SYSTEMS, DataKind.SERVICES],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        default = ctx.policy.default_tier
        for system in ctx.estate.systems:
            services = ctx.estate.services_by_system.get(system.id, [])
            if not backed_up_by_us(system) or not services:
                continue
            tier = ctx.tier_of(system)
            if (tier is not None or default is not None) and not ctx.keep_passes:
                yield self.passed(ctx, system, "")  # only counted: no need to name its services
                continue
            names = ", ".join(f"'{s.id}'" for s in services[:3])
            if tier is not None:
                yield self.passed(ctx, system, f"Tier {tier} (used by {names}).")
            elif default is not None:
                yield self.passed(ctx, system, f"Used by {names}, none tiered; held to the "
                                  f"policy's default tier {default}.")
            else:
                yield self.failed(ctx, system, f"Used by {names}, but neither it nor any of its "
                                  "services has a tier.")
