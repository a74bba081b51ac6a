"""Accounts that can log on remotely (VPN, RDS, Citrix, RMM) use MFA."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, evaluate_mfa

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class IdentityRemoteAccessMfa(IdentityCheck):
    meta = CheckMeta(
        id="identity_remote_access_mfa",
        title="Remote-access accounts use MFA",
        domain=Domain.IDENTITY,
        severity=Severity.CRITICAL,
        rationale=(
            "Remote access is the front door. Colonial Pipeline was entered through a "
            "single-factor VPN account whose password had leaked; the British Library most "
            "likely through a Terminal Services server without MFA; Advanced through a Citrix "
            "account without MFA; Kaseya's customers through remote-management tooling. The "
            "NCSC's ransomware guidance asks for MFA on every remote-access route."
        ),
        remediation=(
            "Require MFA on every VPN, RDS/Terminal Services, Citrix, jump host and RMM "
            "account; list any exception with an owner and an expiry date."
        ),
        remediation_steps={
            Hosting.ONPREM: "Enforce MFA at the VPN/RD Gateway/Citrix Gateway (RADIUS MFA, "
                            "NPS extension); remove remote-access group membership from "
                            "accounts that cannot use MFA",
            Hosting.AWS: "Require MFA in the Client VPN / SSM Session Manager path (IAM "
                         "Identity Center with MFA, aws:MultiFactorAuthPresent conditions)",
            Hosting.AZURE: "Conditional Access policy requiring MFA for Azure VPN, Azure "
                           "Virtual Desktop and Bastion sign-ins",
        },
        lessons=["colonial-2021", "british-library-2023", "advanced-2022", "kaseya-2021",
                 "ncsc-ransomware-guidance"],
        frameworks=FrameworkRefs(caf=["B2.a"], nist_csf=["PR.AA-03"], cis=["6.4"],
                                 iso27001=["A.8.5"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        yield from evaluate_mfa(self, ctx, "remote", "a remote-access account",
                                lambda account: account.remote_access,
                                question="can log on remotely (VPN, RDS, Citrix or RMM)")
