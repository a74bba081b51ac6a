"""Recovery Services vaults: settings, backup policies, protected items, Site Recovery items."""

from __future__ import annotations

from typing import Any

from resilience.sources.azure.records import RecoveryVault, arm_id_part, as_rest_dict

# Site Recovery has no client among the project's dependencies; its list operation is a plain
# ARM GET, sent through the Recovery Services client's pipeline (auth, retries, guard).
SITE_RECOVERY_API_VERSION = "2025-01-01"


def list_vaults(client, subscription: str) -> list[RecoveryVault]:
    """Every Recovery Services vault in a subscription."""
    return [RecoveryVault(subscription=subscription, vault=as_rest_dict(v))
            for v in client.vaults.list_by_subscription_id()]


def _names(vault: RecoveryVault) -> tuple[str, str]:
    vid = str(vault.vault.get("id") or "")
    group = arm_id_part(vid, "resourceGroups")
    if not group:
        raise ValueError(f"vault id without a resource group: {vid}")
    return str(vault.vault.get("name")), group


def read_backup(client, vault: RecoveryVault) -> None:
    """Protected items and the policies they use (one paged list each)."""
    name, group = _names(vault)
    vault.items = [as_rest_dict(i) for i in client.backup_protected_items.list(name, group)]
    vault.policies = {}
    for policy in client.backup_policies.list(name, group):
        p = as_rest_dict(policy)
        if p.get("id"):
            vault.policies[str(p["id"]).lower()] = p
    redundancy = (vault.vault.get("properties") or {}).get("redundancySettings") or {}
    if not redundancy.get("standardTierStorageRedundancy"):
        # Older vaults report redundancy only in the backup storage configuration.
        cfg = client.backup_resource_storage_configs_non_crr.get(name, group)
        vault.storage_config = as_rest_dict(cfg)


def read_site_recovery(client, vault: RecoveryVault) -> None:
    """Site Recovery replicated items in the vault (empty when it replicates nothing)."""
    from azure.core.rest import HttpRequest

    name, group = _names(vault)
    url: str | None = (f"/subscriptions/{vault.subscription}/resourceGroups/{group}/providers/"
                       f"Microsoft.RecoveryServices/vaults/{name}/replicationProtectedItems"
                       f"?api-version={SITE_RECOVERY_API_VERSION}")
    items: list[dict[str, Any]] = []
    while url:
        response = client.send_request(HttpRequest("GET", url))
        response.raise_for_status()
        body = response.json()
        items.extend(body.get("value") or [])
        url = body.get("nextLink")
    vault.replicated = items
