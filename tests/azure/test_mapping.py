"""Unit tests of the Azure mapping: policies, tags, redundancy, vault settings, endpoints."""

from __future__ import annotations

import sys
from datetime import timedelta

import pytest

from resilience.config import AzureSettings, TagKeys
from resilience.errors import UsageError
from resilience.sources.azure.cloud import resolve_cloud
from resilience.sources.azure.http_policies import is_allowed
from resilience.sources.azure.mapping import (
    MapContext,
    recovery_vault_terms,
    system_from_resource,
)
from resilience.sources.azure.records import RecoveryVault
from resilience.sources.azure.regions import paired_region
from resilience.sources.azure.schedules import (
    CONTINUOUS,
    data_protection_policy_terms,
    iso_duration,
    vault_policy_terms,
)

SUB = "aaaaaaaa-0000-0000-0000-000000000001"


def ctx(**group_tags):
    return MapContext(tags=TagKeys(), tenants={SUB: "t1"},
                      group_tags={(SUB, k): v for k, v in group_tags.items()})


def row(rtype, name="r1", **extra):
    return {"id": f"/subscriptions/{SUB}/resourceGroups/rg/providers/{rtype}/{name}",
            "name": name, "type": rtype.lower(), "location": "westeurope",
            "subscriptionId": SUB, "resourceGroup": "rg", **extra}


@pytest.mark.parametrize("text,expected", [
    ("P30D", timedelta(days=30)), ("PT4H", timedelta(hours=4)), ("P1Y", timedelta(days=365)),
    ("P2W", timedelta(days=14)), ("P1DT12H", timedelta(days=1, hours=12)),
    ("PT30M", timedelta(minutes=30)), ("P", None), ("30 days", None), (None, None),
])
def test_iso_durations(text, expected):
    assert iso_duration(text) == expected


def test_vm_policy_hourly_and_long_term_retention():
    policy = {"properties": {
        "schedulePolicy": {"schedulePolicyType": "SimpleSchedulePolicyV2",
                           "scheduleRunFrequency": "Hourly", "hourlySchedule": {"interval": 6}},
        "retentionPolicy": {"retentionPolicyType": "LongTermRetentionPolicy",
                            "dailySchedule": {"retentionDuration": {"count": 7,
                                                                    "durationType": "Days"}},
                            "weeklySchedule": {"retentionDuration": {"count": 8,
                                                                     "durationType": "Weeks"}},
                            "yearlySchedule": {"retentionDuration": {"count": 2,
                                                                     "durationType": "Years"}}}}}
    assert vault_policy_terms(policy) == (timedelta(hours=6), timedelta(days=730))


def test_workload_policy_uses_log_backups_for_frequency():
    simple = {"retentionPolicyType": "SimpleRetentionPolicy"}
    policy = {"properties": {"subProtectionPolicy": [
        {"policyType": "Full",
         "schedulePolicy": {"schedulePolicyType": "SimpleSchedulePolicy",
                            "scheduleRunFrequency": "Weekly"},
         "retentionPolicy": {**simple, "retentionDuration": {"count": 12,
                                                             "durationType": "Weeks"}}},
        {"policyType": "Log",
         "schedulePolicy": {"schedulePolicyType": "LogSchedulePolicy",
                            "scheduleFrequencyInMins": 15},
         "retentionPolicy": {**simple, "retentionDuration": {"count": 15,
                                                             "durationType": "Days"}}}]}}
    assert vault_policy_terms(policy) == (timedelta(minutes=15), timedelta(weeks=12))


def test_unknown_policy_shapes_are_unknown_not_guessed():
    assert vault_policy_terms(None) == (None, None)
    assert vault_policy_terms({"properties": {"schedulePolicy": {
        "scheduleRunFrequency": "Invalid"}}}) == (None, None)
    assert data_protection_policy_terms({"properties": {"policyRules": []}}) == (None, None, False)


def test_backup_vault_policy_continuous_when_only_retention():
    policy = {"properties": {"policyRules": [{"objectType": "AzureRetentionRule", "lifecycles": [
        {"deleteAfter": {"duration": "P60D"}}]}]}}
    assert data_protection_policy_terms(policy) == (CONTINUOUS, timedelta(days=60), True)


