"""Backup administrators sign in with credentials outside the production trust domain."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, UnknownScope, may_sign_in

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity, SystemKind


def production_domains(ctx: CheckContext) -> set[str]:
    """Trust domains production systems are joined to, or (cloud) the account they live in.

    The backup servers themselves are left out: their own domain is where backup admins belong.
    """
    declared = ctx.estate.trust_domain_by_id
    out: set[str] = set()
    for system in ctx.estate.systems:
        if system.kind == SystemKind.BACKUP_SERVER:
            continue
        if system.identity_domain:
            out.add(system.identity_domain)
        if system.account and system.hosting != Hosting.ONPREM and system.account in declared:
            out.add(system.account)
    return out


class IdentityBackupAdminSeparateDomain(IdentityCheck):
    meta = CheckMeta(
        id="identity_backup_admin_separate_domain",
        title="Backup administrators are not in the production trust domain",
        domain=Domain.IDENTITY,
        severity=Severity.HIGH,
        rationale=(
            "An attacker who owns the production domain owns every account in it. If backup "
            "administration uses those same accounts, the backups fall with the domain: "
            "Hackney lost part of its backups this way, and the British Library's attackers "
            "destroyed servers specifically to stop recovery. The NCSC's backup principles ask "
            "for the backup system to be isolated from the systems it protects."
        ),
        remediation=(
            "Administer backups with accounts in a separate trust domain (a standalone backup "
            "console account, a separate AD forest, a separate cloud account or tenant) that "
            "production credentials cannot reach."
        ),
        remediation_steps={
            Hosting.ONPREM: "Remove the backup server from the production domain (workgroup or "
                            "dedicated management forest) and use local accounts with MFA",
            Hosting.AWS: "Keep backup vaults and their admin roles in a dedicated backup "
                         "account of the AWS Organization (or a logically air-gapped vault)",
            Hosting.AZURE: "Protect vaults with a Resource Guard in a separate tenant or "
                           "subscription whose owners are not production admins",
        },
        lessons=["hackney-2020", "british-library-2023", "ncsc-cloud-backup-principles"],
        frameworks=FrameworkRefs(caf=["B5.c", "B2.c"], nist_csf=["PR.DS-11", "PR.AA-05"],
                                 cis=["11.3", "11.4"], iso27001=["A.8.13", "A.8.2"]),
        needs=[DataKind.ACCOUNTS, DataKind.SYSTEMS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        production = production_domains(ctx)
        unknown = UnknownScope(self, ctx, "can administer or delete backups (production "
                               "systems are joined to that domain)")
        for account in ctx.estate.accounts:
            if not may_sign_in(account) or account.backup_admin is False:
                continue
            if account.backup_admin is None:
                if account.trust_domain and account.trust_domain in production:
                    unknown.add(account, "It is in production trust domain "
                                f"'{account.trust_domain}' and it is not known whether it can "
                                "administer backups.")
                continue
            if account.trust_domain is None:
                yield self.errored(ctx, account, "Backup administrator whose trust domain is not "
                                   "known.")
            elif account.trust_domain in production:
                yield self.failed(ctx, account, "Backup administrator in trust domain "
                                  f"'{account.trust_domain}', which production systems are joined "
                                  "to: whoever takes that domain can delete the backups.")
            elif not production:
                yield self.errored(ctx, account, "No system records which trust domain it is "
                                   "joined to, so separation cannot be judged.")
            else:
                yield self.passed(ctx, account, f"Backup administrator in trust domain "
                                  f"'{account.trust_domain}', which no production system uses.")
        yield from unknown.findings()
