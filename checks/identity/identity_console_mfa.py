"""Accounts that can sign in to a management console use MFA."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, evaluate_mfa

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class IdentityConsoleMfa(IdentityCheck):
    meta = CheckMeta(
        id="identity_console_mfa",
        title="Console users use MFA",
        domain=Domain.IDENTITY,
        severity=Severity.HIGH,
        rationale=(
            "A cloud or management console reachable from the internet with a password alone "
            "lets anyone holding that password delete servers and backups. Advanced was "
            "breached through a customer account without MFA on an internet-facing platform; "
            "CISA's #StopRansomware guide asks for MFA on every externally exposed service."
        ),
        remediation="Require MFA for every account with console (interactive web) sign-in.",
        remediation_steps={
            Hosting.AWS: "aws iam generate-credential-report; users with password_enabled=true "
                         "and mfa_active=false need aws iam enable-mfa-device",
            Hosting.AZURE: "Conditional Access > 'Require MFA for all users' (or Security "
                           "defaults) covering the Azure portal and Microsoft admin portals",
            Hosting.ONPREM: "Put web consoles (backup, hypervisor, storage) behind an MFA "
                            "identity provider or PAM gateway",
        },
        lessons=["advanced-2022", "cisa-stopransomware"],
        frameworks=FrameworkRefs(caf=["B2.a"], nist_csf=["PR.AA-03"], cis=["6.3"],
                                 iso27001=["A.8.5"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        yield from evaluate_mfa(self, ctx, "console", "an account with console sign-in",
                                lambda account: account.console_access,
                                question="can sign in to a management console")
