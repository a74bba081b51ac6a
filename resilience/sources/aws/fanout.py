"""Run collection units (account x region x service) on one bounded pool, follow-ups too."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from resilience.model import DataKind
from resilience.sources.aws.facts import Facts
from resilience.sources.aws.failures import gap_for
from resilience.sources.interface import Progress


@dataclass
class Result:
    """What one unit found, and the units it spawns (e.g. one per bucket)."""

    facts: Facts = field(default_factory=Facts)
    more: list[Unit] = field(default_factory=list)


@dataclass(frozen=True)
class Unit:
    """One piece of work: a service in an account and region (None = a global service)."""

    account: str
    region: str | None
    service: str
    kinds: tuple[DataKind, ...]
    work: Callable[[], Result]
    detail: str | None = None


def run_units(units: Iterable[Unit], concurrency: int, progress: Progress) -> Facts:
    """Run every unit and its follow-ups with at most ``concurrency`` at a time.

    Units are handed to the pool only as workers free up, and a unit's follow-ups go ahead of
    the roots not yet started: a long chain (an account's buckets after its bucket list) starts
    as soon as it is known instead of waiting behind every other root, which would make it the
    tail of the whole run. Follow-ups are submitted by this thread rather than waited for inside
    a worker, so a full pool can never deadlock. A unit that raises becomes a gap for its scope;
    the rest go on.
    """
    facts = Facts()
    roots = list(units)
    tasks: dict[str, int] = {}
    for account in dict.fromkeys(u.account for u in roots):
        total = sum(1 for u in roots if u.account == account)
        tasks[account] = progress.task(f"AWS account {account}", total=total)
    outstanding: dict[int, int] = {}
    root_account: dict[int, str] = {}
    ready: deque[tuple[Unit, int]] = deque()
    for i, unit in enumerate(roots):
        root_account[i] = unit.account
        outstanding[i] = 1
        ready.append((unit, i))

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="aws") as pool:
        pending: dict[Future, tuple[Unit, int]] = {}

        def fill() -> None:
            while ready and len(pending) < concurrency:
                unit, root = ready.popleft()
                pending[pool.submit(unit.work)] = (unit, root)

        fill()
        while pending:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for fut in done:
                unit, root = pending.pop(fut)
                try:
                    result = fut.result()
                except Exception as exc:  # noqa: BLE001 - every failure becomes a visible gap
                    gap = gap_for(exc, account=unit.account, region=unit.region,
                                  service=unit.service, kinds=unit.kinds, detail=unit.detail)
                    facts.gaps.append(gap)
                    progress.note(f"aws: {gap.scope}: {gap.reason}")
                else:
                    facts.extend(result.facts)
                    for gap in result.facts.gaps:
                        progress.note(f"aws: {gap.scope}: {gap.reason}")
                    outstanding[root] += len(result.more)
                    ready.extendleft((follow, root) for follow in reversed(result.more))
                outstanding[root] -= 1
                if outstanding[root] == 0:
                    progress.advance(tasks[root_account[root]])
            fill()
    return facts
