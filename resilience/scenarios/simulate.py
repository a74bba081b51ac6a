"""``simulate``: apply a scenario to an estate and work out what runs, what can come back,
in which order and how long it takes."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from resilience.config import RestoreSettings
from resilience.durations import format_duration
from resilience.gcpause import gc_paused
from resilience.model import Estate, Hosting, Service, System, SystemKind
from resilience.model.construct import construct
from resilience.policy import Policy
from resilience.scenarios.gaps import COPY_CODE_GAP, gap
from resilience.scenarios.interface import (
    STATUS_RANK,
    CopyOutcome,
    Gap,
    GapCode,
    Recovery,
    RestoreStep,
    Scenario,
    ServiceOutcome,
    ServiceStatus,
    Simulation,
    SystemOutcome,
    SystemState,
)
from resilience.scenarios.loading import parameter_warnings, resolve_parameters
from resilience.scenarios.ordering import KIND_RANK, cycles, restore_order
from resilience.scenarios.propagation import apply_system_rules, propagate, service_hits
from resilience.scenarios.survival import best_copy, judge_copies
from resilience.scenarios.timeline import clock, rto_for, schedule, step_duration

_DOWN = (SystemState.DESTROYED, SystemState.UNAVAILABLE, SystemState.DEPENDENCY_DOWN)
_WORKS = (Recovery.RESTORE, Recovery.REBUILD, Recovery.AFTER_DEPENDENCIES)
_DEAD = (Recovery.NO_VIABLE_PATH, Recovery.BLOCKED)
_HOSTILE_CREDENTIALS = ("The attacker may hold the credentials that reach this copy. Use "
                        "break-glass or offline credentials from a clean device, and check the "
                        "copy predates the intrusion.")


@dataclass(frozen=True)
class SimulationOptions:
    """Parameters for the scenario and how restores are timed."""

    params: dict[str, str] = field(default_factory=dict)
    restore: RestoreSettings = field(default_factory=RestoreSettings)
    as_of: datetime | None = None


# Kinds that hold no business data of their own: with no surviving copy they can still be
# rebuilt from install media, vendor images or configuration (slowly, if it is not documented).
# A directory can be rebuilt too, as a new, empty one: its accounts and groups are lost.
REBUILDABLE_KINDS = frozenset({SystemKind.NETWORK, SystemKind.SERVER, SystemKind.VM,
                               SystemKind.ENDPOINT, SystemKind.BACKUP_SERVER,
                               SystemKind.TELEPHONY, SystemKind.DIRECTORY})


# Kinds whose worth is their data: rebuilding one gives back an empty shell.
DATA_KINDS = frozenset({SystemKind.DATABASE, SystemKind.FILE_SHARE, SystemKind.STORAGE,
                        SystemKind.BUCKET, SystemKind.SAAS})


def rebuildable(system: System, copies: Sequence[object]) -> bool:
    """Whether a system with no surviving copy can still be brought back by rebuilding it.

    Infrastructure always can (slowly, if the rebuild is not documented); an on-prem storage
    array counts as infrastructure (its data belongs to the systems on it, which have their
    own copies). An application can when a tested rebuild is documented (its data lives in
    the databases and shares it needs, which the simulation follows as dependencies). A
    data store only when it never had a copy and its rebuild is documented (it holds nothing
    that needs one)."""
    if system.kind in REBUILDABLE_KINDS:
        return True
    if system.kind is SystemKind.STORAGE and system.hosting is Hosting.ONPREM:
        return True
    if system.rebuild_documented is not True:
        return False
    return system.kind not in DATA_KINDS or not copies


def _first_recovery(system: System, state: SystemState, copies: list[CopyOutcome]
                    ) -> tuple[Recovery, CopyOutcome | None]:
    if state in (SystemState.RUNNING, SystemState.FAILED_OVER):
        return Recovery.NOT_NEEDED, None
    if state is SystemState.DEPENDENCY_DOWN:
        return Recovery.AFTER_DEPENDENCIES, None
    chosen = best_copy(copies)
    if state is SystemState.UNAVAILABLE:
        if system.hosting is Hosting.SAAS:
            return Recovery.WAIT_FOR_PROVIDER, None
        if chosen is not None:
            return Recovery.RESTORE, chosen
        if rebuildable(system, copies):
            return Recovery.REBUILD, None
        return Recovery.WAIT_FOR_PROVIDER, None
    if chosen is not None:
        return Recovery.RESTORE, chosen
    if rebuildable(system, copies):
        return Recovery.REBUILD, None
    return Recovery.NO_VIABLE_PATH, None


def _spread_blocks(estate: Estate, recovery: dict[str, Recovery],
                   blocked_by: dict[str, list[str]], reasons: dict[str, list[str]]) -> None:
    """A system that needs one with no viable path is blocked; one that needs a system waiting
    on its provider waits too. Two breadth-first walks over reversed dependencies (blocking
    first, as it is the worse), each visiting a system once: linear, and cycles cannot loop."""
    needed_by: dict[str, list[str]] = {}
    for system in estate.systems:
        for dep in system.depends_on:
            needed_by.setdefault(dep, []).append(system.id)
    for sources, becomes, words in (
            (_DEAD, Recovery.BLOCKED, "cannot be brought back"),
            ((Recovery.WAIT_FOR_PROVIDER,), Recovery.WAIT_FOR_PROVIDER, "waits for its provider")):
        queue = deque(sorted(sid for sid, rec in recovery.items() if rec in sources))
        while queue:
            current = queue.popleft()
            for user in needed_by.get(current, []):
                if recovery[user] not in _WORKS:
                    continue
                recovery[user] = becomes
                if becomes is Recovery.BLOCKED:
                    blocked_by[user].append(current)
                reasons[user].append(f"needs {estate.system_by_id[current].name}, which {words}")
                queue.append(user)


def _effective_tiers(estate: Estate) -> dict[str, int]:
    """Each system's most critical tier: its own, or that of anything that needs it, directly
    or not (a hypervisor under a tier-1 database is tier 1). Visits each edge once per
    improvement, so cycles terminate."""
    best = {s.id: t for s in estate.systems if (t := estate.system_tier(s)) is not None}
    queue = deque(sorted(best, key=lambda sid: best[sid]))
    while queue:
        sid = queue.popleft()
        for dep in estate.system_by_id[sid].depends_on:
            if dep in estate.system_by_id and best[sid] < best.get(dep, 99):
                best[dep] = best[sid]
                queue.append(dep)
    return best


def _backup_admins(estate: Estate) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a in estate.accounts:
        if a.trust_domain and a.backup_admin and a.enabled is not False:
            out.setdefault(a.trust_domain, []).append(a.name)
    return {k: sorted(v) for k, v in out.items()}


def _who(estate: Estate, trust_domain: str | None, admins_by_domain: dict[str, list[str]]
         ) -> list[str]:
    if trust_domain is None:
        return ["trust domain not recorded: find out who can reach this copy"]
    domain = estate.trust_domain_by_id.get(trust_domain)
    label = f"{domain.name} ({trust_domain})" if domain else trust_domain
    admins = admins_by_domain.get(trust_domain, [])
    out = [f"administrators of {label}"]
    if admins:
        shown = ", ".join(admins[:5]) + (f" and {len(admins) - 5} more" if len(admins) > 5 else "")
        out.append(f"backup administrators: {shown}")
    return out


@gc_paused()
def simulate(estate: Estate, policy: Policy, scenario: Scenario,
             options: SimulationOptions | None = None) -> Simulation:
    """Run ``scenario`` against ``estate``; pure: the estate is not changed."""
    options = options or SimulationOptions()
    params = resolve_parameters(scenario, estate, options.params)
    hits = apply_system_rules(estate, scenario, params)
    propagate(estate, hits)
    copies = judge_copies(estate, scenario, params)

    recovery: dict[str, Recovery] = {}
    chosen: dict[str, CopyOutcome | None] = {}
    reasons = {s.id: list(hits[s.id].reasons) for s in estate.systems}
    blocked_by: dict[str, list[str]] = {s.id: [] for s in estate.systems}
    for system in estate.systems:
        recovery[system.id], chosen[system.id] = _first_recovery(
            system, hits[system.id].state, copies.get(system.id, []))
    _spread_blocks(estate, recovery, blocked_by, reasons)

    # Order and time the systems that can come back.
    nodes = [s.id for s in estate.systems if recovery[s.id] in _WORKS]
    needs = {s.id: list(s.depends_on) for s in estate.systems}

    urgency = _effective_tiers(estate)

    def priority(sid: str):
        system = estate.system_by_id[sid]
        return (KIND_RANK.get(system.kind, 2), urgency.get(sid, 99), sid)

    order, in_cycle = restore_order(nodes, needs, priority)
    times = {sid: step_duration(estate.system_by_id[sid].kind, recovery[sid], chosen[sid],
                                options.restore) for sid in order}
    slots = schedule(order, {k: v.value for k, v in times.items()}, needs, in_cycle,
                     options.restore)
    services_of = {sid: [s.id for s in svcs] for sid, svcs in estate.services_by_system.items()}
    admins = _backup_admins(estate)
    steps: list[RestoreStep] = []
    for i, sid in enumerate(order, start=1):
        system = estate.system_by_id[sid]
        copy = chosen[sid]
        steps.append(RestoreStep(
            order=i, system=sid, name=system.name, action=recovery[sid],
            copy_id=copy.id if copy else None, where=copy.where if copy else None,
            who=_who(estate, copy.trust_domain, admins) if copy else [],
            caution=(_HOSTILE_CREDENTIALS if copy and scenario.attack
                     and copy.trust_domain in params.values() else None),
            trust_domain=copy.trust_domain if copy else None,
            duration=times[sid].value, duration_source=times[sid].source,
            duration_basis=times[sid].basis, start=slots[sid].start, finish=slots[sid].finish,
            after=[d for d in system.depends_on
                   if d in slots and d != sid and slots[d].finish <= slots[sid].start],
            in_cycle=sid in in_cycle, services=services_of.get(sid, []),
        ))

    systems_out = [
        construct(SystemOutcome,   # from validated estate data; see CopyOutcome
            id=s.id, name=s.name, kind=s.kind.value, hosting=s.hosting.value,
            tier=estate.system_tier(s), state=hits[s.id].state, reasons=reasons[s.id],
            assumed=hits[s.id].assumed, recovery=recovery[s.id],
            copy_id=(chosen[s.id].id if chosen[s.id] and recovery[s.id] is Recovery.RESTORE
                     else None),
            copies=copies.get(s.id, []), waits_for=sorted(hits[s.id].waits_for),
            blocked_by=blocked_by[s.id], services=services_of.get(s.id, []),
        )
        for s in estate.systems
    ]
    by_id = {s.id: s for s in systems_out}
    finish = {st.system: st.finish for st in steps}
    services_out = _services(estate, policy, by_id, finish,
                             service_hits(estate, scenario, params))
    system_cycles = cycles([s.id for s in estate.systems], needs)
    sim = Simulation(
        scenario=scenario.id, title=scenario.title, summary=scenario.summary,
        organisation=estate.organisation.name, parameters=params, as_of=options.as_of,
        mobilisation=options.restore.mobilisation,
        parallel_streams=options.restore.parallel_streams,
        services=services_out, systems=systems_out, restore_plan=steps, cycles=system_cycles,
        lessons=list(scenario.lessons),
    )
    sim.gaps.extend(_gaps(estate, policy, sim, in_cycle))
    sim.warnings.extend(parameter_warnings(scenario, params) + _warnings(estate, sim))
    return sim


def _service_base(svc: Service, systems: dict[str, SystemOutcome], finish: dict[str, timedelta],
                  direct: list[str]) -> tuple[ServiceStatus, list[str], timedelta | None]:
    status = ServiceStatus.RUNNING
    why: list[str] = list(direct)
    back: timedelta | None = timedelta(0)
    if direct:
        status = ServiceStatus.DOWN_WAITING
        back = None
    for sid in svc.systems:
        out = systems.get(sid)
        if out is None or out.state not in _DOWN:
            continue
        if out.recovery in _DEAD:
            new = ServiceStatus.DOWN_UNRECOVERABLE
            why.append(f"{out.name}: no viable restore path"
                       + (f" (needs {', '.join(out.blocked_by)})" if out.blocked_by else ""))
        elif out.recovery is Recovery.WAIT_FOR_PROVIDER:
            new = ServiceStatus.DOWN_WAITING
            why.append(f"{out.name}: down until its provider recovers")
        else:
            new = ServiceStatus.DOWN_RECOVERABLE
            why.append(f"{out.name}: {out.state.value}")
        if STATUS_RANK[new] > STATUS_RANK[status]:
            status = new
        if new is ServiceStatus.DOWN_RECOVERABLE and back is not None:
            back = max(back, finish.get(sid, timedelta(0)))
        else:
            back = None
    return status, why, back


def _services(estate: Estate, policy: Policy, systems: dict[str, SystemOutcome],
              finish: dict[str, timedelta], direct: dict[str, list[str]]) -> list[ServiceOutcome]:
    base = {svc.id: _service_base(svc, systems, finish, direct.get(svc.id, []))
            for svc in estate.services}
    status = {k: v[0] for k, v in base.items()}
    why = {k: list(v[1]) for k, v in base.items()}
    back = {k: v[2] for k, v in base.items()}
    # Spread through service dependencies. A service that needs a down service is down too, and
    # back no sooner than it; but whether its own data can be restored is judged on its own
    # systems (system dependencies already block what truly cannot run), so a needed service
    # with no viable path makes it down with no known time, not unrecoverable itself.
    # Monotone, so dependency cycles settle.
    for _ in range(len(estate.services) + 1):
        changed = False
        for svc in estate.services:
            for dep in svc.depends_on:
                if dep not in status or status[dep] is ServiceStatus.RUNNING:
                    continue
                name = estate.service_by_id[dep].name
                if status[dep] is ServiceStatus.DOWN_UNRECOVERABLE:
                    note = (f"needs {name}, which cannot be fully restored from what survives: "
                            "no known time")
                else:
                    note = f"needs {name}, which is {status[dep].value}"
                inherited = (ServiceStatus.DOWN_WAITING if status[dep] is ServiceStatus.DOWN_WAITING
                             else ServiceStatus.DOWN_RECOVERABLE)
                if STATUS_RANK[inherited] > STATUS_RANK[status[svc.id]]:
                    status[svc.id] = inherited
                    changed = True
                if note not in why[svc.id]:
                    why[svc.id].append(note)
                    changed = True
                new_back = None if back[dep] is None or back[svc.id] is None else max(
                    back[svc.id], back[dep])
                if new_back != back[svc.id]:
                    back[svc.id] = new_back
                    changed = True
        if not changed:
            break
    out = []
    for svc in estate.services:
        st = status[svc.id]
        rto, rto_source = rto_for(svc.rto, svc.tier, policy)
        down = st is not ServiceStatus.RUNNING
        eta = back[svc.id] if down else None
        meets = None
        late = None
        if down and rto is not None:
            meets = eta is not None and eta <= rto
            if eta is not None and eta > rto:
                late = eta - rto
        fb = svc.manual_fallback
        out.append(ServiceOutcome(
            id=svc.id, name=svc.name, tier=svc.tier, owner=svc.owner, status=st,
            reasons=why[svc.id],
            systems_lost=[s for s in svc.systems if s in systems
                          and systems[s].state in (SystemState.DESTROYED, SystemState.UNAVAILABLE)],
            systems_down=[s for s in svc.systems if s in systems and systems[s].state in _DOWN],
            on_fallback=down and fb is not None, fallback=fb.description if fb else None,
            reentry_plan=fb.reentry_plan if fb else None,
            rto=rto, rto_source=rto_source, back_after=eta, meets_rto=meets, late_by=late,
        ))
    return out


def _gaps(estate: Estate, policy: Policy, sim: Simulation, in_cycle: set[str]) -> list[Gap]:
    out: list[Gap] = []
    for s in sim.systems:
        system = estate.system_by_id[s.id]
        if s.recovery is Recovery.REBUILD and system.rebuild_documented is not True:
            out.append(gap(GapCode.NO_REBUILD, s.id,
                           f"{s.name} must be rebuilt, and no tested way to rebuild it is "
                           "documented: its time is a guess."))
        if s.recovery is Recovery.REBUILD and system.kind is SystemKind.DIRECTORY:
            out.append(gap(GapCode.NO_COPY, s.id,
                           f"{s.name} has no surviving copy: it can only be rebuilt as a new, "
                           "empty directory, and every account, group and trust recreated."))
        if s.recovery in (Recovery.NO_VIABLE_PATH, Recovery.REBUILD):
            if not s.copies and s.recovery is Recovery.NO_VIABLE_PATH:
                out.append(gap(GapCode.NO_COPY, s.id, f"{s.name} has no backup copy recorded."))
                if system.rebuild_documented is not True:
                    out.append(gap(GapCode.NO_REBUILD, s.id,
                                   f"{s.name} has no documented, tested way to rebuild it."))
            for c in s.copies:
                if not c.survives:
                    code = COPY_CODE_GAP.get(c.code, GapCode.NOT_ISOLATED)
                    out.append(gap(code, c.id, f"Copy {c.id} of {s.name}: {c.reason}."))
                    if c.assumed:
                        out.append(gap(GapCode.UNKNOWN_DATA, c.id,
                                       f"Copy {c.id} of {s.name} was counted as lost because the "
                                       "estate does not record enough about it."))
        if s.recovery is Recovery.WAIT_FOR_PROVIDER and s.state is SystemState.UNAVAILABLE:
            code = (GapCode.SINGLE_SUPPLIER if s.hosting == Hosting.SAAS.value
                    else GapCode.SINGLE_LOCATION)
            out.append(gap(code, s.id, f"{s.name} has no copy you could run elsewhere: it is back "
                                       "only when its provider is."))
        if s.assumed:
            out.append(gap(GapCode.UNKNOWN_DATA, s.id, f"{s.name} was counted as hit because the "
                                                        "estate does not record enough about it."))
    for st in sim.restore_plan:
        if st.action in (Recovery.RESTORE, Recovery.REBUILD) and st.duration_source == "estimated":
            out.append(gap(GapCode.UNTESTED_RESTORE, st.system,
                           f"{st.name}: no passed restore test measures how long it takes; "
                           f"{format_duration(st.duration)} is a planning estimate."))
    if in_cycle:
        out.append(gap(GapCode.DEPENDENCY_CYCLE, ", ".join(sorted(in_cycle)),
                       "These systems depend on each other in a cycle: nobody can say which to "
                       "restore first. Restore them together and fix the dependency map."))
    for svc in sim.services:
        if svc.status is ServiceStatus.RUNNING:
            continue
        if svc.rto is None:
            out.append(gap(GapCode.NO_RTO, svc.id, f"{svc.name} has no recovery time objective."))
        elif svc.meets_rto is False:
            if svc.back_after is not None:
                text = (f"{svc.name}: back at {clock(svc.back_after)} against an RTO of "
                        f"{format_duration(svc.rto)}.")
            else:
                text = (f"{svc.name}: no known time to bring it back, against an RTO of "
                        f"{format_duration(svc.rto)}.")
            out.append(gap(GapCode.RTO_MISSED, svc.id, text))
        tier = policy.tier(svc.tier)
        if svc.fallback is None and tier is not None and tier.manual_fallback:
            out.append(gap(GapCode.NO_FALLBACK, svc.id,
                           f"{svc.name} is down and has no manual fallback recorded."))
    return out


def _warnings(estate: Estate, sim: Simulation) -> list[str]:
    out = [f"Collection was incomplete ({g.scope}: {g.reason}); the simulation cannot see what "
           "was not collected." for g in estate.gaps]
    if not estate.services:
        out.append("The estate lists no business services: only systems are simulated.")
    for svc in estate.services:
        if not svc.systems and not svc.depends_on:
            out.append(f"Service {svc.id} lists no systems and no dependencies: its status is a "
                       "guess.")
    for cycle in sim.cycles:
        out.append(f"Dependency cycle between systems: {' -> '.join(cycle)}.")
    service_needs = {s.id: list(s.depends_on) for s in estate.services}
    for cycle in cycles([s.id for s in estate.services], service_needs):
        out.append(f"Dependency cycle between services: {' -> '.join(cycle)}.")
    return out
