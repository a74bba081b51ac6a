"""Evaluate a catalogue against an estate and a policy, failing closed on missing data."""

from __future__ import annotations

import gc
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from resilience import __version__
from resilience.engine.interface import (
    Check,
    CheckContext,
    Finding,
    PassTally,
    forget_tallies,
    make_finding,
    shared_tallies,
)
from resilience.engine.registry import Catalogue
from resilience.engine.report import EstateCounts, Report, summarise
from resilience.errors import UsageError
from resilience.gcpause import gc_paused
from resilience.model import Domain, Estate, Status
from resilience.model.construct import from_row, row
from resilience.model.timeutil import utcnow
from resilience.parallel import Spool, Tickets, both, worth_forking
from resilience.policy import Policy


@dataclass(frozen=True)
class Selection:
    """Which checks to run: by domain and/or id (empty means all)."""

    domains: frozenset[Domain] = field(default_factory=frozenset)
    check_ids: frozenset[str] = field(default_factory=frozenset)

    def choose(self, catalogue: Catalogue) -> list[Check]:
        unknown = self.check_ids - set(catalogue.checks)
        if unknown:
            raise UsageError(
                f"unknown check id(s): {', '.join(sorted(unknown))}; "
                "`resilience checks list` shows the catalogue"
            )
        return [
            c for c in catalogue
            if (not self.domains or c.meta.domain in self.domains)
            and (not self.check_ids or c.meta.id in self.check_ids)
        ]


def _missing_data(check: Check, ctx: CheckContext) -> list[Finding]:
    """Error findings for data the check needs that no source provided, or that a gap hides."""
    out: list[Finding] = []
    for kind in check.meta.needs:
        if not ctx.estate.provided(kind):
            out.append(make_finding(
                check.meta, ctx, ctx.estate, Status.ERROR,
                f"Cannot judge: no source in this estate provides {kind.value}.",
            ))
    seen: set[str] = set()
    for gap in ctx.estate.gaps:
        if set(gap.kinds) & set(check.meta.needs) and gap.scope not in seen:
            seen.add(gap.scope)
            f = make_finding(check.meta, ctx, ctx.estate, Status.ERROR,
                             f"Cannot judge {gap.scope}: {gap.reason}")
            out.append(f.model_copy(update={"asset_id": gap.scope, "asset_type": "collection-gap"}))
    return out


def evaluate_check(check: Check, ctx: CheckContext) -> list[Finding]:
    """Run one check; a crash becomes an error finding, never a silent pass."""
    ctx.entering(check.meta.domain)
    findings = _missing_data(check, ctx)
    if any(f.asset_type == "estate" for f in findings):
        return findings
    try:
        findings.extend(check.evaluate(ctx))
    except Exception as exc:  # noqa: BLE001 - a broken check must not hide the others
        findings.append(make_finding(
            check.meta, ctx, ctx.estate, Status.ERROR,
            f"The check failed to run ({type(exc).__name__}: {exc}); its result is unknown.",
        ))
    return findings


Grouped = dict[str, tuple[list[Finding], int]]  # check id -> (listed findings, passes counted)


@dataclass
class PassCounts:
    """Passes counted but not listed, by tier ('1', ... or 'none') and by service id (a pass
    about a system counts under each service it serves, as a finding is listed)."""

    by_tier: Counter[str] = field(default_factory=Counter)
    by_service: Counter[str] = field(default_factory=Counter)

    def add(self, tier: int | None, services: Iterable[str], n: int) -> None:
        self.by_tier["none" if tier is None else str(tier)] += n
        for sid in services:
            self.by_service[sid] += n

    def update(self, other: PassCounts) -> None:
        self.by_tier.update(other.by_tier)
        self.by_service.update(other.by_service)


def _evaluate_all(checks: list[Check], ctx: CheckContext, include_passes: bool,
                  on_check: Callable[[], None]
                  ) -> tuple[list[Finding], dict[str, int], PassCounts]:
    """Every check's findings, with passes counted per check, tier and service instead when
    not kept.
    On a large estate half of the checks run in a forked worker (see resilience.parallel).
    ``on_check`` is called here as each check's findings arrive."""
    estate = ctx.estate
    size = len(estate.systems) + len(estate.backups) + len(estate.accounts)
    grouped: Grouped = {}
    counts = PassCounts()
    if len(checks) > 1 and worth_forking(size):
        _shared_with_worker(checks, ctx, include_passes, grouped, counts, on_check)
    for check in checks:  # all of them alone, or any a failed worker had taken
        if check.meta.id not in grouped:
            grouped[check.meta.id] = _evaluate_one(check, ctx, include_passes, counts)
            on_check()
    findings = [f for c in checks for f in grouped[c.meta.id][0]]
    omitted = {} if include_passes else {c.meta.id: grouped[c.meta.id][1] for c in checks}
    return findings, omitted, counts


