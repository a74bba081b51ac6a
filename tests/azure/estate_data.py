"""Seed data for the fake ARM: a small council-like Azure estate that exercises every path."""

from __future__ import annotations

from typing import Any

from tests.azure.fake_arm import FakeData

TENANT = "11111111-2222-3333-4444-555555555555"
PROD = "aaaaaaaa-0000-0000-0000-000000000001"
DEV = "bbbbbbbb-0000-0000-0000-000000000002"
LAST_BACKUP = "2026-11-27T02:30:00.1234567Z"


def rid(sub: str, rg: str, provider: str, *names: str) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{provider}/" + "/".join(names)


def resource(sub: str, rg: str, rtype: str, name: str, location: str = "uksouth",
             **extra: Any) -> dict[str, Any]:
    provider, _, kind = rtype.partition("/")
    parts = kind.split("/")
    names = name.split("/")
    path = "/".join(f"{p}/{n}" for p, n in zip(parts, names, strict=True))
    return {"id": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{provider}/{path}",
            "name": name, "type": rtype, "location": location, "resourceGroup": rg,
            "subscriptionId": sub, "tags": extra.pop("tags", {}), **extra}


VM_APP1 = rid(PROD, "rg-app", "Microsoft.Compute", "virtualMachines", "vm-app1")
VM_APP2 = rid(PROD, "rg-app", "Microsoft.Compute", "virtualMachines", "vm-app2")
ST_PROD = rid(PROD, "rg-data", "Microsoft.Storage", "storageAccounts", "stprod")
ST_ZRS = rid(PROD, "rg-data", "Microsoft.Storage", "storageAccounts", "stzrs")
DISK_APP1 = rid(PROD, "rg-app", "Microsoft.Compute", "disks", "vm-app1-os")
SQL_DB = rid(PROD, "rg-data", "Microsoft.Sql", "servers", "sql-prod", "databases", "revenues")
RSV = rid(PROD, "rg-bcdr", "Microsoft.RecoveryServices", "vaults", "rsv-prod")
BV = rid(PROD, "rg-bcdr", "Microsoft.DataProtection", "backupVaults", "bv-prod")
VM_DEV = rid(DEV, "rg-dev", "Microsoft.Compute", "virtualMachines", "vm-dev1")
RSV_DEV = rid(DEV, "rg-dev", "Microsoft.RecoveryServices", "vaults", "rsv-dev")
TIER = "resilience:tier"
SERVICE = "resilience:service"


def _vm_item(vault: str, vm: str, policy: str | None, **props: Any) -> dict[str, Any]:
    name = vm.rsplit("/", 1)[-1]
    return {
        "id": f"{vault}/backupFabrics/Azure/protectionContainers/iaasvmcontainerv2;rg;{name}"
              f"/protectedItems/vm;iaasvmcontainerv2;rg;{name}",
        "name": f"vm;iaasvmcontainerv2;rg;{name}",
        "type": "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/"
                "protectedItems",
        "properties": {"protectedItemType": "Microsoft.Compute/virtualMachines",
                       "workloadType": "VM", "backupManagementType": "AzureIaasVM",
                       "friendlyName": name, "sourceResourceId": vm, "policyId": policy,
                       **props},
    }


