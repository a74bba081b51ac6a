"""Incident-response and continuity plans have a copy that survives the IT they describe."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity


class ContinuityPlanOffline(Check):
    meta = CheckMeta(
        id="continuity_plan_offline",
        title="Plans are held offline",
        domain=Domain.CONTINUITY,
        severity=Severity.HIGH,
        rationale=(
            "SEPA's incident response plan was on the servers that were encrypted, with no "
            "offline copy. The HSE lost email and networked phones with everything else. A plan "
            "you cannot open when the network is down is no plan."
        ),
        remediation=(
            "Keep printed copies and an offline electronic copy (e.g. on encrypted USB in a "
            "safe, or a separate cloud tenant) of every plan and its contact lists, and record "
            "where they are."
        ),
        lessons=["sepa-2020", "hse-2021"],
        frameworks=FrameworkRefs(caf=["D1.a"], nist_csf=["ID.IM-04"], cis=["17.4"],
                                 iso27001=["A.5.24", "A.5.29"]),
        needs=[DataKind.PLANS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for plan in ctx.estate.plans:
            where = f" ({plan.location})" if plan.location else ""
            if plan.offline_copy is True:
                yield self.passed(ctx, plan, f"An offline copy exists{where}.")
            elif plan.offline_copy is False:
                yield self.failed(ctx, plan, f"No offline copy{where}: it will be lost with the "
                                  "systems it is meant to recover.")
            else:
                yield self.errored(ctx, plan, "Whether an offline copy exists is not known.")
