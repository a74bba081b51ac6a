"""Supplier contracts oblige the supplier to report breaches promptly."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity


class ContinuitySupplierBreachClause(Check):
    meta = CheckMeta(
        id="continuity_supplier_breach_clause",
        title="Supplier contracts require breach notification",
        domain=Domain.CONTINUITY,
        severity=Severity.MEDIUM,
        rationale=(
            "Your 72-hour clock with the ICO can start inside a supplier. Capita took about six "
            "weeks to tell pension clients to assume their data was stolen; Advanced became "
            "the first processor fined under UK GDPR. A contract clause is what makes a "
            "supplier tell you in time."
        ),
        remediation=(
            "Add a clause obliging the supplier to notify you of any security incident "
            "affecting your service or data without undue delay (e.g. within 24 hours), with "
            "the details you need for your own ICO report."
        ),
        lessons=["capita-2023", "advanced-2022", "ico-breach-reporting"],
        frameworks=FrameworkRefs(caf=["A4.a"], nist_csf=["GV.SC-07", "RS.MA-01"], cis=["15.4"],
                                 iso27001=["A.5.20"]),
        needs=[DataKind.SUPPLIERS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for supplier in ctx.estate.suppliers:
            if supplier.breach_notification_clause is True:
                yield self.passed(ctx, supplier, "The contract requires breach notification.")
            elif supplier.breach_notification_clause is False:
                yield self.failed(ctx, supplier, "The contract has no breach notification clause.")
            else:
                yield self.errored(ctx, supplier, "Whether the contract requires breach "
                                   "notification is not known.")
