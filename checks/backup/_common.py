"""Shared scope rules, recovery targets and three-valued copy tests for the backup checks."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from resilience.durations import format_duration
from resilience.engine.interface import Check, CheckContext, Finding
from resilience.model import BackupCopy, CopyKind, DataKind, Hosting, System, SystemKind
from resilience.policy import TierPolicy

# SaaS products keep their data with the supplier, and network and telephony kit holds
# configuration rather than business data; none of them is restored from our own backups, so
# the supplier and continuity checks judge them instead of these.
NOT_BACKED_UP_BY_US = frozenset({SystemKind.SAAS, SystemKind.NETWORK, SystemKind.TELEPHONY})

CLOUD = (Hosting.AWS, Hosting.AZURE)
_SHOWN = 3  # copies listed by name in a message before "and N more"


def backed_up_by_us(system: System) -> bool:
    """Whether restoring this system's data is our job (not a supplier's, not config-only kit)."""
    return system.kind not in NOT_BACKED_UP_BY_US and system.hosting != Hosting.SAAS


class Tiered(NamedTuple):
    """A system we back up that has a tier policy, with the facts most backup checks start
    from, worked out once per run."""

    system: System
    tier: TierPolicy
    copies: list[BackupCopy]  # its restorable copies (see restorable_copies); do not mutate
    rpo: timedelta  # the strictest RPO of its users (see _targets)
    rto: timedelta
    max_backup_age: timedelta  # how old its last good backup may be: rpo * backup_max_age_factor


def tiered_systems(ctx: CheckContext) -> list[Tiered]:
    """Systems we back up that have a tier policy (their own, a service's, or the default);
    worked out once per run, as most backup checks start from it."""
    found = ctx._cache.get("tiered-systems")
    if found is None:
        factor = ctx.policy.continuity.backup_max_age_factor
        max_ages: dict[timedelta, timedelta] = {}  # few distinct RPOs; the product is not cheap
        found = ctx._cache["tiered-systems"] = []
        for system in ctx.estate.systems:
            tier = ctx.tier_policy(system) if backed_up_by_us(system) else None
            if tier is not None:
                rpo, rto = _targets(ctx, system, tier)
                max_age = max_ages.get(rpo)
                if max_age is None:
                    max_age = max_ages[rpo] = rpo * factor
                found.append(Tiered(system, tier, restorable_copies(ctx, system), rpo, rto,
                                    max_age))
    return found


def tiered_restorable_copies(ctx: CheckContext) -> Iterator[BackupCopy]:
    """Every non-replica copy of a tiered system we back up (untiered systems are reported by
    backup_untiered_systems)."""
    for t in tiered_systems(ctx):
        yield from t.copies


def restorable_copies(ctx: CheckContext, system: System) -> list[BackupCopy]:
    """Copies that keep past versions. A replica mirrors encryption and deletion within
    seconds, so it is never a way back after an attack (Maersk's replicated domain controllers).
    Do not mutate the list: it is shared by the checks of this run."""
    by_system = ctx._cache.get("restorable-copies")
    if by_system is None:
        by_system = ctx._cache["restorable-copies"] = {
            sid: [c for c in copies if c.kind != CopyKind.REPLICA]
            for sid, copies in ctx.estate.backups_by_system.items()}
    return by_system.get(system.id, [])


def replicas(ctx: CheckContext, system: System) -> list[BackupCopy]:
    """A system's replicas (usually none; looked up for every system, so indexed once)."""
    by_system = ctx._cache.get("replicas")
    if by_system is None:
        by_system = ctx._cache["replicas"] = {}
        for copy in ctx.estate.backups:
            if copy.kind == CopyKind.REPLICA:
                by_system.setdefault(copy.system, []).append(copy)
    return by_system.get(system.id, [])


def most_critical_tier(ctx: CheckContext) -> TierPolicy:
    return ctx.policy.tiers[min(ctx.policy.tiers)]


def _targets(ctx: CheckContext, system: System, tier: TierPolicy) -> tuple[timedelta, timedelta]:
    """The strictest RPO and RTO any user of this system asks for.

    A service's own ``rpo``/``rto`` replaces its tier's, so it can loosen as well as tighten;
    a system used by several services must meet the strictest of them.
    (Worked out once per system and run by tiered_systems: checks read ``Tiered.rpo``.)
    """
    services = ctx.estate.services_by_system.get(system.id)
    if not services:  # most systems: their own tier, or the default
        return tier.rpo, tier.rto
    rpos: list[timedelta] = []
    rtos: list[timedelta] = []
    if system.tier is not None:
        own = ctx.policy.tier(system.tier)
        if own is not None:
            rpos.append(own.rpo)
            rtos.append(own.rto)
    asked = _asked_by_service(ctx)
    for svc in services:
        rpo, rto = asked[id(svc)]
        if rpo is not None:
            rpos.append(rpo)
        if rto is not None:
            rtos.append(rto)
    return (min(rpos) if rpos else tier.rpo), (min(rtos) if rtos else tier.rto)


def _asked_by_service(ctx: CheckContext) -> dict[int, tuple[timedelta | None, timedelta | None]]:
    """Each service's RPO and RTO (its own, else its tier's; None when it has neither), by
    service object: worked out once per run, as a service serves many systems."""
    found = ctx._cache.get("service-targets")
    if found is None:
        found = ctx._cache["service-targets"] = {}
        for svc in ctx.estate.services:
            svc_tier = ctx.policy.tier(svc.tier)
            rpo, rto = svc.rpo, svc.rto
            if svc_tier is not None:
                rpo = svc_tier.rpo if rpo is None else rpo
                rto = svc_tier.rto if rto is None else rto
            found[id(svc)] = (rpo, rto)
    return found


def required_rpo(ctx: CheckContext, system: System, tier: TierPolicy) -> timedelta:
    return _targets(ctx, system, tier)[0]


def required_rto(ctx: CheckContext, system: System, tier: TierPolicy) -> timedelta:
    return _targets(ctx, system, tier)[1]


@functools.lru_cache(maxsize=1024)
def dur(value: timedelta | None) -> str:
    """A duration as people write policy: whole days as days (``35d``, not ``5w``)."""
    if value is None:
        return "unknown"
    seconds = int(value.total_seconds())
    if seconds >= 86400 and seconds % 86400 == 0:
        return f"{seconds // 86400}d"
    return format_duration(value)


def day(when: datetime) -> str:
    """The date of ``when`` as YYYY-MM-DD."""
    # strftime is slow and estate dates repeat, so UTC times (all the model holds) are
    # memoised; times in other zones are not, as equal instants can fall on different dates.
    return _utc_day(when) if when.tzinfo is UTC else f"{when:%Y-%m-%d}"


@functools.lru_cache(maxsize=4096)
def _utc_day(when: datetime) -> str:
    return f"{when:%Y-%m-%d}"


_TWO_HOURS = timedelta(hours=2)
_TWO_DAYS = timedelta(days=2)
_ZERO = timedelta(0)


def age_words(age: timedelta) -> str:
    """An age rounded for reading: minutes, then hours, then days."""
    if age < _TWO_HOURS:
        return f"{max(0, int(age.total_seconds() // 60))}m"
    if age < _TWO_DAYS:
        return f"{int(age.total_seconds() // 3600)}h"
    return f"{age.days}d"


def age_text(ctx: CheckContext, when) -> str:
    age = ctx.age(when)
    if age is None:
        return "of unknown age"
    return _age_text(age)


def _age_text(age: timedelta) -> str:
    return "just now" if age < _ZERO else f"{age_words(age)} old"


# --- three-valued tests over copies ------------------------------------------------------

class Outcome(NamedTuple):
    """One copy against one requirement: ``ok`` is True, False, or None when a fact is unknown.
    (A named tuple: made for every copy by every backup check, it must be cheap.)"""

    ok: bool | None
    why: str
    missing: tuple[str, ...] = ()  # the unrecorded facts behind an unknown, for one sentence


# Outcomes are immutable and their texts come from a few fixed phrases, so the common ones
# are memoised: several checks make them for every copy.
@functools.lru_cache(maxsize=256)
def not_recorded(what: str) -> Outcome:
    """Unknown because ``what`` is not in the estate."""
    return Outcome(None, f"{what} is not recorded", (what,))


@functools.lru_cache(maxsize=1024)
def fact(value: bool | None, yes: str, no: str, field: str) -> Outcome:
    if value is None:
        return not_recorded(field)
    return Outcome(True, yes) if value else Outcome(False, no)


def all_of(*tests: Outcome) -> Outcome:
    """True only if every test is True; any False decides; otherwise unknown."""
    false = [t.why for t in tests if t.ok is False]
    if false:
        return Outcome(False, "; ".join(false))
    unknown = [t for t in tests if t.ok is None]
    if unknown:
        return _unknown(unknown)
    return Outcome(True, "; ".join(t.why for t in tests))


def any_of(*tests: Outcome) -> Outcome:
    """True if any test is True; otherwise unknown if any is unknown; otherwise False."""
    for t in tests:
        if t.ok is True:
            return t
    unknown = [t for t in tests if t.ok is None]
    if unknown:
        return _unknown(unknown)
    return Outcome(False, "; ".join(t.why for t in tests))


def _unknown(tests: list[Outcome]) -> Outcome:
    """One unknown from several: other reasons first, then 'X, Y and Z are not recorded'."""
    missing = tuple(m for t in tests for m in t.missing)
    other = [t.why for t in tests if not t.missing]
    if len(missing) > 1:
        other.append(f"{', '.join(missing[:-1])} and {missing[-1]} are not recorded")
    elif missing:
        other.append(f"{missing[0]} is not recorded")
    return Outcome(None, "; ".join(other), missing)


def immutability(copy: BackupCopy) -> Outcome:
    """A lock that an administrator can lift (governance mode, an unlocked Azure vault) does
    not stop an attacker who holds admin rights, so it does not count as immutable."""
    if copy.immutable is None:
        return not_recorded("whether it is immutable")
    if not copy.immutable:
        return Outcome(False, "not immutable")
    mode = (copy.immutability or "").lower()
    if "governance" in mode or "unlocked" in mode:
        return Outcome(False, f"its lock ('{copy.immutability}') can be lifted by an administrator")
    return Outcome(True, f"immutable ({copy.immutability})" if copy.immutability else "immutable")


def offline(copy: BackupCopy) -> Outcome:
    return any_of(
        fact(copy.offline, "offline", "online", "whether it is offline"),
        fact(copy.logically_air_gapped, "logically air-gapped", "not air-gapped",
             "whether it is logically air-gapped"),
    )


def own_trust_domains(system: System) -> set[str] | None:
    """The trust domains whose credentials run this system, or None when not known.

    On premises the system's directory is what an attacker takes over, so it must be known;
    a cloud resource at least belongs to its account or subscription.
    """
    domains = {d for d in (system.identity_domain, system.account) if d}
    if system.hosting == Hosting.ONPREM and system.identity_domain is None:
        return None
    return domains or None


def isolation(copy: BackupCopy, system: System) -> Outcome:
    """Whether deleting this copy needs credentials from a trust domain the system is not in."""
    if copy.trust_domain is None:
        return not_recorded("whose credentials can delete it (trust_domain)")
    own = own_trust_domains(system)
    if own is None:
        return not_recorded("the system's own identity domain")
    if copy.trust_domain in own:
        return Outcome(False,
                       f"deletable with the system's own credentials ('{copy.trust_domain}')")
    return Outcome(True, f"delete rights sit in '{copy.trust_domain}'")


def survives_attack(copy: BackupCopy) -> Outcome:
    """Immutable, offline or air-gapped: a copy that production admin rights cannot destroy."""
    return any_of(immutability(copy), offline(copy))


# Clocks and time zones drift; a date further ahead than this is bad data, not a recent event.
_CLOCK_SLACK = timedelta(days=1)


def recent(ctx: CheckContext, when, limit: timedelta, what: str) -> Outcome:
    """Whether ``when`` lies within ``limit`` before the evaluation time."""
    if when is None:
        return not_recorded(what)
    age = ctx.now - when
    if age < -_CLOCK_SLACK:
        return Outcome(None, f"{what} is dated {day(when)}, after the time of evaluation")
    if age <= limit:
        return Outcome(True, f"{what} {_age_text(age)}")
    return Outcome(False, f"{what} {_age_text(age)}, more than {dur(limit)}")


class CopyFacts:
    """What several backup checks ask of the same copy, each worked out at most once per run.

    Get the run's instance with ``copy_facts(ctx)``. Outcomes are kept per copy object (the
    estate outlives the run). A copy is always judged against its own system, the only way
    the checks ask: ``isolated`` and ``recent_success`` are not keyed by the system.
    """

    __slots__ = ("_ctx", "_immutable", "_offline", "_isolated", "_attack_proof", "_recent")

    def __init__(self, ctx: CheckContext) -> None:
        self._ctx = ctx
        self._immutable: dict[int, Outcome] = {}
        self._offline: dict[int, Outcome] = {}
        self._isolated: dict[int, Outcome] = {}
        self._attack_proof: dict[int, Outcome] = {}
        self._recent: dict[int, Outcome] = {}

    def immutable(self, copy: BackupCopy) -> Outcome:
        found = self._immutable.get(id(copy))
        if found is None:
            found = self._immutable[id(copy)] = immutability(copy)
        return found

    def offline(self, copy: BackupCopy) -> Outcome:
        found = self._offline.get(id(copy))
        if found is None:
            found = self._offline[id(copy)] = offline(copy)
        return found

    def isolated(self, copy: BackupCopy, system: System) -> Outcome:
        found = self._isolated.get(id(copy))
        if found is None:
            found = self._isolated[id(copy)] = isolation(copy, system)
        return found

    def attack_proof(self, copy: BackupCopy, system: System) -> Outcome:
        """Immutable, offline or air-gapped, or deletable only from another trust domain."""
        found = self._attack_proof.get(id(copy))
        if found is None:
            found = self._attack_proof[id(copy)] = any_of(
                self.immutable(copy), self.offline(copy), self.isolated(copy, system))
        return found

    def recent_success(self, copy: BackupCopy, of: Tiered) -> Outcome:
        """Whether the copy's last success is within its system's ``max_backup_age``."""
        found = self._recent.get(id(copy))
        if found is None:
            found = self._recent[id(copy)] = recent(self._ctx, copy.last_success,
                                                    of.max_backup_age, "last success")
        return found


def copy_facts(ctx: CheckContext) -> CopyFacts:
    """The run's shared CopyFacts."""
    found = ctx._cache.get("copy-facts")
    if found is None:
        found = ctx._cache["copy-facts"] = CopyFacts(ctx)
    return found


def backups_gap(ctx: CheckContext, system: System, anywhere: bool = False) -> str | None:
    """Why copies of this system may be missing from the estate, if any collection gap says so.

    ``anywhere`` widens the question to every backup gap: a cross-account or isolated copy lives
    outside the system's own account, so a gap in any account might hide it.
    """
    account, region = (None, None) if anywhere else (system.account, system.region)
    # Asked for every system by most checks, while gaps are few and scopes repeat: memoise.
    key = ("backup-gap", account, region)
    if key not in ctx._cache:
        ctx._cache[key] = ctx.gap_reason(DataKind.BACKUPS, account, region)
    return ctx._cache[key]


def _listing(items: Sequence[tuple[BackupCopy, Outcome]]) -> str:
    shown = [f"copy '{c.id}': {t.why}" for c, t in items[:_SHOWN]]
    if len(items) > _SHOWN:
        shown.append(f"and {len(items) - _SHOWN} more")
    return "; ".join(shown)


def judge_any(check: Check, ctx: CheckContext, system: System, copies: Iterable[BackupCopy],
              test: Callable[[BackupCopy], Outcome], need: str, *,
              anywhere: bool = False) -> Finding:
    """Pass if one copy meets ``test``; error if none does but facts or collection are missing;
    otherwise fail. ``need`` names what is looked for, e.g. 'an immutable copy'."""
    results = []
    for c in copies:  # the first copy that passes decides; the others need no judging
        t = test(c)
        if t.ok is True:
            if not ctx.keep_passes:  # a pass that is only counted needs no message
                return check.passed(ctx, system, "")
            return check.passed(ctx, system, f"Has {need}: copy '{c.id}' ({t.why}).")
        results.append((c, t))
    unknown = [(c, t) for c, t in results if t.ok is None]
    gap = backups_gap(ctx, system, anywhere)
    if unknown:
        return check.errored(ctx, system,
                             f"Cannot tell whether it has {need}: {_listing(unknown)}.")
    if gap:
        return check.errored(ctx, system, f"Cannot tell whether it has {need}: {gap}.")
    if not results:
        return check.failed(ctx, system, f"Lacks {need}: {no_copy_text(ctx, system)}")
    return check.failed(ctx, system, f"Lacks {need}: {_listing(results)}.")


def no_copy_text(ctx: CheckContext, system: System) -> str:
    if replicas(ctx, system):
        return "it is only replicated, and a replica copies encryption and deletion too."
    return "no backup copy of this system is recorded."


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def judge_copy(check: Check, ctx: CheckContext, copy: BackupCopy, test: Outcome) -> Finding:
    """A finding about one copy from one test."""
    if test.ok is True:  # (a pass that is only counted needs no message)
        return check.passed(ctx, copy, sentence(test.why) if ctx.keep_passes else "")
    if test.ok is None:
        return check.errored(ctx, copy, f"Cannot judge: {test.why}.")
    return check.failed(ctx, copy, sentence(test.why))
