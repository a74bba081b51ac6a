"""Deleting a backup copy needs a second person, can be undone, or is impossible."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import (
    any_of,
    copy_facts,
    fact,
    judge_copy,
    tiered_restorable_copies,
)

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupDeletionNeedsApproval(Check):
    meta = CheckMeta(
        id="backup_deletion_needs_approval",
        title="Deleting a backup needs a second person or can be undone",
        domain=Domain.BACKUP,
        severity=Severity.HIGH,
        rationale=(
            "The ICO found that Hackney's attackers deleted about a tenth of its backups before "
            "the council intervened, and Travelex's attackers reportedly deleted backup files. "
            "A deletion that needs a second approver (AWS multi-party approval, Azure "
            "multi-user authorisation with a Resource Guard, four-eyes approval in the backup "
            "product), or that lands in a recycle bin (soft delete), gives defenders time to "
            "notice. AWS Backup Audit Manager checks BACKUP_RECOVERY_POINT_MANUAL_DELETION_"
            "DISABLED; the NCSC asks that backups resist destructive actions. Immutable and "
            "offline copies pass, since they cannot be deleted remotely at all."
        ),
        remediation=(
            "Turn on soft delete (always-on where offered) and require a second approver for "
            "deleting backups or shortening retention."
        ),
        remediation_steps={
            Hosting.AWS: (
                "Deny `backup:DeleteRecoveryPoint` in the vault access policy (`aws backup "
                "put-backup-vault-access-policy`), or lock the vault; use multi-party approval "
                "for air-gapped vaults."
            ),
            Hosting.AZURE: (
                "`az backup vault update --resource-group <rg> --name <vault> "
                "--soft-delete-state AlwaysON`, and protect the vault with a Resource Guard (MUA)."
            ),
            Hosting.ONPREM: (
                "Enable the backup product's four-eyes authorisation and recycle bin (for example "
                "Veeam four-eyes authorisation, Rubrik or Cohesity quorum approval)."
            ),
        },
        lessons=["hackney-2020", "travelex-2019", "ncsc-cloud-backup-principles"],
        frameworks=FrameworkRefs(caf=["B5.c", "B2.c"], nist_csf=["PR.DS-11", "PR.AA-05"],
                                 cis=["11.3"], iso27001=["A.8.13", "A.8.2"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        facts = copy_facts(ctx)
        for copy in tiered_restorable_copies(ctx):
            test = any_of(
                fact(copy.deletion_approval, "deleting it needs a second approver",
                     "one person can delete it", "whether deletion needs approval"),
                fact(copy.soft_delete, "deleted data is kept in soft delete", "no soft delete",
                     "whether soft delete is on"),
                facts.immutable(copy),
                facts.offline(copy),
            )
            yield judge_copy(self, ctx, copy, test)