@pytest.mark.parametrize("sku,zonal,failover", [
    ("Standard_LRS", False, None), ("Standard_ZRS", True, None),
    ("Standard_GRS", False, "northeurope"), ("Standard_RAGZRS", True, "northeurope"),
    ("Premium_ZRS", True, None), ("Standard_GZRS", True, "northeurope"),
])
def test_storage_redundancy(sku, zonal, failover):
    s = system_from_resource(row("Microsoft.Storage/storageAccounts", sku={"name": sku}), ctx())
    assert (s.zone_redundant, s.failover_site) == (zonal, failover)


def test_storage_without_sku_is_unknown_and_secondary_location_wins():
    assert system_from_resource(row("Microsoft.Storage/storageAccounts"), ctx()
                                ).zone_redundant is None
    s = system_from_resource(row("Microsoft.Storage/storageAccounts", sku={"name": "Standard_GRS"},
                                 properties={"secondaryLocation": "francecentral"}), ctx())
    assert s.failover_site == "francecentral"


@pytest.mark.parametrize("zones,expected", [([], False), (["1"], False), (["1", "2", "3"], True)])
def test_scale_set_zone_redundancy(zones, expected):
    s = system_from_resource(row("Microsoft.Compute/virtualMachineScaleSets", zones=zones), ctx())
    assert s.zone_redundant is expected


@pytest.mark.parametrize("mode,expected", [("ZoneRedundant", True), ("SameZone", False),
                                           (None, None)])
def test_flexible_server_high_availability(mode, expected):
    props = {"highAvailability": {"mode": mode}} if mode else {}
    s = system_from_resource(row("Microsoft.DBforPostgreSQL/flexibleServers",
                                 properties=props), ctx())
    assert s.zone_redundant is expected


def test_unmodelled_types_and_tags_from_group():
    assert system_from_resource(row("Microsoft.Network/publicIPAddresses"), ctx()) is None
    s = system_from_resource(row("Microsoft.Compute/virtualMachines",
                                 tags={"resilience:owner": "me"}),
                             ctx(rg={"resilience:tier": "2", "resilience:owner": "group"}))
    assert (s.tier, s.owner, s.zone_redundant) == (2, "me", False)
    assert s.identity_domain == "azure-tenant:t1"


@pytest.mark.parametrize("state,immutable", [("Locked", True), ("Unlocked", False),
                                             ("Disabled", False), (None, False)])
def test_recovery_vault_immutability(state, immutable):
    sec = {"immutabilitySettings": {"state": state}} if state else {}
    terms = recovery_vault_terms(RecoveryVault(SUB, {"properties": {"securitySettings": sec}}))
    assert terms.immutable is immutable


def test_recovery_vault_soft_delete_and_mua():
    vault = RecoveryVault(SUB, {"properties": {"securitySettings": {
        "softDeleteSettings": {"softDeleteState": "Disabled"},
        "multiUserAuthorization": "Disabled"}}})
    terms = recovery_vault_terms(vault)
    assert (terms.soft_delete, terms.soft_delete_always_on, terms.deletion_approval) == (
        False, False, False)
    unknown = recovery_vault_terms(RecoveryVault(SUB, {"properties": {}}))
    assert unknown.soft_delete is None and unknown.storage_redundancy is None
    assert unknown.as_fields()["offsite"] is None
    guarded = recovery_vault_terms(RecoveryVault(SUB, {"properties": {
        "resourceGuardOperationRequests": ["/subscriptions/x/resourceGroups/g/providers/"
                                           "Microsoft.DataProtection/resourceGuards/rg1/delete"]}}))
    assert guarded.deletion_approval is True


def test_paired_regions():
    assert paired_region("uksouth") == "ukwest" and paired_region("UK South") == "ukwest"
    assert paired_region("qatarcentral") is None and paired_region(None) is None


def test_read_only_guard():
    assert is_allowed("GET", "/subscriptions/x/resources")
    assert is_allowed("POST", "/providers/Microsoft.ResourceGraph/resources")
    assert not is_allowed("POST", "/subscriptions/x/providers/Microsoft.Compute/register")
    assert not is_allowed("PUT", "/subscriptions/x/resourceGroups/rg")
    assert not is_allowed("DELETE", "/subscriptions/x/resourceGroups/rg")


