"""The normalised estate: services, systems, backup copies, accounts, plans, suppliers and gaps.

Cloud and on-premises assets use the same fields. ``None`` always means "not known": checks
treat it as missing data (status ``error``), never as a pass.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from resilience.durations import Duration
from resilience.model.enums import AccountKind, CopyKind, DataKind, Hosting, Provider, SystemKind
from resilience.model.redact import redact_tags, redact_text
from resilience.model.timeutil import Timestamp

SCHEMA_VERSION = 1
# The estate's lists of assets with ids, each id unique within its list.
ASSET_LISTS = ("services", "systems", "backups", "accounts", "trust_domains", "plans", "suppliers")
ID_PATTERN = r"^[^\s]{1,512}$"


class Strict(BaseModel):
    """Base for everything read from files or written as JSON: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False)

    def model_post_init(self, context: Any, /) -> None:
        # pydantic gives every instance its own set of the fields the input named (often 2 KB);
        # instances naming the same fields share one, which cuts a large estate by about a
        # third. pydantic copies the set before changing it in model_copy; an assignment
        # un-shares it first (below).
        object.__setattr__(self, "__pydantic_fields_set__",
                           _shared_field_set(self.__pydantic_fields_set__))

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        super().__setattr__(name, value)


_FIELD_SETS: dict[frozenset[str], set[str]] = {}


def _shared_field_set(fields: set[str]) -> set[str]:
    key = frozenset(fields)
    shared = _FIELD_SETS.get(key)
    if shared is None:
        shared = _FIELD_SETS[key] = fields
    return shared


class SourceRef(Strict):
    """Where an asset was declared (file and line), for SARIF locations and error messages."""

    file: str
    line: int | None = None


class ManualFallback(Strict):
    """How a service keeps going by hand (paper forms, phone, a cloud form) while IT is down."""

    description: str
    last_exercised: Timestamp | None = None
    reentry_plan: str | None = Field(
        None, description="How data captured on paper or stopgaps gets back into the system."
    )

    _redact = field_validator("description", "reentry_plan", mode="before")(
        lambda v: redact_text(v))


class Service(Strict):
    """A business service that residents, patients, customers or staff feel."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    description: str | None = None
    tier: int | None = Field(None, ge=1, le=9, description="1 is the most critical.")
    owner: str | None = None
    systems: list[str] = Field(default_factory=list)
    depends_on: list[str] = Field(default_factory=list, description="Other service ids.")
    manual_fallback: ManualFallback | None = None
    rto: Duration | None = Field(None, description="Overrides the tier's RTO.")
    rpo: Duration | None = Field(None, description="Overrides the tier's RPO.")
    suppliers: list[str] = Field(default_factory=list)
    declared_at: SourceRef | None = None

    _redact = field_validator("description", mode="before")(lambda v: redact_text(v))


class System(Strict):
    """Anything that runs or holds data: a server, a database, a bucket, a VM, a SaaS product."""

    id: str = Field(pattern=ID_PATTERN, description="On-prem id, ARN or Azure resource id.")
    name: str
    kind: SystemKind = SystemKind.OTHER
    hosting: Hosting
    resource_type: str | None = Field(None, description="Provider type, e.g. AWS::RDS::DBInstance.")
    account: str | None = Field(None, description="AWS account, Azure subscription, or on-prem estate.")
    region: str | None = None
    site: str | None = Field(None, description="Data centre, or the cloud region it runs in.")
    failover_site: str | None = Field(None, description="Where a standby or replica runs.")
    zones: list[str] = Field(default_factory=list)
    zone_redundant: bool | None = None
    tier: int | None = Field(None, ge=1, le=9)
    owner: str | None = None
    services: list[str] = Field(default_factory=list)
    depends_on: list[str] = Field(default_factory=list, description="Other system ids.")
    identity_domain: str | None = Field(
        None, description="The directory it is joined to or authenticates against (a trust domain id)."
    )
    os: str | None = None
    end_of_support: Timestamp | None = None
    rebuild_documented: bool | None = Field(
        None, description="A tested way to rebuild it from scratch exists (images, IaC, runbook)."
    )
    supplier: str | None = None
    internet_facing: bool | None = None
    deletion_protection: bool | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    declared_at: SourceRef | None = None

    _redact = field_validator("tags", mode="before")(lambda v: redact_tags(v))


class BackupCopy(Strict):
    """One way a system's data can be brought back: a backup job, snapshot, replica or export."""

    id: str = Field(pattern=ID_PATTERN)
    system: str
    tool: str | None = None
    kind: CopyKind = CopyKind.BACKUP
    frequency: Duration | None = None
    retention: Duration | None = None
    immutable: bool | None = None
    immutability: str | None = Field(None, description="e.g. 'compliance lock', 'governance'.")
    offline: bool | None = None
    offsite: bool | None = None
    site: str | None = Field(None, description="Where the copy lives: data centre or region.")
    region: str | None = None
    account: str | None = None
    trust_domain: str | None = Field(
        None, description="Whose credentials can delete this copy (a trust domain id)."
    )
    logically_air_gapped: bool | None = None
    soft_delete: bool | None = None
    deletion_approval: bool | None = Field(
        None, description="Deleting needs a second person (multi-user or multi-party approval)."
    )
    encrypted: bool | None = None
    key_recoverable: bool | None = Field(
        None, description="The key that decrypts this copy can itself be recovered after an attack."
    )
    soft_delete_always_on: bool | None = Field(
        None, description="Soft delete cannot be switched off again (Azure 'always on')."
    )
    soft_delete_retention: Duration | None = Field(
        None, description="How long a deleted copy stays recoverable."
    )
    cross_region_restore: bool | None = Field(
        None, description="Can be restored in the paired region without the primary region."
    )
    storage_redundancy: str | None = Field(
        None, description="How the provider stores the copy, e.g. LRS, ZRS, GRS."
    )
    security_level: str | None = Field(
        None, description="The provider's own rating of the vault's security settings."
    )
    health: str | None = Field(None, description="The provider's health status for this copy.")
    last_status: str | None = Field(None, description="Outcome of the last backup attempt.")
    last_success: Timestamp | None = None
    last_restore_test: Timestamp | None = None
    restore_test_duration: Duration | None = None
    restore_test_passed: bool | None = None
    declared_at: SourceRef | None = None


