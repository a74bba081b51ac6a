"""Provider-shaped records the collectors hand to the mapping: plain REST-keyed dicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Resource types the estate models (lower case, as Resource Graph reports them). Everything
# else (NICs, NSGs, public IPs, ...) is not a system a recovery plan restores.
MODELLED_TYPES = (
    "microsoft.compute/virtualmachines",
    "microsoft.compute/virtualmachinescalesets",
    "microsoft.compute/disks",
    "microsoft.sql/servers/databases",
    "microsoft.sql/managedinstances",
    "microsoft.storage/storageaccounts",
    "microsoft.dbforpostgresql/flexibleservers",
    "microsoft.dbformysql/flexibleservers",
)


def as_rest_dict(obj: Any) -> dict[str, Any]:
    """An SDK model (TypeSpec ``model_base`` or msrest) or a dict, as its REST JSON shape.

    Dictionary access sidesteps the recoveryservicesbackup polymorphism bug where nested
    discriminators deserialize as the base class (testing.md 7.7).
    """
    if obj is None:
        return {}
    if isinstance(obj, dict):
        return obj
    as_dict = getattr(obj, "as_dict", None)
    if callable(as_dict) and hasattr(obj, "keys"):  # model_base: keys are the REST names
        return as_dict()
    serialize = getattr(obj, "serialize", None)
    if callable(serialize):  # msrest: serialize() yields REST names
        return serialize(keep_readonly=True)
    raise TypeError(f"cannot read {type(obj).__name__} as a REST object")


def parse_time(value: Any) -> datetime | None:
    """An ARM timestamp as aware UTC, or None when absent or unreadable."""
    from resilience.model.timeutil import to_utc

    try:
        return to_utc(value) if value else None
    except ValueError:
        return None


def arm_id_part(resource_id: str, key: str) -> str | None:
    """The segment after ``key`` in an ARM id (case-insensitive), e.g. 'resourceGroups'."""
    parts = resource_id.strip("/").split("/")
    for i, part in enumerate(parts[:-1]):
        if part.lower() == key.lower():
            return parts[i + 1]
    return None


@dataclass
class Subscription:
    """A subscription the credential can see."""

    id: str
    name: str
    tenant_id: str | None
    state: str | None = None


@dataclass
class Inventory:
    """Resources and resource-group tags for a set of subscriptions."""

    resources: list[dict[str, Any]] = field(default_factory=list)
    group_tags: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    via: str = "resource-graph"


@dataclass
class RecoveryVault:
    """A Recovery Services vault with what was read from it."""

    subscription: str
    vault: dict[str, Any]
    storage_config: dict[str, Any] | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    replicated: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class BackupVault:
    """A Backup vault (Microsoft.DataProtection) with its instances, policies and jobs."""

    subscription: str
    vault: dict[str, Any]
    instances: list[dict[str, Any]] = field(default_factory=list)
    policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_success: dict[str, datetime] = field(default_factory=dict)
