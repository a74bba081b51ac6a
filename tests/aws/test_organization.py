"""Organizations fan-out: member accounts through an assumed role, one failing member a gap."""

from __future__ import annotations

import boto3
import pytest

from resilience.config import AwsSettings, TagKeys
from resilience.errors import UsageError
from resilience.model import AccountKind, DataKind
from resilience.sources.interface import NullProgress
from tests.aws.conftest import Overlay, client_error
from tests.aws.seed import ACCOUNT, REGION, tags

pytestmark = pytest.mark.usefixtures("moto")
ROLE = "ResilienceAudit"


def _member_session(account: str) -> boto3.Session:
    creds = boto3.client("sts", REGION).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="seed")["Credentials"]
    return boto3.Session(aws_access_key_id=creds["AccessKeyId"],
                         aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=creds["SessionToken"], region_name=REGION)


def _organization() -> list[str]:
    org = boto3.client("organizations", REGION)
    org.create_organization(FeatureSet="ALL")
    members = []
    for name in ("housing", "social-care"):
        status = org.create_account(AccountName=name, Email=f"{name}@example.invalid")
        members.append(status["CreateAccountStatus"]["AccountId"])
    return members


def _deny_assume(account: str):
    def answer(params):
        if f"::{account}:" in params.get("RoleArn", ""):
            return client_error("AccessDenied", 403, "not allowed to assume")
        return None
    return answer


def test_members_are_read_through_the_assumed_role():
    from resilience.sources.aws import AwsSource

    housing, social = _organization()
    for account, service in ((housing, "housing"), (social, "social-care")):
        session = _member_session(account)
        session.client("ec2").run_instances(
            ImageId="ami-12c6146b", MinCount=1, MaxCount=1,
            TagSpecifications=[{"ResourceType": "instance", "Tags": tags(
                resilience__tier="2", resilience__service=service)}])
        session.client("iam").create_user(UserName=f"{service}-admin")
    overlay = Overlay({("sts", "AssumeRole"): _deny_assume(social),
                       ("dlm", "GetLifecyclePolicies"): {"Policies": []}})
    settings = AwsSettings(regions=[REGION], organization=True, assume_role=ROLE, max_attempts=1)
    estate = AwsSource(settings, TagKeys(), session_hook=overlay.hook).collect(NullProgress())

    assert {r.scope for r in estate.sources} == {f"aws:{ACCOUNT}", f"aws:{housing}"}
    member_systems = [s for s in estate.systems if s.account == housing]
    assert len(member_systems) == 1 and member_systems[0].services == ["housing"]
    assert member_systems[0].identity_domain == f"aws:{housing}"
    assert f"aws:{housing}" in estate.trust_domain_by_id
    assert any(a.name == "housing-admin" and a.trust_domain == f"aws:{housing}"
               for a in estate.accounts)
    assert {a.trust_domain for a in estate.accounts if a.kind == AccountKind.ROOT} == {
        f"aws:{ACCOUNT}", f"aws:{housing}"}
    # the member whose role could not be assumed is a gap over everything in it
    denied = [g for g in estate.gaps if g.account == social]
    assert len(denied) == 1 and denied[0].service == "sts"
    assert set(denied[0].kinds) == {DataKind.SYSTEMS, DataKind.BACKUPS, DataKind.ACCOUNTS,
                                    DataKind.IDENTITY_SETTINGS}
    assert estate.gaps_for(DataKind.SYSTEMS, account=social)
    assert not estate.gaps_for(DataKind.SYSTEMS, account=housing)
    calls = {op for _, op in overlay.calls}
    assert {"ListAccounts", "AssumeRole"} <= calls


def test_member_accounts_need_a_role():
    from resilience.sources.aws import AwsSource

    settings = AwsSettings(regions=[REGION], accounts=["210987654321"], max_attempts=1)
    with pytest.raises(UsageError, match="assume_role"):
        AwsSource(settings, TagKeys()).collect(NullProgress())
