"""The measured time of the latest successful restore test fits within the RTO."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import (
    backups_gap,
    day,
    dur,
    no_copy_text,
    sentence,
    tiered_systems,
)
from resilience.checks.backup._restore import latest_passed_test, latest_test

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupRestoreTimeMeetsRto(Check):
    meta = CheckMeta(
        id="backup_restore_time_meets_rto",
        title="A tested restore fits within the RTO",
        domain=Domain.BACKUP,
        severity=Severity.HIGH,
        rationale=(
            "Having a backup is not the same as being back in time. PwC found that nobody at "
            "the HSE knew how long recovery from backups alone would take; Gloucester could not "
            "restore personal data in good time; Colonial paid for a decryptor that was so slow "
            "it restored from its own backups anyway; Redcar restored in an order set by service "
            "need. The measured duration of the latest successful restore test must fit within "
            "the RTO, like AWS Backup Audit Manager's RESTORE_TIME_FOR_RESOURCES_MEET_TARGET "
            "control. A whole-estate recovery takes longer still, so treat this as the minimum."
        ),
        remediation=(
            "Make the restore faster (closer or faster storage, instant recovery, smaller "
            "restore units, a pre-built target) or agree a longer RTO with the service owner; "
            "record `restore_test_duration` for each test."
        ),
        remediation_steps={
            Hosting.AWS: (
                "See measured times with `aws backup list-restore-jobs-by-protected-resource "
                "--resource-arn <arn>`; add a `RESTORE_TIME_FOR_RESOURCES_MEET_TARGET` control to "
                "an Audit Manager framework."
            ),
            Hosting.AZURE: (
                "Read restore job durations with `az backup job list --operation Restore`; use "
                "instant restore snapshots for faster VM restores."
            ),
            Hosting.ONPREM: "Time the next restore test end to end and record the duration.",
        },
        lessons=["hse-2021", "gloucester-2021", "colonial-2021", "redcar-2020"],
        frameworks=FrameworkRefs(caf=["B5.a", "D1.c"], nist_csf=["PR.DS-11", "RC.RP-02"],
                                 cis=["11.5"], iso27001=["A.5.30", "A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for t in tiered_systems(ctx):
            system, copies, rto = t.system, t.copies, t.rto
            if not copies:
                gap = backups_gap(ctx, system)
                if gap:
                    yield self.errored(ctx, system, f"Cannot judge: {gap}.")
                else:
                    yield self.failed(ctx, system, sentence(no_copy_text(ctx, system)))
                continue
            passed = latest_passed_test(copies)
            if passed is None:
                if latest_test(copies) is not None and all(
                        c.restore_test_passed is False for c in copies
                        if c.last_restore_test is not None):
                    yield self.failed(ctx, system, "No restore test has succeeded, so no restore "
                                      f"is known to fit the RTO of {dur(rto)}.")
                else:
                    yield self.errored(ctx, system, "Cannot judge: no successful, dated restore "
                                       "test is recorded.")
                continue
            took = passed.restore_test_duration
            when = f"copy '{passed.id}', {day(passed.last_restore_test)}"
            if took is None:
                yield self.errored(ctx, system, f"Cannot judge: the duration of the latest "
                                   f"successful restore test ({when}) is not recorded.")
            elif took <= rto:
                yield self.passed(ctx, system, f"The latest successful restore ({when}) took "
                                  f"{dur(took)}, within the RTO of {dur(rto)}.")
            else:
                yield self.failed(ctx, system, f"The latest successful restore ({when}) took "
                                  f"{dur(took)}, longer than the RTO of {dur(rto)}.")
