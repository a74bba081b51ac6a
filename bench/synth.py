"""Synthetic estates of any size, in realistic proportions, as an on-prem file or a snapshot.

    python -m bench.synth --systems 100000 --snapshot out/estate-100k.json
    python -m bench.synth --systems 1000 --yaml out/estate-1k.yaml
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

KINDS = ["server", "database", "file-share", "vm", "application", "storage", "bucket"]
HOSTING = ["onprem"] * 5 + ["aws"] * 3 + ["azure"] * 2
SITES = {"onprem": ["dc-north", "dc-south"], "aws": ["eu-west-2", "eu-west-1"],
         "azure": ["uksouth", "ukwest"]}
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _date(days_ago: int) -> str:
    return (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(systems: int, seed: int = 7) -> dict:
    """An estate dict (the on-prem file shape, backups top-level) with ``systems`` systems.

    Proportions: one service per 20 systems, 1.2 backup copies per system, one account per
    2 systems, a directory per 5,000 systems, plans and suppliers per 200 services.
    """
    rnd = random.Random(seed)
    n_services = max(1, systems // 20)
    n_domains = max(1, systems // 5000)
    domains = [{"id": f"corp{i}.example", "name": f"CORP{i}", "kind": "ad-domain",
                "mfa_enforced": rnd.random() < 0.5, "password_policy": {"min_length":
                rnd.choice([8, 12, 14])}} for i in range(n_domains)]
    domains.append({"id": "backup-vault", "name": "Backup vault", "kind": "backup-console"})
    out_systems, backups = [], []
    for i in range(systems):
        hosting = rnd.choice(HOSTING)
        sid = f"sys-{i:07d}"
        system = {
            "id": sid, "name": f"System {i}", "kind": rnd.choice(KINDS), "hosting": hosting,
            "site": rnd.choice(SITES[hosting]), "tier": rnd.choice([1, 2, 2, 3, 3, 3]),
            "owner": f"team-{i % 97}", "identity_domain": domains[i % n_domains]["id"],
        }
        if i % 5000 == 0:
            system["kind"] = "directory"
        if i > 0 and rnd.random() < 0.3:
            system["depends_on"] = [f"sys-{rnd.randrange(0, i):07d}"]
        out_systems.append(system)
        # Most systems of a reasonably run estate are protected properly; a minority is not.
        good = rnd.random() < 0.85
        for j in range(rnd.choice([0, 1, 2, 2, 2]) if good else rnd.choice([0, 1])):
            isolated = good and j == 1
            backups.append({
                "id": f"{sid}-b{j}", "system": sid, "tool": "Veeam" if hosting == "onprem"
                else "native", "frequency": "24h" if good else rnd.choice(["24h", "7d"]),
                "retention": "90d" if good else rnd.choice(["7d", "14d", "35d"]),
                "immutable": isolated, "offline": False,
                "logically_air_gapped": isolated, "offsite": j == 1 or not good,
                "site": SITES[hosting][j % 2], "region": SITES[hosting][j % 2],
                "account": system["identity_domain"],
                "trust_domain": "backup-vault" if isolated else system["identity_domain"],
                "soft_delete": good, "deletion_approval": isolated,
                "encrypted": True, "key_recoverable": good,
                "last_success": _date(rnd.randrange(0, 1)),
                "last_restore_test": _date(rnd.randrange(10, 80 if good else 400)),
                "restore_test_duration": f"{rnd.randrange(1, 24 if good else 100)}h",
                "restore_test_passed": good or rnd.random() < 0.5,
            })
        system["rebuild_documented"] = good
        system["end_of_support"] = _date(-rnd.randrange(200, 2000) if good else 30)
        system["zone_redundant"] = good
        system["failover_site"] = SITES[hosting][1] if good else None
    services = []
    for k in range(n_services):
        members = [f"sys-{x:07d}" for x in range(k * 20, min(systems, k * 20 + 20))]
        svc = {"id": f"svc-{k:06d}", "name": f"Service {k}", "tier": rnd.choice([1, 2, 3]),
               "owner": f"owner-{k % 50}", "systems": members}
        if rnd.random() < 0.8:
            svc["manual_fallback"] = {"description": "Paper forms", "last_exercised":
                                      _date(rnd.randrange(30, 500)), "reentry_plan": "Re-key"}
        if k > 0 and rnd.random() < 0.2:
            svc["depends_on"] = [f"svc-{rnd.randrange(0, k):06d}"]
        services.append(svc)
    accounts = []
    for a in range(max(1, systems // 2)):
        accounts.append({
            "id": f"acct-{a:07d}", "name": f"user{a}", "source": "ad",
            "trust_domain": domains[a % n_domains]["id"],
            "kind": "break-glass" if a % 5000 == 1 else rnd.choice(["human"] * 8 + ["service"]),
            "privileged": rnd.random() < 0.05, "mfa": rnd.random() < 0.95,
            "enabled": rnd.random() < 0.95, "last_used": _date(rnd.randrange(0, 60)),
            "created": _date(900), "remote_access": rnd.random() < 0.2,
            "console_access": False, "backup_admin": False, "monitored": True,
            "owner": f"team-{a % 97}", "password_never_expires": False,
        })
    plans = [{"id": f"plan-{p}", "name": f"Plan {p}", "kind": rnd.choice(
        ["incident-response", "business-continuity"]), "offline_copy": rnd.random() < 0.5,
        "last_reviewed": _date(rnd.randrange(10, 700)), "last_exercised": _date(rnd.randrange(
            10, 900))} for p in range(max(1, n_services // 200))]
    suppliers = [{"id": f"sup-{p}", "name": f"Supplier {p}", "remote_access": rnd.random() < 0.5,
                  "mfa": rnd.random() < 0.6, "access_reviewed": _date(rnd.randrange(10, 800)),
                  "breach_notification_clause": rnd.random() < 0.7}
                 for p in range(max(1, n_services // 200))]
    return {"organisation": {"name": f"Synthetic estate ({systems} systems)"},
            "services": services, "systems": out_systems, "backups": backups,
            "accounts": accounts, "trust_domains": domains, "plans": plans,
            "suppliers": suppliers}


def to_snapshot(data: dict) -> str:
    """The estate as a snapshot, built through the real model."""
    from resilience.model import DataKind, Estate, Provider, SourceRun
    from resilience.snapshot import dump_snapshot

    estate = Estate.model_validate({
        **data, "collected_at": NOW.isoformat(),
        "sources": [SourceRun(provider=Provider.ONPREM, scope="synthetic", collected_at=NOW,
                              kinds=list(DataKind)).model_dump(mode="json")],
    })
    return dump_snapshot(estate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--yaml", type=Path)
    parser.add_argument("--snapshot", type=Path)
    args = parser.parse_args()
    data = generate(args.systems, args.seed)
    if args.yaml:
        import yaml

        args.yaml.parent.mkdir(parents=True, exist_ok=True)
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        args.yaml.write_text(yaml.dump(data, Dumper=dumper, sort_keys=False))
    if args.snapshot:
        args.snapshot.parent.mkdir(parents=True, exist_ok=True)
        args.snapshot.write_text(to_snapshot(data))
    if not args.yaml and not args.snapshot:
        print(json.dumps(data)[:2000])


if __name__ == "__main__":
    main()
