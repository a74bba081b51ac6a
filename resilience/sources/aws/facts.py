"""What the collectors found, as plain records, before they are joined into the Estate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from resilience.model import Account, BackupCopy, CollectionGap, System, TrustDomain


@dataclass
class Resource:
    """A collected resource: its System, plus what AWS Backup and DLM select it by."""

    system: System
    arns: tuple[str, ...]                 # its own ARN and any part of it (attached volumes)
    tags: dict[str, str]
    volume_ids: tuple[str, ...] = ()      # EBS volumes whose snapshots protect it
    volume_tags: dict[str, dict[str, str]] = field(default_factory=dict)
    encrypted: bool | None = None
    efs_backup_policy: bool | None = None


@dataclass
class Vault:
    arn: str
    name: str
    account: str
    region: str
    vault_type: str | None = None         # BACKUP_VAULT, LOGICALLY_AIR_GAPPED_BACKUP_VAULT, ...
    locked: bool | None = None
    lock_date: datetime | None = None
    min_retention_days: int | None = None
    max_retention_days: int | None = None
    encryption_key_arn: str | None = None
    encryption_key_type: str | None = None    # AWS_OWNED_KMS_KEY or CUSTOMER_MANAGED_KMS_KEY
    mpa_team: bool | None = None


@dataclass
class CopyAction:
    destination_vault_arn: str
    retention: timedelta | None


@dataclass
class Rule:
    name: str
    vault_name: str
    frequency: timedelta | None
    schedule: str | None
    continuous: bool
    retention: timedelta | None
    copies: list[CopyAction]


@dataclass
class BackupPlan:
    plan_id: str
    name: str
    account: str
    region: str
    rules: list[Rule]


@dataclass
class Selection:
    plan_id: str
    account: str
    region: str
    name: str
    resources: list[str]
    not_resources: list[str]
    tags_any: list[tuple[str, str]]                       # ListOfTags: key, value (OR)
    conditions: list[tuple[str, str, str]]                # operator, tag key, value (AND)


@dataclass
class RecoveryPoint:
    arn: str
    resource_arn: str
    vault_arn: str
    account: str
    region: str
    status: str | None
    created: datetime | None
    completed: datetime | None
    retention: timedelta | None
    encrypted: bool | None


@dataclass
class ProtectedResource:
    resource_arn: str
    last_backup: datetime | None
    vault_arn: str | None


@dataclass
class RestoreJob:
    recovery_point_arn: str | None
    source_resource_arn: str | None
    vault_arn: str | None
    created: datetime | None
    completed: datetime | None
    status: str | None
    validation: str | None
    test_plan: str | None


@dataclass
class DlmSchedule:
    name: str
    frequency: timedelta | None
    retention: timedelta | None
    copies: list[tuple[str, timedelta | None, bool | None]]   # target region, retention, encrypted


@dataclass
class DlmPolicy:
    policy_id: str
    account: str
    region: str
    resource_types: list[str]                 # VOLUME, INSTANCE
    target_tags: list[tuple[str, str]]        # any of these
    default_policy: bool
    exclude_tags: list[tuple[str, str]]
    schedules: list[DlmSchedule]


@dataclass
class Snapshot:
    volume_id: str
    account: str
    region: str
    started: datetime | None
    state: str | None
    encrypted: bool | None
    dlm_policy: str | None


@dataclass
class Facts:
    """Everything the collectors return; merged in the collecting thread, then mapped."""

    resources: list[Resource] = field(default_factory=list)
    copies: list[BackupCopy] = field(default_factory=list)
    vaults: list[Vault] = field(default_factory=list)
    plans: list[BackupPlan] = field(default_factory=list)
    selections: list[Selection] = field(default_factory=list)
    recovery_points: list[RecoveryPoint] = field(default_factory=list)
    protected: list[ProtectedResource] = field(default_factory=list)
    restore_jobs: list[RestoreJob] = field(default_factory=list)
    dlm_policies: list[DlmPolicy] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    trust_domains: list[TrustDomain] = field(default_factory=list)
    gaps: list[CollectionGap] = field(default_factory=list)

    def extend(self, other: Facts) -> None:
        for name in ("resources", "copies", "vaults", "plans", "selections", "recovery_points",
                     "protected", "restore_jobs", "dlm_policies", "snapshots", "accounts",
                     "trust_domains", "gaps"):
            getattr(self, name).extend(getattr(other, name))
