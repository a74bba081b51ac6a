"""Tiered cloud databases cannot be deleted in one step."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import CLOUD, backed_up_by_us

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity, SystemKind


class BackupDatabaseDeletionProtection(Check):
    meta = CheckMeta(
        id="backup_database_deletion_protection",
        title="Tiered cloud databases have deletion protection",
        domain=Domain.BACKUP,
        severity=Severity.MEDIUM,
        rationale=(
            "Destroying systems, not only encrypting them, is a way to stop recovery: the "
            "British Library's attackers destroyed servers specifically for that. In the cloud, "
            "deleting a managed database can also delete its automated backups. Deletion "
            "protection (or a delete lock) makes that a deliberate two-step act, in line with "
            "the NCSC's principle that backups resist destructive actions. On-premises "
            "databases have no such switch and are not judged here."
        ),
        remediation="Turn on deletion protection or a delete lock for the database.",
        remediation_steps={
            Hosting.AWS: (
                "`aws rds modify-db-instance --db-instance-identifier <id> --deletion-protection "
                "--apply-immediately` (clusters: `aws rds modify-db-cluster`); DynamoDB: "
                "`aws dynamodb update-table --table-name <t> --deletion-protection-enabled`."
            ),
            Hosting.AZURE: (
                "`az lock create --name no-delete --lock-type CanNotDelete --resource <id>`."
            ),
        },
        lessons=["british-library-2023", "ncsc-cloud-backup-principles"],
        frameworks=FrameworkRefs(caf=["B5.c", "B4.b"], nist_csf=["PR.DS-11", "PR.IR-03"],
                                 cis=["11.3", "4.1"], iso27001=["A.8.13", "A.8.9"]),
        needs=[DataKind.SYSTEMS],
        applies_to=list(CLOUD),
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for system in ctx.estate.systems:
            if (system.kind != SystemKind.DATABASE or system.hosting not in self.meta.applies_to
                    or not backed_up_by_us(system) or ctx.tier_policy(system) is None):
                continue
            if system.deletion_protection is None:
                yield self.errored(ctx, system, "Cannot judge: whether deletion protection is on "
                                   "is not recorded.")
            elif system.deletion_protection:
                yield self.passed(ctx, system, "Deletion protection is on.")
            else:
                yield self.failed(ctx, system, "Deletion protection is off: one API call or "
                                  "console click deletes it.")
