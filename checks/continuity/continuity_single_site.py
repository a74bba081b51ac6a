"""Services whose tier forbids it do not depend on any system that runs at one site only."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.continuity._services import location, names, service_policy, supplier_run

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity


class ContinuitySingleSite(Check):
    meta = CheckMeta(
        id="continuity_single_site",
        title="Critical services survive the loss of one site",
        domain=Domain.CONTINUITY,
        severity=Severity.HIGH,
        rationale=(
            "When one building or data centre is lost, to fire, flood or an attacker who owns "
            "everything in it, a service survives only if each of its systems can run "
            "somewhere else. Copeland kept paying benefits because those systems ran on "
            "off-site servers; Hackney lost everything hosted on its own servers."
        ),
        remediation=(
            "Give each system of a service in a tier with single_site_allowed: false a standby "
            "or replica at another site (failover_site), or move it to a hosting that spans "
            "sites."
        ),
        lessons=["copeland-2017", "hackney-2020"],
        frameworks=FrameworkRefs(caf=["B5.b"], nist_csf=["PR.IR-03"], iso27001=["A.8.14"]),
        needs=[DataKind.SERVICES, DataKind.SYSTEMS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for service in ctx.estate.services:
            tier = service_policy(ctx, service)
            if tier is None or tier.single_site_allowed:
                continue
            systems = [ctx.estate.system_by_id[s] for s in service.systems
                       if s in ctx.estate.system_by_id]
            ours = [s for s in systems if not supplier_run(s)]
            if not systems:
                yield self.errored(ctx, service, "No systems are recorded for this service, so "
                                   "where it runs is not known.")
                continue
            if not ours:
                yield self.passed(ctx, service, "All its systems are supplier-run (SaaS).")
                continue
            single, unknown = [], []
            for system in ours:
                where = location(system)
                if where is None:
                    unknown.append(system.id)
                elif system.failover_site is None or system.failover_site == where:
                    single.append(f"{system.id} ({where})")
            if single:
                yield self.failed(ctx, service, "Systems with no failover site: "
                                  f"{names(single)}; losing that site stops the service.")
            elif unknown:
                yield self.errored(ctx, service, f"Where these systems run is not known: "
                                   f"{names(unknown)}.")
            else:
                yield self.passed(ctx, service, "Every system it runs on has a failover site.")
