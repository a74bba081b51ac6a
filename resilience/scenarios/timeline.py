"""Restore durations (measured where a restore test exists, estimated otherwise) and the
schedule that turns an order into times from the start of the incident."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from resilience.config import RestoreSettings
from resilience.durations import format_duration
from resilience.model import SystemKind
from resilience.policy import Policy
from resilience.scenarios.interface import CopyOutcome, Recovery


@dataclass(frozen=True)
class StepTime:
    """How long one step takes and where that figure comes from."""

    value: timedelta
    source: str  # "measured" | "estimated"
    basis: str


def step_duration(kind: SystemKind, recovery: Recovery, copy: CopyOutcome | None,
                  settings: RestoreSettings) -> StepTime:
    """A measured restore test wins; otherwise the configured estimate for the system's kind."""
    if recovery is Recovery.AFTER_DEPENDENCIES:
        return StepTime(timedelta(0), "estimated",
                        "no restore needed: it comes back once what it needs is back")
    if (recovery is Recovery.RESTORE and copy is not None
            and copy.restore_test_duration is not None and copy.restore_test_passed is not False):
        return StepTime(copy.restore_test_duration, "measured",
                        f"restore test of copy {copy.id}")
    estimate = settings.estimates.get(kind, settings.default_estimate)
    what = "rebuilding" if recovery is Recovery.REBUILD else "restoring"
    basis = f"planning estimate for {what} one {kind.value} (playbook.restore.estimates)"
    if recovery is Recovery.REBUILD and kind is SystemKind.DIRECTORY:
        basis += "; a new, empty directory: recreate every account, group and trust"
    if copy is not None and copy.restore_test_passed is False:
        basis += "; its last restore test failed"
    return StepTime(estimate, "estimated", basis)


@dataclass
class Scheduled:
    start: timedelta
    finish: timedelta


def schedule(order: list[str], durations: dict[str, timedelta], needs: dict[str, list[str]],
             in_cycle: set[str], settings: RestoreSettings) -> dict[str, Scheduled]:
    """Greedy list scheduling over ``parallel_streams`` restore teams, in ``order``.

    A step starts after mobilisation, after everything it needs has finished, and when a team is
    free. Needs inside the same cycle are ignored (the cycle is restored together)."""
    streams = [settings.mobilisation] * settings.parallel_streams
    out: dict[str, Scheduled] = {}
    for node in order:
        ready = settings.mobilisation
        for dep in needs.get(node, []):
            if dep in out and not (node in in_cycle and dep in in_cycle):
                ready = max(ready, out[dep].finish)
        length = durations[node]
        if length == timedelta(0):
            out[node] = Scheduled(ready, ready)
            continue
        team = min(range(len(streams)), key=lambda i: (max(streams[i], ready), i))
        start = max(streams[team], ready)
        out[node] = Scheduled(start, start + length)
        streams[team] = start + length
    return out


def rto_for(rto: timedelta | None, tier: int | None, policy: Policy) -> tuple[timedelta | None,
                                                                               str | None]:
    """A service's RTO: its own, else its tier's, else none (and say which)."""
    if rto is not None:
        return rto, "service"
    tier_policy = policy.tier(tier)
    if tier_policy is None:
        return None, None
    number = tier if tier is not None else policy.default_tier
    return tier_policy.rto, f"tier {number} ({tier_policy.name})"


def clock(value: timedelta | None) -> str:
    """``T+36h`` style time from the start of the incident."""
    return "unknown" if value is None else f"T+{format_duration(value)}"
