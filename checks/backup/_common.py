"""Shared scope rules, recovery targets and three-valued copy tests for the backup checks."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
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


def tiered_systems(ctx: CheckContext) -> list[tuple[System, TierPolicy]]:
    """Systems we back up that have a tier policy (their own, a service's, or the default);
    worked out once per run, as most backup checks start from it."""
    found = ctx._cache.get("tiered-systems")
    if found is None:
        found = ctx._cache["tiered-systems"] = [
            (system, tier) for system in ctx.estate.systems if backed_up_by_us(system)
            for tier in (ctx.tier_policy(system),) if tier is not None]
    return found


def tiered_restorable_copies(ctx: CheckContext) -> Iterator[BackupCopy]:
    """Every non-replica copy of a tiered system we back up (untiered systems are reported by
    backup_untiered_systems)."""
    for system, _ in tiered_systems(ctx):
        yield from restorable_copies(ctx, system)


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
    return [c for c in _all_copies(ctx, system) if c.kind == CopyKind.REPLICA]


def _all_copies(ctx: CheckContext, system: System) -> list[BackupCopy]:
    return ctx.estate.backups_by_system.get(system.id, [])


def most_critical_tier(ctx: CheckContext) -> TierPolicy:
    return ctx.policy.tiers[min(ctx.policy.tiers)]


def _target(ctx: CheckContext, system: System, tier: TierPolicy, name: str) -> timedelta:
    """The strictest RPO or RTO any user of this system asks for.

    A service's own ``rpo``/``rto`` replaces its tier's, so it can loosen as well as tighten;
    a system used by several services must meet the strictest of them.
    """
    key = ("target", name, system.id, id(tier))  # tier policies live as long as the run
    if key in ctx._cache:  # the same system's targets are asked for by several checks
        return ctx._cache[key]
    values: list[timedelta] = []
    if system.tier is not None:
        own = ctx.policy.tier(system.tier)
        if own is not None:
            values.append(getattr(own, name))
    for svc in ctx.estate.services_by_system.get(system.id, []):
        override = getattr(svc, name)
        if override is not None:
            values.append(override)
            continue
        svc_tier = ctx.policy.tier(svc.tier)
        if svc_tier is not None:
            values.append(getattr(svc_tier, name))
    ctx._cache[key] = found = min(values) if values else getattr(tier, name)
    return found


def required_rpo(ctx: CheckContext, system: System, tier: TierPolicy) -> timedelta:
    return _target(ctx, system, tier, "rpo")


def required_rto(ctx: CheckContext, system: System, tier: TierPolicy) -> timedelta:
    return _target(ctx, system, tier, "rto")


@functools.lru_cache(maxsize=1024)
def dur(value: timedelta | None) -> str:
    """A duration as people write policy: whole days as days (``35d``, not ``5w``)."""
    if value is None:
        return "unknown"
    seconds = int(value.total_seconds())
    if seconds >= 86400 and seconds % 86400 == 0:
        return f"{seconds // 86400}d"
    return format_duration(value)


def age_words(age: timedelta) -> str:
    """An age rounded for reading: minutes, then hours, then days."""
    if age < timedelta(hours=2):
        return f"{max(0, int(age.total_seconds() // 60))}m"
    if age < timedelta(days=2):
        return f"{int(age.total_seconds() // 3600)}h"
    return f"{age.days}d"


def age_text(ctx: CheckContext, when) -> str:
    age = ctx.age(when)
    if age is None:
        return "of unknown age"
    return "just now" if age < timedelta(0) else f"{age_words(age)} old"


# --- three-valued tests over copies ------------------------------------------------------

class Outcome(NamedTuple):
    """One copy against one requirement: ``ok`` is True, False, or None when a fact is unknown.
    (A named tuple: made for every copy by every backup check, it must be cheap.)"""

    ok: bool | None
    why: str
    missing: tuple[str, ...] = ()  # the unrecorded facts behind an unknown, for one sentence


def not_recorded(what: str) -> Outcome:
    """Unknown because ``what`` is not in the estate."""
    return Outcome(None, f"{what} is not recorded", (what,))


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
        return Outcome(None, f"{what} is dated {when:%Y-%m-%d}, after the time of evaluation")
    if age <= limit:
        return Outcome(True, f"{what} {age_text(ctx, when)}")
    return Outcome(False, f"{what} {age_text(ctx, when)}, more than {dur(limit)}")


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
    if test.ok is True:
        return check.passed(ctx, copy, sentence(test.why))
    if test.ok is None:
        return check.errored(ctx, copy, f"Cannot judge: {test.why}.")
    return check.failed(ctx, copy, sentence(test.why))
