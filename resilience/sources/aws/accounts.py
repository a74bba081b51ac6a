"""Which accounts and regions to read: the caller's, Organizations members, assumed roles."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from resilience.config import AwsSettings
from resilience.errors import UsageError
from resilience.model import CollectionGap, DataKind
from resilience.sources.aws.common import pages
from resilience.sources.aws.failures import gap_for
from resilience.sources.aws.session import AccountSession, SessionHook, assume_role

ALL_KINDS = (DataKind.SYSTEMS, DataKind.BACKUPS, DataKind.ACCOUNTS, DataKind.IDENTITY_SETTINGS)
REGIONAL_KINDS = (DataKind.SYSTEMS, DataKind.BACKUPS)


@dataclass
class Target:
    """An account we can read, and the regions to read in it."""

    session: AccountSession
    regions: list[str]


@dataclass
class Plan:
    targets: list[Target] = field(default_factory=list)
    gaps: list[CollectionGap] = field(default_factory=list)


def _member_accounts(caller: AccountSession, settings: AwsSettings, gaps: list) -> list[str]:
    wanted = list(dict.fromkeys(settings.accounts))
    if settings.organization:
        try:
            org = caller.client("organizations")
            listed = [a["Id"] for a in pages(org, "list_accounts", "Accounts")
                      if a.get("Status", "ACTIVE") == "ACTIVE"]
            wanted += [a for a in listed if a not in wanted]
        except Exception as exc:  # noqa: BLE001 - a gap, and the named accounts still run
            gaps.append(gap_for(exc, account=caller.account_id, region=None,
                                service="organizations", kinds=ALL_KINDS,
                                detail="member accounts could not be listed"))
    return [a for a in wanted if a != caller.account_id]


def _regions(session: AccountSession,
             settings: AwsSettings) -> tuple[list[str], CollectionGap | None]:
    if settings.regions:
        return list(dict.fromkeys(settings.regions)), None
    home = session.session.region_name or session.home_region
    try:
        found = session.client("ec2", home).describe_regions(AllRegions=False)["Regions"]
        names = sorted(r["RegionName"] for r in found
                       if r.get("OptInStatus", "opt-in-not-required") != "not-opted-in")
        return names or [home], None
    except Exception as exc:  # noqa: BLE001
        gap = gap_for(exc, account=session.account_id, region=None, service="ec2",
                      kinds=REGIONAL_KINDS,
                      detail=f"enabled regions could not be listed; only {home} was read")
        return [home], gap


def plan_targets(caller: AccountSession, settings: AwsSettings,
                 hook: SessionHook | None = None) -> Plan:
    """Assume into member accounts and find each account's regions, concurrently."""
    plan = Plan()
    members = _member_accounts(caller, settings, plan.gaps)
    if members and not settings.assume_role:
        raise UsageError("reading member accounts needs a role to assume: set sources.aws."
                         "assume_role in resilience.yaml (e.g. a read-only audit role)")

    def open_account(account: str) -> tuple[AccountSession | None, CollectionGap | None]:
        if account == caller.account_id:
            return caller, None
        try:
            return assume_role(caller, account, settings, hook), None
        except Exception as exc:  # noqa: BLE001
            return None, gap_for(exc, account=account, region=None, service="sts",
                                 kinds=ALL_KINDS,
                                 detail=f"could not assume role {settings.assume_role}")

    def prepare(account: str) -> tuple[Target | None, list[CollectionGap]]:
        session, gap = open_account(account)
        if session is None:
            return None, [gap] if gap else []
        regions, region_gap = _regions(session, settings)
        return Target(session, regions), [region_gap] if region_gap else []

    accounts = [caller.account_id, *members]
    with ThreadPoolExecutor(max_workers=min(settings.concurrency, len(accounts))) as pool:
        for target, gaps in pool.map(prepare, accounts):
            plan.gaps += gaps
            if target is not None:
                plan.targets.append(target)
    return plan