def test_clouds():
    assert resolve_cloud(AzureSettings()).arm_endpoint == "https://management.azure.com"
    gov = resolve_cloud(AzureSettings(cloud="usgovernment"))
    assert (gov.arm_endpoint, gov.authority_host, gov.custom) == (
        "https://management.usgovcloudapi.net", "login.microsoftonline.us", False)
    assert resolve_cloud(AzureSettings(cloud="AzureChinaCloud")).name == "china"
    custom = resolve_cloud(AzureSettings(cloud="custom", arm_endpoint="https://arm.example/",
                                         authority_host="login.example"))
    assert custom.scope == "https://arm.example/.default" and custom.custom
    proxied = resolve_cloud(AzureSettings(arm_endpoint="https://arm-proxy.example"))
    assert proxied.arm_endpoint == "https://arm-proxy.example" and not proxied.custom
    with pytest.raises(UsageError, match="not one of"):
        resolve_cloud(AzureSettings(cloud="mars"))
    with pytest.raises(UsageError, match="set both"):
        resolve_cloud(AzureSettings(cloud="custom"))
    with pytest.raises(UsageError, match="https"):
        resolve_cloud(AzureSettings(arm_endpoint="http://127.0.0.1:1"))


def test_importing_the_source_loads_no_sdk():
    import subprocess

    code = ("import sys, resilience.sources.azure, resilience.cli;"
            "print(any(m.startswith('azure') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


class _Req:
    """Just enough of an azure-core PipelineRequest for the policy."""

    def __init__(self, method, url):
        self.http_request = type("R", (), {"method": method, "url": url})()
        self.context = {}


class _Resp:
    def __init__(self, remaining, resets):
        self.http_response = type("H", (), {"headers": {
            "x-ms-user-quota-remaining": str(remaining),
            "x-ms-user-quota-resets-after": resets}})()


def test_graph_quota_budget_counts_queries_in_flight():
    from resilience.sources.azure.http_policies import CollectorPolicy

    now, slept = [100.0], []
    policy = CollectorPolicy(sleep=lambda s: (slept.append(s), now.__setitem__(0, now[0] + s)),
                             clock=lambda: now[0])
    url = "https://arm/providers/Microsoft.ResourceGraph/resources?api-version=1"
    first, second = _Req("POST", url), _Req("POST", url)
    policy.on_request(first)
    policy.on_request(second)           # nothing known yet: both go
    policy.on_response(first, _Resp(1, "00:00:05"))   # 1 left, but `second` is in flight
    third = _Req("POST", url)
    policy.on_request(third)            # budget 0: waits for the window to reset
    assert slept == [5.0] and policy.graph_waits == 1
    arm_get = _Req("GET", "https://arm/subscriptions")
    policy.on_request(arm_get)          # ARM reads are not subject to the graph quota
    assert slept == [5.0]


def test_protected_items_for_unlisted_systems_create_them():
    from resilience.model import SystemKind
    from resilience.sources.azure.mapping import recovery_vault_copies

    vm = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/v1"
    other = ("/subscriptions/cccccccc-0000-0000-0000-000000000003/resourceGroups/rg/providers/"
             "Microsoft.Compute/virtualMachines/elsewhere")
    systems = {vm.lower(): system_from_resource(
        row("Microsoft.Compute/virtualMachines", "v1", tags={"resilience:tier": "1"}), ctx())}
    vault = RecoveryVault(SUB, {"id": f"/subscriptions/{SUB}/resourceGroups/rg/providers/"
                                      "Microsoft.RecoveryServices/vaults/v",
                                "name": "v", "location": "westeurope", "properties": {}})
    vault.items = [
        {"id": "item-sql", "properties": {"workloadType": "SQLDataBase", "friendlyName": "payroll",
                                          "sourceResourceId": vm}},
        {"id": "item-vm", "properties": {"workloadType": "VM", "sourceResourceId": other}},
        {"id": "item-mars", "properties": {"workloadType": "FileFolder"}},   # no source: skipped
    ]
    copies = recovery_vault_copies(vault, systems, ctx())
    assert [c.id for c in copies] == ["item-sql", "item-vm"]
    db = systems[f"{vm}/backupWorkloads/payroll".lower()]
    assert (db.kind, db.tier, db.depends_on) == (SystemKind.DATABASE, 1, [vm])
    far = systems[other.lower()]
    assert (far.kind, far.account, far.resource_type, far.tier) == (
        SystemKind.VM, "cccccccc-0000-0000-0000-000000000003",
        "microsoft.compute/virtualmachines", None)
    # No policy, no settings read: unknown, not assumed.
    assert copies[0].frequency is None and copies[0].storage_redundancy is None
