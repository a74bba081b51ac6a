"""The Azure source against the HTTPS fake ARM: what it collects and how it maps."""

from __future__ import annotations

import re
from datetime import timedelta

from resilience.model import CopyKind, DataKind, SystemKind
from tests.azure.estate_data import (
    BV,
    DISK_APP1,
    PROD,
    SQL_DB,
    ST_PROD,
    ST_ZRS,
    TENANT,
    VM_APP1,
    VM_APP2,
    VM_DEV,
)


def _copies_for(estate, system_id):
    """The copies taken in the system's own region (paired-region twins left out)."""
    return [c for c in estate.backups_by_system.get(system_id, [])
            if not c.id.endswith("/pairedRegion")]


def _twin(estate, system_id):
    (twin,) = [c for c in estate.backups_by_system.get(system_id, [])
               if c.id.endswith("/pairedRegion")]
    return twin


def test_collects_systems_with_tags_zones_and_redundancy(collect):
    estate = collect()
    systems = estate.system_by_id
    assert set(systems) >= {VM_APP1, VM_APP2, DISK_APP1, ST_PROD, ST_ZRS, SQL_DB, VM_DEV}
    assert not any(s.id.endswith("/master") for s in estate.systems)
    assert not any("networkInterfaces" in s.id for s in estate.systems)
    vm = systems[VM_APP1]
    assert (vm.kind, vm.tier, vm.owner, vm.zones) == (SystemKind.VM, 1, "revs-team", ["1"])
    assert vm.services == ["revenues-and-benefits"]
    assert vm.account == PROD and vm.region == "uksouth"
    assert vm.identity_domain == f"azure-tenant:{TENANT}"
    assert vm.depends_on == [DISK_APP1]
    assert vm.failover_site == "ukwest"          # Site Recovery replicates it to UK West
    # Untagged VM: tier and service come from its resource group's tags.
    assert (systems[VM_APP2].tier, systems[VM_APP2].services) == (2, ["housing-repairs"])
    assert systems[VM_APP2].tags == {"db-password": "[redacted]"}
    grs, zrs = systems[ST_PROD], systems[ST_ZRS]
    assert (grs.zone_redundant, grs.failover_site, grs.tier) == (False, "ukwest", 1)
    assert (zrs.zone_redundant, zrs.failover_site) == (True, None)
    assert systems[DISK_APP1].zone_redundant is False
    assert systems[SQL_DB].zone_redundant is True
    assert [t.id for t in estate.trust_domains] == [f"azure-tenant:{TENANT}"]
    assert estate.sources[0].kinds == [DataKind.SYSTEMS, DataKind.BACKUPS]
    assert estate.gaps == []


def test_recovery_services_vault_copy(collect):
    estate = collect()
    (copy,) = _copies_for(estate, VM_APP1)
    assert copy.kind == CopyKind.BACKUP
    assert (copy.frequency, copy.retention) == (timedelta(days=1), timedelta(days=360))
    assert (copy.immutable, copy.soft_delete, copy.soft_delete_always_on) == (True, True, True)
    assert copy.soft_delete_retention == timedelta(days=14)
    assert (copy.deletion_approval, copy.cross_region_restore, copy.offsite) == (True, True, True)
    assert (copy.storage_redundancy, copy.security_level) == ("GRS", "Excellent")
    assert copy.account == PROD and copy.trust_domain == f"azure-tenant:{TENANT}"
    assert copy.last_success.isoformat() == "2026-11-27T02:30:00.123456+00:00"
    assert copy.last_status == "Completed" and "Passed" in copy.health
    # Cross-region restore on a geo-redundant vault: a twin we can restore in UK West.
    twin = _twin(estate, VM_APP1)
    assert (twin.region, twin.site, twin.last_success) == ("ukwest", "ukwest", None)
    assert (twin.frequency, twin.retention, twin.immutable) == (copy.frequency, copy.retention,
                                                                True)


def test_file_share_becomes_a_system_with_its_copy(collect):
    estate = collect()
    share_id = f"{ST_PROD}/fileServices/default/shares/finance"
    share = estate.system_by_id[share_id]
    assert share.kind == SystemKind.FILE_SHARE and share.tier == 1
    assert share.resource_type == "microsoft.storage/storageaccounts/fileservices/shares"
    assert share.depends_on == [ST_PROD]
    assert (share.zone_redundant, share.failover_site) == (False, "ukwest")  # its account's
    (copy,) = _copies_for(estate, share_id)
    assert (copy.frequency, copy.retention) == (timedelta(hours=4), timedelta(days=35))


def test_stopped_protection_and_old_vault_storage_config(collect):
    estate = collect()
    (copy,) = _copies_for(estate, VM_DEV)
    assert copy.frequency is None                 # protection stopped: no new points
    assert copy.last_success is None              # last attempt failed, no recovery point
    assert (copy.storage_redundancy, copy.offsite, copy.cross_region_restore) == (
        "LRS", False, False)
    assert copy.immutable is False and copy.immutability is None


