"""A replicated system also has a backup that keeps past versions."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import (
    backups_gap,
    replicas,
    tiered_systems,
)

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupReplicationNotBackup(Check):
    meta = CheckMeta(
        id="backup_replication_not_backup",
        title="Replication is not relied on as the backup",
        domain=Domain.BACKUP,
        severity=Severity.HIGH,
        rationale=(
            "Replication copies damage as faithfully as data. Maersk's roughly 150 domain "
            "controllers replicated with each other on the assumption that they would never all "
            "be lost at once; NotPetya wiped them all, and only one that happened to be offline "
            "survived. A replica, standby or mirror protects against hardware failure, not "
            "against encryption or deletion. Every replicated system also needs a point-in-time "
            "backup."
        ),
        remediation=(
            "Keep the replica for availability, and add a scheduled point-in-time backup of the "
            "system (snapshot, backup job or export) with its own retention."
        ),
        remediation_steps={
            Hosting.AWS: (
                "Add the primary (not only the read replica or replicated bucket) to an AWS Backup "
                "plan; for S3, turn on versioning and Object Lock as well as replication."
            ),
            Hosting.AZURE: (
                "Protect the primary with Azure Backup or point-in-time restore; geo-replication "
                "and Site Recovery are not backups."
            ),
            Hosting.ONPREM: (
                "Add a backup job for the system; for Active Directory, a system-state backup "
                "of domain controllers, not only another replica DC."
            ),
        },
        lessons=["maersk-2017"],
        frameworks=FrameworkRefs(caf=["B5.c"], nist_csf=["PR.DS-11"], cis=["11.2"],
                                 iso27001=["A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for t in tiered_systems(ctx):
            system, copies = t.system, t.copies
            mirrors = replicas(ctx, system)
            if not mirrors:
                continue  # not replicated: backup_system_has_copy judges it
            if copies:
                yield self.passed(ctx, system, f"Replicated ({len(mirrors)} replica(s)) and "
                                  f"backed up ({len(copies)} point-in-time copy(ies)).")
                continue
            gap = backups_gap(ctx, system)
            if gap:
                yield self.errored(ctx, system, f"Only replicas are recorded, and backups may be "
                                   f"missing from the estate: {gap}.")
            else:
                yield self.failed(ctx, system, f"Only replicated ({len(mirrors)} replica(s)); no "
                                  "point-in-time backup.")
