"""Benchmark: collect 50 subscriptions and 20,000 resources from the fake ARM at 50 ms a request.

Run on demand (never in the test suite):

    .venv/bin/python bench/azure_scale.py [--subscriptions 50] [--resources 20000]
        [--latency 0.05] [--concurrency 8] [--arm-only]

The fake runs in a child process so that the peak memory reported is the collector's own.
Prints wall time, peak RSS, and the requests the fake received, by kind.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

KINDS = [  # (type, share of resources, sku)
    ("Microsoft.Compute/virtualMachines", 0.25, None),
    ("Microsoft.Compute/disks", 0.25, "Premium_LRS"),
    ("Microsoft.Storage/storageAccounts", 0.2, "Standard_GRS"),
    ("Microsoft.Sql/servers/databases", 0.2, "GP_Gen5_2"),
    ("Microsoft.Compute/virtualMachineScaleSets", 0.05, None),
    ("Microsoft.DBforPostgreSQL/flexibleServers", 0.05, None),
]


def build(subscriptions: int, resources: int):
    from tests.azure.estate_data import resource as make
    from tests.azure.fake_arm import FakeData

    tenant = "11111111-2222-3333-4444-555555555555"
    d = FakeData(tenant=tenant)
    per_sub = resources // subscriptions
    for s in range(subscriptions):
        sub = f"{s:08d}-0000-0000-0000-000000000000"
        key = sub.lower()
        d.subscriptions.append({"id": f"/subscriptions/{sub}", "subscriptionId": sub,
                                "displayName": f"sub-{s}", "tenantId": tenant,
                                "state": "Enabled"})
        d.groups[key] = [{"id": f"/subscriptions/{sub}/resourceGroups/rg-{g}", "name": f"rg-{g}",
                          "location": "uksouth", "tags": {"resilience:tier": str(1 + g % 3)}}
                         for g in range(4)]
        rows, vms = [], []
        for rtype, share, sku in KINDS:
            for i in range(int(per_sub * share)):
                name = f"sql-{i // 10}/db-{i}" if rtype.endswith("databases") else f"r{i}"
                extra = {"sku": {"name": sku}} if sku else {}
                if rtype.endswith("disks") and vms:
                    extra["managedBy"] = vms[i % len(vms)]
                if rtype.endswith("databases"):
                    extra["properties"] = {"zoneRedundant": i % 2 == 0,
                                           "currentBackupStorageRedundancy": "Geo"}
                row = make(sub, f"rg-{i % 4}", rtype, name,
                           tags={"resilience:service": f"svc-{i % 7}"},
                           zones=[str(1 + i % 3)] if rtype.endswith("Machines") else [], **extra)
                rows.append(row)
                if rtype.endswith("virtualMachines"):
                    vms.append(row["id"])
        d.resources[key] = rows
        group = f"/subscriptions/{sub}/resourceGroups/rg-0/providers"
        rsv = f"{group}/Microsoft.RecoveryServices/vaults/rsv"
        policy = f"{rsv}/backupPolicies/daily"
        d.recovery_vaults[key] = [{"id": rsv, "name": "rsv", "location": "uksouth", "properties": {
            "redundancySettings": {"standardTierStorageRedundancy": "GeoRedundant",
                                   "crossRegionRestore": "Enabled"},
            "securitySettings": {"immutabilitySettings": {"state": "Locked"},
                                 "softDeleteSettings": {"softDeleteState": "AlwaysON",
                                                        "softDeleteRetentionPeriodInDays": 14},
                                 "multiUserAuthorization": "Enabled"}}}]
        d.vault_policies[rsv.lower()] = [{"id": policy, "name": "daily", "properties": {
            "schedulePolicy": {"schedulePolicyType": "SimpleSchedulePolicy",
                               "scheduleRunFrequency": "Daily"},
            "retentionPolicy": {"retentionPolicyType": "LongTermRetentionPolicy",
                                "dailySchedule": {"retentionDuration": {
                                    "count": 35, "durationType": "Days"}}}}}]
        d.protected_items[rsv.lower()] = [
            {"id": f"{rsv}/backupFabrics/Azure/protectionContainers/c;{i}/protectedItems/vm;{i}",
             "name": f"vm;{i}", "properties": {
                 "protectedItemType": "Microsoft.Compute/virtualMachines", "workloadType": "VM",
                 "sourceResourceId": vm, "policyId": policy, "protectionState": "Protected",
                 "lastBackupStatus": "Completed", "lastBackupTime": "2026-11-27T02:00:00Z"}}
            for i, vm in enumerate(vms)]
        bv = f"{group}/Microsoft.DataProtection/backupVaults/bv"
        d.backup_vaults[key] = [{"id": bv, "name": "bv", "location": "uksouth", "properties": {
            "storageSettings": [{"datastoreType": "VaultStore", "type": "GeoRedundant"}]}}]
    return d


def serve(conn, subscriptions: int, resources: int, latency: float, page: int) -> None:
    from tests.azure.fake_arm import FakeArm

    fake = FakeArm(build(subscriptions, resources), page_size=page, latency=latency)
    fake.start(tempfile.mkdtemp())
    conn.send((fake.base_url, fake.ca_path))
    conn.recv()  # "report"
    counts = Counter()
    for r in fake.arm_requests():
        path = r["path"]
        kind = "graph" if r["method"] == "POST" else path.rsplit("/", 1)[-1]
        counts[kind] += 1
    conn.send((len(fake.arm_requests()), dict(counts)))
    fake.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--subscriptions", type=int, default=50)
    ap.add_argument("--resources", type=int, default=20_000)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--page-size", type=int, default=1000, help="ARM list page size")
    ap.add_argument("--arm-only", action="store_true", help="no Resource Graph (fallback path)")
    ap.add_argument("--no-sql-retention", action="store_true",
                    help="skip the per-database SQL retention reads")
    args = ap.parse_args()

    parent, child = mp.Pipe()
    proc = mp.get_context("spawn").Process(
        target=serve, args=(child, args.subscriptions, args.resources, args.latency,
                            args.page_size), daemon=True)
    proc.start()
    base_url, ca_path = parent.recv()

    from resilience.config import AzureSettings, TagKeys
    from resilience.sources import interface
    from resilience.sources.azure import AzureSource
    NullProgress = interface.NullProgress
    from tests.azure.fake_arm import FakeCredential

    settings = AzureSettings(cloud="custom", arm_endpoint=base_url, authority_host=base_url,
                             concurrency=args.concurrency, resource_graph=not args.arm_only,
                             sql_retention=not args.no_sql_retention)
    source = AzureSource(settings, TagKeys(), credential=FakeCredential(),
                         transport_options={"connection_verify": ca_path})
    import azure.mgmt.dataprotection  # noqa: F401 - import cost is not collection cost
    import azure.mgmt.recoveryservices  # noqa: F401
    import azure.mgmt.recoveryservicesbackup  # noqa: F401
    import azure.mgmt.resource.resources  # noqa: F401
    import azure.mgmt.resource.subscriptions  # noqa: F401
    import azure.mgmt.resourcegraph  # noqa: F401

    class Timeline(NullProgress):
        """Records when each stage starts, to show where the time goes."""

        def __init__(self):
            self.marks: list[tuple[float, str]] = []

        def task(self, description, total=None):
            self.marks.append((time.perf_counter() - started, description))
            return 0

        def note(self, message):
            self.marks.append((time.perf_counter() - started, message))

    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    timeline = Timeline()
    estate = source.collect(timeline)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    parent.send("report")
    total, counts = parent.recv()
    proc.join(10)

    print(f"subscriptions={args.subscriptions} resources={args.resources} "
          f"latency={args.latency * 1000:.0f}ms concurrency={args.concurrency} "
          f"path={'arm' if args.arm_only else 'resource-graph'}")
    print(f"collected: {len(estate.systems)} systems, {len(estate.backups)} backup copies, "
          f"{len(estate.gaps)} gaps")
    print(f"wall time: {wall:.2f} s (collector CPU {cpu:.2f} s; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print("stages: " + "; ".join(f"{t:.2f}s {d}" for t, d in timeline.marks))
    print(f"peak RSS: {rss_peak / 1024:.0f} MiB (before collection {rss_before / 1024:.0f} MiB)")
    print(f"requests: {total} " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    if not args.arm_only:
        print(f"resource graph: {counts.get('graph', 0)} queries for {args.resources} resources "
              f"(+ resource groups)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
