"""Service accounts cannot be used to log on interactively."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, UnknownScope, may_sign_in

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import AccountKind, DataKind, Domain, Hosting, Severity


class IdentityServiceAccountInteractive(IdentityCheck):
    meta = CheckMeta(
        id="identity_service_account_interactive",
        title="Service accounts have no interactive logon",
        domain=Domain.IDENTITY,
        severity=Severity.HIGH,
        rationale=(
            "Service accounts rarely have MFA, often have broad rights and their passwords "
            "seldom change, so an interactive logon with one is an attacker's dream. Dallas "
            "was entered through a compromised service account, from which the attackers "
            "moved around with remote-management tools."
        ),
        remediation=(
            "Deny interactive, remote and console logon to service accounts; use group "
            "managed service accounts or workload identities where possible."
        ),
        remediation_steps={
            Hosting.ONPREM: "GPO: 'Deny log on locally' and 'Deny log on through Remote Desktop "
                            "Services' for the service-accounts group; prefer gMSAs",
            Hosting.AWS: "aws iam delete-login-profile --user-name SERVICE_USER (no console "
                         "password); use IAM roles for workloads",
            Hosting.AZURE: "Use managed identities; block sign-in for service users and "
                           "exclude them from interactive Conditional Access grants",
        },
        lessons=["dallas-2023"],
        frameworks=FrameworkRefs(caf=["B2.a", "B2.c"], nist_csf=["PR.AA-05"], cis=["5.5"],
                                 iso27001=["A.5.15", "A.8.2"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        unknown = UnknownScope(self, ctx, "can log on interactively, at a console or remotely",
                               "service accounts")
        for account in ctx.estate.accounts:
            if account.kind != AccountKind.SERVICE or not may_sign_in(account):
                continue
            ways = [w for w, v in (("console", account.console_access),
                                   ("remote", account.remote_access)) if v]
            if ways:
                yield self.failed(ctx, account, f"Service account with {' and '.join(ways)} "
                                  "logon.")
            elif account.console_access is None or account.remote_access is None:
                unknown.add(account, "Service account; whether it can log on interactively "
                            "(console or remote) is not known.")
            else:
                yield self.passed(ctx, account, "Service account without console or remote logon.")
        yield from unknown.findings()
