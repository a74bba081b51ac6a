"""Every enabled non-personal account has a named owner."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, may_sign_in

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import AccountKind, DataKind, Domain, Hosting, Severity

# A human account belongs to the person it names; these kinds need someone answerable.
_NEEDS_OWNER = {AccountKind.SERVICE, AccountKind.SUPPLIER, AccountKind.BREAK_GLASS}


class IdentityAccountOwner(IdentityCheck):
    meta = CheckMeta(
        id="identity_account_owner",
        title="Service, supplier and emergency accounts have an owner",
        domain=Domain.IDENTITY,
        severity=Severity.MEDIUM,
        rationale=(
            "An account with no owner is never reviewed, never rotated and never disabled: "
            "Hackney's dormant account lived for eight years; Dallas's attackers used a "
            "service account. Someone has to answer for every account that is not a person's "
            "own."
        ),
        remediation=(
            "Record an owner for every service, supplier and break-glass account, and disable "
            "those nobody will own."
        ),
        remediation_steps={
            Hosting.ONPREM: "Set the managedBy attribute (Set-ADUser NAME -Manager OWNER) and "
                            "review service accounts quarterly (CIS 5.5)",
            Hosting.AWS: "Tag IAM users and roles with an owner (aws iam tag-user --tags "
                         "Key=resilience:owner,Value=...)",
            Hosting.AZURE: "Set owners on service principals and app registrations; sponsors "
                           "on guest accounts",
        },
        lessons=["hackney-2020", "dallas-2023"],
        frameworks=FrameworkRefs(caf=["B2.d"], nist_csf=["PR.AA-01"], cis=["5.1", "5.5"],
                                 iso27001=["A.5.16"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for account in ctx.estate.accounts:
            if account.kind not in _NEEDS_OWNER or not may_sign_in(account):
                continue
            if account.owner and account.owner.strip():
                yield self.passed(ctx, account, f"Owned by {account.owner}.")
            else:
                yield self.failed(ctx, account, f"Enabled {account.kind.value} account with no "
                                  "owner recorded.")
