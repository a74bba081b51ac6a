"""Suppliers' remote access is reviewed within the policy's maximum age."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.continuity._services import age_text

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity


class ContinuitySupplierAccessReviewed(Check):
    meta = CheckMeta(
        id="continuity_supplier_access_reviewed",
        title="Supplier remote access is reviewed",
        domain=Domain.CONTINUITY,
        severity=Severity.MEDIUM,
        rationale=(
            "Supplier access outlives the contract that justified it. The British Library's "
            "governance group had flagged third-party access in late 2022 with a review planned "
            "for 2024; the attack came first. After Kaseya, CISA and the FBI told customers to "
            "audit every MSP and remote-management account."
        ),
        remediation=(
            "Review each supplier's remote access (who, what, from where, still needed?) at "
            "least every continuity.supplier_review_max_age and record the date."
        ),
        lessons=["british-library-2023", "kaseya-2021"],
        frameworks=FrameworkRefs(caf=["A4.a"], nist_csf=["GV.SC-07", "PR.AA-05"], cis=["15.1"],
                                 iso27001=["A.5.22"]),
        needs=[DataKind.SUPPLIERS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        limit = ctx.policy.continuity.supplier_review_max_age
        for supplier in ctx.estate.suppliers:
            if supplier.remote_access is False:
                continue
            if supplier.remote_access is None:
                yield self.errored(ctx, supplier, "Whether this supplier has remote access is not "
                                   "known.")
            elif supplier.access_reviewed is None:
                yield self.errored(ctx, supplier, "Has remote access; when it was last reviewed "
                                   "is not recorded (if never, review it).")
            elif (age := ctx.now - supplier.access_reviewed) > limit:
                yield self.failed(ctx, supplier, f"Remote access last reviewed {age_text(age)} "
                                  f"ago; the limit is {age_text(limit)}.")
            else:
                yield self.passed(ctx, supplier, f"Remote access reviewed {age_text(age)} ago.")
