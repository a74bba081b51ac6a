"""Tiers that require it have a copy whose delete rights sit in another trust domain."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import (
    copy_facts,
    judge_any,
    tiered_systems,
)

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupIsolatedCopy(Check):
    meta = CheckMeta(
        id="backup_isolated_copy",
        title="A backup copy cannot be deleted with the system's own credentials",
        domain=Domain.BACKUP,
        severity=Severity.CRITICAL,
        rationale=(
            "Ransomware crews take over the domain or the cloud account first, then use those "
            "rights to delete whatever backups they can reach: Hackney's attackers deleted about "
            "a tenth of its backups, and the British Library's destroyed servers specifically to "
            "stop recovery. The ICO found Capita had no Active Directory tiering to contain "
            "admin rights. A copy is isolated only when deleting it needs credentials from a trust "
            "domain (directory, cloud account, backup console) that the system is not part of. "
            "The NCSC's backup principles and CISA's guide both ask for this separation."
        ),
        remediation=(
            "Keep one copy where the production directory and the production account have no "
            "delete rights: a separate backup account or subscription, a backup console with "
            "its own non-domain accounts and MFA, or a third-party vault."
        ),
        remediation_steps={
            Hosting.AWS: (
                "Copy recovery points to a vault in a dedicated backup account (a plan rule "
                "`CopyActions` with `DestinationBackupVaultArn` in that account) or to a "
                "logically air-gapped vault."
            ),
            Hosting.AZURE: (
                "Protect the vault with a Resource Guard in another subscription or tenant "
                "(`az dataprotection resource-guard create`), or copy to a vault in a separate "
                "subscription administered by other identities."
            ),
            Hosting.ONPREM: (
                "Move the backup repository and console out of the production AD domain (local "
                "or separate-domain accounts with MFA) and record its trust domain."
            ),
        },
        lessons=["hackney-2020", "british-library-2023", "capita-2023",
                 "ncsc-cloud-backup-principles", "cisa-stopransomware"],
        frameworks=FrameworkRefs(caf=["B5.c", "B2.c"], nist_csf=["PR.DS-11", "PR.AA-05"],
                                 cis=["11.4", "11.3"], iso27001=["A.8.13", "A.8.2"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        facts = copy_facts(ctx)
        for t in tiered_systems(ctx):
            if t.tier.isolated_copy:
                yield judge_any(self, ctx, t.system, t.copies,
                                lambda c, system=t.system: facts.isolated(c, system),
                                "a copy in another trust domain", anywhere=True)
