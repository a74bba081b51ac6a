"""Privileged account passwords are changed within the policy's maximum age."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, age_text, may_sign_in

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import AccountKind, DataKind, Domain, Hosting, Severity


class IdentityPrivilegedPasswordAge(IdentityCheck):
    meta = CheckMeta(
        id="identity_privileged_password_age",
        title="Privileged passwords do not live for ever",
        domain=Domain.IDENTITY,
        severity=Severity.MEDIUM,
        rationale=(
            "A privileged password that is set never to expire and has not changed in years "
            "has had years to leak, be reused or be cracked from an old hash. Hackney's way in "
            "was an account whose password had not changed since 2012; Colonial's a password "
            "found in an old leak."
        ),
        remediation=(
            "Change privileged passwords at least every identity.password_max_age_privileged "
            "(or vault them with automatic rotation), and clear 'password never expires' on "
            "privileged accounts."
        ),
        remediation_steps={
            Hosting.ONPREM: "Get-ADUser -Filter {AdminCount -eq 1} -Properties "
                            "PasswordLastSet,PasswordNeverExpires; Set-ADUser NAME "
                            "-PasswordNeverExpires $false; rotate with LAPS or a PAM vault",
            Hosting.AWS: "aws iam get-credential-report (password_last_changed); aws iam "
                         "update-account-password-policy --max-password-age 365",
            Hosting.AZURE: "Use PIM and passwordless (FIDO2) for admins; for remaining "
                           "passwords check lastPasswordChangeDateTime in Microsoft Graph",
        },
        lessons=["hackney-2020", "colonial-2021"],
        frameworks=FrameworkRefs(caf=["B2.c"], nist_csf=["PR.AA-01"], cis=["5.2"],
                                 iso27001=["A.5.17", "A.8.2"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        limit = ctx.policy.identity.password_max_age_privileged
        for account in ctx.estate.accounts:
            if not may_sign_in(account) or account.kind == AccountKind.BREAK_GLASS:
                continue
            if account.privileged is not True and account.kind != AccountKind.ROOT:
                continue
            # An API-only identity (e.g. an IAM user without a console password) has no
            # password to age; its keys are judged by identity_access_key_age.
            if (account.console_access is False and account.remote_access is not True
                    and account.password_last_set is None and not account.password_never_expires):
                continue
            never = " and it is set never to expire" if account.password_never_expires else ""
            if account.password_last_set is not None:
                age = ctx.now - account.password_last_set
                if age > limit:
                    yield self.failed(ctx, account, f"Password last changed {age_text(age)} ago"
                                      f"{never}; the limit is {age_text(limit)}.")
                else:
                    yield self.passed(ctx, account, f"Password changed {age_text(age)} ago.")
            elif account.password_never_expires:
                yield self.failed(ctx, account, "Privileged password set never to expire, and "
                                  "when it was last changed is not known.")
            else:
                yield self.errored(ctx, account, "When its password was last changed is not "
                                   "known.")
