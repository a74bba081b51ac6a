"""The identity system itself has an attack-proof, isolated, restore-tested backup."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import (
    Outcome,
    all_of,
    backed_up_by_us,
    fact,
    isolation,
    judge_any,
    most_critical_tier,
    recent,
    restorable_copies,
    survives_attack,
)

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import BackupCopy, DataKind, Domain, Hosting, Severity, System, SystemKind


class BackupDirectoryRecoverable(Check):
    meta = CheckMeta(
        id="backup_directory_recoverable",
        title="The directory has an isolated, attack-proof, restore-tested backup",
        domain=Domain.BACKUP,
        severity=Severity.CRITICAL,
        rationale=(
            "Nothing else can be restored until identity is back. Maersk had about 150 domain "
            "controllers replicating with each other and no offline backup of any; it rebuilt "
            "Active Directory only because one controller in Ghana happened to be offline after a "
            "power cut. The HSE's attackers probably reached Active Directory through an "
            "unpatched flaw. A directory (Active Directory or another system of kind `directory`) "
            "needs a copy that is immutable, offline or air-gapped, deletable only from another "
            "trust domain, and restore-tested within the tier's interval. Directories with no "
            "tier are held to the most critical tier."
        ),
        remediation=(
            "Back up the system state of at least two domain controllers per domain to an "
            "immutable or offline repository that the domain's admins cannot delete, and "
            "rehearse a forest recovery in an isolated network."
        ),
        remediation_steps={
            Hosting.ONPREM: (
                "Run `wbadmin start systemstatebackup` (or the backup product's AD job) to a "
                "non-domain immutable repository; test with the Microsoft AD forest recovery "
                "guide in an isolated network."
            ),
            Hosting.AWS: (
                "Back up the domain controller instances to a locked vault in a separate backup "
                "account, and restore-test them into an isolated VPC."
            ),
            Hosting.AZURE: (
                "Back up the domain controller VMs to a locked immutable vault protected by a "
                "Resource Guard in another tenant, and restore-test into an isolated VNet."
            ),
        },
        lessons=["maersk-2017", "hse-2021"],
        frameworks=FrameworkRefs(caf=["B5.c", "B2.a"], nist_csf=["PR.DS-11", "PR.AA-01"],
                                 cis=["11.4", "11.5"], iso27001=["A.8.13", "A.5.16"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for system in ctx.estate.systems:
            if system.kind != SystemKind.DIRECTORY or not backed_up_by_us(system):
                continue  # a SaaS identity provider is judged by the identity and supplier checks
            tier = ctx.tier_policy(system) or most_critical_tier(ctx)
            limit = tier.restore_test_max_age

            def qualifies(copy: BackupCopy, system: System = system, limit=limit) -> Outcome:
                return all_of(
                    survives_attack(copy),
                    isolation(copy, system),
                    recent(ctx, copy.last_restore_test, limit, "last restore test"),
                    fact(copy.restore_test_passed, "the test passed", "the test failed",
                         "the restore test result"),
                )

            yield judge_any(self, ctx, system, restorable_copies(ctx, system), qualifies,
                            "an isolated, attack-proof, restore-tested copy", anywhere=True)