def test_backup_vault_copies(collect):
    estate = collect()
    assert len(estate.backups_by_system[ST_ZRS]) == 1        # LRS vault: no twin
    (blob,) = _copies_for(estate, ST_ZRS)
    assert blob.kind == CopyKind.POINT_IN_TIME and blob.frequency == timedelta(0)
    assert blob.retention == timedelta(days=30)
    assert (blob.offsite, blob.immutable) == (False, False)   # operational: beside the source
    (disk,) = _copies_for(estate, DISK_APP1)
    assert disk.id == f"{BV}/backupInstances/vm-app1-os"
    assert (disk.frequency, disk.retention) == (timedelta(hours=4), timedelta(days=7))
    assert disk.immutable is False and "unlocked" in disk.immutability
    assert (disk.soft_delete, disk.soft_delete_always_on) == (True, False)
    assert disk.deletion_approval is False and disk.storage_redundancy == "LRS"
    assert disk.last_success.isoformat() == "2026-11-27T08:04:00+00:00"  # latest completed


def test_sql_database_automated_backups(collect):
    estate = collect()
    (copy,) = _copies_for(estate, SQL_DB)
    assert copy.kind == CopyKind.POINT_IN_TIME
    assert (copy.storage_redundancy, copy.offsite) == ("GRS", True)
    assert _twin(estate, SQL_DB).region == "ukwest"          # geo-restore
    assert copy.retention == timedelta(days=14)               # its short-term policy


def test_sql_retention_unread_stays_unknown(fake, collect):
    from tests.azure.fake_arm import Fault

    fake.faults.append(Fault("GET", r"backupShortTermRetentionPolicies", 403, times=10,
                             code="AuthorizationFailed"))
    estate = collect()
    (copy,) = _copies_for(estate, SQL_DB)
    assert copy.retention is None
    assert collect(sql_retention=False) and fake.count("backupShortTermRetention") == 1


def test_only_reads_are_sent_and_every_request_is_authenticated(collect, fake):
    collect()
    requests = fake.arm_requests()
    assert requests
    for r in requests:
        assert r["authorization"] == "Bearer fake-token"
        assert r["method"] == "GET" or (
            r["method"] == "POST"
            and re.fullmatch(r"/providers/Microsoft\.ResourceGraph/resources", r["path"]))


def test_resource_graph_pages_with_skip_token(fake, collect):
    fake.graph_page_size = 2
    estate = collect()
    graph = [r for r in fake.arm_requests() if r["method"] == "POST"]
    # Two skip-token chains side by side (one per subscription here): PROD's 9 rows take 5
    # pages, DEV's 1 row one page; the 4 resource groups take 2 pages.
    assert len(graph) == 8
    assert sum(1 for r in graph if "skipToken" in r.get("body", "")) == 5
    assert fake.count(r"/resources$") == 0         # no per-subscription ARM listing
    assert VM_APP1 in estate.system_by_id


def test_arm_listing_is_the_fallback_when_resource_graph_is_forbidden(fake, collect):
    fake.graph_forbidden = True
    estate = collect()
    assert fake.count(r"/resources$", "POST") == 3  # each chain tried once; 403 not retried
    # PROD has 9 resources in pages of 3: three requests following nextLink.
    assert fake.count(rf"^/subscriptions/{PROD}/resources$") == 3
    systems = estate.system_by_id
    assert systems[VM_APP1].tier == 1 and systems[VM_APP2].tier == 2
    # ARM's listing has no properties: what only they tell is unknown, never guessed.
    assert systems[SQL_DB].zone_redundant is None
    assert systems[ST_PROD].failover_site == "ukwest"   # from the region pair
    assert estate.gaps == []


def test_resource_graph_can_be_switched_off(fake, collect):
    collect(resource_graph=False)
    assert fake.count(r"ResourceGraph", "POST") == 0
    assert fake.count(rf"^/subscriptions/{PROD}/resourcegroups$") == 1


def test_subscription_filter_and_invisible_subscription(fake, collect):
    missing = "cccccccc-0000-0000-0000-000000000003"
    estate = collect(subscriptions=[PROD, missing])
    assert VM_DEV not in estate.system_by_id
    (gap,) = estate.gaps
    assert gap.scope == f"azure:{missing}:subscription" and gap.account == missing
    assert set(gap.kinds) == {DataKind.SYSTEMS, DataKind.BACKUPS}


def test_truncated_resource_graph_result_falls_back_to_arm(fake, collect):
    original = fake._graph

    def truncated(*args):
        status, body, headers = original(*args)
        body.pop("$skipToken", None)
        body["resultTruncated"] = "true"
        return status, body, headers

    fake.graph_page_size = 2
    fake._routes[-1] = (fake._routes[-1][0], fake._routes[-1][1], truncated)
    estate = collect()
    assert fake.count(rf"^/subscriptions/{PROD}/resources$") == 3   # listed through ARM
    assert VM_APP1 in estate.system_by_id and estate.gaps == []


def test_azure_estate_round_trips_through_a_snapshot(collect, tmp_path):
    from resilience.snapshot import load_snapshot, save_snapshot
    from resilience.sources.merge import merge

    estate = merge([collect()])
    path = tmp_path / "azure.json"
    save_snapshot(estate, path)
    again = load_snapshot(path)
    assert again.model_dump(mode="json") == estate.model_dump(mode="json")
    assert "fake-token" not in path.read_text()
