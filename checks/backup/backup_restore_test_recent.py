"""Each tiered system has been restored from backup within the tier's test interval."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import (
    dur,
    judge_any,
    recent,
    tiered_systems,
)

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupRestoreTestRecent(Check):
    meta = CheckMeta(
        id="backup_restore_test_recent",
        title="Backups have been restore-tested recently",
        domain=Domain.BACKUP,
        severity=Severity.HIGH,
        rationale=(
            "An untested restore is only a hope. The ICO reprimanded Gloucester City Council "
            "because it could not restore personal data in good time and had not tested it "
            "regularly (UK GDPR Article 32(1)(c) and (d)). After the HSE attack, nobody could "
            "say how long recovery from backups alone would have taken, and a year after "
            "Anhalt-Bitterfeld's attack one area's data was still lost. CIS Controls safeguard "
            "11.5 asks for restore tests at least quarterly; the tier's `restore_test_max_age` "
            "sets the interval."
        ),
        remediation=(
            "Restore the system from backup into an isolated environment, check the data, and "
            "record the date, the result and how long it took."
        ),
        remediation_steps={
            Hosting.AWS: (
                "Schedule tests with `aws backup create-restore-testing-plan` and "
                "`aws backup create-restore-testing-selection`."
            ),
            Hosting.AZURE: (
                "Restore to an alternate location, e.g. `az backup restore restore-disks "
                "--resource-group <rg> --vault-name <vault> --container-name <c> --item-name <i> "
                "--rp-name <rp> --storage-account <sa> --target-resource-group <test-rg>`."
            ),
            Hosting.ONPREM: (
                "Restore into an isolated test network (e.g. the backup product's sandbox), and "
                "record `last_restore_test`, `restore_test_passed` and `restore_test_duration`."
            ),
        },
        lessons=["gloucester-2021", "hse-2021", "anhalt-bitterfeld-2021", "cisa-stopransomware"],
        frameworks=FrameworkRefs(caf=["B5.c", "D1.c"], nist_csf=["PR.DS-11", "RC.RP-03"],
                                 cis=["11.5"], iso27001=["A.8.13", "A.5.30"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for t in tiered_systems(ctx):
            limit = t.tier.restore_test_max_age
            yield judge_any(
                self, ctx, t.system, t.copies,
                lambda c, limit=limit: recent(ctx, c.last_restore_test, limit, "last restore test"),
                f"a restore test in the last {dur(limit)}",
            )
