"""DynamoDB tables: point-in-time recovery, deletion protection, global-table replicas."""

from __future__ import annotations

from datetime import timedelta

from botocore.exceptions import ClientError

from resilience.model import CopyKind, SystemKind
from resilience.sources.aws.common import SYSTEM_KINDS, Scope, chunks, error_code, pages
from resilience.sources.aws.facts import Facts, Resource
from resilience.sources.aws.failures import gap_for
from resilience.sources.aws.fanout import Result, Unit
from resilience.sources.aws.mapping import (
    CONTINUOUS,
    PITR_INTERVAL,
    make_system,
    native_copy,
    tag_dict,
)

TABLES_PER_UNIT = 10


def collect_dynamodb(scope: Scope) -> Result:
    """List the tables, then read them in small batches on the pool."""
    names = list(pages(scope.client("dynamodb"), "list_tables", "TableNames"))
    return Result(more=[
        Unit(scope.account, scope.region, "dynamodb", SYSTEM_KINDS,
             (lambda batch=batch: _tables(scope, batch)), detail=f"tables {batch[0]}..")
        for batch in chunks(names, TABLES_PER_UNIT)
    ])


def _tables(scope: Scope, names: list[str]) -> Result:
    """A batch of tables; one that cannot be read is a gap, and the others are still read."""
    ddb = scope.client("dynamodb")
    facts = Facts()
    for name in names:
        one = Facts()
        try:
            _table(scope, ddb, name, one)
        except Exception as exc:  # noqa: BLE001 - a gap for this table's region
            facts.gaps.append(gap_for(exc, account=scope.account, region=scope.region,
                                      service="dynamodb", kinds=SYSTEM_KINDS,
                                      detail=f"table {name}"))
        else:
            facts.extend(one)
    return Result(facts)


def _table(scope: Scope, ddb, name: str, facts: Facts) -> None:
    try:
        table = ddb.describe_table(TableName=name)["Table"]
    except ClientError as exc:
        if error_code(exc) == "ResourceNotFoundException":
            return  # deleted since it was listed
        raise
    arn = table["TableArn"]
    tags = tag_dict(list(pages(ddb, "list_tags_of_resource", "Tags", ResourceArn=arn)))
    system = make_system(
        arn=arn, name=name, kind=SystemKind.DATABASE, resource_type="AWS::DynamoDB::Table",
        account=scope.account, region=scope.region, tags=tags, keys=scope.keys,
        zone_redundant=True,  # DynamoDB stores every table across three AZs
        deletion_protection=table.get("DeletionProtectionEnabled"),
    )
    encrypted = True  # DynamoDB encrypts every table at rest; SSEDescription only names the key
    facts.resources.append(Resource(system=system, arns=(arn,), tags=tags, encrypted=encrypted))
    cont = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    pitr = cont.get("PointInTimeRecoveryDescription") or {}
    if pitr.get("PointInTimeRecoveryStatus") == "ENABLED":
        days = pitr.get("RecoveryPeriodInDays") or 35
        facts.copies.append(native_copy(
            system, "dynamodb-pitr", tool="DynamoDB point-in-time recovery",
            kind=CopyKind.POINT_IN_TIME, frequency=PITR_INTERVAL,
            retention=timedelta(days=days), immutable=False, encrypted=encrypted,
            last_success=pitr.get("LatestRestorableDateTime")))
    for rep in table.get("Replicas") or []:
        region = rep.get("RegionName")
        if not region or region == scope.region:
            continue
        facts.copies.append(native_copy(
            system, f"dynamodb-replica:{region}", tool="DynamoDB global table replica",
            kind=CopyKind.REPLICA, frequency=CONTINUOUS, retention=timedelta(0),
            immutable=False, region=region, site=region, offsite=True, encrypted=encrypted))