def seed() -> FakeData:
    d = FakeData(tenant=TENANT)
    d.subscriptions = [
        {"id": f"/subscriptions/{PROD}", "subscriptionId": PROD, "displayName": "Production",
         "tenantId": TENANT, "state": "Enabled"},
        {"id": f"/subscriptions/{DEV}", "subscriptionId": DEV, "displayName": "Development",
         "tenantId": TENANT, "state": "Enabled"},
    ]
    d.groups = {
        PROD.lower(): [
            {"id": f"/subscriptions/{PROD}/resourceGroups/rg-app", "name": "rg-app",
             "location": "uksouth", "tags": {TIER: "2", SERVICE: "Housing Repairs"}},
            {"id": f"/subscriptions/{PROD}/resourceGroups/rg-data", "name": "rg-data",
             "location": "uksouth", "tags": {}},
            {"id": f"/subscriptions/{PROD}/resourceGroups/rg-bcdr", "name": "rg-bcdr",
             "location": "uksouth", "tags": {}},
        ],
        DEV.lower(): [{"id": f"/subscriptions/{DEV}/resourceGroups/rg-dev", "name": "rg-dev",
                       "location": "westeurope", "tags": {}}],
    }
    d.resources = {
        PROD.lower(): [
            resource(PROD, "rg-app", "Microsoft.Compute/virtualMachines", "vm-app1",
                     zones=["1"], tags={TIER: "1", SERVICE: "Revenues and Benefits",
                                        "resilience:owner": "revs-team"},
                     properties={"storageProfile": {"osDisk": {"osType": "Windows"}},
                                 "osType": "Windows"}),
            resource(PROD, "rg-app", "Microsoft.Compute/virtualMachines", "vm-app2",
                     tags={"db-password": "hunter2"}),
            resource(PROD, "rg-app", "Microsoft.Compute/disks", "vm-app1-os", zones=["1"],
                     sku={"name": "Premium_LRS", "tier": "Premium"}, managedBy=VM_APP1),
            resource(PROD, "rg-data", "Microsoft.Storage/storageAccounts", "stprod",
                     sku={"name": "Standard_GRS", "tier": "Standard"}, kind="StorageV2",
                     tags={TIER: "tier 1"}, properties={"secondaryLocation": "ukwest"}),
            resource(PROD, "rg-data", "Microsoft.Storage/storageAccounts", "stzrs",
                     sku={"name": "Standard_ZRS", "tier": "Standard"}, kind="StorageV2",
                     tags={TIER: "2"}),
            resource(PROD, "rg-data", "Microsoft.Sql/servers/databases", "sql-prod/revenues",
                     sku={"name": "GP_Gen5_2"}, tags={TIER: "1"},
                     properties={"zoneRedundant": True,
                                 "currentBackupStorageRedundancy": "Geo"}),
            resource(PROD, "rg-data", "Microsoft.Sql/servers/databases", "sql-prod/master",
                     sku={"name": "System"}),
            resource(PROD, "rg-app", "Microsoft.Network/networkInterfaces", "vm-app1-nic"),
            resource(PROD, "rg-bcdr", "Microsoft.RecoveryServices/vaults", "rsv-prod"),
        ],
        DEV.lower(): [
            resource(DEV, "rg-dev", "Microsoft.Compute/virtualMachines", "vm-dev1",
                     location="westeurope", tags={TIER: "3"}),
        ],
    }
    daily = f"{RSV}/backupPolicies/DailyPolicy"
    hourly = f"{RSV}/backupPolicies/FilesHourly"
    d.sql_retention_days = {SQL_DB.lower(): 14}
    d.recovery_vaults = {
        PROD.lower(): [{
            "id": RSV, "name": "rsv-prod", "type": "Microsoft.RecoveryServices/vaults",
            "location": "uksouth", "sku": {"name": "RS0", "tier": "Standard"},
            "properties": {
                "provisioningState": "Succeeded",
                "redundancySettings": {"standardTierStorageRedundancy": "GeoRedundant",
                                       "crossRegionRestore": "Enabled"},
                "securitySettings": {
                    "immutabilitySettings": {"state": "Locked"},
                    "softDeleteSettings": {"softDeleteState": "AlwaysON",
                                           "softDeleteRetentionPeriodInDays": 14,
                                           "enhancedSecurityState": "AlwaysON"},
                    "multiUserAuthorization": "Enabled"},
                "publicNetworkAccess": "Disabled",
                "bcdrSecurityLevel": "Excellent", "secureScore": "Maximum"},
        }],
        DEV.lower(): [{
            "id": RSV_DEV, "name": "rsv-dev", "type": "Microsoft.RecoveryServices/vaults",
            "location": "westeurope", "properties": {"provisioningState": "Succeeded"}}],
    }
    d.storage_configs = {RSV_DEV.lower(): {
        "id": f"{RSV_DEV}/backupstorageconfig/vaultstorageconfig",
        "properties": {"storageModelType": "LocallyRedundant", "storageType": "LocallyRedundant",
                       "storageTypeState": "Unlocked", "crossRegionRestoreFlag": False}}}
    d.vault_policies = {RSV.lower(): [
        {"id": daily, "name": "DailyPolicy", "properties": {
            "backupManagementType": "AzureIaasVM",
            "schedulePolicy": {"schedulePolicyType": "SimpleSchedulePolicy",
                               "scheduleRunFrequency": "Daily",
                               "scheduleRunTimes": ["2026-01-01T02:00:00Z"]},
            "retentionPolicy": {"retentionPolicyType": "LongTermRetentionPolicy",
                                "dailySchedule": {"retentionTimes": ["2026-01-01T02:00:00Z"],
                                                  "retentionDuration": {"count": 30,
                                                                        "durationType": "Days"}},
                                "monthlySchedule": {"retentionDuration": {
                                    "count": 12, "durationType": "Months"}}}}},
        {"id": hourly, "name": "FilesHourly", "properties": {
            "backupManagementType": "AzureStorage",
            "schedulePolicy": {"schedulePolicyType": "SimpleSchedulePolicyV2",
                               "scheduleRunFrequency": "Hourly",
                               "hourlySchedule": {"interval": 4, "scheduleWindowDuration": 12}},
            "retentionPolicy": {"retentionPolicyType": "LongTermRetentionPolicy",
                                "dailySchedule": {"retentionDuration": {
                                    "count": 35, "durationType": "Days"}}}}},
    ]}
    share_item = {
        "id": f"{RSV}/backupFabrics/Azure/protectionContainers/storagecontainer;storage;rg-data;"
              "stprod/protectedItems/azurefileshare;finance",
        "name": "azurefileshare;finance",
        "properties": {"protectedItemType": "AzureFileShareProtectedItem",
                       "workloadType": "AzureFileShare", "backupManagementType": "AzureStorage",
                       "friendlyName": "finance", "sourceResourceId": ST_PROD,
                       "policyId": hourly, "protectionState": "Protected",
                       "lastBackupStatus": "Completed", "lastBackupTime": LAST_BACKUP}}
    d.protected_items = {RSV.lower(): [
        _vm_item(RSV, VM_APP1, daily, protectionState="Protected", healthStatus="Passed",
                 lastBackupStatus="Completed", lastBackupTime=LAST_BACKUP),
        share_item,
    ], RSV_DEV.lower(): [
        _vm_item(RSV_DEV, VM_DEV, None, protectionState="ProtectionStopped",
                 healthStatus="Passed", lastBackupStatus="Failed",
                 lastBackupTime="2026-10-01T01:00:00Z"),
    ]}
    d.replicated_items = {RSV.lower(): [{
        "id": f"{RSV}/replicationFabrics/uksouth/replicationProtectionContainers/c1/"
              "replicationProtectedItems/vm-app1",
        "name": "vm-app1",
        "properties": {"friendlyName": "vm-app1", "protectionState": "Protected",
                       "primaryFabricFriendlyName": "UK South",
                       "recoveryFabricFriendlyName": "UK West",
                       "providerSpecificDetails": {"instanceType": "A2A",
                                                   "fabricObjectId": VM_APP1,
                                                   "recoveryFabricLocation": "ukwest"}}}]}
    blob_policy = f"{BV}/backupPolicies/blob-operational"
    disk_policy = f"{BV}/backupPolicies/disk-4h"
    d.backup_vaults = {PROD.lower(): [{
        "id": BV, "name": "bv-prod", "type": "Microsoft.DataProtection/backupVaults",
        "location": "uksouth",
        "properties": {
            "storageSettings": [{"datastoreType": "VaultStore", "type": "LocallyRedundant"}],
            "securitySettings": {"softDeleteSettings": {"state": "On",
                                                        "retentionDurationInDays": 14},
                                 "immutabilitySettings": {"state": "Unlocked"}},
            "featureSettings": {"crossRegionRestoreSettings": {"state": "Disabled"}},
            "isVaultProtectedByResourceGuard": False, "secureScore": "Minimum"}}]}
    d.backup_policies = {BV.lower(): [
        {"id": blob_policy, "name": "blob-operational", "properties": {
            "objectType": "BackupPolicy",
            "datasourceTypes": ["Microsoft.Storage/storageAccounts/blobServices"],
            "policyRules": [{"objectType": "AzureRetentionRule", "name": "Default",
                             "isDefault": True, "lifecycles": [{
                                 "deleteAfter": {"objectType": "AbsoluteDeleteOption",
                                                 "duration": "P30D"},
                                 "sourceDataStore": {"dataStoreType": "OperationalStore",
                                                     "objectType": "DataStoreInfoBase"}}]}]}},
        {"id": disk_policy, "name": "disk-4h", "properties": {
            "objectType": "BackupPolicy", "datasourceTypes": ["Microsoft.Compute/disks"],
            "policyRules": [
                {"objectType": "AzureBackupRule", "name": "BackupHourly",
                 "trigger": {"objectType": "ScheduleBasedTriggerContext", "schedule": {
                     "repeatingTimeIntervals": ["R/2026-01-01T00:00:00+00:00/PT4H"]}}},
                {"objectType": "AzureRetentionRule", "name": "Default", "isDefault": True,
                 "lifecycles": [{"deleteAfter": {"objectType": "AbsoluteDeleteOption",
                                                 "duration": "P7D"},
                                 "sourceDataStore": {"dataStoreType": "VaultStore"}}]}]}},
    ]}
    d.backup_instances = {BV.lower(): [
        {"id": f"{BV}/backupInstances/stzrs-blobs", "name": "stzrs-blobs", "properties": {
            "friendlyName": "stzrs", "objectType": "BackupInstance",
            "dataSourceInfo": {"resourceID": ST_ZRS,
                               "datasourceType": "Microsoft.Storage/storageAccounts/blobServices",
                               "objectType": "Datasource"},
            "policyInfo": {"policyId": blob_policy},
            "protectionStatus": {"status": "ProtectionConfigured"},
            "currentProtectionState": "ProtectionConfigured"}},
        {"id": f"{BV}/backupInstances/vm-app1-os", "name": "vm-app1-os", "properties": {
            "friendlyName": "vm-app1-os", "objectType": "BackupInstance",
            "dataSourceInfo": {"resourceID": DISK_APP1,
                               "datasourceType": "Microsoft.Compute/disks",
                               "objectType": "Datasource"},
            "policyInfo": {"policyId": disk_policy},
            "protectionStatus": {"status": "ProtectionConfigured"},
            "currentProtectionState": "ProtectionConfigured"}},
    ]}
    d.backup_jobs = {BV.lower(): [
        {"id": f"{BV}/backupJobs/j1", "name": "j1", "properties": {
            "operationCategory": "Backup", "status": "Completed", "dataSourceId": DISK_APP1,
            "startTime": "2026-11-27T04:00:00Z", "endTime": "2026-11-27T04:05:00Z"}},
        {"id": f"{BV}/backupJobs/j2", "name": "j2", "properties": {
            "operationCategory": "Backup", "status": "Completed", "dataSourceId": DISK_APP1,
            "startTime": "2026-11-27T08:00:00Z", "endTime": "2026-11-27T08:04:00Z"}},
        {"id": f"{BV}/backupJobs/j3", "name": "j3", "properties": {
            "operationCategory": "Backup", "status": "Failed", "dataSourceId": DISK_APP1,
            "startTime": "2026-11-27T12:00:00Z", "endTime": "2026-11-27T12:01:00Z"}},
    ]}
    return d
