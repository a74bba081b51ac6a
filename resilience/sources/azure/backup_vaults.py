"""Backup vaults (Microsoft.DataProtection): settings, policies, instances, last good backup."""

from __future__ import annotations

from datetime import datetime

from resilience.sources.azure.records import BackupVault, arm_id_part, as_rest_dict, parse_time

_DONE = {"completed", "succeeded"}


def list_vaults(client, subscription: str) -> list[BackupVault]:
    """Every Backup vault in a subscription."""
    return [BackupVault(subscription=subscription, vault=as_rest_dict(v))
            for v in client.backup_vaults.get_in_subscription()]


def read_backup(client, vault: BackupVault) -> None:
    """Backup instances, their policies, and each instance's latest completed backup job."""
    vid = str(vault.vault.get("id") or "")
    name, group = str(vault.vault.get("name")), arm_id_part(vid, "resourceGroups")
    if not group:
        raise ValueError(f"vault id without a resource group: {vid}")
    vault.instances = [as_rest_dict(i) for i in client.backup_instances.list(group, name)]
    vault.policies = {}
    for policy in client.backup_policies.list(group, name):
        p = as_rest_dict(policy)
        if p.get("id"):
            vault.policies[str(p["id"]).lower()] = p
    latest: dict[str, datetime] = {}
    for job in client.jobs.list(group, name):
        props = as_rest_dict(job).get("properties") or {}
        if str(props.get("operationCategory", "")).lower() != "backup":
            continue
        if str(props.get("status", "")).lower() not in _DONE:
            continue
        source = str(props.get("dataSourceId") or "").lower()
        ended = props.get("endTime") or props.get("startTime")
        when = parse_time(ended)
        if source and when and (source not in latest or when > latest[source]):
            latest[source] = when
    vault.last_success = latest
