"""Faults: throttling and 5xx are retried to the same result; denied services and failing
regions become gaps, and the checks that needed that data report error."""

from __future__ import annotations

import boto3
import pytest

from resilience.config import AwsSettings, TagKeys
from resilience.model import DataKind, Status
from resilience.sources.interface import NullProgress
from resilience.sources.merge import merge
from resilience.sources.references import check_references
from tests.aws.conftest import Faults, Overlay, apply_env, client_error, hooks
from tests.aws.seed import ACCOUNT, REGION, seed_estate
from tests.helpers import run_one


@pytest.fixture(scope="module")
def seeded():
    """One seeded moto for the module: collection is read-only, so tests cannot disturb it."""
    from moto import mock_aws

    with pytest.MonkeyPatch.context() as mp:
        apply_env(mp.setenv, lambda n: mp.delenv(n, raising=False))
        with mock_aws(config={"iam": {"load_aws_managed_policies": True}}):
            out = seed_estate(lambda svc, region: boto3.client(svc, region))
            boto3.client("ec2", "eu-west-1").run_instances(ImageId="ami-12c6146b", MinCount=1,
                                                           MaxCount=1)
            yield out


def _collect(hook, regions=(REGION,), attempts=1):
    from resilience.sources.aws import AwsSource

    settings = AwsSettings(regions=list(regions), max_attempts=attempts, connect_timeout=2,
                           read_timeout=5)
    estate = AwsSource(settings, TagKeys(), session_hook=hook).collect(NullProgress())
    merged = merge([estate])
    check_references(merged)
    return merged


def _shape(estate):
    return (sorted(s.id for s in estate.systems),
            sorted((b.id, b.frequency, b.retention, b.immutable) for b in estate.backups),
            sorted((a.id, a.mfa, a.privileged) for a in estate.accounts))


def test_throttling_and_server_errors_are_retried_to_the_same_result(seeded):
    clean = _collect(Overlay(seeded.answers).hook, attempts=3)
    faults = Faults(plan={"DescribeInstances": [400], "ListBackupVaults": [503],
                          "GetCredentialReport": [500], "DescribeTable": [503]})
    faulty = _collect(hooks(faults.hook, Overlay(seeded.answers).hook), attempts=3)
    assert sorted(op for op, _ in faults.injected) == [
        "DescribeInstances", "DescribeTable", "GetCredentialReport", "ListBackupVaults"]
    assert faulty.gaps == [] and clean.gaps == []
    assert _shape(faulty) == _shape(clean)


def test_access_denied_on_one_service_is_a_gap_and_checks_error(seeded):
    answers = dict(seeded.answers)
    denied = client_error("AccessDeniedException", 403, "not authorized to perform backup:List*")
    answers[("backup", "ListBackupPlans")] = denied
    answers[("backup", "ListBackupVaults")] = denied
    answers[("dlm", "GetLifecyclePolicies")] = {"Policies": []}
    estate = _collect(Overlay(answers).hook)
    assert [(g.scope, g.kinds, g.code) for g in estate.gaps] == [
        (f"aws:{ACCOUNT}:{REGION}:backup", [DataKind.BACKUPS], "AccessDeniedException")]
    assert "access denied" in estate.gaps[0].reason
    assert seeded.instance in estate.system_by_id  # the rest of the run went on
    findings = {f.asset_id: f for f in run_one("backup_system_has_copy", estate)}
    web = findings[seeded.instance]
    assert web.status == Status.ERROR and "access denied" in web.message
    # a system with a native copy is still judged on what was seen
    assert findings[seeded.db].status == Status.PASS
    assert findings[f"aws:{ACCOUNT}:{REGION}:backup"].status == Status.ERROR


def test_an_api_the_endpoint_lacks_is_a_gap_not_a_crash(seeded):
    estate = _collect(Overlay().hook)  # no overlay: moto's missing APIs answer for themselves
    dlm = [g for g in estate.gaps if g.service == "dlm"]
    assert dlm and dlm[0].code == "NotImplemented" and dlm[0].region == REGION
    assert "does not implement" in dlm[0].reason
    assert estate.systems  # the implemented services were still read


