"""The most recent restore test of each tiered system succeeded."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import (
    backups_gap,
    day,
    no_copy_text,
    sentence,
    tiered_systems,
)
from resilience.checks.backup._restore import latest_test

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupRestoreTestPassed(Check):
    meta = CheckMeta(
        id="backup_restore_test_passed",
        title="The last restore test succeeded",
        domain=Domain.BACKUP,
        severity=Severity.HIGH,
        rationale=(
            "A restore test that failed is evidence that the backup will not bring the system "
            "back. Gloucester City Council found crucial data deleted and could not restore "
            "personal data in good time, and the ICO asked it to review its backup and disaster "
            "recovery arrangements. A failed test must be fixed and repeated, not filed."
        ),
        remediation=(
            "Find out why the restore failed (missing data, a key, a dependency, a runbook "
            "step), fix it, and run the test again until it passes."
        ),
        remediation_steps={
            Hosting.AWS: (
                "`aws backup list-restore-jobs --by-status FAILED` and "
                "`aws backup describe-restore-job --restore-job-id <id>` show why."
            ),
            Hosting.AZURE: (
                "`az backup job list --resource-group <rg> --vault-name <vault> --operation "
                "Restore --status Failed`, then `az backup job show` for the error."
            ),
            Hosting.ONPREM: "Read the restore session log in the backup console; repeat the test.",
        },
        lessons=["gloucester-2021", "anhalt-bitterfeld-2021"],
        frameworks=FrameworkRefs(caf=["B5.c", "D1.c"], nist_csf=["PR.DS-11", "RC.RP-03"],
                                 cis=["11.5"], iso27001=["A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for t in tiered_systems(ctx):
            system, copies = t.system, t.copies
            if not copies:
                if gap := backups_gap(ctx, system):
                    yield self.errored(ctx, system, f"Cannot judge: {gap}.")
                else:
                    yield self.failed(ctx, system, sentence(no_copy_text(ctx, system)))
                continue
            last = latest_test(copies)
            if last is None:
                yield self.errored(ctx, system, "Cannot judge: no restore test date is recorded "
                                   "for any copy (unknown, or never tested).")
            elif last.restore_test_passed is None:
                yield self.errored(ctx, system, f"Cannot judge: the result of the restore test of "
                                   f"copy '{last.id}' on {day(last.last_restore_test)} is not "
                                   "recorded.")
            elif last.restore_test_passed:
                yield self.passed(ctx, system, f"The restore test of copy '{last.id}' on "
                                  f"{day(last.last_restore_test)} passed.")
            else:
                yield self.failed(ctx, system, f"The latest restore test (copy '{last.id}', "
                                  f"{day(last.last_restore_test)}) failed.")
