"""Privileged service accounts have a named owner and are kept to a minimum."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, may_sign_in

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import AccountKind, DataKind, Domain, Hosting, Severity


class IdentityServiceAccountPrivileged(IdentityCheck):
    meta = CheckMeta(
        id="identity_service_account_privileged",
        title="Service accounts are not privileged",
        domain=Domain.IDENTITY,
        severity=Severity.MEDIUM,
        rationale=(
            "A service account in an administrators group turns one stolen application "
            "credential into control of the domain. Dallas's attackers started from a service "
            "account; Capita had neither admin tiering nor privileged-access management to "
            "contain such rights."
        ),
        remediation=(
            "Give service accounts only the rights their application needs; remove them "
            "from Domain Admins and other administrator groups or roles."
        ),
        remediation_steps={
            Hosting.ONPREM: "Get-ADGroupMember 'Domain Admins' and other admin groups; replace "
                            "service members with delegated, task-specific rights",
            Hosting.AWS: "aws iam list-attached-user-policies / list-attached-role-policies: "
                         "replace AdministratorAccess with scoped policies (IAM Access Analyzer "
                         "policy generation)",
            Hosting.AZURE: "Remove Owner/Contributor and directory roles from service "
                           "principals; grant scoped roles on the resources they need",
        },
        lessons=["dallas-2023", "capita-2023"],
        frameworks=FrameworkRefs(caf=["B2.c"], nist_csf=["PR.AA-05"], cis=["5.4", "5.5"],
                                 iso27001=["A.8.2"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for account in ctx.estate.accounts:
            if account.kind != AccountKind.SERVICE or not may_sign_in(account):
                continue
            if account.privileged is True:
                yield self.failed(ctx, account, "Service account with administrator rights.")
            elif account.privileged is None:
                yield self.errored(ctx, account, "Service account; whether it is privileged is "
                                   "not known.")
            else:
                yield self.passed(ctx, account, "Service account without administrator rights.")
