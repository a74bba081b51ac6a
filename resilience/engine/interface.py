"""The check interface: metadata, the evaluation context, findings, and the Check base class."""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

from pydantic import Field

from resilience.model import (
    Account,
    BackupCopy,
    DataKind,
    Domain,
    Estate,
    Hosting,
    Provider,
    Service,
    Severity,
    SourceRef,
    Status,
    System,
    TrustDomain,
)
from resilience.model.construct import construct, from_row
from resilience.model.estate import Strict
from resilience.policy import Policy, TierPolicy


class FrameworkRefs(Strict):
    """Where a check sits in the frameworks auditors use."""

    caf: list[str] = Field(default_factory=list, description="NCSC CAF 4.0 outcomes, e.g. B5.a.")
    nist_csf: list[str] = Field(default_factory=list, description="NIST CSF 2.0, e.g. PR.DS-11.")
    cis: list[str] = Field(default_factory=list, description="CIS Controls v8 safeguards, e.g. 11.4.")
    iso27001: list[str] = Field(default_factory=list, description="ISO/IEC 27001:2022 Annex A, e.g. A.8.13.")


class CheckMeta(Strict):
    """Everything a user needs to know about a check; validated when the catalogue loads."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]+$")
    title: str
    domain: Domain
    severity: Severity
    rationale: str
    remediation: str
    remediation_steps: dict[Hosting, str] = Field(
        default_factory=dict, description="Provider-specific steps: CLI commands or console paths."
    )
    lessons: list[str] = Field(min_length=1)
    frameworks: FrameworkRefs
    needs: list[DataKind] = Field(min_length=1, description="Data without which the check cannot judge.")
    applies_to: list[Hosting] = Field(default_factory=lambda: list(Hosting))


class Finding(Strict):
    """One check's outcome for one asset."""

    check_id: str
    title: str
    domain: Domain
    severity: Severity
    status: Status
    asset_id: str
    asset_name: str | None = None
    asset_type: str = Field(description="system, service, backup, account, plan, supplier, estate, ...")
    hosting: Hosting | None = None
    tier: int | None = None
    services: list[str] = Field(default_factory=list)
    message: str
    remediation: str
    location: SourceRef | None = None
    waiver: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """What identifies this finding across runs."""
        return (self.check_id, self.asset_id)


@dataclass
class CheckContext:
    """What a check may read: the estate, the policy and the evaluation time."""

    estate: Estate
    policy: Policy
    now: datetime
    keep_passes: bool = True  # False: passes become PassTally counts, not findings
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    _domain: Domain | None = field(default=None, repr=False)

    def entering(self, domain: Domain) -> None:
        """Called before each check. The facts checks share (``_cache``) belong to one
        domain, and the catalogue runs domain by domain, so they are let go when the next
        domain starts (more than 100 MB at 100,000 systems). A fact asked for again is only
        worked out again."""
        if domain != self._domain:
            self._cache.clear()
            self._domain = domain

    @functools.cached_property
    def _tiers(self) -> dict[str, int | None]:
        """Every system's tier, worked out once: most checks ask for it for every system."""
        return {s.id: self.estate.system_tier(s) for s in self.estate.systems}

    def tier_of(self, system: System) -> int | None:
        try:
            return self._tiers[system.id]
        except KeyError:  # a system built outside the estate
            return self.estate.system_tier(system)

    @functools.cached_property
    def _tallies(self) -> dict[str, PassTally]:
        """Every system's pass tally (its tier's and its services'), for a pass about it or
        one of its copies."""
        return {sid: pass_tally(tier, self.service_ids(sid)) for sid, tier in self._tiers.items()}

    def counted_pass(self, asset: Any) -> PassTally:
        """What a pass about ``asset`` counts as when passes are not kept: the tally of its
        tier and services (as ``make_finding`` would set them on a finding), looked up
        directly for systems and copies."""
        kind = asset.__class__
        if kind is System:
            tally = self._tallies.get(asset.id)
            if tally is not None:
                return tally
        elif kind is BackupCopy or isinstance(asset, BackupCopy):
            # its system's; none for a copy of an unknown system
            return self._tallies.get(asset.system) or pass_tally(None)
        if isinstance(asset, Service):
            return pass_tally(asset.tier, (asset.id,))
        if isinstance(asset, System):  # a system built outside the estate
            return pass_tally(self.tier_of(asset), self.service_ids(asset.id))
        return pass_tally(_tier_of_asset(self, asset))

    @functools.cached_property
    def _service_ids(self) -> dict[str, list[str]]:
        return {sid: [s.id for s in svcs] for sid, svcs in self.estate.services_by_system.items()}

    def service_ids(self, system_id: str) -> list[str]:
        """Ids of the services a system serves; one list per system, shared by its findings
        (do not change it)."""
        return self._service_ids.get(system_id, [])

    def tier_policy(self, system: System) -> TierPolicy | None:
        return self.policy.tier(self.tier_of(system))

    def age(self, when: datetime | None) -> timedelta | None:
        return None if when is None else self.now - when

    def gap_reason(self, kind: DataKind, account: str | None = None,
                   region: str | None = None) -> str | None:
        """Why ``kind`` data is missing for this scope, or None when it was collected."""
        if not self.estate.provided(kind):
            return f"no source in this estate provides {kind.value}"
        gaps = self.estate.gaps_for(kind, account, region)
        if gaps:
            g = gaps[0]
            return f"{kind.value} not collected for {g.scope}: {g.reason}"
        return None