class AccessKey(Strict):
    """A long-lived API key; only its age and use are kept, never the secret."""

    id: str = Field(description="A masked identifier, never the secret.")
    active: bool = True
    created: Timestamp | None = None
    last_used: Timestamp | None = None


class Account(Strict):
    """A human, service, supplier or break-glass account in a directory or cloud."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    source: Provider
    trust_domain: str | None = None
    kind: AccountKind = AccountKind.HUMAN
    privileged: bool | None = None
    mfa: bool | None = None
    enabled: bool | None = True
    console_access: bool | None = None
    remote_access: bool | None = Field(None, description="Can log on through VPN, RDS, Citrix or RMM.")
    backup_admin: bool | None = Field(None, description="Can administer or delete backups.")
    monitored: bool | None = Field(None, description="Sign-ins raise an alert (break-glass).")
    last_used: Timestamp | None = None
    created: Timestamp | None = None
    password_last_set: Timestamp | None = None
    password_never_expires: bool | None = None
    owner: str | None = None
    supplier: str | None = None
    groups: list[str] = Field(default_factory=list)
    access_keys: list[AccessKey] = Field(default_factory=list)
    declared_at: SourceRef | None = None


class PasswordPolicy(Strict):
    """A directory's or cloud account's password rules."""

    min_length: int | None = None
    max_age: Duration | None = None
    reuse_prevention: int | None = None
    complexity: bool | None = None
    lockout_threshold: int | None = None


class TrustDomain(Strict):
    """A set of credentials that can act together: an AD domain, a cloud account or tenant."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    kind: str = Field(description="ad-domain, aws-account, azure-tenant, idp, backup-console, ...")
    provider: Provider | None = None
    mfa_enforced: bool | None = None
    admin_tiering: bool | None = Field(None, description="Admin accounts are tiered (T0/T1/T2).")
    password_policy: PasswordPolicy | None = None
    declared_at: SourceRef | None = None


class Plan(Strict):
    """An incident-response, continuity or recovery plan."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    kind: str = Field(description="incident-response, business-continuity, disaster-recovery, ...")
    owner: str | None = None
    covers: list[str] = Field(default_factory=list, description="Service ids; empty means all.")
    offline_copy: bool | None = None
    location: str | None = None
    last_reviewed: Timestamp | None = None
    last_exercised: Timestamp | None = None
    declared_at: SourceRef | None = None

    _redact = field_validator("location", mode="before")(lambda v: redact_text(v))


class Supplier(Strict):
    """A supplier, SaaS provider or managed service provider the estate relies on."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    provides: list[str] = Field(default_factory=list, description="Service or system ids.")
    remote_access: bool | None = None
    mfa: bool | None = None
    access_reviewed: Timestamp | None = None
    breach_notification_clause: bool | None = None
    contact: str | None = None
    declared_at: SourceRef | None = None

    _redact = field_validator("contact", mode="before")(lambda v: redact_text(v))


