"""Privileged accounts sign in with MFA."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, evaluate_mfa

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import AccountKind, DataKind, Domain, Hosting, Severity


class IdentityPrivilegedMfa(IdentityCheck):
    meta = CheckMeta(
        id="identity_privileged_mfa",
        title="Privileged accounts use MFA",
        domain=Domain.IDENTITY,
        severity=Severity.CRITICAL,
        rationale=(
            "With an administrator's password alone an attacker can switch off defences, delete "
            "backups and encrypt everything. The ICO said the British Library attack escalated "
            "because an administrator account lacked MFA; at Advanced, partial MFA let attackers "
            "reach domain admin."
        ),
        remediation="Require MFA (ideally phishing-resistant) for every privileged account.",
        remediation_steps={
            Hosting.ONPREM: "Put admin accounts in a group whose RDP/VPN/PAM access requires "
                            "MFA (e.g. NPS extension or PAM gateway); add them to Protected Users",
            Hosting.AWS: "aws iam list-virtual-mfa-devices; aws iam enable-mfa-device "
                         "--user-name NAME ... (or move admins to IAM Identity Center with MFA)",
            Hosting.AZURE: "Entra admin centre > Protection > Conditional Access > 'Require "
                           "phishing-resistant MFA for administrators'",
        },
        lessons=["british-library-2023", "advanced-2022"],
        frameworks=FrameworkRefs(caf=["B2.a", "B2.c"], nist_csf=["PR.AA-03"], cis=["6.5"],
                                 iso27001=["A.8.2", "A.8.5"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        def scope(account):
            # Root accounts are judged once, by identity_root_mfa.
            return False if account.kind == AccountKind.ROOT else account.privileged

        yield from evaluate_mfa(self, ctx, "privileged", "a privileged account", scope,
                                question="are privileged")
