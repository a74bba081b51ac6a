"""Which systems a scenario hits, and how the loss spreads through dependencies."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from operator import itemgetter

from resilience.model import Estate, System
from resilience.scenarios.interface import (
    Scenario,
    SystemEffect,
    SystemFlag,
    SystemRule,
    SystemState,
    Unknown,
)
from resilience.scenarios.matching import Bound, bind, evaluate, rule_values

_LABEL = {"identity_domain": "directory", "trust_domain": "trust domain"}


@dataclass(slots=True)
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
    """The state of each system the scenario's rules touch, before dependencies are considered.
    A system they leave running, with nothing to say, is not in the result.

    What the rules do to a system depends only on the fields they name (and its failover site),
    and an estate repeats the same few combinations across thousands of systems: each
    combination is judged once."""
    hits: dict[str, SystemHit] = {}
    index = provided_by(estate)
    rules = [(rule, bind(rule.when, params)) for rule in scenario.systems]
    named = {name for _, bound in rules for name, _ in bound}
    read = sorted(named - {"supplier"})
    if any(SystemFlag.FAILOVER in rule.unless for rule, _ in rules):
        read.append("failover_site")
    own = itemgetter(*read) if read else None
    by_supplier = "supplier" in named
    verdicts: dict[tuple, tuple[SystemState, tuple[str, ...], bool] | None] = {}
    for system in estate.systems:
        key = (None if own is None else own(system.__dict__),  # validated values, read directly
               tuple(suppliers_of(estate, system, index)) if by_supplier else None)
        try:
            verdict = verdicts[key]
        except KeyError:
            judged = _judge_system(estate, system, rules, params, index)
            untouched = (judged.state is SystemState.RUNNING and not judged.reasons
                         and not judged.assumed)
            verdict = verdicts[key] = None if untouched else (
                judged.state, tuple(judged.reasons), judged.assumed)
        if verdict is not None:
            hits[system.id] = SystemHit(verdict[0], list(verdict[1]), verdict[2])
        elif system.id in hits:  # a later system with the same id wins, as everywhere else
            del hits[system.id]
    return hits


def _judge_system(estate: Estate, system: System, rules: list[tuple[SystemRule, Bound]],
                  params: dict[str, str], index: dict[str, set[str]]) -> SystemHit:
    """What the rules do to one system."""
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
    return hit


def users_of(estate: Estate) -> dict[str, list[str]]:
    """System id -> the systems that depend on it, in estate order."""
    needed_by: dict[str, list[str]] = {}
    for system in estate.systems:
        for dep in system.depends_on:
            users = needed_by.get(dep)
            if users is None:
                needed_by[dep] = [system.id]
            else:
                users.append(system.id)
    return needed_by


def propagate(estate: Estate, hits: dict[str, SystemHit],
              needed_by: dict[str, list[str]] | None = None) -> None:
    """Mark running systems that need a down system (directly or through others) as down too,
    adding them to ``hits`` if the rules left them untouched.

    A breadth-first walk over reversed dependencies: each system is visited once, so dependency
    cycles cannot loop. ``needed_by`` is ``users_of(estate)``, when the caller has it."""
    down = {sid for sid, h in hits.items()
            if h.state is SystemState.DESTROYED or h.state is SystemState.UNAVAILABLE}
    if needed_by is None:
        needed_by = users_of(estate)
    queue = deque(sorted(down))
    seen = set(down)
    while queue:
        current = queue.popleft()
        for user in needed_by.get(current, []):
            hit = hits.get(user)
            if hit is None:  # untouched by the rules, running until now
                hit = hits[user] = SystemHit()
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
