"""At least one copy of each tiered system is kept for the tier's minimum retention."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import timedelta

from resilience.checks.backup._common import (
    Outcome,
    dur,
    judge_any,
    not_recorded,
    tiered_systems,
)

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


@functools.lru_cache(maxsize=4096)  # retentions and minimums take few values across an estate
def long_enough(retention: timedelta | None, minimum: timedelta) -> Outcome:
    if retention is None:
        return not_recorded("its retention")
    return Outcome(retention >= minimum,
                   f"kept {dur(retention)} against a minimum of {dur(minimum)}")


class BackupRetentionMeetsMinimum(Check):
    meta = CheckMeta(
        id="backup_retention_meets_minimum",
        title="Backups are kept for the tier's minimum retention",
        domain=Domain.BACKUP,
        severity=Severity.HIGH,
        rationale=(
            "Attackers corrupt recent backups first, so recovery often needs an older version. "
            "SEPA's online backups were targeted and corrupted early in the attack, which is why "
            "its historical data could not be restored quickly. The NCSC asks that an earlier "
            "version can be restored even if later ones are corrupted, and AWS Backup Audit "
            "Manager's retention controls default to 35 days."
        ),
        remediation=(
            "Keep at least one copy of the system for the tier's `min_retention` (for example a "
            "daily copy kept 35 days, or a weekly copy kept longer)."
        ),
        remediation_steps={
            Hosting.AWS: (
                "Raise `Lifecycle.DeleteAfterDays` in the backup plan rule with `aws backup "
                "update-backup-plan`; a Vault Lock `--min-retention-days` stops it being shortened."
            ),
            Hosting.AZURE: (
                "Raise the daily/weekly retention in the backup policy: `az backup policy set "
                "--resource-group <rg> --vault-name <vault> --policy file://policy.json`."
            ),
            Hosting.ONPREM: "Raise the job's retention (days or restore points) in the console.",
        },
        lessons=["sepa-2020", "ncsc-cloud-backup-principles"],
        frameworks=FrameworkRefs(caf=["B5.c"], nist_csf=["PR.DS-11"], cis=["11.2", "11.4"],
                                 iso27001=["A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for t in tiered_systems(ctx):
            minimum = t.tier.min_retention
            yield judge_any(self, ctx, t.system, t.copies,
                            lambda c, minimum=minimum: long_enough(c.retention, minimum),
                            f"a copy kept at least {dur(minimum)}")
