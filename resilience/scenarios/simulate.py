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
from resilience.scenarios.outcomes import maker
from resilience.scenarios.propagation import (
    apply_system_rules,
    propagate,
    service_hits,
    users_of,
)
from resilience.scenarios.survival import CopyJudge, best_copy
from resilience.scenarios.timeline import clock, rto_for, schedule, step_duration

_make_system_outcome = maker(SystemOutcome)
_make_restore_step = maker(RestoreStep)
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
                   blocked_by: dict[str, list[str]], reasons: dict[str, list[str]],
                   needed_by: dict[str, list[str]] | None = None) -> None:
    """A system that needs one with no viable path is blocked; one that needs a system waiting
    on its provider waits too. Two breadth-first walks over reversed dependencies (blocking
    first, as it is the worse), each visiting a system once: linear, and cycles cannot loop.

    ``recovery`` may leave out systems that need no recovery (nothing they need is down)."""
    if needed_by is None:
        needed_by = users_of(estate)
    for sources, becomes, words in (
            (_DEAD, Recovery.BLOCKED, "cannot be brought back"),
            ((Recovery.WAIT_FOR_PROVIDER,), Recovery.WAIT_FOR_PROVIDER, "waits for its provider")):
        queue = deque(sorted(sid for sid, rec in recovery.items() if rec in sources))
        while queue:
            current = queue.popleft()
            for user in needed_by.get(current, []):
                if recovery.get(user, Recovery.NOT_NEEDED) not in _WORKS:
                    continue
                recovery[user] = becomes
                if becomes is Recovery.BLOCKED:
                    blocked_by.setdefault(user, []).append(current)
                reasons[user].append(f"needs {estate.system_by_id[current].name}, which {words}")
                queue.append(user)


def _effective_tiers(estate: Estate, needs: dict[str, list[str]] | None = None
                     ) -> dict[str, int]:
    """Each system's most critical tier, where something that needs it makes it more critical
    than its own (a hypervisor under a tier-1 database is tier 1); look up any other system's
    own tier. ``needs`` maps systems to what they depend on (those with no dependencies may be
    left out).

    Visits each edge once per improvement, so cycles terminate. The result is the same whatever
    order the improvements come in, so the walk starts only from systems that need something."""
    by_id = estate.system_by_id
    if needs is None:
        needs = {s.id: s.depends_on for s in estate.systems}
    best: dict[str, int] = {}
    for sid, deps in needs.items():
        if deps:
            system = by_id[sid]
            tier = system.tier if system.tier is not None else estate.system_tier(system)
            if tier is not None:
                best[sid] = tier
    queue = deque(sorted(best, key=best.__getitem__))
    while queue:
        sid = queue.popleft()
        for dep in needs.get(sid, ()):
            if dep not in by_id:
                continue
            current = best.get(dep)
            if current is None:
                current = estate.system_tier(by_id[dep])
                if current is None:
                    current = 99
            if best[sid] < current:
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
    by_id = estate.system_by_id
    # Only the systems the scenario touches are in ``hits``; the rest (most of a large estate)
    # run untouched, and only need their outcome written.
    hits = apply_system_rules(estate, scenario, params)
    needed_by = users_of(estate)
    propagate(estate, hits, needed_by)
    judge = CopyJudge(scenario, params)
    backups = estate.backups_by_system

    copies: dict[str, list[CopyOutcome]] = {}
    recovery: dict[str, Recovery] = {}
    chosen: dict[str, CopyOutcome | None] = {}
    # The hits are this run's own: their reason lists are extended in place.
    reasons = {sid: hit.reasons for sid, hit in hits.items()}
    blocked_by: dict[str, list[str]] = {}
    for sid, hit in hits.items():
        if hit.state is SystemState.RUNNING or hit.state is SystemState.FAILED_OVER:
            continue
        system = by_id[sid]
        own = copies[sid] = judge.judge(backups.get(sid, []), system)
        recovery[sid], chosen[sid] = _first_recovery(system, hit.state, own)
    _spread_blocks(estate, recovery, blocked_by, reasons, needed_by)

    # Order and time the systems that can come back.
    nodes = [sid for sid, rec in recovery.items() if rec in _WORKS]
    needs = {sid: s.depends_on for sid, s in by_id.items() if s.depends_on}  # read only
    urgency = _effective_tiers(estate, needs)

    def priority(sid: str):
        system = by_id[sid]
        tier = urgency.get(sid)
        if tier is None:
            tier = estate.system_tier(system)
        return (KIND_RANK.get(system.kind, 2), 99 if tier is None else tier, sid)

    order, in_cycle = restore_order(nodes, needs, priority)
    times = {sid: step_duration(by_id[sid].kind, recovery[sid], chosen[sid],
                                options.restore) for sid in order}
    slots = schedule(order, {k: v.value for k, v in times.items()}, needs, in_cycle,
                     options.restore)
    services_by_system = estate.services_by_system
    admins = _backup_admins(estate)
    steps: list[RestoreStep] = []
    for i, sid in enumerate(order, start=1):
        system = by_id[sid]
        copy = chosen[sid]
        steps.append(_make_restore_step(   # from validated estate data and our own enums
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
            in_cycle=sid in in_cycle,
            services=[svc.id for svc in services_by_system.get(sid, [])],
        ))

    systems_out: list[SystemOutcome] = []
    down: dict[str, SystemOutcome] = {}   # the systems that are down, for their services
    notable: list[SystemOutcome] = []     # those with anything to say, for the gaps
    kind_text = {kind: kind.value for kind in SystemKind}
    hosting_text = {hosting: hosting.value for hosting in Hosting}
    for s in estate.systems:
        sid = s.id
        system = by_id[sid]  # the same, unless an id is repeated: then the last one counts
        svcs = services_by_system.get(sid)
        tier = system.tier if system.tier is not None else estate.system_tier(system)
        hit = hits.get(sid)
        if hit is None:  # untouched: running, nothing to say but its copies
            systems_out.append(_make_system_outcome(
                id=sid, name=s.name, kind=kind_text[s.kind], hosting=hosting_text[s.hosting],
                tier=tier, state=SystemState.RUNNING, reasons=[], assumed=False,
                recovery=Recovery.NOT_NEEDED, copy_id=None,
                copies=judge.judge(backups.get(sid, []), system), waits_for=[], blocked_by=[],
                services=[svc.id for svc in svcs] if svcs else [],
            ))
            continue
        rec = recovery.get(sid, Recovery.NOT_NEEDED)
        copy = chosen.get(sid)
        own = copies.get(sid)
        if own is None:
            own = judge.judge(backups.get(sid, []), system)
        outcome = _make_system_outcome(
            id=sid, name=s.name, kind=kind_text[s.kind], hosting=hosting_text[s.hosting],
            tier=tier, state=hit.state, reasons=reasons[sid], assumed=hit.assumed, recovery=rec,
            copy_id=copy.id if copy is not None and rec is Recovery.RESTORE else None,
            copies=own, waits_for=sorted(hit.waits_for), blocked_by=blocked_by.get(sid, []),
            services=[svc.id for svc in svcs] if svcs else [],
        )
        systems_out.append(outcome)
        if hit.state in _DOWN:
            down[sid] = outcome
        elif sid in down:  # a later system with the same id wins, as everywhere else
            del down[sid]
        if rec is not Recovery.NOT_NEEDED or hit.assumed:
            notable.append(outcome)
    finish = {st.system: st.finish for st in steps}
    services_out = _services(estate, policy, down, finish, service_hits(estate, scenario, params))
    system_cycles = cycles(list(needs), needs)
    sim = Simulation(
        scenario=scenario.id, title=scenario.title, summary=scenario.summary,
        organisation=estate.organisation.name, parameters=params, as_of=options.as_of,
        mobilisation=options.restore.mobilisation,
        parallel_streams=options.restore.parallel_streams,
        services=services_out, systems=systems_out, restore_plan=steps, cycles=system_cycles,
        lessons=list(scenario.lessons),
    )
    sim.gaps.extend(_gaps(estate, policy, sim, in_cycle, notable))
    sim.warnings.extend(parameter_warnings(scenario, params) + _warnings(estate, sim))
    return sim