def _shared_with_worker(checks: list[Check], ctx: CheckContext, include_passes: bool,
                        grouped: Grouped, counts: PassCounts,
                        on_check: Callable[[], None]) -> None:
    """Both processes take the next check until none is left (the heavy backup checks come
    first in the catalogue, so the two finish close together). The worker sends each check's
    findings as soon as it is done, as rows of values (several times cheaper to pickle than
    the models); this process rebuilds them between its own checks, so little is left to do
    once both are done. Whatever a failed worker took and did not send is left out here, for
    the caller to evaluate."""
    try:
        spool = Spool()
    except OSError:  # no temporary folder to write to: the caller evaluates them all
        return
    tickets = Tickets(len(checks))

    def take_up() -> None:
        for check_id, rows, passes, theirs in spool.take():
            grouped[check_id] = ([from_row(Finding, r) for r in rows], passes)
            counts.update(theirs)
            on_check()

    def here() -> None:
        while (number := tickets.take()) is not None:
            check = checks[number]
            grouped[check.meta.id] = _evaluate_one(check, ctx, include_passes, counts)
            on_check()
            take_up()

    def there() -> None:
        if os.getpid() == parent:
            return  # the worker failed: what it did not send is evaluated by the caller
        while (number := tickets.take()) is not None:
            check = checks[number]
            mine = PassCounts()
            found, passes = _evaluate_one(check, ctx, include_passes, mine)
            spool.put((check.meta.id, [row(f) for f in found], passes, mine))

    parent = os.getpid()
    try:
        both(here, there)
        take_up()
    finally:
        tickets.close()
        spool.close()


def _evaluate_one(check: Check, ctx: CheckContext, include_passes: bool,
                  counts: PassCounts) -> tuple[list[Finding], int]:
    """A check's findings to list, and how many passes were only counted (added to
    ``counts`` by tier and service)."""
    results = evaluate_check(check, ctx)
    if include_passes:
        return results, 0
    # Millions of passes on a large estate, nearly all of them a shared PassTally (one per
    # tier and set of services): told apart by class and counted by identity at C speed.
    kept = [f for f in results if f.__class__ is not PassTally and f.status != Status.PASS]
    passes = len(results) - len(kept)
    if passes:
        seen = Counter(map(id, results))
        tallies = [(t, seen[id(t)]) for t in shared_tallies() if id(t) in seen]
        if sum(n for _, n in tallies) == passes:
            for tally, n in tallies:
                counts.add(tally.tier, tally.services, n)
        else:  # a pass built some other way (a whole finding): count each one
            for f in results:
                if f.status == Status.PASS:
                    counts.add(f.tier, f.services, 1)
    return kept, passes


def run_checks(estate: Estate, policy: Policy, checks: Iterable[Check],
               now: datetime | None = None, include_passes: bool = True,
               on_check: Callable[[], None] = lambda: None) -> Report:
    """Evaluate ``checks`` and assemble the Report. Without ``include_passes`` passing results
    are counted per check but not listed (large estates: millions of passes help nobody).
    ``on_check`` is called as each check is done (for progress)."""
    now = now or utcnow()
    forget_tallies()
    ctx = CheckContext(estate=estate, policy=policy, now=now, keep_passes=include_passes)
    checks = list(checks)
    with gc_paused():
        findings, omitted, passes = _evaluate_all(checks, ctx, include_passes, on_check)
        # Like the estate (pipeline._settle): the findings live as long as the report and hold
        # no cycles; out of the cyclic collector's sight, its first pass does not walk them
        # all (half a second for 463,872 findings).
        gc.freeze()
    counts = estate.summary()
    return Report(
        tool_version=__version__,
        generated_at=utcnow(),
        as_of=now,
        organisation=estate.organisation,
        estate=EstateCounts(**counts),
        checks=[c.meta for c in checks],
        findings=findings,
        omitted_passes={k: v for k, v in omitted.items() if v},
        omitted_passes_by_tier=dict(sorted(passes.by_tier.items())),
        omitted_passes_by_service=dict(sorted(passes.by_service.items())),
        gaps=list(estate.gaps),
        summary=summarise(findings, list(estate.gaps), [c.meta for c in checks], omitted),
    )
