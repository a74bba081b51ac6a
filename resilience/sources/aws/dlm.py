"""Amazon Data Lifecycle Manager: EBS snapshot and AMI policies as another form of protection."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from resilience.sources.aws.common import Scope
from resilience.sources.aws.facts import DlmPolicy, DlmSchedule, Facts
from resilience.sources.aws.fanout import Result
from resilience.sources.aws.schedule import schedule_interval

_UNIT_DAYS = {"HOURS": 1 / 24, "DAYS": 1, "WEEKS": 7, "MONTHS": 31, "YEARS": 365}


def _span(interval: int | None, unit: str | None) -> timedelta | None:
    if not interval or not unit or unit.upper() not in _UNIT_DAYS:
        return None
    return timedelta(days=interval * _UNIT_DAYS[unit.upper()])


def _create_interval(rule: dict[str, Any]) -> timedelta | None:
    if rule.get("CronExpression"):
        return schedule_interval(rule["CronExpression"])
    return _span(rule.get("Interval"), rule.get("IntervalUnit"))


def _retention(rule: dict[str, Any], frequency: timedelta | None) -> timedelta | None:
    if rule.get("Count"):
        return frequency * rule["Count"] if frequency else None
    return _span(rule.get("Interval"), rule.get("IntervalUnit"))


def _schedules(details: dict[str, Any]) -> list[DlmSchedule]:
    out = []
    for s in details.get("Schedules") or []:
        freq = _create_interval(s.get("CreateRule") or {})
        copies = [(c.get("TargetRegion") or c.get("Target") or "", _span(
                   (c.get("RetainRule") or {}).get("Interval"),
                   (c.get("RetainRule") or {}).get("IntervalUnit")), c.get("Encrypted"))
                  for c in s.get("CrossRegionCopyRules") or []]
        out.append(DlmSchedule(name=s.get("Name") or f"schedule-{len(out) + 1}", frequency=freq,
                               retention=_retention(s.get("RetainRule") or {}, freq),
                               copies=[c for c in copies if c[0]]))
    if not out and details.get("CreateInterval"):  # a default policy: days between snapshots
        freq = timedelta(days=details["CreateInterval"])
        retain = details.get("RetainInterval")
        copies = [(t.get("TargetRegion", ""), timedelta(days=retain) if retain else None, None)
                  for t in details.get("CrossRegionCopyTargets") or [] if t.get("TargetRegion")]
        out.append(DlmSchedule("default", freq, timedelta(days=retain) if retain else None, copies))
    return out


def _pairs(tags: list[dict[str, str]] | None) -> list[tuple[str, str]]:
    """Tags as pairs: a policy may target one key with several values."""
    return [(t["Key"], t.get("Value", "")) for t in tags or [] if "Key" in t]


def collect_dlm(scope: Scope) -> Result:
    dlm = scope.client("dlm")
    facts = Facts()
    for summary in dlm.get_lifecycle_policies().get("Policies") or []:
        if summary.get("State") != "ENABLED":
            continue
        policy = dlm.get_lifecycle_policy(PolicyId=summary["PolicyId"])["Policy"]
        details = policy.get("PolicyDetails") or {}
        if details.get("PolicyType", "EBS_SNAPSHOT_MANAGEMENT") not in (
                "EBS_SNAPSHOT_MANAGEMENT", "IMAGE_MANAGEMENT"):
            continue  # event-based policies copy snapshots shared by others
        types = list(details.get("ResourceTypes") or [])
        if details.get("ResourceType"):
            types.append(details["ResourceType"])
        if details.get("PolicyType") == "IMAGE_MANAGEMENT" and not types:
            types = ["INSTANCE"]
        exclusions = details.get("Exclusions") or {}
        facts.dlm_policies.append(DlmPolicy(
            policy_id=policy["PolicyId"], account=scope.account, region=scope.region or "",
            resource_types=[t.upper() for t in types],
            target_tags=_pairs(details.get("TargetTags")),
            default_policy=bool(policy.get("DefaultPolicy") or summary.get("DefaultPolicy")),
            exclude_tags=_pairs(exclusions.get("ExcludeTags")),
            schedules=_schedules(details),
        ))
    return Result(facts)
