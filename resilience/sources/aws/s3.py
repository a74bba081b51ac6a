"""S3 buckets: versioning, Object Lock, replication and lifecycle of old versions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from botocore.exceptions import ClientError

from resilience.model import CopyKind, SystemKind
from resilience.model.timeutil import utcnow
from resilience.sources.aws.common import SYSTEM_KINDS, Scope, chunks, error_code
from resilience.sources.aws.facts import Facts, Resource
from resilience.sources.aws.failures import gap_for
from resilience.sources.aws.fanout import Result, Unit
from resilience.sources.aws.mapping import (
    CONTINUOUS,
    FOREVER,
    REPLICA_PREFIX,
    REPLICATION_INTERVAL,
    make_system,
    native_copy,
    tag_dict,
    trust_domain_id,
)

# One bucket per unit: a bucket takes six or seven calls in a row, so a batch of them would be
# one long sequential chain that every other account and region ends up waiting for.
BUCKETS_PER_UNIT = 1
_ABSENT = {"NoSuchTagSet", "ObjectLockConfigurationNotFoundError",
           "NoSuchLifecycleConfiguration", "ReplicationConfigurationNotFoundError",
           "ServerSideEncryptionConfigurationNotFoundError", "NoSuchBucketPolicy"}


PAGE = 1000


def list_buckets(s3: Any) -> list[dict[str, Any]]:
    """Every bucket. Asking for a page size makes S3 return each bucket's region too."""
    pages = list(s3.get_paginator("list_buckets").paginate(PaginationConfig={"PageSize": PAGE}))
    buckets = [b for page in pages for b in page.get("Buckets") or []]
    last = pages[-1] if pages else {}
    if len(last.get("Buckets") or []) >= PAGE and not last.get("ContinuationToken"):
        # A full page with no token: an endpoint that truncates silently (moto does). List
        # again without paging rather than lose buckets.
        seen = {b["Name"] for b in buckets}
        buckets += [b for b in s3.list_buckets().get("Buckets") or [] if b["Name"] not in seen]
    return buckets


def collect_s3(scope: Scope) -> Result:
    """List the account's buckets once, then read them in batches on the pool."""
    buckets = list_buckets(scope.session.client("s3"))
    known = {b["Name"]: b["BucketRegion"] for b in buckets if b.get("BucketRegion")}
    wanted = [b["Name"] for b in buckets
              if not scope.regions or b["Name"] not in known or known[b["Name"]] in scope.regions]
    by_region: dict[str | None, list[str]] = {}
    for name in wanted:
        by_region.setdefault(known.get(name), []).append(name)
    units = []
    for region, names in by_region.items():
        for batch in chunks(names, BUCKETS_PER_UNIT):
            units.append(Unit(scope.account, region, "s3", SYSTEM_KINDS,
                              (lambda region=region, batch=batch: _buckets(scope, region, batch)),
                              detail=f"buckets {batch[0]}.."))
    return Result(more=units)


