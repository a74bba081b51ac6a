"""Tiers that require it have an offline or logically air-gapped copy."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import (
    copy_facts,
    judge_any,
    tiered_systems,
)

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupOfflineCopy(Check):
    meta = CheckMeta(
        id="backup_offline_copy",
        title="An offline or logically air-gapped copy exists",
        domain=Domain.BACKUP,
        severity=Severity.HIGH,
        rationale=(
            "Anything connected can be reached. Maersk rebuilt its whole Active Directory from "
            "one domain controller in Ghana that a power cut had knocked offline before NotPetya "
            "struck. SEPA kept one offline copy under the 3-2-1 rule while its online backups "
            "were corrupted early in the attack. Atlanta lost police video that no one can "
            "recreate. The NCSC calls tested offline backups "
            "the most effective way to recover, and CISA asks for offline, encrypted backups. "
            "AWS Backup's logically air-gapped vaults (Audit Manager control "
            "RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT) meet the same aim in the cloud."
        ),
        remediation=(
            "Keep one copy disconnected from the network (rotated tape or removable media) or in "
            "a logically air-gapped vault held by the backup provider."
        ),
        remediation_steps={
            Hosting.AWS: (
                "`aws backup create-logically-air-gapped-backup-vault --backup-vault-name <name> "
                "--min-retention-days 7 --max-retention-days 365`, then add a `CopyActions` entry "
                "to it in the backup plan."
            ),
            Hosting.AZURE: (
                "Use a vaulted (not operational-tier) backup in a locked immutable vault protected "
                "by a Resource Guard in another tenant, or export to offline media."
            ),
            Hosting.ONPREM: (
                "Rotate tapes or removable disks that are ejected and stored disconnected; record "
                "the copy with `offline: true`."
            ),
        },
        lessons=["maersk-2017", "sepa-2020", "atlanta-2018", "ncsc-ransomware-guidance",
                 "cisa-stopransomware"],
        frameworks=FrameworkRefs(caf=["B5.c"], nist_csf=["PR.DS-11"], cis=["11.4"],
                                 iso27001=["A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        facts = copy_facts(ctx)
        for t in tiered_systems(ctx):
            if t.tier.offline_copy:
                yield judge_any(self, ctx, t.system, t.copies, facts.offline,
                                "an offline or air-gapped copy", anywhere=True)
