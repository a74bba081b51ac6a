"""Each directory's or cloud account's password policy requires long passwords."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity

# CIS 5.2: 8 characters are enough where MFA is enforced, 14 where it is not.
_WITH_MFA = 8


class IdentityPasswordMinLength(IdentityCheck):
    meta = CheckMeta(
        id="identity_password_min_length",
        title="Password policies require long passwords",
        domain=Domain.IDENTITY,
        severity=Severity.MEDIUM,
        rationale=(
            "Short passwords are guessed and sprayed. Hackney's attackers used an account with "
            "an insecure password (reportedly the same as its username); Colonial's VPN "
            "password was found in a leak. CIS safeguard 5.2 asks for 14 characters where "
            "MFA is not enforced, 8 where it is."
        ),
        remediation=(
            "Set the minimum password length to identity.password_min_length (8 is accepted "
            "where the trust domain enforces MFA), and block known-breached passwords."
        ),
        remediation_steps={
            Hosting.ONPREM: "Set-ADDefaultDomainPasswordPolicy -MinPasswordLength 14 (or a "
                            "fine-grained password policy); add a banned-password filter",
            Hosting.AWS: "aws iam update-account-password-policy --minimum-password-length 14 "
                         "--password-reuse-prevention 24",
            Hosting.AZURE: "Entra ID enforces 8+ characters; turn on Password Protection with a "
                           "custom banned list and require MFA for all users",
        },
        lessons=["hackney-2020", "colonial-2021"],
        frameworks=FrameworkRefs(caf=["B2.a"], nist_csf=["PR.AA-01"], cis=["5.2"],
                                 iso27001=["A.5.17"]),
        needs=[DataKind.IDENTITY_SETTINGS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        wanted = ctx.policy.identity.password_min_length
        for domain in ctx.estate.trust_domains:
            needed = min(wanted, _WITH_MFA) if domain.mfa_enforced else wanted
            why = " (MFA is enforced there)" if domain.mfa_enforced else ""
            length = domain.password_policy.min_length if domain.password_policy else None
            if length is None:
                yield self.errored(ctx, domain, "Its minimum password length is not known.")
            elif length < needed:
                yield self.failed(ctx, domain, f"Minimum password length is {length}; at least "
                                  f"{needed} is required{why}.")
            else:
                yield self.passed(ctx, domain, f"Minimum password length is {length} "
                                  f"(at least {needed} required{why}).")
