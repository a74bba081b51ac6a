"""The Azure source: fans out over subscriptions and vaults, records gaps, maps to the model."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from resilience.config import AzureSettings, TagKeys
from resilience.errors import SourceError
from resilience.model import CollectionGap, DataKind, Estate, Provider, SourceRun, System
from resilience.model.timeutil import utcnow
from resilience.sources.azure.records import (
    BackupVault,
    Inventory,
    RecoveryVault,
    Subscription,
    as_rest_dict,
)
from resilience.sources.interface import Progress, Source

T = TypeVar("T")
_SKIPPED_STATES = {"disabled", "deleted"}


def describe_error(exc: BaseException) -> tuple[str, str | None, int | None]:
    """(reason, code, HTTP status) of an Azure SDK error, in words a user can act on."""
    status = getattr(exc, "status_code", None)
    error = getattr(exc, "error", None)
    code = getattr(error, "code", None) if error is not None else None
    message = getattr(error, "message", None) if error is not None else None
    text = str(message or getattr(exc, "message", None) or exc).strip().splitlines()
    reason = text[0] if text else type(exc).__name__
    if status == 403:
        reason = f"access denied (403{', ' + code if code else ''}): {reason}"
    elif status is not None:
        reason = f"HTTP {status}{' ' + code if code else ''}: {reason}"
    return reason[:500], code or (str(status) if status else type(exc).__name__), status


class _Collection:
    """One run: clients, pool, gaps and notes."""

    def __init__(self, factory, settings: AzureSettings, tags: TagKeys, progress: Progress):
        self.factory = factory
        self.settings = settings
        self.tags = tags
        self.progress = progress
        self.gaps: list[CollectionGap] = []
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}
        self._gap_scopes: set[str] = set()

    # -- plumbing -------------------------------------------------------------------------
    def client(self, kind: str, subscription: str = "") -> Any:
        key = (kind, subscription)
        with self._lock:
            found = self._clients.get(key)
        if found is None:
            maker = getattr(self.factory, kind)
            found = maker(subscription) if subscription else maker()
            with self._lock:
                found = self._clients.setdefault(key, found)
        return found

    def gap(self, subscription: str, area: str, kinds: list[DataKind], exc: BaseException,
            what: str = "") -> None:
        reason, code, _ = describe_error(exc)
        scope = f"azure:{subscription}:{area}"
        with self._lock:
            if scope in self._gap_scopes:
                # The same scope seen twice (e.g. from the inventory and the vault listing,
                # which run side by side): it hides everything either of them would have read.
                i = next(i for i, g in enumerate(self.gaps) if g.scope == scope)
                union = [k for k in DataKind if k in self.gaps[i].kinds or k in kinds]
                self.gaps[i] = self.gaps[i].model_copy(update={"kinds": union})
                return
            self._gap_scopes.add(scope)
            self.gaps.append(CollectionGap(
                source=Provider.AZURE, scope=scope, service=area, kinds=kinds,
                reason=f"{what}{reason}" if what else reason, code=code, account=subscription))
        self.progress.note(f"azure: could not read {area} in subscription {subscription}: "
                           f"{what}{reason}")

    def fan_out(self, items: Iterable[T], work: Callable[[T], Any], description: str) -> list[Any]:
        items = list(items)
        task = self.progress.task(description, total=len(items))

        def run(item: T) -> Any:
            try:
                return work(item)
            finally:
                self.progress.advance(task)

        if not items:
            return []
        with ThreadPoolExecutor(max_workers=self.settings.concurrency,
                                thread_name_prefix="azure") as pool:
            return list(pool.map(run, items))

    # -- stages ---------------------------------------------------------------------------
    def subscriptions(self) -> list[Subscription]:
        from azure.core.exceptions import AzureError, ClientAuthenticationError

        try:
            rows = [as_rest_dict(s) for s in self.client("subscriptions").subscriptions.list()]
            found = [Subscription(id=str(r["subscriptionId"]), name=str(r.get("displayName") or ""),
                                  tenant_id=r.get("tenantId"), state=r.get("state"))
                     for r in rows if r.get("subscriptionId")]
        except ClientAuthenticationError as exc:
            raise SourceError("Azure: could not sign in with the default credential chain "
                              f"(environment, workload identity, managed identity, Azure CLI): "
                              f"{describe_error(exc)[0]}") from None
        except AzureError as exc:
            raise SourceError(f"Azure: could not list subscriptions: {describe_error(exc)[0]}"
                              ) from None
        wanted = {s.lower() for s in self.settings.subscriptions}
        chosen = []
        for sub in found:
            if wanted and sub.id.lower() not in wanted:
                continue
            if (sub.state or "").lower() in _SKIPPED_STATES:
                self.progress.note(f"azure: skipping subscription {sub.id} ({sub.state})")
                continue
            chosen.append(sub)
        for missing in sorted(wanted - {s.id.lower() for s in found}):
            with self._lock:
                self.gaps.append(CollectionGap(
                    source=Provider.AZURE, scope=f"azure:{missing}:subscription",
                    service="subscription", kinds=[DataKind.SYSTEMS, DataKind.BACKUPS],
                    reason="the subscription is not visible to this identity (not found or no "
                           "role assignment); give it Reader and Backup Reader",
                    code="SubscriptionNotFound", account=missing))
        if not found:
            # Far more likely a role assignment missing than an empty cloud: say so.
            with self._lock:
                self.gaps.append(CollectionGap(
                    source=Provider.AZURE, scope="azure:*:subscription", service="subscription",
                    kinds=[DataKind.SYSTEMS, DataKind.BACKUPS],
                    reason="no subscription is visible to this identity; give it Reader and "
                           "Backup Reader on the subscriptions to assess",
                    code="NoSubscriptions"))
        return chosen

    def inventory(self, subs: list[Subscription]) -> Inventory:
        from azure.core.exceptions import AzureError

        from resilience.sources.azure.arm import arm_inventory
        from resilience.sources.azure.graph import graph_inventory

        ids = [s.id for s in subs]
        if self.settings.resource_graph and ids:
            task = self.progress.task("Azure Resource Graph (rows)")
            try:
                return graph_inventory(self.client("graph"), ids,
                                       lambda n: self.progress.advance(task, n))
            except AzureError as exc:
                self.progress.note("azure: Resource Graph is not available "
                                   f"({describe_error(exc)[0]}); listing each subscription "
                                   "through ARM instead")
        merged = Inventory(via="arm")

        def one(sub: Subscription) -> Inventory | None:
            try:
                return arm_inventory(self.client("resources", sub.id), sub.id)
            except AzureError as exc:
                self.gap(sub.id, "resources", [DataKind.SYSTEMS, DataKind.BACKUPS], exc)
                return None

        for part in self.fan_out(subs, one, "Azure subscriptions (ARM)"):
            if part is not None:
                merged.resources.extend(part.resources)
                merged.group_tags.update(part.group_tags)
        return merged

    def vaults(self, subs: list[Subscription]) -> tuple[list[RecoveryVault], list[BackupVault]]:
        from azure.core.exceptions import AzureError

        from resilience.sources.azure import backup_vaults, recovery_vaults
        from resilience.sources.azure.http_policies import ProviderNotRegistered

        def listing(sub: Subscription) -> tuple[list[RecoveryVault], list[BackupVault]]:
            rsv: list[RecoveryVault] = []
            bv: list[BackupVault] = []
            denied: list[BaseException] = []
            for area, module, kind, out in (
                ("recoveryservices", recovery_vaults, "recovery_services", rsv),
                ("dataprotection", backup_vaults, "data_protection", bv),
            ):
                try:
                    out.extend(module.list_vaults(self.client(kind, sub.id), sub.id))
                except ProviderNotRegistered as exc:
                    self.progress.note(f"azure: {exc.provider} is not registered in {sub.id}: "
                                       "it has no such vaults")
                except AzureError as exc:
                    if describe_error(exc)[2] == 403:
                        denied.append(exc)
                    self.gap(sub.id, area, [DataKind.BACKUPS], exc)
            if len(denied) == 2:
                # No subscription-wide read at all: whatever Resource Graph returned for it
                # came through narrower grants and may be partial.
                self.gap(sub.id, "resources", [DataKind.SYSTEMS], denied[0],
                         what="no subscription-wide read, so resources may be missing: ")
            return rsv, bv

        rsv_all: list[RecoveryVault] = []
        bv_all: list[BackupVault] = []
        for rsv, bv in self.fan_out(subs, listing, "Azure subscriptions (vaults)"):
            rsv_all.extend(rsv)
            bv_all.extend(bv)

        def read(vault: RecoveryVault | BackupVault) -> None:
            name = vault.vault.get("name")
            if isinstance(vault, RecoveryVault):
                client = self.client("recovery_services_backup", vault.subscription)
                try:
                    recovery_vaults.read_backup(client, vault)
                except (AzureError, ValueError) as exc:
                    vault.items = []
                    self.gap(vault.subscription, "recoveryservices", [DataKind.BACKUPS], exc,
                             what=f"vault {name}: ")
                try:
                    recovery_vaults.read_site_recovery(
                        self.client("recovery_services", vault.subscription), vault)
                except (AzureError, ValueError) as exc:
                    self.gap(vault.subscription, "siterecovery", [DataKind.SYSTEMS], exc,
                             what=f"vault {name} (failover sites unknown): ")
            else:
                try:
                    backup_vaults.read_backup(self.client("data_protection", vault.subscription),
                                              vault)
                except (AzureError, ValueError) as exc:
                    vault.instances = []
                    self.gap(vault.subscription, "dataprotection", [DataKind.BACKUPS], exc,
                             what=f"vault {name}: ")

        self.fan_out([*rsv_all, *bv_all], read, "Azure backup vaults")
        return rsv_all, bv_all

    def sql_retention(self, inventory: Inventory) -> dict[str, int]:
        """Point-in-time retention of every SQL database; a failure leaves one unknown."""
        from azure.core.exceptions import AzureError

        from resilience.sources.azure.sql import short_term_retention_days

        found: dict[str, int] = {}
        failed: dict[str, int] = {}

        def one(item: tuple[str, str]) -> None:
            sub, rid = item
            try:
                days = short_term_retention_days(self.client("resources", sub), rid)
            except AzureError:
                with self._lock:
                    failed[sub] = failed.get(sub, 0) + 1
                return
            if days is not None:
                with self._lock:
                    found[rid.lower()] = days

        self.fan_out(_sql_databases(inventory), one, "Azure SQL backup retention")
        for sub, count in sorted(failed.items()):
            self.progress.note(f"azure: backup retention of {count} SQL database(s) in {sub} "
                               "could not be read; it stays unknown")
        return found


def _sql_databases(inventory: Inventory) -> list[tuple[str, str]]:
    out = []
    for row in inventory.resources:
        rid = str(row.get("id") or "")
        if (str(row.get("type") or "").lower() == "microsoft.sql/servers/databases"
                and rid and not rid.lower().endswith("/master")):
            out.append((str(row.get("subscriptionId") or ""), rid))
    return out


def assemble(subs: list[Subscription], inventory: Inventory, rsv: list[RecoveryVault],
             bv: list[BackupVault], tags: TagKeys,
             sql_retention: dict[str, int] | None = None) -> tuple[list[System], list, list]:
    """Map collected records to (systems, backup copies, trust domains)."""
    from resilience.sources.azure import mapping

    ctx = mapping.MapContext(tags=tags, tenants={s.id.lower(): s.tenant_id for s in subs},
                             group_tags=inventory.group_tags,
                             sql_retention=sql_retention or {})
    systems: dict[str, System] = {}
    copies = []
    for row in inventory.resources:
        system = mapping.system_from_resource(row, ctx)
        if system is None or system.id.lower() in systems:
            continue
        systems[system.id.lower()] = system
        copies.extend(mapping.database_copies(row, system, ctx))
    mapping.link_disks(systems, inventory.resources)
    # Before the vault items: systems created from them take their parent's failover site.
    mapping.apply_site_recovery(rsv, systems)
    for vault in rsv:
        copies.extend(mapping.recovery_vault_copies(vault, systems, ctx))
    for vault in bv:
        copies.extend(mapping.backup_vault_copies(vault, systems, ctx))
    return list(systems.values()), copies, mapping.trust_domains(subs)


class AzureSource(Source):
    """Reads Azure read-only: subscriptions, resources, Recovery Services and Backup vaults.

    ``credential`` (an azure-core ``TokenCredential``) replaces the default chain, and
    ``transport_options`` are passed to every SDK client (e.g. ``connection_verify``, retry
    settings); both exist so that callers embedding the library, and the tests, can supply
    their own without touching the production path.
    """

    provider = Provider.AZURE

    def __init__(self, settings: AzureSettings, tags: TagKeys, *, credential: Any = None,
                 transport_options: dict[str, Any] | None = None):
        self.settings = settings
        self.tags = tags
        self._credential = credential
        self._transport_options = dict(transport_options or {})
        self.policy = None

    def collect(self, progress: Progress) -> Estate:
        from resilience.sources.azure.cloud import ClientFactory, default_credential, resolve_cloud
        from resilience.sources.azure.graph import GRAPH_CHAINS
        from resilience.sources.azure.http_policies import CollectorPolicy

        cloud = resolve_cloud(self.settings)
        credential = self._credential or default_credential(cloud)
        self.policy = CollectorPolicy()
        factory = ClientFactory(credential, cloud, self.policy, self._transport_options,
                                # the vault pool, plus the Resource Graph chains beside it
                                pool_size=self.settings.concurrency + GRAPH_CHAINS + 2)
        run = _Collection(factory, self.settings, self.tags, progress)
        started = utcnow()
        subs = run.subscriptions()
        # The inventory (a chain of Resource Graph pages) and the vault reads are independent:
        # run them side by side.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="azure-inventory") as bg:
            pending = bg.submit(run.inventory, subs)
            rsv, bv = run.vaults(subs)
            progress.note(f"azure: read {len(rsv)} Recovery Services and {len(bv)} Backup "
                          "vault(s)")
            inventory = pending.result()
        progress.note(f"azure: {len(inventory.resources)} resource(s) via {inventory.via}")
        retention = run.sql_retention(inventory) if self.settings.sql_retention else {}
        systems, copies, domains = assemble(subs, inventory, rsv, bv, self.tags, retention)
        progress.note(f"azure: {len(subs)} subscription(s), {len(systems)} system(s), "
                      f"{len(copies)} backup copy(ies) via {inventory.via}, "
                      f"{len(run.gaps)} gap(s)")
        return Estate(
            collected_at=started,
            sources=[SourceRun(provider=Provider.AZURE,
                               scope=f"azure:{cloud.name}:{len(subs)} subscription(s)",
                               collected_at=started,
                               kinds=[DataKind.SYSTEMS, DataKind.BACKUPS])],
            systems=systems, backups=copies, trust_domains=domains, gaps=run.gaps,
        )