def _location(scope: Scope, name: str) -> str | None:
    loc = scope.session.client("s3").get_bucket_location(Bucket=name).get("LocationConstraint")
    return {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(loc, loc)


def _optional(call, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
    try:
        return call(*args, **kwargs)
    except ClientError as exc:
        if error_code(exc) in _ABSENT:
            return None
        raise


def _noncurrent_retention(lifecycle: dict[str, Any] | None) -> timedelta:
    days = [r["NoncurrentVersionExpiration"].get("NoncurrentDays")
            for r in (lifecycle or {}).get("Rules", [])
            if r.get("Status") == "Enabled" and r.get("NoncurrentVersionExpiration")]
    days = [d for d in days if d]
    return timedelta(days=min(days)) if days else FOREVER


def _lock(lock: dict[str, Any] | None) -> tuple[bool, str | None]:
    conf = (lock or {}).get("ObjectLockConfiguration") or {}
    if conf.get("ObjectLockEnabled") != "Enabled":
        return False, None
    default = (conf.get("Rule") or {}).get("DefaultRetention") or {}
    mode = default.get("Mode")
    if mode == "COMPLIANCE":
        return True, "S3 Object Lock compliance mode (default retention)"
    if mode == "GOVERNANCE":
        return False, ("S3 Object Lock governance mode (bypassable with "
                       "s3:BypassGovernanceRetention)")
    return False, "S3 Object Lock enabled without a default retention"


def _buckets(scope: Scope, region: str | None, names: list[str]) -> Result:
    """A batch of buckets; one that cannot be read is a gap (in its own region when known),
    and the others are still read."""
    facts = Facts()
    for name in names:
        one = Facts()
        where = region
        try:
            where = region or _location(scope, name)
            if not scope.regions or where in scope.regions:
                _bucket(scope, where, name, one)
        except ClientError as exc:
            if error_code(exc) != "NoSuchBucket":  # else: deleted since it was listed
                facts.gaps.append(_bucket_gap(exc, scope, where, name))
        except Exception as exc:  # noqa: BLE001
            facts.gaps.append(_bucket_gap(exc, scope, where, name))
        else:
            facts.extend(one)
    return Result(facts)


def _bucket_gap(exc: BaseException, scope: Scope, region: str | None, name: str):
    return gap_for(exc, account=scope.account, region=region, service="s3", kinds=SYSTEM_KINDS,
                   detail=f"bucket {name}")


def _bucket(scope: Scope, bucket_region: str, name: str, facts: Facts) -> None:
    s3 = scope.session.client("s3", bucket_region)
    tagging = _optional(s3.get_bucket_tagging, Bucket=name)
    tags = tag_dict((tagging or {}).get("TagSet"))
    arn = f"arn:{scope.partition}:s3:::{name}"
    system = make_system(arn=arn, name=name, kind=SystemKind.BUCKET,
                         resource_type="AWS::S3::Bucket", account=scope.account,
                         region=bucket_region, tags=tags, keys=scope.keys, zone_redundant=True)
    encryption = _optional(s3.get_bucket_encryption, Bucket=name)
    encrypted = True if encryption else None
    facts.resources.append(Resource(system=system, arns=(arn,), tags=tags, encrypted=encrypted))
    versioning = s3.get_bucket_versioning(Bucket=name).get("Status")
    immutable, immutability = _lock(_optional(s3.get_object_lock_configuration, Bucket=name))
    if versioning == "Enabled":
        lifecycle = _optional(s3.get_bucket_lifecycle_configuration, Bucket=name)
        # continuous: every overwrite and delete keeps the old version, so the bucket can be
        # brought back to any moment up to now
        facts.copies.append(native_copy(
            system, "s3-versioning", tool="S3 versioning", kind=CopyKind.SNAPSHOT,
            frequency=CONTINUOUS, retention=_noncurrent_retention(lifecycle),
            immutable=immutable, immutability=immutability, encrypted=encrypted,
            last_success=utcnow()))
    replication = _optional(s3.get_bucket_replication, Bucket=name)
    rules = ((replication or {}).get("ReplicationConfiguration") or {}).get("Rules", [])
    for i, rule in enumerate(rules):
        if rule.get("Status") != "Enabled":
            continue
        dest = rule.get("Destination") or {}
        dest_name = str(dest.get("Bucket", "")).split(":")[-1]
        account = dest.get("Account") or scope.account
        # the destination's region is filled in by the mapping once every bucket is known
        facts.copies.append(native_copy(
            system, f"{REPLICA_PREFIX}{rule.get('ID') or i}:{dest_name}",
            tool="S3 replication", kind=CopyKind.REPLICA, frequency=REPLICATION_INTERVAL,
            retention=None, immutable=None, region=None, site=None, account=account,
            trust_domain=trust_domain_id(account), offsite=None, encrypted=encrypted))
