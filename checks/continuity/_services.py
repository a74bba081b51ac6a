"""Shared logic for continuity checks: tiers of services, sites, plan kinds and ages.

Modules starting with an underscore are not checks; the registry skips them.

Unknown facts (a ``None`` boolean or date) give ``error``. A record people declare, such as a
service's manual fallback or its re-entry plan, is judged by its presence: a register that
does not list a fallback is saying there is none.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from resilience.durations import format_duration
from resilience.engine.interface import CheckContext
from resilience.model import Hosting, Provider, Service, System, SystemKind, TrustDomain
from resilience.policy import TierPolicy

# Systems whose running and siting are a supplier's business, not ours.
SUPPLIER_RUN = {SystemKind.SAAS}


def age_text(age: timedelta) -> str:
    """A person-friendly age such as '412d'."""
    return format_duration(timedelta(days=max(0, age.days))) if age.days >= 1 else "less than 1d"


def service_policy(ctx: CheckContext, service: Service) -> TierPolicy | None:
    """The tier policy a service is held to (its tier, else the policy's default tier)."""
    return ctx.policy.tier(service.tier)


def most_critical_tier(ctx: CheckContext) -> int:
    return min(ctx.policy.tiers)


def supplier_run(system: System) -> bool:
    """Whether the system is a supplier's service (SaaS) rather than ours to site and rebuild."""
    return system.hosting == Hosting.SAAS or system.kind in SUPPLIER_RUN


def location(system: System) -> str | None:
    """Where a system runs: its site, else (for cloud) its region."""
    return system.site or system.region


def is_onprem_directory(domain: TrustDomain) -> bool:
    """An on-premises directory (Active Directory and the like)."""
    return domain.provider in (Provider.AD, Provider.ONPREM) or domain.kind.startswith("ad-")


def plan_kind(kind: str) -> str:
    """Plan kinds compared loosely: 'Business continuity' == 'business-continuity'."""
    return "-".join(kind.lower().replace("_", " ").split())


def names(items: Iterable[str]) -> str:
    return ", ".join(sorted(items))
