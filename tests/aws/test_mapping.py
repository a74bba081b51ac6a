"""Unit tests of the AWS mapping: schedules, selections, locks, tags, IAM rights, failures."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from resilience.config import TagKeys
from resilience.model import AccountKind, SystemKind
from resilience.sources.aws.facts import Resource, Selection, Vault
from resilience.sources.aws.failures import classify
from resilience.sources.aws.iam import _account, _grants
from resilience.sources.aws.mapping import make_system, selects, vault_protection
from resilience.sources.aws.schedule import schedule_interval

NOW = datetime(2026, 11, 28, tzinfo=UTC)


@pytest.mark.parametrize(("expr", "interval"), [
    ("cron(0 5 ? * * *)", timedelta(days=1)),
    ("cron(0 */12 * * ? *)", timedelta(hours=12)),
    ("cron(0 5 ? * SUN *)", timedelta(days=7)),
    ("cron(0 1,13 ? * MON-FRI *)", timedelta(days=2, hours=12)),  # Friday 13:00 to Monday 01:00
    ("cron(0 5 1 * ? *)", timedelta(days=31)),
    ("cron(0 5 L * ? *)", timedelta(days=31)),
    ("cron(30 2 ? * 1#1 *)", timedelta(days=35)),
    ("rate(8 hours)", timedelta(hours=8)),
    ("rate(1 day)", timedelta(days=1)),
    ("cron(0 5 ? * * 2026)", timedelta(days=1)),
    ("cron(0 5 *)", None),
    ("cron(99 5 ? * * *)", None),
    ("daily", None),
    (None, None),
])
def test_schedule_interval_is_the_longest_gap(expr, interval):
    assert schedule_interval(expr) == interval


def _resource(tags=None, volume_tags=None):
    system = make_system(arn="arn:aws:ec2:eu-west-2:111122223333:instance/i-1", name="web",
                         kind=SystemKind.VM, resource_type="AWS::EC2::Instance",
                         account="111122223333", region="eu-west-2", tags=tags or {},
                         keys=TagKeys())
    volume = "arn:aws:ec2:eu-west-2:111122223333:volume/v-1"
    return Resource(system=system, arns=(system.id, volume),
                    tags=tags or {}, volume_ids=("v-1",), volume_tags=volume_tags or {})


def _selection(resources=(), tags_any=(), not_resources=(), conditions=()):
    return Selection("p", "111122223333", "eu-west-2", "s", list(resources), list(not_resources),
                     list(tags_any), list(conditions))


def test_backup_selection_semantics():
    res = _resource({"backup": "daily", "env": "prod"}, {"v-1": {"snap": "yes"}})
    assert selects(_selection(resources=["*"]), res)
    assert selects(_selection(resources=["arn:aws:ec2:*:*:volume/*"]), res)  # by its volume
    assert not selects(_selection(resources=["arn:aws:rds:*"]), res)
    assert selects(_selection(tags_any=[("backup", "weekly"), ("backup", "daily")]), res)
    assert selects(_selection(tags_any=[("snap", "yes")]), res)  # a volume's tag
    # each part is judged on its own: excluding the instance still backs up its volume
    assert selects(_selection(resources=["*"], not_resources=["*:instance/i-1"]), res)
    assert not selects(_selection(resources=["*"], not_resources=["*:instance/i-1",
                                                                  "*:volume/*"]), res)
    assert selects(_selection(resources=["*"], conditions=[("StringEquals", "env", "prod")]), res)
    assert not selects(_selection(resources=["*"], conditions=[("StringEquals", "env", "dev")]),
                       res)
    assert selects(_selection(resources=["*"], conditions=[("StringLike", "env", "pr*")]), res)
    env_not_prod = _selection(resources=["*:instance/*"],
                              conditions=[("StringNotEquals", "env", "prod")])
    assert not selects(env_not_prod, res)


def _vault(**kw):
    return Vault(arn="arn:aws:backup:eu-west-2:1:backup-vault:v", name="v", account="1",
                 region="eu-west-2", **kw)


def test_only_an_unliftable_lock_is_immutable():
    assert vault_protection(None, NOW)["immutable"] is None
    assert vault_protection(_vault(locked=False), NOW)["immutable"] is False
    governance = vault_protection(_vault(locked=True), NOW)
    assert governance["immutable"] is False and "governance" in governance["immutability"]
    grace = vault_protection(_vault(locked=True, lock_date=NOW + timedelta(days=2)), NOW)
    assert grace["immutable"] is False and "grace period" in grace["immutability"]
    locked = vault_protection(_vault(locked=True, lock_date=NOW - timedelta(days=2)), NOW)
    assert locked["immutable"] is True and locked["immutability"] == "Vault Lock compliance mode"
    lag = vault_protection(_vault(vault_type="LOGICALLY_AIR_GAPPED_BACKUP_VAULT",
                                  encryption_key_type="AWS_OWNED_KMS_KEY"), NOW)
    assert lag["immutable"] is True and lag["logically_air_gapped"] is True
    assert lag["key_recoverable"] is True
    assert "key_recoverable" not in vault_protection(_vault(locked=False), NOW)


def test_iam_rights():
    admin = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam_only = {"Statement": {"Effect": "Allow", "Action": ["iam:*"], "Resource": ["*"]}}
    power = {"Statement": [{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"],
                            "Resource": "*"}]}
    reader = {"Statement": [{"Effect": "Allow", "Action": "iam:Get*", "Resource": "*"}]}
    wanted = ("iam:AttachUserPolicy",)
    assert _grants([admin], wanted) and _grants([iam_only], wanted)
    assert not _grants([power], wanted) and not _grants([reader], wanted)
    assert _grants([power], ("backup:DeleteRecoveryPoint",))
    assert _grants(['{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'], wanted)


class _Scope:
    account = "111122223333"
    partition = "aws"


def test_credential_report_root_row_and_masked_keys():
    root = {"user": "<root_account>", "arn": "arn:aws:iam::111122223333:root",
            "user_creation_time": "2020-01-01T00:00:00+00:00", "password_enabled": "not_supported",
            "password_last_used": "2026-11-20T10:00:00+00:00", "mfa_active": "false",
            "access_key_1_active": "true", "access_key_1_last_rotated": "2021-01-01T00:00:00+00:00",
            "access_key_1_last_used_date": "N/A", "access_key_2_active": "false",
            "access_key_2_last_rotated": "N/A", "password_next_rotation": "not_supported"}
    acct = _account(root, _Scope(), None)
    assert acct.kind == AccountKind.ROOT and acct.mfa is False and acct.privileged is True
    assert [k.id for k in acct.access_keys] == ["root:access-key-1"]
    assert acct.last_used == datetime(2026, 11, 20, 10, tzinfo=UTC)
    user = dict(root, user="carol", arn="arn:aws:iam::111122223333:user/carol",
                password_enabled="true", password_next_rotation="N/A", mfa_active="true")
    carol = _account(user, _Scope(), None)
    assert carol.kind == AccountKind.HUMAN and carol.privileged is None  # rights unreadable
    assert carol.password_never_expires is True and carol.console_access is True


def _client_error(code, status, op="ListBackupPlans"):
    return ClientError({"Error": {"Code": code, "Message": "m"},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, op)


@pytest.mark.parametrize(("exc", "code", "words"), [
    (_client_error("AccessDeniedException", 403), "AccessDeniedException", "access denied"),
    (_client_error("UnrecognizedClientException", 400), "UnrecognizedClientException",
     "region is not enabled"),
    (_client_error("ThrottlingException", 400), "ThrottlingException", "throttled"),
    (_client_error("InternalError", 500), "InternalError", "server error"),
    (_client_error("404", 404), "NotImplemented", "does not implement"),
    (NotImplementedError("The x action has not been implemented"), "NotImplemented",
     "does not implement"),
    (ReadTimeoutError(endpoint_url="http://127.0.0.1:1"), "Timeout", "timed out"),
    (KeyError("x"), "KeyError", "unexpected failure"),
])
def test_failures_are_classified(exc, code, words):
    got_code, reason = classify(exc)
    assert got_code == code and words in reason


def test_help_does_not_import_boto3():
    code = ("import sys; from resilience.cli import app, _register; _register();"
            "import resilience.pipeline, resilience.config;"
            "print('boto3' in sys.modules or 'botocore' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_an_unknown_profile_is_a_usage_error(aws_env):
    from resilience.config import AwsSettings
    from resilience.errors import UsageError
    from resilience.sources.aws import AwsSource
    from resilience.sources.interface import NullProgress

    with pytest.raises(UsageError, match="profile 'nope'"):
        AwsSource(AwsSettings(profile="nope"), TagKeys()).collect(NullProgress())


class _TruncatingS3:
    """An S3 endpoint that cuts ListBuckets at the page size without a token (as moto does)."""

    def __init__(self, n: int):
        self.buckets = [{"Name": f"b{i}"} for i in range(n)]

    def get_paginator(self, _):
        outer = self

        class _Pager:
            def paginate(self, PaginationConfig):  # noqa: N803 - botocore's spelling
                return [{"Buckets": outer.buckets[:PaginationConfig["PageSize"]]}]
        return _Pager()

    def list_buckets(self):
        return {"Buckets": self.buckets}


def test_bucket_listing_survives_an_endpoint_that_truncates():
    from resilience.sources.aws.s3 import PAGE, list_buckets

    assert len(list_buckets(_TruncatingS3(PAGE + 5))) == PAGE + 5
    assert len(list_buckets(_TruncatingS3(3))) == 3
