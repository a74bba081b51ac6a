"""Accounts that can administer or delete backups use MFA."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, evaluate_mfa

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class IdentityBackupAdminMfa(IdentityCheck):
    meta = CheckMeta(
        id="identity_backup_admin_mfa",
        title="Backup administrators use MFA",
        domain=Domain.IDENTITY,
        severity=Severity.CRITICAL,
        rationale=(
            "Attackers go after backups before they encrypt: at Hackney they deleted about a "
            "tenth of the backups before staff intervened. The NCSC's principles for "
            "ransomware-resistant backups expect destructive actions to need more than one "
            "stolen password."
        ),
        remediation=(
            "Require MFA for every account that can change or delete backups, and use the "
            "backup product's multi-person approval for deletions where it has one."
        ),
        remediation_steps={
            Hosting.ONPREM: "Enable MFA in the backup console (e.g. Veeam MFA for users, "
                            "four-eyes authorisation) and sign in with a non-domain account",
            Hosting.AWS: "Restrict backup:Delete* and backup:UpdateRecoveryPointLifecycle to "
                         "roles requiring aws:MultiFactorAuthPresent; add multi-party approval",
            Hosting.AZURE: "Enable Multi-User Authorization with Resource Guard on Recovery "
                           "Services and Backup vaults; require MFA for Backup Contributors",
        },
        lessons=["hackney-2020", "ncsc-cloud-backup-principles"],
        frameworks=FrameworkRefs(caf=["B2.c", "B5.c"], nist_csf=["PR.AA-03", "PR.DS-11"],
                                 cis=["6.5", "11.3"], iso27001=["A.8.2", "A.8.13"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        yield from evaluate_mfa(self, ctx, "backup-admin", "a backup administrator",
                                lambda account: account.backup_admin,
                                question="can administer or delete backups")
