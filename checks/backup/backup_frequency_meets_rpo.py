"""Backups run at least as often as the recovery point objective allows."""

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


@functools.lru_cache(maxsize=4096)  # frequencies and RPOs take few values across an estate
def often_enough(frequency: timedelta | None, rpo: timedelta) -> Outcome:
    if frequency is None:
        return not_recorded("its frequency")
    return Outcome(frequency <= rpo, f"runs every {dur(frequency)} against an RPO of {dur(rpo)}")


class BackupFrequencyMeetsRpo(Check):
    meta = CheckMeta(
        id="backup_frequency_meets_rpo",
        title="Backups run at least as often as the RPO",
        domain=Domain.BACKUP,
        severity=Severity.HIGH,
        rationale=(
            "The recovery point objective is the most data the business can afford to lose; a "
            "backup that runs less often loses more than that by design. Hackney lost the data "
            "of a large number of benefit claims processed in the months before the attack, and "
            "Maersk's server backups were three to seven days old when NotPetya struck. "
            "AWS Backup Audit Manager checks the same thing (minimum frequency, default daily)."
        ),
        remediation=(
            "Schedule at least one backup of the system at an interval no longer than its RPO "
            "(the strictest RPO of the services that use it)."
        ),
        remediation_steps={
            Hosting.AWS: (
                "Shorten the backup plan rule's `ScheduleExpression` (e.g. `cron(0 */12 * * ? *)`) "
                "with `aws backup update-backup-plan --backup-plan-id <id> --backup-plan file://plan.json`."
            ),
            Hosting.AZURE: (
                "Change the backup policy schedule: `az backup policy set --resource-group <rg> "
                "--vault-name <vault> --policy file://policy.json` (enhanced policies allow "
                "hourly backups)."
            ),
            Hosting.ONPREM: "Change the job schedule in the backup console and update `frequency`.",
        },
        lessons=["hackney-2020", "maersk-2017"],
        frameworks=FrameworkRefs(caf=["B5.c"], nist_csf=["PR.DS-11"], cis=["11.2"],
                                 iso27001=["A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for t in tiered_systems(ctx):
            yield judge_any(self, ctx, t.system, t.copies,
                            lambda c, rpo=t.rpo: often_enough(c.frequency, rpo),
                            f"a backup at least every {dur(t.rpo)}")
