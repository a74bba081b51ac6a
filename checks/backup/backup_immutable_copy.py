"""Tiers that require it have a copy nobody can delete or shorten before it expires."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import (
    copy_facts,
    judge_any,
    tiered_systems,
)

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupImmutableCopy(Check):
    meta = CheckMeta(
        id="backup_immutable_copy",
        title="An immutable backup copy exists",
        domain=Domain.BACKUP,
        severity=Severity.CRITICAL,
        rationale=(
            "Attackers go after backups first. The ICO found that Hackney's attackers deleted "
            "about a tenth of its backups, SEPA's online backups were corrupted early in the "
            "attack, and Travelex's attackers reportedly deleted backup files. A copy under a "
            "compliance-mode lock (AWS Backup Vault Lock, a locked Azure immutable vault, WORM "
            "or object-lock storage) cannot be deleted or shortened even with administrator "
            "rights. A governance-mode or unlocked setting can be lifted by an administrator, "
            "so it does not count."
        ),
        remediation=(
            "Send at least one copy of the system to storage locked in compliance mode, with a "
            "retention at least the tier's minimum."
        ),
        remediation_steps={
            Hosting.AWS: (
                "Lock the vault in compliance mode: `aws backup "
                "put-backup-vault-lock-configuration --backup-vault-name <vault> "
                "--min-retention-days 35 --changeable-for-days 3`."
            ),
            Hosting.AZURE: (
                "Enable and lock vault immutability: `az backup vault update --resource-group <rg> "
                "--name <vault> --immutability-state Locked` (Backup vaults: `az dataprotection "
                "backup-vault update ... --immutability-state Locked`)."
            ),
            Hosting.ONPREM: (
                "Write a copy to an immutable repository (hardened Linux repository, object "
                "storage with object lock in compliance mode, or WORM media)."
            ),
        },
        lessons=["hackney-2020", "sepa-2020", "travelex-2019", "ncsc-cloud-backup-principles"],
        frameworks=FrameworkRefs(caf=["B5.c"], nist_csf=["PR.DS-11"], cis=["11.3", "11.4"],
                                 iso27001=["A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        facts = copy_facts(ctx)
        for t in tiered_systems(ctx):
            if t.tier.immutable_copy:
                yield judge_any(self, ctx, t.system, t.copies, facts.immutable,
                                "an immutable copy")
