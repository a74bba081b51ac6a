"""Suppliers with remote access to the estate use MFA to get in."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity


class ContinuitySupplierAccessMfa(Check):
    meta = CheckMeta(
        id="continuity_supplier_access_mfa",
        title="Suppliers with remote access use MFA",
        domain=Domain.CONTINUITY,
        severity=Severity.CRITICAL,
        rationale=(
            "A supplier's way in is your way in for whoever compromises the supplier. Kaseya's "
            "remote-management channel encrypted hundreds of downstream organisations; "
            "Advanced was entered through a customer account without MFA; the British Library "
            "most likely through third-party credentials on a server without MFA."
        ),
        remediation=(
            "Record every supplier with remote or push access, require MFA on that access, "
            "and restrict it to known addresses or a gateway you control."
        ),
        lessons=["kaseya-2021", "advanced-2022", "british-library-2023"],
        frameworks=FrameworkRefs(caf=["A4.a", "B2.a"], nist_csf=["GV.SC-07", "PR.AA-03"],
                                 cis=["6.4", "15.1"], iso27001=["A.5.19", "A.5.21"]),
        needs=[DataKind.SUPPLIERS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for supplier in ctx.estate.suppliers:
            if supplier.remote_access is False:
                continue
            if supplier.mfa is True:
                yield self.passed(ctx, supplier, "Remote access requires MFA.")
            elif supplier.remote_access is None:
                yield self.errored(ctx, supplier, "Whether this supplier has remote access is not "
                                   "known.")
            elif supplier.mfa is False:
                yield self.failed(ctx, supplier, "Has remote access to the estate without MFA.")
            else:
                yield self.errored(ctx, supplier, "Has remote access; whether it requires MFA is "
                                   "not known.")