@dataclass(frozen=True, slots=True)
class PassTally:
    """A pass that the run counts (by tier and by service) but does not list: large estates
    make millions of passes, and building a full finding for each would dominate the run.
    Passes about the systems of the same services and tier share one."""

    tier: int | None
    services: tuple[str, ...] = ()
    status: Status = Status.PASS


_TALLIES: dict[tuple[int | None, tuple[str, ...]], PassTally] = {}


def pass_tally(tier: int | None, services: Sequence[str] = ()) -> PassTally:
    """The one tally of ``tier`` and ``services``."""
    key = (tier, tuple(services))
    tally = _TALLIES.get(key)
    if tally is None:
        tally = _TALLIES[key] = PassTally(*key)
    return tally


def shared_tallies() -> list[PassTally]:
    """Every PassTally that ``pass_tally`` has handed out since ``forget_tallies``."""
    return list(_TALLIES.values())


def forget_tallies() -> None:
    """Start a run with no tallies, so that counting its passes looks only at its own (one
    per tier and set of services: thousands on a large estate)."""
    _TALLIES.clear()


class Check(ABC):
    """A pure function of (estate, policy) that yields findings. One subclass per module."""

    meta: ClassVar[CheckMeta]

    @abstractmethod
    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        """Yield a finding (pass, fail or error) for every asset in scope (passes are
        PassTally counts when ``ctx.keep_passes`` is False; checks need not care)."""

    # Helpers that fill a Finding from the check's metadata and the asset.
    def passed(self, ctx: CheckContext, asset: Any, message: str) -> Finding | PassTally:
        if not ctx.keep_passes:  # millions on a large estate: the short way
            return ctx.counted_pass(asset)
        return make_finding(self.meta, ctx, asset, Status.PASS, message)

    def failed(self, ctx: CheckContext, asset: Any, message: str) -> Finding:
        return make_finding(self.meta, ctx, asset, Status.FAIL, message)

    def errored(self, ctx: CheckContext, asset: Any, message: str) -> Finding:
        return make_finding(self.meta, ctx, asset, Status.ERROR, message)


_ASSET_TYPES = {"BackupCopy": "backup", "TrustDomain": "trust-domain", "Estate": "estate"}
# Where an account or trust domain lives, so findings carry the provider's remediation step.
_HOSTING_OF_PROVIDER = {
    Provider.AWS: Hosting.AWS,
    Provider.AZURE: Hosting.AZURE,
    Provider.AD: Hosting.ONPREM,
    Provider.ONPREM: Hosting.ONPREM,
}


def asset_type_of(asset: Any) -> str:
    """The asset type word used in findings (system, service, backup, account, ...)."""
    if isinstance(asset, BackupCopy):  # also the on-prem file's nested BackupEntry subclass
        return "backup"
    name = type(asset).__name__
    return _ASSET_TYPES.get(name, name.lower())


@functools.cache
def _fields_of(model: type) -> frozenset[str]:
    """Field names of an estate model (cached: pydantic's accessor is slow on hot paths)."""
    return frozenset(model.model_fields)


