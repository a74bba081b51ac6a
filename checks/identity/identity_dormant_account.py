"""Enabled accounts that have not signed in for longer than the dormancy threshold."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, age_text, may_sign_in

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import AccountKind, DataKind, Domain, Hosting, Severity

# Emergency and root accounts should sit unused; their use is judged by other checks.
_MEANT_TO_IDLE = {AccountKind.BREAK_GLASS, AccountKind.ROOT}


class IdentityDormantAccount(IdentityCheck):
    meta = CheckMeta(
        id="identity_dormant_account",
        title="No enabled account has been dormant past the threshold",
        domain=Domain.IDENTITY,
        severity=Severity.HIGH,
        rationale=(
            "An account nobody uses is an account nobody notices being used. Hackney's attackers "
            "came in through an account that had been dormant since 2012 and was still "
            "connected to council servers; Colonial Pipeline's through a legacy VPN account that "
            "should no longer have been active. Accounts created but never used are the same "
            "risk. Break-glass and root accounts are exempt: they are meant to sit unused, and "
            "their monitoring and use are checked instead."
        ),
        remediation=(
            "Disable accounts idle for longer than the policy's identity.dormant_after (CIS "
            "5.3: 45 days), confirm with the owner, then delete them after a grace period."
        ),
        remediation_steps={
            Hosting.ONPREM: "Search-ADAccount -AccountInactive -TimeSpan 45.00:00:00 "
                            "-UsersOnly | Disable-ADAccount",
            Hosting.AWS: "aws iam generate-credential-report; aws iam get-credential-report; "
                         "then aws iam delete-login-profile / update-access-key --status "
                         "Inactive for idle users",
            Hosting.AZURE: "Entra admin centre > Users > filter on 'Last sign-in' > Edit "
                           "properties > Account enabled: No",
        },
        lessons=["hackney-2020", "colonial-2021"],
        frameworks=FrameworkRefs(caf=["B2.a", "B2.d"], nist_csf=["PR.AA-01", "PR.AA-05"],
                                 cis=["5.3", "6.2"], iso27001=["A.5.16", "A.5.18"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        limit = ctx.policy.identity.dormant_after
        for account in ctx.estate.accounts:
            if not may_sign_in(account) or account.kind in _MEANT_TO_IDLE:
                continue
            unknown_enabled = " (its enabled state is not known)" if account.enabled is None else ""
            risk = _risk(account)
            if account.last_used is not None:
                idle = ctx.now - account.last_used
                if idle > limit:
                    yield self.failed(ctx, account, f"Last signed in {account.last_used:%Y-%m-%d}, "
                                      f"{age_text(idle)} ago (the limit is {age_text(limit)})"
                                      f"{unknown_enabled}.{risk}")
                else:
                    yield self.passed(ctx, account, f"Last used {age_text(idle)} ago.")
                continue
            if account.created is None:
                yield self.errored(ctx, account, "Neither its last sign-in nor its creation date "
                                   "is known, so dormancy cannot be judged.")
                continue
            existed = ctx.now - account.created
            if existed > limit:
                yield self.failed(ctx, account, f"No sign-in is recorded although it was created "
                                  f"{age_text(existed)} ago: never used (or its last sign-in was "
                                  f"not collected){unknown_enabled}.{risk}")
            else:
                yield self.passed(ctx, account, f"Created {age_text(existed)} ago; not yet past "
                                  "the dormancy limit.")


def _risk(account) -> str:
    """What makes an idle account worse: admin rights, a password that never expires."""
    worse = [text for flag, text in ((account.privileged, "it holds administrator rights"),
                                     (account.password_never_expires,
                                      "its password never expires")) if flag]
    return f" {' and '.join(worse).capitalize()}." if worse else ""
