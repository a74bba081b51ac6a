"""Supplier and third-party accounts use MFA."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, evaluate_mfa

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import AccountKind, DataKind, Domain, Hosting, Severity


class IdentitySupplierMfa(IdentityCheck):
    meta = CheckMeta(
        id="identity_supplier_mfa",
        title="Supplier and third-party accounts use MFA",
        domain=Domain.IDENTITY,
        severity=Severity.CRITICAL,
        rationale=(
            "Third parties log on from networks you do not control with passwords you cannot "
            "see. Compromised third-party credentials on a server without MFA are the likely "
            "way into the British Library; a customer account without MFA opened Advanced; "
            "Kaseya showed how far a supplier's access reaches."
        ),
        remediation=(
            "Require MFA for every supplier, MSP and partner account, make supplier access "
            "time-bound, and disable accounts of suppliers no longer engaged."
        ),
        remediation_steps={
            Hosting.ONPREM: "Route supplier access through a PAM or MFA-enforcing gateway; "
                            "set accountExpires on supplier AD accounts",
            Hosting.AWS: "Give suppliers cross-account roles whose trust policy requires "
                         "aws:MultiFactorAuthPresent, instead of IAM users",
            Hosting.AZURE: "Conditional Access for guests/external users requiring MFA; "
                           "Entra ID access reviews for guest accounts",
        },
        lessons=["advanced-2022", "kaseya-2021", "british-library-2023"],
        frameworks=FrameworkRefs(caf=["B2.a", "A4.a"], nist_csf=["PR.AA-03", "GV.SC-07"],
                                 cis=["6.3", "6.4"], iso27001=["A.5.19", "A.8.5"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        def scope(account):
            return account.kind == AccountKind.SUPPLIER or bool(account.supplier)

        yield from evaluate_mfa(self, ctx, "supplier", "a supplier or third-party account", scope,
                                question="are supplier accounts")
