"""Backup policies to frequency and retention: Recovery Services and Backup vault shapes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

# Months and years are counted short (30 and 365 days): an estimate that errs towards
# "not kept long enough" rather than towards a false pass.
_UNIT_DAYS = {"days": 1, "weeks": 7, "months": 30, "years": 365}
_ISO = re.compile(
    r"^P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<mo>\d+(?:\.\d+)?)M)?(?:(?P<w>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
CONTINUOUS = timedelta(0)
"""Continuous protection (operational blob backup): any point can be restored."""


def iso_duration(text: Any) -> timedelta | None:
    """``P30D``, ``PT4H``, ``P1Y``, ``P2W`` ... as a timedelta (None when unreadable)."""
    if not isinstance(text, str):
        return None
    m = _ISO.match(text.strip().upper())
    if not m or not any(m.groupdict().values()):
        return None
    g = {k: float(v) if v else 0.0 for k, v in m.groupdict().items()}
    days = g["y"] * 365 + g["mo"] * 30 + g["w"] * 7 + g["d"]
    return timedelta(days=days, hours=g["h"], minutes=g["mi"], seconds=g["s"])


def _retention_duration(spec: Any) -> timedelta | None:
    if not isinstance(spec, dict):
        return None
    count, unit = spec.get("count"), str(spec.get("durationType") or "").lower()
    if not isinstance(count, int | float) or unit not in _UNIT_DAYS:
        return None
    return timedelta(days=count * _UNIT_DAYS[unit])


def _max(values: list[timedelta | None]) -> timedelta | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _min(values: list[timedelta | None]) -> timedelta | None:
    known = [v for v in values if v is not None]
    return min(known) if known else None


def schedule_frequency(schedule: Any) -> timedelta | None:
    """How often a Recovery Services schedule policy takes a backup."""
    if not isinstance(schedule, dict):
        return None
    kind = str(schedule.get("schedulePolicyType") or "")
    if kind == "LogSchedulePolicy":
        minutes = schedule.get("scheduleFrequencyInMins")
        return timedelta(minutes=minutes) if isinstance(minutes, int) and minutes > 0 else None
    run = str(schedule.get("scheduleRunFrequency") or "").lower()
    if run == "hourly":
        interval = (schedule.get("hourlySchedule") or {}).get("interval")
        return timedelta(hours=interval) if isinstance(interval, int) and interval > 0 else None
    if run == "daily":
        return timedelta(days=1)
    if run == "weekly":
        return timedelta(days=7)
    return None


def retention_length(retention: Any) -> timedelta | None:
    """The longest a Recovery Services retention policy keeps a recovery point."""
    if not isinstance(retention, dict):
        return None
    if retention.get("retentionPolicyType") == "SimpleRetentionPolicy":
        return _retention_duration(retention.get("retentionDuration"))
    return _max([_retention_duration((retention.get(k) or {}).get("retentionDuration"))
                 for k in ("dailySchedule", "weeklySchedule", "monthlySchedule", "yearlySchedule")])


def vault_policy_terms(policy: dict[str, Any] | None) -> tuple[timedelta | None, timedelta | None]:
    """(frequency, retention) of a Recovery Services backup policy resource."""
    if not policy:
        return None, None
    props = policy.get("properties") or {}
    subs = props.get("subProtectionPolicy")
    if isinstance(subs, list) and subs:  # SQL/SAP HANA in VMs: full, differential and log
        return (_min([schedule_frequency(s.get("schedulePolicy")) for s in subs]),
                _max([retention_length(s.get("retentionPolicy")) for s in subs]))
    schedule = props.get("schedulePolicy") or props.get("schedule")
    return schedule_frequency(schedule), retention_length(props.get("retentionPolicy"))


def data_protection_policy_terms(
    policy: dict[str, Any] | None,
) -> tuple[timedelta | None, timedelta | None, bool]:
    """(frequency, retention, continuous) of a Backup vault policy.

    A policy with retention rules but no scheduled backup rule protects continuously
    (operational backup of blobs): ``frequency`` is then ``CONTINUOUS``.
    """
    if not policy:
        return None, None, False
    rules = (policy.get("properties") or {}).get("policyRules") or []
    frequencies: list[timedelta | None] = []
    retentions: list[timedelta | None] = []
    scheduled = False
    for rule in rules:
        kind = rule.get("objectType")
        if kind == "AzureBackupRule":
            trigger = rule.get("trigger") or {}
            intervals = (trigger.get("schedule") or {}).get("repeatingTimeIntervals") or []
            for interval in intervals:
                scheduled = True
                frequencies.append(iso_duration(str(interval).rsplit("/", 1)[-1]))
        elif kind == "AzureRetentionRule":
            for life in rule.get("lifecycles") or []:
                retentions.append(iso_duration((life.get("deleteAfter") or {}).get("duration")))
    retention = _max(retentions)
    if not scheduled and retention is not None:
        return CONTINUOUS, retention, True
    return _min(frequencies), retention, False