def test_a_failing_region_is_a_gap_and_the_others_are_read(seeded):
    faults = Faults(always=lambda op, region: 503 if region == "eu-west-1" else None)
    estate = _collect(hooks(faults.hook, Overlay(seeded.answers).hook),
                      regions=(REGION, "eu-west-1"), attempts=2)
    failed = {g.scope for g in estate.gaps}
    # (DLM is answered by the overlay before any request leaves, so it does not fail here)
    assert {f"aws:{ACCOUNT}:eu-west-1:{svc}" for svc in
            ("ec2", "rds", "dynamodb", "efs", "backup")} == failed
    assert all("server error" in g.reason for g in estate.gaps)
    assert seeded.instance in estate.system_by_id
    assert not any(s.region == "eu-west-1" for s in estate.systems)


class _Recorder:
    def __init__(self):
        self.tasks, self.advances, self.notes = {}, {}, []

    def task(self, description, total=None):
        self.tasks[len(self.tasks)] = (description, total)
        return len(self.tasks) - 1

    def advance(self, task_id, amount=1):
        self.advances[task_id] = self.advances.get(task_id, 0) + amount

    def note(self, message):
        self.notes.append(message)


def test_progress_counts_each_account_s_work_and_notes_gaps(seeded):
    from resilience.sources.aws import AwsSource

    answers = dict(seeded.answers)
    answers[("efs", "DescribeFileSystems")] = client_error("AccessDeniedException", 403)
    progress = _Recorder()
    settings = AwsSettings(regions=[REGION], max_attempts=1)
    AwsSource(settings, TagKeys(), session_hook=Overlay(answers).hook).collect(progress)
    (description, total), = progress.tasks.values()
    assert description == f"AWS account {ACCOUNT}"
    assert total == 2 + 7 and progress.advances == {0: total}  # IAM, S3, then 7 per region
    assert any(f"aws:{ACCOUNT}:{REGION}:efs" in n and "access denied" in n
               for n in progress.notes)


def test_a_denied_part_of_iam_is_a_narrow_gap(seeded):
    answers = dict(seeded.answers)
    answers[("iam", "GetAccountAuthorizationDetails")] = client_error("AccessDenied", 403)
    estate = _collect(Overlay(answers).hook)
    (gap,) = estate.gaps
    assert (gap.scope, gap.kinds) == (f"aws:{ACCOUNT}:global:iam", [DataKind.ACCOUNTS])
    assert "GetAccountAuthorizationDetails" in gap.reason
    people = {a.name: a for a in estate.accounts}
    assert people["alice.admin"].privileged is None  # unknown, not "not privileged"
    assert people["alice.admin"].mfa is False  # the credential report was still read
    assert estate.trust_domain_by_id[f"aws:{ACCOUNT}"].password_policy.min_length == 14


def test_one_unreadable_bucket_is_a_gap_and_its_neighbours_are_read(seeded):
    answers = dict(seeded.answers)

    def deny_one(params):
        if params.get("Bucket") == "council-documents":
            return client_error("AccessDenied", 403, "bucket policy denies")
        return None
    answers[("s3", "GetBucketReplication")] = deny_one
    estate = _collect(Overlay(answers).hook, regions=(REGION, "us-east-1"))
    (gap,) = estate.gaps
    assert gap.service == "s3" and "bucket council-documents" in gap.reason
    assert gap.region == REGION  # located first, so the gap covers only its region
    assert seeded.bucket not in estate.system_by_id  # not half-read
    assert seeded.replica_bucket in estate.system_by_id
    findings = {f.asset_id: f for f in run_one("backup_system_has_copy", estate)}
    assert findings[seeded.instance].status == Status.PASS  # other services unaffected
