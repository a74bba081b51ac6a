"""What the AWS sessions share between clients (models, endpoint rules, event aliases) stays
correct per client, and the collection hands the garbage collector back as it found it."""

from __future__ import annotations

import gc
from urllib.parse import urlsplit

import boto3
import botocore.hooks
import pytest

from resilience.config import AwsSettings
from resilience.sources.aws.session import AccountSession, _share_models, client_config
from resilience.sources.aws.source import _heap_set_aside


def _account(account_id: str, key: str) -> tuple[AccountSession, list[str]]:
    """A session like the source makes, recording the host of every request it sends."""
    session = boto3.Session(aws_access_key_id=key, aws_secret_access_key="secret",
                            region_name="eu-west-2")
    _share_models(session)
    hosts: list[str] = []
    session.events.register_first(
        "before-send", lambda request, **_: hosts.append(urlsplit(request.url).hostname))
    return AccountSession(session, account_id, "aws", client_config(AwsSettings())), hosts


@pytest.mark.usefixtures("moto")
def test_shared_endpoint_rules_still_give_each_client_its_own_endpoint():
    first, first_hosts = _account("111111111111", "AKIAFIRST")
    second, second_hosts = _account("222222222222", "AKIASECOND")
    ec2 = [first.client("ec2", "eu-west-1"), second.client("ec2", "eu-west-1"),
           first.client("ec2", "us-east-1")]
    providers = {id(c._ruleset_resolver._provider) for c in ec2}
    assert len(providers) == 1, "one endpoint provider per service model"
    assert ec2[0].meta.service_model is ec2[2].meta.service_model
    for client in ec2:
        client.describe_volumes()
    assert first_hosts == ["ec2.eu-west-1.amazonaws.com", "ec2.us-east-1.amazonaws.com"]
    assert second_hosts == ["ec2.eu-west-1.amazonaws.com"]

    # S3 endpoints depend on the bucket as well as the region: a warm shared cache must not
    # hand one bucket's endpoint to another
    s3 = first.client("s3", "eu-west-1")
    s3.create_bucket(Bucket="alpha-bucket",
                     CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.create_bucket(Bucket="beta-bucket",
                     CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    other = second.client("s3", "eu-west-1")
    assert other._ruleset_resolver._provider is s3._ruleset_resolver._provider
    first_hosts.clear()
    s3.get_bucket_versioning(Bucket="alpha-bucket")
    s3.get_bucket_versioning(Bucket="beta-bucket")
    assert first_hosts == ["alpha-bucket.s3.eu-west-1.amazonaws.com",
                           "beta-bucket.s3.eu-west-1.amazonaws.com"]


def test_shared_event_aliases_match_botocore_and_leave_other_sessions_alone(aws_env):
    ours, _ = _account("111111111111", "AKIAFIRST")
    events = ours.session.events
    copied = ours.client("autoscaling", "eu-west-1").meta.events
    plain = botocore.hooks.EventAliaser(botocore.hooks.HierarchicalEmitter())
    for name in ("before-call.autoscaling.DescribeAutoScalingGroups",
                 "before-parameter-build.ec2.DescribeVolumes", "after-call.apigateway",
                 "needs-retry.cognito-idp.ListUsers"):
        assert events._alias_event_name(name) == plain._alias_event_name(name)
        assert copied._alias_event_name(name) == plain._alias_event_name(name)
    assert copied._alias_name_cache is events._alias_name_cache

    fired = []
    ours.session.events.register("resilience-test.autoscaling",
                                 lambda **_: fired.append("aliased handler"))
    ours.session.events.emit("resilience-test.auto-scaling.DescribeAutoScalingGroups")
    assert fired == ["aliased handler"]

    outside = boto3.Session(aws_access_key_id="a", aws_secret_access_key="b",
                            region_name="eu-west-2")
    assert type(outside.events) is botocore.hooks.EventAliaser
    assert outside.events._alias_name_cache is not events._alias_name_cache


def test_the_collector_hands_the_garbage_collector_back_even_on_failure():
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    with pytest.raises(RuntimeError), _heap_set_aside():
        assert gc.get_freeze_count() > frozen
        assert gc.get_threshold()[0] >= thresholds[0]
        raise RuntimeError("collection failed")
    assert gc.get_threshold() == thresholds
    # a process that froze nothing gets everything back; one that keeps a frozen heap keeps it
    assert gc.get_freeze_count() == 0 if frozen == 0 else gc.get_freeze_count() >= frozen
