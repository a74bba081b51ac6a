"""Cloud systems in tiers that require it have a copy in another region."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import (
    CLOUD,
    Outcome,
    judge_any,
    not_recorded,
    tiered_systems,
)

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import BackupCopy, DataKind, Domain, Hosting, Severity, System


def other_region(copy: BackupCopy, system: System) -> Outcome:
    if copy.region is None:
        return not_recorded("its region")
    if copy.region == system.region:
        return Outcome(False, f"kept in '{copy.region}', the system's own region")
    return Outcome(True, f"kept in '{copy.region}'")


class BackupCrossRegionCopy(Check):
    meta = CheckMeta(
        id="backup_cross_region_copy",
        title="Cloud backups are copied to another region",
        domain=Domain.BACKUP,
        severity=Severity.MEDIUM,
        rationale=(
            "A copy in the same cloud region goes down with that region, whatever the cause. "
            "Hackney's and Copeland's services survived where they did not share a single "
            "location with what was lost. AWS Backup Audit Manager's "
            "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION control and Azure's cross-region restore "
            "cover the same need. On-premises systems are judged by backup_offsite_copy instead, "
            "because a data centre has a site, not a region."
        ),
        remediation="Copy the system's backups to a vault in another region.",
        remediation_steps={
            Hosting.AWS: (
                "Add a `CopyActions` entry with a `DestinationBackupVaultArn` in another Region "
                "to the backup plan rule (`aws backup update-backup-plan`)."
            ),
            Hosting.AZURE: (
                "`az backup vault backup-properties set --name <vault> --resource-group <rg> "
                "--backup-storage-redundancy GeoRedundant --cross-region-restore-flag true`."
            ),
        },
        lessons=["hackney-2020", "copeland-2017"],
        frameworks=FrameworkRefs(caf=["B5.c", "B5.b"], nist_csf=["PR.DS-11", "PR.IR-03"],
                                 cis=["11.4"], iso27001=["A.8.13", "A.8.14"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
        applies_to=list(CLOUD),
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for t in tiered_systems(ctx):
            system = t.system
            if not t.tier.cross_region_copy or system.hosting not in self.meta.applies_to:
                continue
            if system.region is None:
                yield self.errored(ctx, system,
                                   "Cannot judge: the system's region is not recorded.")
                continue
            yield judge_any(self, ctx, system, t.copies,
                            lambda c, system=system: other_region(c, system),
                            "a copy in another region", anywhere=True)
