"""Every tiered system has at least one backup copy that keeps past versions."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import (
    backups_gap,
    no_copy_text,
    sentence,
    tiered_systems,
)

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupSystemHasCopy(Check):
    meta = CheckMeta(
        id="backup_system_has_copy",
        title="Every tiered system has a backup",
        domain=Domain.BACKUP,
        severity=Severity.CRITICAL,
        rationale=(
            "A system with no backup cannot be restored after ransomware or deletion; it can "
            "only be rebuilt empty, and its data is gone. Hackney lost the data of a large "
            "number of benefit claims, and about five years of social-care records were "
            "reported wiped; Baltimore lost data its IT staff kept only on local disks "
            "with no backup, Atlanta lost police dash-cam video for good, and Anhalt-Bitterfeld "
            "lost one area's data permanently. A replica does not count: it copies the "
            "encryption or deletion within seconds."
        ),
        remediation=(
            "Add the system to a scheduled backup job that meets its tier's RPO and retention, "
            "and record the copy in the estate."
        ),
        remediation_steps={
            Hosting.AWS: (
                "Assign the resource to an AWS Backup plan: tag it for the plan's tag-based "
                "selection, or `aws backup create-backup-selection --backup-plan-id <plan-id> "
                "--backup-selection file://selection.json`."
            ),
            Hosting.AZURE: (
                "Protect it in a Recovery Services or Backup vault, e.g. `az backup protection "
                "enable-for-vm --resource-group <rg> --vault-name <vault> --vm <vm> "
                "--policy-name <policy>`."
            ),
            Hosting.ONPREM: (
                "Add the server, share or database to a job in the backup console and list the "
                "job under the system's `backups:` in the estate file."
            ),
        },
        lessons=["hackney-2020", "baltimore-2019", "atlanta-2018", "anhalt-bitterfeld-2021"],
        frameworks=FrameworkRefs(caf=["B5.c"], nist_csf=["PR.DS-11"], cis=["11.2"],
                                 iso27001=["A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for t in tiered_systems(ctx):
            system, copies = t.system, t.copies
            if copies:
                yield self.passed(ctx, system, f"{len(copies)} backup copy(ies) recorded.")
                continue
            gap = backups_gap(ctx, system)
            if gap:
                yield self.errored(ctx, system, f"Cannot tell whether it is backed up: {gap}.")
            else:
                yield self.failed(ctx, system, sentence(no_copy_text(ctx, system)))
