"""Which systems a scenario hits, and how the loss spreads through dependencies."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from resilience.model import Estate, System
from resilience.scenarios.interface import (
    Scenario,
    SystemEffect,
    SystemFlag,
    SystemState,
    Unknown,
)
from resilience.scenarios.matching import bind, evaluate, rule_values

_LABEL = {"identity_domain": "directory", "trust_domain": "trust domain"}


@dataclass
class SystemHit:
    """What the scenario's rules did to one system."""

    state: SystemState = SystemState.RUNNING
    reasons: list[str] = field(default_factory=list)
    assumed: bool = False
    waits_for: list[str] = field(default_factory=list)


def provided_by(estate: Estate) -> dict[str, set[str]]:
    """Service or system id -> the suppliers that say they provide it."""
    out: dict[str, set[str]] = {}
    for sup in estate.suppliers:
        for pid in sup.provides:
            out.setdefault(pid, set()).add(sup.id)
    return out


def suppliers_of(estate: Estate, system: System,
                 index: dict[str, set[str]] | None = None) -> list[str]:
    """The suppliers behind a system: its own, and any that say they provide it or its services."""
    index = provided_by(estate) if index is None else index
    names = {system.supplier} if system.supplier else set()
    names |= index.get(system.id, set())
    for svc in estate.services_by_system.get(system.id, []):
        names |= index.get(svc.id, set())
    return sorted(names)


def system_field(estate: Estate, system: System, name: str,
                 index: dict[str, set[str]] | None = None):
    if name == "supplier":
        return suppliers_of(estate, system, index)
    value = getattr(system, name)
    return None if value is None else getattr(value, "value", value)


def _failover_spares(system: System, when: dict, params: dict[str, str]) -> bool:
    """A failover site outside every site/region the rule names keeps the system running."""
    reach = [v for key in ("site", "region") if key in when
             for v in rule_values(when[key], params)]
    return bool(reach) and system.failover_site is not None and system.failover_site not in reach


def apply_system_rules(estate: Estate, scenario: Scenario,
                       params: dict[str, str]) -> dict[str, SystemHit]:
    """Each system's state after the scenario's rules, before dependencies are considered."""
    hits: dict[str, SystemHit] = {}
    index = provided_by(estate)
    rules = [(rule, bind(rule.when, params)) for rule in scenario.systems]
    for system in estate.systems:
        hit = SystemHit()
        for rule, bound in rules:
            result = evaluate(bound, lambda n, s=system: system_field(estate, s, n, index))
            if not result.matched:
                continue
            if result.unknown and rule.if_unknown is Unknown.SPARED:
                continue
            if SystemFlag.FAILOVER in rule.unless and _failover_spares(system, rule.when, params):
                if hit.state is SystemState.RUNNING:
                    hit.state = SystemState.FAILED_OVER
                    hit.reasons.append(f"{rule.because}; fails over to {system.failover_site}")
                continue
            reason = rule.because
            if result.unknown:
                missing = ", ".join(_LABEL.get(u, u) for u in result.unknown)
                reason += f" (its {missing} is not recorded: assumed affected)"
                hit.assumed = True
            state = (SystemState.DESTROYED if rule.effect is SystemEffect.DESTROYED
                     else SystemState.UNAVAILABLE)
            if hit.state in (SystemState.RUNNING, SystemState.FAILED_OVER) or (
                    state is SystemState.DESTROYED and hit.state is SystemState.UNAVAILABLE):
                if hit.state is SystemState.FAILED_OVER:
                    hit.reasons.clear()
                hit.state = state
            hit.reasons.append(reason)
        hits[system.id] = hit
    return hits


def propagate(estate: Estate, hits: dict[str, SystemHit]) -> None:
    """Mark running systems that need a down system (directly or through others) as down too.

    A breadth-first walk over reversed dependencies: each system is visited once, so dependency
    cycles cannot loop."""
    down = {sid for sid, h in hits.items()
            if h.state in (SystemState.DESTROYED, SystemState.UNAVAILABLE)}
    needed_by: dict[str, list[str]] = {}
    for system in estate.systems:
        for dep in system.depends_on:
            needed_by.setdefault(dep, []).append(system.id)
    queue = deque(sorted(down))
    seen = set(down)
    while queue:
        current = queue.popleft()
        for user in needed_by.get(current, []):
            hit = hits.get(user)
            if hit is None:
                continue
            if current not in hit.waits_for:
                hit.waits_for.append(current)
            if user in seen:
                continue
            seen.add(user)
            if hit.state in (SystemState.RUNNING, SystemState.FAILED_OVER):
                hit.state = SystemState.DEPENDENCY_DOWN
                hit.reasons.append(f"needs {estate.system_by_id[current].name}, which is down")
            queue.append(user)


def service_hits(estate: Estate, scenario: Scenario,
                 params: dict[str, str]) -> dict[str, list[str]]:
    """Services the scenario hits directly (not through their systems), with the reasons."""
    out: dict[str, list[str]] = {}
    rules = [(rule, bind(rule.when, params)) for rule in scenario.services]
    for svc in estate.services:
        for rule, bound in rules:
            def get(name: str, s=svc):
                if name == "id":
                    return s.id
                names = set(s.suppliers) | {sup.id for sup in estate.suppliers
                                            if s.id in sup.provides}
                return sorted(names)

            result = evaluate(bound, get)
            if result.matched and not (result.unknown and rule.if_unknown is Unknown.SPARED):
                out.setdefault(svc.id, []).append(rule.because)
    return out
