"""The last successful backup of each tiered system is recent enough for its RPO."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import (
    copy_facts,
    dur,
    judge_any,
    tiered_systems,
)

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupLastSuccessRecent(Check):
    meta = CheckMeta(
        id="backup_last_success_recent",
        title="The last successful backup is recent",
        domain=Domain.BACKUP,
        severity=Severity.HIGH,
        rationale=(
            "A schedule proves nothing if the jobs fail. What can be restored is the last copy "
            "that actually completed: Maersk's server backups were three to seven days old, and "
            "SEPA found its recent online copies corrupted. The check allows the RPO times the "
            "policy's `backup_max_age_factor`, like AWS Backup Audit Manager's "
            "BACKUP_LAST_RECOVERY_POINT_CREATED control."
        ),
        remediation=(
            "Find out why the backup has not completed (failed jobs, a full repository, an "
            "agent that stopped reporting), fix it and run a backup now."
        ),
        remediation_steps={
            Hosting.AWS: (
                "List failed jobs: `aws backup list-backup-jobs --by-resource-arn <arn> "
                "--by-state FAILED`; start one: `aws backup start-backup-job`."
            ),
            Hosting.AZURE: (
                "List failed jobs: `az backup job list --resource-group <rg> --vault-name "
                "<vault> --status Failed`; start one: `az backup protection backup-now`."
            ),
            Hosting.ONPREM: "Check the job history in the backup console and rerun the job.",
        },
        lessons=["maersk-2017", "sepa-2020"],
        frameworks=FrameworkRefs(caf=["B5.c"], nist_csf=["PR.DS-11"], cis=["11.2"],
                                 iso27001=["A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        facts = copy_facts(ctx)
        for t in tiered_systems(ctx):
            yield judge_any(self, ctx, t.system, t.copies,
                            lambda c, t=t: facts.recent_success(c, t),
                            f"a successful backup in the last {dur(t.max_backup_age)}")