def construct_finding(**values: Any) -> Finding:
    """A Finding from already-valid values (every field, in order), without validation: a
    large estate makes millions of findings. A test checks it equals a validated Finding."""
    return construct(Finding, **values)


_REMEDIATIONS: dict[tuple[str, str], str] = {}


def _remediation(meta: CheckMeta, hosting: Hosting | None) -> str:
    """The check's remediation with the provider's steps: one string per check and provider,
    shared by its findings (a large estate has hundreds of thousands)."""
    step = meta.remediation_steps.get(hosting) if hosting is not None else None
    if step is None:
        return meta.remediation
    text = _REMEDIATIONS.get((meta.remediation, step))
    if text is None:
        text = _REMEDIATIONS[(meta.remediation, step)] = f"{meta.remediation} {step}"
    return text


def _tier_of_asset(ctx: CheckContext, asset: Any) -> int | None:
    """The tier a finding about ``asset`` is counted under (as ``make_finding`` sets it)."""
    if isinstance(asset, System):
        return ctx.tier_of(asset)
    if isinstance(asset, BackupCopy):
        system = ctx.estate.system_by_id.get(asset.system)
        return None if system is None else ctx.tier_of(system)
    if isinstance(asset, Service):
        return asset.tier
    return None


def make_finding(meta: CheckMeta, ctx: CheckContext, asset: Any, status: Status,
                 message: str) -> Finding | PassTally:
    """Build a finding for ``asset`` (any estate model with an id) from a check's metadata.

    Built without validation: every input is already validated (the metadata at catalogue load,
    the asset at the file boundary), and on large estates validation would dominate.
    """
    if isinstance(asset, System):  # most findings of a large estate: the short way
        if status is Status.PASS and not ctx.keep_passes:
            return ctx.counted_pass(asset)
        tier = ctx.tier_of(asset)
        return _quick(meta, status, asset.id, asset.name, "system", asset.hosting, tier,
                      ctx.service_ids(asset.id), message, asset.declared_at)
    if isinstance(asset, BackupCopy):  # the next most common
        if status is Status.PASS and not ctx.keep_passes:
            return ctx.counted_pass(asset)
        system = ctx.estate.system_by_id.get(asset.system)
        tier = None if system is None else ctx.tier_of(system)
        if system is None:
            return _quick(meta, status, asset.id, None, "backup", None, None, [], message,
                          asset.declared_at)
        return _quick(meta, status, asset.id, None, "backup", system.hosting, tier,
                      ctx.service_ids(system.id), message, asset.declared_at)
    if status is Status.PASS and not ctx.keep_passes:
        return ctx.counted_pass(asset)
    tier = None
    services: list[str] = []
    fields = _fields_of(type(asset))
    hosting = asset.hosting if "hosting" in fields else None
    if isinstance(asset, Service):
        tier = asset.tier
        services = [asset.id]
    elif isinstance(asset, Account):
        hosting = _HOSTING_OF_PROVIDER.get(asset.source)
    elif isinstance(asset, TrustDomain):
        hosting = _HOSTING_OF_PROVIDER.get(asset.provider) if asset.provider else None
    remediation = _remediation(meta, hosting)
    is_estate = isinstance(asset, Estate)
    return construct_finding(
        check_id=meta.id,
        title=meta.title,
        domain=meta.domain,
        severity=meta.severity,
        status=status,
        asset_id=("estate" if is_estate else asset.id) or "estate",
        asset_name=None if is_estate or "name" not in fields else asset.name,
        asset_type=asset_type_of(asset),
        hosting=hosting,
        tier=tier,
        services=services,
        message=str(message),
        remediation=remediation,
        location=asset.declared_at if "declared_at" in fields else None,
        waiver=None,
    )


def _quick(meta: CheckMeta, status: Status, asset_id: str, name: str | None, kind: str,
           hosting: Hosting | None, tier: int | None, services: list[str], message: str,
           location: SourceRef | None) -> Finding:
    """A finding about a system or a backup copy, built straight from its values in order."""
    return from_row(Finding, (
        meta.id, meta.title, meta.domain, meta.severity, status, asset_id, name, kind, hosting,
        tier, services, str(message), _remediation(meta, hosting), location, None))
