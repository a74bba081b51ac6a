"""A full collection against moto (in-process): what lands in the estate; that it only read."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import boto3
import pytest

from resilience.config import AwsSettings, TagKeys
from resilience.model import AccountKind, CopyKind, DataKind
from resilience.sources.interface import NullProgress
from tests.aws.conftest import Overlay, apply_env
from tests.aws.seed import ACCOUNT, DR_REGION, REGION, seed_estate

POLICY = Path(__file__).resolve().parents[2] / "docs" / "aws-iam-policy.json"
READ = re.compile(r"^(List|Describe|Get)[A-Z]|^(GenerateCredentialReport|AssumeRole)$")


@pytest.fixture(scope="module")
def collected():
    from moto import mock_aws

    from resilience.sources.aws import AwsSource

    with pytest.MonkeyPatch.context() as mp:
        apply_env(mp.setenv, lambda n: mp.delenv(n, raising=False))
        with mock_aws(config={"iam": {"load_aws_managed_policies": True}}):
            seeded = seed_estate(lambda svc, region: boto3.client(svc, region))
            overlay = Overlay(seeded.answers)
            settings = AwsSettings(regions=[REGION, DR_REGION], max_attempts=1)
            estate = AwsSource(settings, TagKeys(), session_hook=overlay.hook).collect(
                NullProgress())
    return estate, seeded, overlay


def _copies(estate, system_id):
    return {c.id.split("#", 1)[1]: c for c in estate.backups if c.system == system_id}


def test_collection_is_complete(collected):
    estate, _, _ = collected
    assert estate.gaps == []
    assert {r.scope for r in estate.sources} == {f"aws:{ACCOUNT}"}
    assert set(estate.sources[0].kinds) == {DataKind.SYSTEMS, DataKind.BACKUPS,
                                             DataKind.ACCOUNTS, DataKind.IDENTITY_SETTINGS}


def test_instances_and_volumes(collected):
    estate, s, _ = collected
    web = estate.system_by_id[s.instance]
    assert (web.name, web.tier, web.services, web.owner) == (
        "revenues-web", 1, ["revenues"], "Head of Revenues")
    assert web.resource_type == "AWS::EC2::Instance" and web.zone_redundant is False
    assert web.identity_domain == f"aws:{ACCOUNT}" and web.region == REGION
    # the attached volume is part of the instance; the loose one is its own system
    assert s.volume not in estate.system_by_id
    assert estate.system_by_id[s.loose_volume].kind.value == "storage"


def test_aws_backup_plan_becomes_copies(collected):
    estate, s, _ = collected
    copies = _copies(estate, s.instance)
    primary = copies[f"aws-backup:{s.plan_id}:daily-35d"]
    assert primary.frequency == timedelta(days=1)
    assert primary.retention == timedelta(days=35)
    assert (primary.region, primary.account, primary.trust_domain) == (
        REGION, ACCOUNT, f"aws:{ACCOUNT}")
    assert primary.offsite is False and primary.encrypted is True
    # moto's lock has a 3-day grace period: still removable, so not immutable yet
    assert primary.immutable is False and "grace period" in primary.immutability
    assert primary.last_success is not None
    assert primary.restore_test_passed is True
    assert primary.restore_test_duration == timedelta(hours=3)
    dr = copies[f"aws-backup:{s.plan_id}:daily-35d:copy:{ACCOUNT}:{DR_REGION}:dr-vault"]
    assert (dr.region, dr.offsite, dr.retention) == (DR_REGION, True, timedelta(days=90))
    assert dr.immutable is False and dr.immutability is None
    assert dr.last_success is not None


def test_selection_excludes_not_resources(collected):
    estate, s, _ = collected
    # the selection picks tier 1 by tag but excludes the database by ARN
    assert not any(k.startswith("aws-backup") for k in _copies(estate, s.db))


def test_native_protections(collected):
    estate, s, _ = collected
    db = _copies(estate, s.db)["rds-automated-backups"]
    assert db.kind == CopyKind.POINT_IN_TIME and db.retention == timedelta(days=14)
    assert db.immutable is False and db.encrypted is True
    assert estate.system_by_id[s.db].zone_redundant is True
    assert estate.system_by_id[s.db].deletion_protection is True
    pitr = _copies(estate, s.table)["dynamodb-pitr"]
    assert pitr.retention == timedelta(days=35) and pitr.last_success is not None
    bucket = _copies(estate, s.bucket)
    assert bucket["s3-versioning"].immutable is True
    assert bucket["s3-versioning"].last_success is not None  # continuous: restorable to now
    assert "compliance" in bucket["s3-versioning"].immutability
    replica = bucket["s3-replication:to-dr:council-documents-replica"]
    assert (replica.kind, replica.region, replica.offsite) == (CopyKind.REPLICA, DR_REGION, True)
    # versioning without Object Lock is a copy that the account's own admins can delete
    replica_versions = _copies(estate, s.replica_bucket)["s3-versioning"]
    assert replica_versions.immutable is False and replica_versions.region == DR_REGION


def test_dlm_and_efs(collected):
    estate, s, _ = collected
    copies = _copies(estate, s.instance)
    dlm = copies["dlm:policy-0123456789abcdef0:daily"]
    assert dlm.frequency == timedelta(days=1) and dlm.retention == timedelta(days=7)
    assert dlm.last_success is not None and dlm.kind == CopyKind.SNAPSHOT
    dlm_copy = copies[f"dlm:policy-0123456789abcdef0:daily:copy:{DR_REGION}"]
    assert dlm_copy.region == DR_REGION and dlm_copy.retention == timedelta(days=30)
    efs = _copies(estate, s.efs)["efs-automatic-backups"]
    assert efs.frequency == timedelta(days=1) and efs.retention == timedelta(days=35)


def test_identity(collected):
    estate, _, _ = collected
    people = {a.name: a for a in estate.accounts}
    alice, bob, etl = people["alice.admin"], people["bob.backup"], people["etl-service"]
    assert (alice.privileged, alice.mfa, alice.console_access) == (True, False, True)
    assert (bob.privileged, bob.backup_admin, bob.mfa) == (False, True, True)
    assert bob.groups == ["backup-admins"]
    assert etl.kind == AccountKind.SERVICE and etl.console_access is False
    assert etl.remote_access is False and alice.remote_access is True
    assert etl.owner == "Data team"
    assert [k.id for k in etl.access_keys] == ["etl-service:access-key-1"]
    root = [a for a in estate.accounts if a.kind == AccountKind.ROOT]
    assert len(root) == 1 and root[0].privileged is True
    domain = estate.trust_domain_by_id[f"aws:{ACCOUNT}"]
    assert domain.kind == "aws-account"
    assert domain.password_policy.min_length == 14
    assert domain.password_policy.max_age == timedelta(days=90)


def test_no_secret_reaches_the_estate(collected):
    estate, _, overlay = collected
    text = estate.model_dump_json()
    assert "not-a-real-password" not in text and "Correct-Horse" not in text
    assert not re.search(r"(AKIA|ASIA)[A-Z0-9]{16}", text)


def test_every_call_is_a_read(collected):
    _, _, overlay = collected
    ops = {op for _, op in overlay.calls}
    assert ops, "the recorder saw no calls"
    writes = sorted(op for op in ops if not READ.search(op))
    assert writes == []
    # and the hook saw the whole surface, not a part of it
    assert {"DescribeInstances", "ListBackupPlans", "GetCredentialReport",
            "GetLifecyclePolicy", "GetBucketReplication"} <= ops


S3_ACTIONS = {"ListBuckets": "ListAllMyBuckets",
              "GetObjectLockConfiguration": "GetBucketObjectLockConfiguration",
              "GetBucketReplication": "GetReplicationConfiguration",
              "GetBucketLifecycleConfiguration": "GetLifecycleConfiguration",
              "GetBucketEncryption": "GetEncryptionConfiguration"}


def iam_action(service: str, op: str) -> str:
    import botocore.session

    prefix = botocore.session.get_session().get_service_model(service).signing_name
    if service == "s3":
        op = S3_ACTIONS.get(op, op)
    return f"{prefix}:{op}"


def test_published_policy_covers_every_call(collected):
    _, _, overlay = collected
    doc = json.loads(POLICY.read_text())
    allowed = {a for st in doc["Statement"] if st["Effect"] == "Allow"
               for a in ([st["Action"]] if isinstance(st["Action"], str) else st["Action"])}
    needed = {iam_action(svc, op) for svc, op in overlay.calls}
    assert needed - allowed == set()
    assert all(READ.search(a.split(":", 1)[1]) or a.split(":", 1)[1] in
               {"ListAllMyBuckets", "GetReplicationConfiguration"} for a in allowed)
