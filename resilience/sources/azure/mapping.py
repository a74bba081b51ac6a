"""Azure facts to the estate model: resources to systems, vault items to backup copies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from resilience.config import TagKeys
from resilience.model import (
    BackupCopy,
    CopyKind,
    Hosting,
    Provider,
    System,
    SystemKind,
    TrustDomain,
)
from resilience.sources.azure.records import (
    BackupVault,
    RecoveryVault,
    Subscription,
    arm_id_part,
    parse_time,
)
from resilience.sources.azure.regions import paired_region
from resilience.sources.azure.schedules import data_protection_policy_terms, vault_policy_terms
from resilience.sources.tags import parse_tier, service_ids

_KINDS = {
    "microsoft.compute/virtualmachines": SystemKind.VM,
    "microsoft.compute/virtualmachinescalesets": SystemKind.VM,
    "microsoft.compute/disks": SystemKind.STORAGE,
    "microsoft.sql/servers/databases": SystemKind.DATABASE,
    "microsoft.sql/managedinstances": SystemKind.DATABASE,
    "microsoft.storage/storageaccounts": SystemKind.STORAGE,
    "microsoft.dbforpostgresql/flexibleservers": SystemKind.DATABASE,
    "microsoft.dbformysql/flexibleservers": SystemKind.DATABASE,
}
_REDUNDANCY = {"locallyredundant": "LRS", "zoneredundant": "ZRS", "georedundant": "GRS",
               "readaccessgeozoneredundant": "RA-GZRS", "geozoneredundant": "GZRS",
               "local": "LRS", "zone": "ZRS", "geo": "GRS", "geozone": "GZRS"}
_GEO = {"GRS", "RA-GRS", "GZRS", "RA-GZRS"}
_ZONAL_STORAGE = {"ZRS", "GZRS", "RAGZRS"}
_GEO_STORAGE = {"GRS", "RAGRS", "GZRS", "RAGZRS"}
# Azure SQL takes transaction log backups every 5 to 10 minutes (Microsoft documentation);
# the platform does not report the interval per database.
SQL_LOG_BACKUP_INTERVAL = timedelta(minutes=10)
_STOPPED = {"protectionstopped", "backupssuspended", "protectionpaused", "softdeleted"}
_DONE = {"completed", "completedwithwarnings", "healthy", "succeeded"}
_WORKLOAD_DB = {"sqldatabase", "saphanadatabase", "sapasedatabase", "saphanadbinstance"}


def trust_domain_id(tenant: str | None, subscription: str) -> str:
    """Whose credentials control an Azure resource: its Entra tenant (else its subscription)."""
    return f"azure-tenant:{tenant}" if tenant else f"azure-subscription:{subscription}"


def trust_domains(subscriptions: list[Subscription]) -> list[TrustDomain]:
    """One trust domain per tenant (or per subscription whose tenant is not reported)."""
    out: dict[str, TrustDomain] = {}
    for sub in subscriptions:
        tid = trust_domain_id(sub.tenant_id, sub.id)
        if tid not in out:
            kind = "azure-tenant" if sub.tenant_id else "azure-subscription"
            out[tid] = TrustDomain(id=tid, name=sub.tenant_id or sub.name, kind=kind,
                                   provider=Provider.AZURE)
    return list(out.values())


@dataclass
class MapContext:
    """What the mapping needs besides the record itself."""

    tags: TagKeys
    tenants: dict[str, str | None]
    group_tags: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    sql_retention: dict[str, int] = field(default_factory=dict)

    def trust_domain(self, subscription: str) -> str:
        return trust_domain_id(self.tenants.get(subscription.lower()), subscription)

    def tag(self, key: str, tags: dict[str, str], subscription: str,
            group: str | None) -> str | None:
        """A tag from the resource, else from its resource group (tags do not inherit in Azure,
        but many organisations tag the group)."""
        if key in tags:
            return tags[key]
        if group:
            return self.group_tags.get((subscription.lower(), group.lower()), {}).get(key)
        return None


def _sku_name(row: dict[str, Any]) -> str:
    sku = row.get("sku") or {}
    return str(sku.get("name") or "") if isinstance(sku, dict) else ""


def _zone_redundancy(rtype: str, row: dict[str, Any], props: dict[str, Any]) -> bool | None:
    zones = row.get("zones") or []
    if rtype == "microsoft.compute/virtualmachines":
        return False  # one VM runs in at most one zone; redundancy needs several VMs
    if rtype == "microsoft.compute/virtualmachinescalesets":
        return len(zones) >= 2
    if rtype in ("microsoft.compute/disks", "microsoft.storage/storageaccounts"):
        suffix = _sku_name(row).rsplit("_", 1)[-1].upper()
        if not suffix:
            return None
        return suffix in _ZONAL_STORAGE
    if rtype in ("microsoft.sql/servers/databases", "microsoft.sql/managedinstances"):
        value = props.get("zoneRedundant")
        return value if isinstance(value, bool) else None
    if rtype.endswith("/flexibleservers"):
        mode = str((props.get("highAvailability") or {}).get("mode") or "")
        return None if not mode else mode.lower() == "zoneredundant"
    return None


def _failover_site(rtype: str, row: dict[str, Any], props: dict[str, Any]) -> str | None:
    if rtype == "microsoft.storage/storageaccounts":
        suffix = _sku_name(row).rsplit("_", 1)[-1].upper()
        if suffix in _GEO_STORAGE:
            return props.get("secondaryLocation") or paired_region(row.get("location"))
    return None


def system_from_resource(row: dict[str, Any], ctx: MapContext) -> System | None:
    """A System for a modelled resource row (Resource Graph or ARM shape), else None."""
    rtype = str(row.get("type") or "").lower()
    kind = _KINDS.get(rtype)
    if kind is None or not row.get("id"):
        return None
    if rtype == "microsoft.sql/servers/databases" and str(row["id"]).lower().endswith("/master"):
        return None  # the logical server's system database: not restorable by customers
    rid = str(row["id"])
    sub = str(row.get("subscriptionId") or arm_id_part(rid, "subscriptions"))
    group = row.get("resourceGroup") or arm_id_part(rid, "resourceGroups")
    tags = {str(k): str(v) for k, v in (row.get("tags") or {}).items()}
    props = row.get("properties") or {}
    location = row.get("location")
    return System(
        id=rid,
        name=str(row.get("name") or rid.rsplit("/", 1)[-1]),
        kind=kind,
        hosting=Hosting.AZURE,
        resource_type=rtype,
        account=sub,
        region=location,
        site=location,
        failover_site=_failover_site(rtype, row, props),
        zones=[str(z) for z in row.get("zones") or []],
        zone_redundant=_zone_redundancy(rtype, row, props),
        tier=parse_tier(ctx.tag(ctx.tags.tier, tags, sub, group)),
        owner=ctx.tag(ctx.tags.owner, tags, sub, group),
        services=service_ids(ctx.tag(ctx.tags.service, tags, sub, group)),
        identity_domain=ctx.trust_domain(sub),
        os=props.get("osType"),
        tags=tags,
    )


def link_disks(systems: dict[str, System], rows: list[dict[str, Any]]) -> None:
    """A VM depends on the managed disks attached to it (a disk's ``managedBy``)."""
    for row in rows:
        if str(row.get("type") or "").lower() != "microsoft.compute/disks":
            continue
        owner = systems.get(str(row.get("managedBy") or "").lower())
        disk = systems.get(str(row.get("id") or "").lower())
        if owner is not None and disk is not None and disk.id not in owner.depends_on:
            owner.depends_on.append(disk.id)


def database_copies(row: dict[str, Any], system: System, ctx: MapContext) -> list[BackupCopy]:
    """The platform's own automated backups of PaaS databases (point-in-time restore)."""
    rtype = str(row.get("type") or "").lower()
    props = row.get("properties") or {}
    common = {"system": system.id, "kind": CopyKind.POINT_IN_TIME, "region": system.region,
              "site": system.region, "account": system.account,
              "trust_domain": ctx.trust_domain(system.account or ""), "immutable": False,
              "offline": False, "logically_air_gapped": False, "encrypted": True,
              "deletion_approval": False}
    copy: BackupCopy | None = None
    if rtype in ("microsoft.sql/servers/databases", "microsoft.sql/managedinstances"):
        redundancy = _REDUNDANCY.get(str(props.get("currentBackupStorageRedundancy") or "").lower())
        days = ctx.sql_retention.get(system.id.lower())
        copy = BackupCopy(id=f"{system.id}/automatedBackups", tool="Azure SQL automated backups",
                          frequency=SQL_LOG_BACKUP_INTERVAL, storage_redundancy=redundancy,
                          retention=timedelta(days=days) if days else None,
                          offsite=None if redundancy is None else redundancy in _GEO, **common)
    elif rtype.endswith("/flexibleservers") and props.get("backup"):
        backup = props["backup"]
        days = backup.get("backupRetentionDays")
        geo = str(backup.get("geoRedundantBackup") or "")
        copy = BackupCopy(id=f"{system.id}/automatedBackups",
                          tool="Azure Database automated backups",
                          retention=timedelta(days=days) if isinstance(days, int) else None,
                          offsite=None if not geo else geo.lower() == "enabled", **common)
    if copy is None:
        return []
    twin = paired_copy(copy, "geo-restore") if copy.offsite else None
    return [copy, twin] if twin else [copy]


def paired_copy(copy: BackupCopy, how: str) -> BackupCopy | None:
    """The geo-replicated twin of a copy, restorable in the paired region by the customer
    (cross-region restore, geo-restore). Replication lags by hours and Azure does not report
    by how much, so its last success stays unknown."""
    region = paired_region(copy.region)
    if region is None:
        return None
    return copy.model_copy(update={
        "id": f"{copy.id}/pairedRegion", "region": region, "site": region,
        "tool": f"{copy.tool} ({how} in {region})", "last_success": None,
        "health": None, "last_status": None})


def _lookup(systems: dict[str, System], rid: str | None) -> System | None:
    return systems.get(rid.lower()) if rid else None


def _system_for_item(props: dict[str, Any], item_id: str, vault: RecoveryVault,
                     systems: dict[str, System], ctx: MapContext) -> System | None:
    """The system a protected item protects, creating it when the inventory did not list it
    (file shares, databases inside VMs, resources in subscriptions we cannot list)."""
    source = props.get("sourceResourceId")
    if not source:
        return None
    workload = str(props.get("workloadType") or "").lower()
    item_type = str(props.get("protectedItemType") or "").lower()
    name = str(props.get("friendlyName") or source.rsplit("/", 1)[-1])
    parent = _lookup(systems, source)
    if "fileshare" in item_type or workload == "azurefileshare":
        sid, kind = f"{source}/fileServices/default/shares/{name}", SystemKind.FILE_SHARE
        rtype = "microsoft.storage/storageaccounts/fileservices/shares"
    elif workload in _WORKLOAD_DB:
        sid, kind = f"{source}/backupWorkloads/{name}", SystemKind.DATABASE
        rtype = f"azure-backup-workload/{workload}"
    else:
        if parent is not None:
            return parent
        sid, kind = source, SystemKind.VM if workload == "vm" else SystemKind.OTHER
        provider = arm_id_part(source, "providers")
        rtype = f"{provider}/{source.split('/')[-2]}".lower() if provider else None
    existing = _lookup(systems, sid)
    if existing is not None:
        return existing
    sub = arm_id_part(source, "subscriptions") or vault.subscription
    created = System(
        id=sid, name=name, kind=kind, hosting=Hosting.AZURE,
        resource_type=rtype,
        account=sub,
        region=parent.region if parent else None,
        site=parent.site if parent else None,
        # A share lives in its storage account, an in-VM database on its VM: same placement.
        failover_site=parent.failover_site if parent else None,
        zones=list(parent.zones) if parent else [],
        zone_redundant=parent.zone_redundant if parent else None,
        tier=parent.tier if parent else None,
        owner=parent.owner if parent else None,
        services=list(parent.services) if parent else [],
        depends_on=[parent.id] if parent is not None and sid != parent.id else [],
        identity_domain=ctx.trust_domain(sub),
    )
    systems[sid.lower()] = created
    return created


def _props(obj: dict[str, Any] | None) -> dict[str, Any]:
    return (obj or {}).get("properties") or {}


@dataclass(frozen=True)
class VaultTerms:
    """The vault-wide settings every copy in a vault shares."""

    immutable: bool | None
    immutability: str | None
    soft_delete: bool | None
    soft_delete_always_on: bool | None
    soft_delete_retention: timedelta | None
    deletion_approval: bool | None
    storage_redundancy: str | None
    cross_region_restore: bool | None
    security_level: str | None
    key_recoverable: bool | None

    def as_fields(self) -> dict[str, Any]:
        return {**self.__dict__,
                "offsite": None if self.storage_redundancy is None
                else self.storage_redundancy in _GEO}


def _immutability(state: Any) -> tuple[bool | None, str | None]:
    s = str(state or "").lower()
    if s == "locked":
        return True, "Azure immutable vault, locked"
    if s == "unlocked":
        return False, "Azure immutable vault, unlocked (an administrator can switch it off)"
    return False, None  # not configured or disabled: the vault's copies can be deleted early


def recovery_vault_terms(vault: RecoveryVault) -> VaultTerms:
    """Security and redundancy settings of a Recovery Services vault."""
    vp = _props(vault.vault)
    sec = vp.get("securitySettings") or {}
    immutable, text = _immutability((sec.get("immutabilitySettings") or {}).get("state"))
    sd = sec.get("softDeleteSettings") or {}
    sd_state = str(sd.get("softDeleteState") or "").lower()
    sd_days = sd.get("softDeleteRetentionPeriodInDays")
    mua = str(sec.get("multiUserAuthorization") or "").lower()
    guarded = bool(vp.get("resourceGuardOperationRequests"))
    red = vp.get("redundancySettings") or {}
    storage = red.get("standardTierStorageRedundancy")
    crr = red.get("crossRegionRestore")
    cfg = _props(vault.storage_config)
    if not storage or str(storage).lower() == "invalid":
        storage = cfg.get("storageModelType") or cfg.get("storageType")
    if crr is None and "crossRegionRestoreFlag" in cfg:
        crr = "Enabled" if cfg.get("crossRegionRestoreFlag") else "Disabled"
    cmk = ((vp.get("encryption") or {}).get("keyVaultProperties") or {}).get("keyUri")
    return VaultTerms(
        immutable=immutable, immutability=text,
        soft_delete={"enabled": True, "alwayson": True, "disabled": False}.get(sd_state),
        soft_delete_always_on=None if sd_state in ("", "invalid") else sd_state == "alwayson",
        soft_delete_retention=timedelta(days=sd_days) if isinstance(sd_days, int) else None,
        deletion_approval=True if mua == "enabled" or guarded
        else (False if mua == "disabled" or not mua else None),
        storage_redundancy=_REDUNDANCY.get(str(storage or "").lower()),
        cross_region_restore=None if crr is None else str(crr).lower() == "enabled",
        security_level=vp.get("bcdrSecurityLevel") or vp.get("secureScore"),
        # Platform-managed keys are Microsoft's to keep; a customer key is only as
        # recoverable as its Key Vault, which this source does not read.
        key_recoverable=None if cmk else True,
    )


def recovery_vault_copies(vault: RecoveryVault, systems: dict[str, System],
                          ctx: MapContext) -> list[BackupCopy]:
    """One BackupCopy per protected item in a Recovery Services vault."""
    terms = recovery_vault_terms(vault)
    vname = str(vault.vault.get("name"))
    location = vault.vault.get("location")
    out: list[BackupCopy] = []
    for item in vault.items:
        props = _props(item)
        item_id = str(item.get("id") or "")
        system = _system_for_item(props, item_id, vault, systems, ctx)
        if system is None or not item_id:
            continue
        policy = vault.policies.get(str(props.get("policyId") or "").lower())
        frequency, retention = vault_policy_terms(policy)
        state = str(props.get("protectionState") or "")
        if state.lower() in _STOPPED:
            frequency = None  # no new recovery points are being taken
        status = props.get("lastBackupStatus")
        last = parse_time(props.get("lastRecoveryPoint"))
        if last is None and str(status or "").lower() in _DONE:
            last = parse_time(props.get("lastBackupTime"))
        health = props.get("healthStatus") or props.get("protectionStatus")
        out.extend(_with_twin(terms, BackupCopy(
            id=item_id, system=system.id, tool=f"Azure Backup (Recovery Services vault {vname})",
            kind=CopyKind.BACKUP, frequency=frequency, retention=retention,
            offline=False, logically_air_gapped=False, encrypted=True,
            site=location, region=location, account=vault.subscription,
            trust_domain=ctx.trust_domain(vault.subscription),
            health=" / ".join(str(x) for x in (health, state) if x) or None,
            last_status=status, last_success=last,
            **terms.as_fields(),
        )))
    return out


def _with_twin(terms: VaultTerms, copy: BackupCopy) -> list[BackupCopy]:
    """A copy, plus its paired-region twin when cross-region restore lets us restore it there
    ourselves (geo-redundant storage alone is Microsoft's to fail over, not ours)."""
    if terms.cross_region_restore and copy.offsite:
        twin = paired_copy(copy, "cross-region restore")
        if twin is not None:
            return [copy, twin]
    return [copy]


def backup_vault_terms(vault: BackupVault) -> VaultTerms:
    """Security and redundancy settings of a Backup vault (Microsoft.DataProtection)."""
    vp = _props(vault.vault)
    sec = vp.get("securitySettings") or {}
    immutable, text = _immutability((sec.get("immutabilitySettings") or {}).get("state"))
    sd = sec.get("softDeleteSettings") or {}
    sd_state = str(sd.get("state") or "").lower()
    sd_days = sd.get("retentionDurationInDays")
    stores = [str(s.get("type") or "") for s in vp.get("storageSettings") or []
              if str(s.get("datastoreType") or "").lower() == "vaultstore"]
    crr = ((vp.get("featureSettings") or {}).get("crossRegionRestoreSettings") or {}).get("state")
    guarded = vp.get("isVaultProtectedByResourceGuard")
    cmk = ((sec.get("encryptionSettings") or {}).get("keyVaultProperties") or {}).get("keyUri")
    return VaultTerms(
        immutable=immutable, immutability=text,
        soft_delete={"on": True, "alwayson": True, "off": False}.get(sd_state),
        soft_delete_always_on=None if not sd_state else sd_state == "alwayson",
        soft_delete_retention=timedelta(days=sd_days) if isinstance(sd_days, int | float) else None,
        deletion_approval=guarded if isinstance(guarded, bool) else None,
        storage_redundancy=_REDUNDANCY.get(stores[0].lower()) if stores else None,
        cross_region_restore=None if crr is None else str(crr).lower() == "enabled",
        security_level=vp.get("bcdrSecurityLevel") or vp.get("secureScore"),
        key_recoverable=None if cmk else True,
    )


_NO_CRR = VaultTerms(None, None, None, None, None, None, None, False, None, None)


def _operational_only(policy: dict[str, Any] | None) -> bool:
    stores = {str(((life.get("sourceDataStore") or {}).get("dataStoreType")) or "").lower()
              for rule in _props(policy).get("policyRules") or []
              for life in rule.get("lifecycles") or []}
    return bool(stores) and "vaultstore" not in stores


def backup_vault_copies(vault: BackupVault, systems: dict[str, System],
                        ctx: MapContext) -> list[BackupCopy]:
    """One BackupCopy per backup instance in a Backup vault."""
    terms = backup_vault_terms(vault)
    vname = str(vault.vault.get("name"))
    location = vault.vault.get("location")
    out: list[BackupCopy] = []
    for inst in vault.instances:
        props = _props(inst)
        source = (props.get("dataSourceInfo") or {}).get("resourceID")
        system = _lookup(systems, source)
        if system is None and source:
            sub = arm_id_part(source, "subscriptions") or vault.subscription
            dtype = str((props.get("dataSourceInfo") or {}).get("datasourceType") or "")
            low = dtype.lower()
            kind = (SystemKind.STORAGE if "storage" in low or "disk" in low
                    else SystemKind.DATABASE if "sql" in low else SystemKind.OTHER)
            system = System(id=source, name=source.rsplit("/", 1)[-1], hosting=Hosting.AZURE,
                            kind=kind, resource_type=dtype or None, account=sub,
                            identity_domain=ctx.trust_domain(sub))
            systems[source.lower()] = system
        if system is None or not inst.get("id"):
            continue
        policy_id = str((props.get("policyInfo") or {}).get("policyId") or "")
        policy = vault.policies.get(policy_id.lower())
        frequency, retention, continuous = data_protection_policy_terms(policy)
        fields = terms.as_fields()
        operational = _operational_only(policy)
        if operational:
            # Operational backups (blob point-in-time, disk snapshots) live beside the source,
            # not in the vault: none of the vault's storage or lock settings protect them.
            fields.update(immutable=False, immutability=None, offsite=False,
                          storage_redundancy=None, cross_region_restore=False)
        status = (props.get("protectionStatus") or {}).get("status")
        out.extend(_with_twin(terms if not operational else _NO_CRR, BackupCopy(
            id=str(inst["id"]), system=system.id, tool=f"Azure Backup (Backup vault {vname})",
            kind=CopyKind.POINT_IN_TIME if continuous else
            (CopyKind.SNAPSHOT if operational else CopyKind.BACKUP),
            frequency=frequency, retention=retention, offline=False, logically_air_gapped=False,
            encrypted=True, site=location, region=location, account=vault.subscription,
            trust_domain=ctx.trust_domain(vault.subscription),
            health=" / ".join(str(x) for x in (status, props.get("currentProtectionState")) if x)
            or None,
            last_success=vault.last_success.get(str(source or "").lower()),
            **fields,
        )))
    return out


def apply_site_recovery(vaults: list[RecoveryVault], systems: dict[str, System]) -> None:
    """A VM replicated by Site Recovery fails over to the replication's recovery region."""
    for vault in vaults:
        for item in vault.replicated:
            props = _props(item)
            details = props.get("providerSpecificDetails") or {}
            source = details.get("fabricObjectId") or details.get("protectedItemId")
            system = _lookup(systems, source)
            target = (details.get("recoveryFabricLocation") or details.get("recoveryAzureLocation")
                      or props.get("recoveryFabricFriendlyName"))
            if system is not None and target:
                system.failover_site = str(target)
