"""The most critical systems keep a copy older than a typical attacker's dwell time."""

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


@functools.lru_cache(maxsize=4096)  # retentions and dwell times take few values
def outlasts(retention: timedelta | None, dwell: timedelta) -> Outcome:
    if retention is None:
        return not_recorded("its retention")
    return Outcome(retention >= dwell,
                   f"kept {dur(retention)} against {dur(dwell)} of dwell time")


class BackupRetentionOutlastsDwellTime(Check):
    meta = CheckMeta(
        id="backup_retention_outlasts_dwell_time",
        title="Critical systems keep a restore point from before an intrusion",
        domain=Domain.BACKUP,
        severity=Severity.MEDIUM,
        rationale=(
            "Attackers are usually inside for weeks before they encrypt: about eight weeks at "
            "the HSE (phishing email opened in March, Conti detonated in May), about four at "
            "Gloucester, more than two at Redcar, and about three months at Norsk Hydro. Backups "
            "taken while they were inside may carry their tools, or have been quietly broken. "
            "Only a copy kept longer than the dwell time offers a point from before the "
            "intrusion. Tiers that set `dwell_retention` in the policy are held to it."
        ),
        remediation=(
            "Keep at least one copy (for example a weekly or monthly backup, ideally immutable) "
            "for at least the tier's `dwell_retention`."
        ),
        remediation_steps={
            Hosting.AWS: (
                "Add a weekly or monthly rule to the backup plan with `Lifecycle.DeleteAfterDays` "
                "of at least the dwell retention (`aws backup update-backup-plan`)."
            ),
            Hosting.AZURE: (
                "Add weekly/monthly retention to the backup policy (`az backup policy set`), or "
                "a long-term retention rule for databases."
            ),
            Hosting.ONPREM: (
                "Add a weekly or monthly job (or GFS retention) that keeps restore points for "
                "at least the dwell retention."
            ),
        },
        lessons=["hse-2021", "gloucester-2021", "redcar-2020", "norsk-hydro-2019"],
        frameworks=FrameworkRefs(caf=["B5.c"], nist_csf=["PR.DS-11", "RC.RP-03"],
                                 cis=["11.4"], iso27001=["A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for t in tiered_systems(ctx):
            minimum = t.tier.dwell_retention
            if minimum is None:
                continue  # the policy does not ask this tier to outlast dwell time
            yield judge_any(self, ctx, t.system, t.copies,
                            lambda c, minimum=minimum: outlasts(c.retention, minimum),
                            f"a copy kept at least {dur(minimum)}")
