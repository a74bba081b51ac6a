"""Cloud systems that need an isolated copy have one in another account or subscription."""

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


def other_account(copy: BackupCopy, system: System) -> Outcome:
    if copy.account is None:
        return not_recorded("the account that holds it")
    if copy.account == system.account:
        return Outcome(False, f"held in the system's own account '{copy.account}'")
    return Outcome(True, f"held in account '{copy.account}'")


class BackupCrossAccountCopy(Check):
    meta = CheckMeta(
        id="backup_cross_account_copy",
        title="Cloud backups are copied to another account or subscription",
        domain=Domain.BACKUP,
        severity=Severity.HIGH,
        rationale=(
            "Whoever controls a cloud account controls every vault in it. Attackers with admin "
            "rights delete backups first (Hackney lost about a tenth of its backups that way), "
            "and the ICO found Capita had no admin tiering to contain such rights. A copy "
            "in a separate backup account or subscription survives the loss of the production "
            "account. This is AWS Backup Audit Manager's "
            "BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT control, and the NCSC's principle that "
            "no one can deny a customer all access to their backups. It applies to tiers that "
            "require an isolated copy."
        ),
        remediation="Copy the system's backups to a vault in a dedicated backup account.",
        remediation_steps={
            Hosting.AWS: (
                "Turn on cross-account backup in the Organization (`aws backup "
                "update-global-settings --global-settings isCrossAccountBackupEnabled=true`) and "
                "add a `CopyActions` entry to a vault in the backup account."
            ),
            Hosting.AZURE: (
                "Back up to, or restore-copy into, a vault in a separate backup subscription "
                "whose owners are not production administrators."
            ),
        },
        lessons=["hackney-2020", "capita-2023", "ncsc-cloud-backup-principles"],
        frameworks=FrameworkRefs(caf=["B5.c"], nist_csf=["PR.DS-11"], cis=["11.4"],
                                 iso27001=["A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
        applies_to=list(CLOUD),
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for t in tiered_systems(ctx):
            system = t.system
            if not t.tier.isolated_copy or system.hosting not in self.meta.applies_to:
                continue
            if system.account is None:
                yield self.errored(ctx, system,
                                   "Cannot judge: the system's account is not recorded.")
                continue
            yield judge_any(self, ctx, system, t.copies,
                            lambda c, system=system: other_account(c, system),
                            "a copy in another account", anywhere=True)
