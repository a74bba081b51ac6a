"""RDS and Aurora: instances, clusters, automated backups and their replication, replicas."""

from __future__ import annotations

from datetime import timedelta

from resilience.model import CopyKind, System, SystemKind
from resilience.sources.aws.common import Scope, pages
from resilience.sources.aws.facts import Facts, Resource
from resilience.sources.aws.fanout import Result
from resilience.sources.aws.mapping import (
    CONTINUOUS,
    PITR_INTERVAL,
    arn_account,
    arn_region,
    make_system,
    native_copy,
    tag_dict,
    trust_domain_id,
)


def _automated(system: System, retention_days: int | None, latest, encrypted) -> list:
    if not retention_days:
        return []
    return [native_copy(system, "rds-automated-backups", tool="RDS automated backups",
                        kind=CopyKind.POINT_IN_TIME, frequency=PITR_INTERVAL,
                        retention=timedelta(days=retention_days), immutable=False,
                        encrypted=encrypted, last_success=latest)]


def _replicated_backups(system: System, replications: list[dict], encrypted) -> list:
    out = []
    for rep in replications or []:
        arn = rep.get("DBInstanceAutomatedBackupsArn")
        region = arn_region(arn)
        if not arn or not region:
            continue
        account = arn_account(arn) or system.account
        out.append(native_copy(system, f"rds-automated-backups:replica:{region}",
                               tool="RDS automated backups replication",
                               kind=CopyKind.POINT_IN_TIME, frequency=PITR_INTERVAL, retention=None,
                               immutable=False, region=region, site=region, account=account,
                               trust_domain=trust_domain_id(account or ""),
                               offsite=region != system.region, encrypted=encrypted))
    return out


def _read_replicas(system: System, replicas: list[str], encrypted) -> list:
    out = []
    for rep in replicas or []:
        region = arn_region(rep) if rep.startswith("arn:") else system.region
        name = rep.split(":")[-1]
        out.append(native_copy(system, f"rds-read-replica:{region}:{name}", tool="RDS read replica",
                               kind=CopyKind.REPLICA, frequency=CONTINUOUS,
                               retention=timedelta(0), immutable=False, region=region, site=region,
                               offsite=region != system.region, encrypted=encrypted))
    return out


def collect_rds(scope: Scope) -> Result:
    rds = scope.client("rds")
    facts = Facts()
    cluster_members: dict[str, str] = {}
    for cl in pages(rds, "describe_db_clusters", "DBClusters"):
        tags = tag_dict(cl.get("TagList"))
        system = make_system(
            arn=cl["DBClusterArn"], name=cl.get("DBClusterIdentifier", ""),
            kind=SystemKind.DATABASE,
            resource_type="AWS::RDS::DBCluster", account=scope.account, region=scope.region,
            tags=tags, keys=scope.keys, zones=list(cl.get("AvailabilityZones") or []),
            zone_redundant=bool(cl.get("MultiAZ")),
            deletion_protection=cl.get("DeletionProtection"),
        )
        member_arns = []
        for m in cl.get("DBClusterMembers") or []:
            ident = m.get("DBInstanceIdentifier")
            if ident:
                cluster_members[ident] = system.id
                member_arns.append(f"arn:{scope.partition}:rds:{scope.region}:{scope.account}:db:{ident}")
        encrypted = cl.get("StorageEncrypted")
        facts.resources.append(Resource(system=system, arns=(system.id, *member_arns), tags=tags,
                                        encrypted=encrypted))
        facts.copies += _automated(system, cl.get("BackupRetentionPeriod"),
                                   cl.get("LatestRestorableTime"), encrypted)
        facts.copies += _read_replicas(system, cl.get("ReadReplicaIdentifiers"), encrypted)
    for db in pages(rds, "describe_db_instances", "DBInstances"):
        if db.get("DBClusterIdentifier") or db.get("DBInstanceIdentifier") in cluster_members:
            continue  # Aurora members are backed up, and counted, with their cluster
        tags = tag_dict(db.get("TagList"))
        zones = [db.get("AvailabilityZone"), db.get("SecondaryAvailabilityZone")]
        system = make_system(
            arn=db["DBInstanceArn"], name=db.get("DBInstanceIdentifier", ""),
            kind=SystemKind.DATABASE,
            resource_type="AWS::RDS::DBInstance", account=scope.account, region=scope.region,
            tags=tags, keys=scope.keys, zones=zones, zone_redundant=bool(db.get("MultiAZ")),
            deletion_protection=db.get("DeletionProtection"),
            internet_facing=db.get("PubliclyAccessible"),
            failover_site=db.get("SecondaryAvailabilityZone"),
        )
        encrypted = db.get("StorageEncrypted")
        facts.resources.append(Resource(system=system, arns=(system.id,), tags=tags,
                                        encrypted=encrypted))
        facts.copies += _automated(system, db.get("BackupRetentionPeriod"),
                                   db.get("LatestRestorableTime"), encrypted)
        facts.copies += _replicated_backups(
            system, db.get("DBInstanceAutomatedBackupsReplications"), encrypted)
        facts.copies += _read_replicas(
            system, db.get("ReadReplicaDBInstanceIdentifiers"), encrypted)
    return Result(facts)