def _service_base(svc: Service, down: dict[str, SystemOutcome], finish: dict[str, timedelta],
                  direct: list[str]) -> tuple[ServiceStatus, list[str], timedelta | None,
                                              list[str], list[str]]:
    """A service's status from its own systems, with its reasons, when it is back, and which
    of its systems are lost and which are down."""
    status = ServiceStatus.RUNNING
    why: list[str] = list(direct)
    back: timedelta | None = timedelta(0)
    lost: list[str] = []
    out_of_action: list[str] = []
    if direct:
        status = ServiceStatus.DOWN_WAITING
        back = None
    for sid in svc.systems:
        out = down.get(sid)
        if out is None:
            continue
        out_of_action.append(sid)
        if out.state is not SystemState.DEPENDENCY_DOWN:
            lost.append(sid)
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
    return status, why, back, lost, out_of_action


def _services(estate: Estate, policy: Policy, down: dict[str, SystemOutcome],
              finish: dict[str, timedelta], direct: dict[str, list[str]]) -> list[ServiceOutcome]:
    """Each service's outcome; ``down`` holds the outcomes of the systems that are down."""
    base = {svc.id: _service_base(svc, down, finish, direct.get(svc.id, []))
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
        is_down = st is not ServiceStatus.RUNNING
        eta = back[svc.id] if is_down else None
        meets = None
        late = None
        if is_down and rto is not None:
            meets = eta is not None and eta <= rto
            if eta is not None and eta > rto:
                late = eta - rto
        fb = svc.manual_fallback
        lost, out_of_action = base[svc.id][3], base[svc.id][4]
        out.append(ServiceOutcome(
            id=svc.id, name=svc.name, tier=svc.tier, owner=svc.owner, status=st,
            reasons=why[svc.id], systems_lost=lost, systems_down=out_of_action,
            on_fallback=is_down and fb is not None, fallback=fb.description if fb else None,
            reentry_plan=fb.reentry_plan if fb else None,
            rto=rto, rto_source=rto_source, back_after=eta, meets_rto=meets, late_by=late,
        ))
    return out


def _gaps(estate: Estate, policy: Policy, sim: Simulation, in_cycle: set[str],
          notable: list[SystemOutcome] | None = None) -> list[Gap]:
    """What makes recovery impossible or late. ``notable`` is the simulation's systems that
    need recovery or were judged on missing data, in order (no other system has a gap)."""
    out: list[Gap] = []
    for s in sim.systems if notable is None else notable:
        if s.recovery is Recovery.NOT_NEEDED and not s.assumed:
            continue  # nothing below applies: most of a large estate
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
