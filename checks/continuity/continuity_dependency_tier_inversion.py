"""No service depends on a service or system held to a less critical tier than its own."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.continuity._services import names

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Service, Severity


class ContinuityDependencyTierInversion(Check):
    meta = CheckMeta(
        id="continuity_dependency_tier_inversion",
        title="Services do not depend on less critical tiers",
        domain=Domain.CONTINUITY,
        severity=Severity.HIGH,
        rationale=(
            "A tier-1 service that needs a tier-3 database comes back no sooner than tier 3 "
            "allows: its RTO is a fiction. Redcar restored systems in an order set by service "
            "need, and Atlanta lost track of which of its 424 programs mattered; the tiers in "
            "the register must agree with the dependencies behind them."
        ),
        remediation=(
            "Raise the dependency to the service's tier (backups, restore tests, redundancy), "
            "or lower the service's tier and its promised RTO."
        ),
        lessons=["redcar-2020", "atlanta-2018"],
        frameworks=FrameworkRefs(caf=["A3.a", "B5.a"], nist_csf=["ID.AM-05", "GV.OC-04"],
                                 iso27001=["A.5.30"]),
        needs=[DataKind.SERVICES, DataKind.SYSTEMS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        if not ctx.policy.continuity.dependency_tier_inversion:
            return
        for service in ctx.estate.services:
            if service.tier is None:
                continue
            lower, unknown = self._dependencies(ctx, service, service.tier)
            if lower:
                yield self.failed(ctx, service, f"Tier {service.tier} service depends on "
                                  f"less critical: {names(lower)}.")
            elif unknown:
                yield self.errored(ctx, service, "The tier of some dependencies is not known: "
                                   f"{names(unknown)}.")
            else:
                yield self.passed(ctx, service, f"All dependencies are tier {service.tier} or "
                                  "more critical.")

    def _dependencies(self, ctx: CheckContext, service: Service,
                      tier: int) -> tuple[set[str], set[str]]:
        lower: set[str] = set()
        unknown: set[str] = set()
        for dep_id in service.depends_on:
            dep = ctx.estate.service_by_id.get(dep_id)
            if dep is None or dep.tier is None:
                unknown.add(f"service {dep_id}")
            elif dep.tier > tier:
                lower.add(f"service {dep_id} (tier {dep.tier})")
        # The service's own systems: an explicit lower tier is an inversion.
        seen: set[str] = set()
        stack: list[str] = []
        for sid in service.systems:
            system = ctx.estate.system_by_id.get(sid)
            if system is None:
                continue
            if system.tier is not None and system.tier > tier:
                lower.add(f"system {sid} (tier {system.tier})")
            stack.extend(system.depends_on)
        # Everything those systems depend on, transitively.
        while stack:
            sid = stack.pop()
            if sid in seen:
                continue
            seen.add(sid)
            system = ctx.estate.system_by_id.get(sid)
            if system is None:
                unknown.add(f"system {sid}")
                continue
            dep_tier = ctx.tier_of(system)
            if dep_tier is None:
                unknown.add(f"system {sid}")
            elif dep_tier > tier:
                lower.add(f"system {sid} (tier {dep_tier})")
            stack.extend(system.depends_on)
        return lower, unknown
