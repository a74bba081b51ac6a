"""Root accounts are protected with MFA."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, mfa_state

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import AccountKind, DataKind, Domain, Hosting, Severity


class IdentityRootMfa(IdentityCheck):
    meta = CheckMeta(
        id="identity_root_mfa",
        title="Root accounts use MFA",
        domain=Domain.IDENTITY,
        severity=Severity.CRITICAL,
        rationale=(
            "A root account's password is the last key to everything in the account, "
            "backups included. Without MFA, one phished or leaked password is enough, as the "
            "missing MFA at Advanced and the British Library showed for administrator access."
        ),
        remediation="Enable MFA (a hardware key held in a safe) on every root account.",
        remediation_steps={
            Hosting.AWS: "aws iam get-account-summary (AccountMFAEnabled must be 1); console: "
                         "root user > Security credentials > Assign MFA device",
            Hosting.AZURE: "Require MFA for Global Administrators in Conditional Access; "
                           "register FIDO2 keys for permanent holders",
            Hosting.ONPREM: "Protect built-in administrator logons with a PAM or MFA gateway",
        },
        lessons=["advanced-2022", "british-library-2023"],
        frameworks=FrameworkRefs(caf=["B2.c", "B2.a"], nist_csf=["PR.AA-03"], cis=["6.5"],
                                 iso27001=["A.8.2", "A.8.5"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for account in ctx.estate.accounts:
            if account.kind != AccountKind.ROOT or account.enabled is False:
                continue
            mfa, how = mfa_state(ctx, account)
            if mfa:
                yield self.passed(ctx, account, f"Root account: {how}.")
            elif mfa is None:
                yield self.errored(ctx, account, f"Root account; {how}.")
            else:
                yield self.failed(ctx, account, f"Root account and {how}.")
