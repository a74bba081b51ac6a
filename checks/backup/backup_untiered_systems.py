"""Systems that belong to no service have a recovery tier of their own."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import backed_up_by_us

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupUntieredSystems(Check):
    meta = CheckMeta(
        id="backup_untiered_systems",
        title="Systems outside any service have a recovery tier",
        domain=Domain.BACKUP,
        severity=Severity.MEDIUM,
        rationale=(
            "A system with no tier has no recovery target, so every tier-driven backup check "
            "skips it and nobody notices that it is unprotected. Atlanta lost more than a third "
            "of its 424 programs, and the lesson drawn is an inventory with criticality ratings "
            "so the impact is known at once; Redcar restored in an order set by service need, "
            "which works best when agreed before an incident. This check lists systems that no "
            "service claims and that have no tier of their own; systems used by a service are "
            "covered by backup_service_systems_tiered. With `default_tier` set in the policy, "
            "untiered systems are held to that tier and pass."
        ),
        remediation=(
            "Give the system a tier, or map it to the business service it supports; if it "
            "supports nothing, plan to retire it."
        ),
        remediation_steps={
            Hosting.AWS: (
                "Tag it: `aws resourcegroupstaggingapi tag-resources --resource-arn-list <arn> "
                "--tags resilience:tier=2,resilience:service=<service>`."
            ),
            Hosting.AZURE: (
                "Tag it: `az tag update --resource-id <id> --operation Merge --tags "
                "resilience:tier=2 resilience:service=<service>`."
            ),
            Hosting.ONPREM: "Set `tier:` on the system, or list it under a service's `systems:`.",
        },
        lessons=["atlanta-2018", "redcar-2020"],
        frameworks=FrameworkRefs(caf=["A3.a"], nist_csf=["ID.AM-05", "ID.AM-02"], cis=["1.1"],
                                 iso27001=["A.5.9"]),
        needs=[DataKind.SYSTEMS, DataKind.SERVICES],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        default = ctx.policy.default_tier
        for system in ctx.estate.systems:
            if not backed_up_by_us(system) or ctx.estate.services_by_system.get(system.id):
                continue
            if system.tier is not None:
                yield self.passed(ctx, system, f"Tier {system.tier}.")
            elif default is not None:
                yield self.passed(ctx, system, f"No tier of its own; held to the policy's "
                                  f"default tier {default}.")
            else:
                yield self.failed(ctx, system, "No tier, and no service uses it: no backup "
                                  "requirement applies to it.")