class CollectionGap(Strict):
    """Part of the estate a source could not read. Checks needing it report ``error``."""

    source: Provider
    scope: str = Field(description="Account/subscription and region, or the file, that was not read.")
    service: str | None = Field(None, description="The provider API or area, e.g. 'backup'.")
    kinds: list[DataKind]
    reason: str
    code: str | None = None
    account: str | None = None
    region: str | None = None

    _redact = field_validator("reason", mode="before")(lambda v: redact_text(v))

    def covers(self, kind: DataKind, account: str | None = None, region: str | None = None) -> bool:
        """Whether this gap hides ``kind`` data for an asset in ``account``/``region``."""
        if kind not in self.kinds:
            return False
        if self.account is not None and account is not None and self.account != account:
            return False
        return not (self.region is not None and region is not None and self.region != region)


class SourceRun(Strict):
    """One source that contributed to the estate."""

    provider: Provider
    scope: str
    collected_at: Timestamp
    kinds: list[DataKind] = Field(
        default_factory=list, description="Kinds of data this source was able to speak for."
    )


class Organisation(Strict):
    """Who the estate belongs to."""

    name: str = "Unnamed organisation"
    sector: str | None = None
    jurisdiction: str = "UK"


class Estate(Strict):
    """The whole normalised estate, as collected or read back from a snapshot."""

    schema_version: int = SCHEMA_VERSION
    organisation: Organisation = Field(default_factory=Organisation)
    collected_at: Timestamp | None = None
    sources: list[SourceRun] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    systems: list[System] = Field(default_factory=list)
    backups: list[BackupCopy] = Field(default_factory=list)
    accounts: list[Account] = Field(default_factory=list)
    trust_domains: list[TrustDomain] = Field(default_factory=list)
    plans: list[Plan] = Field(default_factory=list)
    suppliers: list[Supplier] = Field(default_factory=list)
    gaps: list[CollectionGap] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", ignored_types=(cached_property,))

    # Indexes are derived, built once on first use; an Estate is not mutated after assembly.
    @cached_property
    def system_by_id(self) -> dict[str, System]:
        return {s.id: s for s in self.systems}

    @cached_property
    def service_by_id(self) -> dict[str, Service]:
        return {s.id: s for s in self.services}

    @cached_property
    def trust_domain_by_id(self) -> dict[str, TrustDomain]:
        return {t.id: t for t in self.trust_domains}

    @cached_property
    def supplier_by_id(self) -> dict[str, Supplier]:
        return {s.id: s for s in self.suppliers}

    @cached_property
    def backups_by_system(self) -> dict[str, list[BackupCopy]]:
        out: dict[str, list[BackupCopy]] = {}
        for b in self.backups:
            out.setdefault(b.system, []).append(b)
        return out

    @cached_property
    def services_by_system(self) -> dict[str, list[Service]]:
        out: dict[str, list[Service]] = {}
        for svc in self.services:
            for sid in svc.systems:
                out.setdefault(sid, []).append(svc)
        return out

    def system_tier(self, system: System) -> int | None:
        """A system's tier: its own, else the most critical tier of the services using it."""
        if system.tier is not None:
            return system.tier
        tiers = [s.tier for s in self.services_by_system.get(system.id, []) if s.tier is not None]
        return min(tiers) if tiers else None

    def gaps_for(self, kind: DataKind, account: str | None = None, region: str | None = None,
                 source: Provider | None = None) -> list[CollectionGap]:
        """Gaps that hide ``kind`` data for an asset in ``account``/``region``."""
        return [
            g for g in self.gaps
            if (source is None or g.source == source) and g.covers(kind, account, region)
        ]

    def provided(self, kind: DataKind) -> bool:
        """Whether any source spoke for ``kind`` (an empty list can then be trusted as empty)."""
        return any(kind in s.kinds for s in self.sources)

    def summary(self) -> dict[str, Any]:
        """Counts for headings and the terminal summary."""
        return {
            "services": len(self.services),
            "systems": len(self.systems),
            "backups": len(self.backups),
            "accounts": len(self.accounts),
            "gaps": len(self.gaps),
        }


def _index_names() -> set[str]:
    return {name for name, v in vars(Estate).items() if isinstance(v, cached_property)}


INDEX_NAMES = frozenset(_index_names())
