"""AWS fault injection over a whole collection and the whole catalogue.

Random throttling and 5xx on a fifth of the calls are absorbed by retries: same estate, same
findings. A service that times out and a region that is not enabled each become a gap whose
results are ``error``; a fault never turns a result into ``pass``, and the rest of the estate is
checked as in a clean run. (tests/aws/test_faults.py covers single planned faults.)
"""

from __future__ import annotations

import json
import random
import threading

import pytest
from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError

from resilience.engine.registry import load_catalogue
from resilience.engine.run import run_checks
from resilience.model import Status
from resilience.policy import default_policy
from tests.aws.conftest import Overlay, _Raw, hooks, region_of
from tests.aws.seed import ACCOUNT, REGION
from tests.aws.test_faults import _collect, _shape, seeded  # noqa: F401 - seeded is a fixture
from tests.helpers import AS_OF

pytestmark = pytest.mark.slow
OTHER = "eu-west-1"  # the fixture seeds one instance there too
REGIONAL = ("ec2", "rds", "dynamodb", "efs", "backup")


def _findings(estate) -> dict[tuple[str, str], Status]:
    report = run_checks(estate, default_policy(), load_catalogue(), now=AS_OF,
                        include_passes=True)
    return {(f.check_id, f.asset_id): f.status for f in report.findings}


@pytest.fixture(scope="module")
def clean(seeded):  # noqa: F811 - the imported fixture
    estate = _collect(Overlay(seeded.answers).hook, regions=(REGION, OTHER), attempts=1)
    assert estate.gaps == []
    return estate, _findings(estate)


def _assert_fails_closed(clean_findings, faulty_findings, gap_scopes: set[str]) -> None:
    """A fault may only turn a result into ``error``; what it hid is ``error``, never ``pass``."""
    for key, status in faulty_findings.items():
        if key in clean_findings:
            assert status in (clean_findings[key], Status.ERROR), (key, clean_findings[key], status)
        else:
            assert key[1] in gap_scopes and status == Status.ERROR, (key, status)
    assert any(key[1] in gap_scopes for key in faulty_findings)


def test_random_throttling_and_5xx_on_a_fifth_of_calls_change_nothing(seeded, clean):  # noqa: F811
    rnd, lock = random.Random(20), threading.Lock()
    injected: list[int] = []
    answers = [(400, "ThrottlingException"), (429, "TooManyRequestsException"),
               (500, "InternalFailure"), (502, "BadGateway"), (503, "ServiceUnavailable")]

    def flaky(session) -> None:
        def send(request, event_name, **kwargs):
            with lock:
                if rnd.random() >= 0.2:
                    return None
                status, code = rnd.choice(answers)
                injected.append(status)
            return _error(request, event_name, status, code, "injected")

        session.events.register_first("before-send", send)

    estate = _collect(hooks(flaky, Overlay(seeded.answers).hook),
                      regions=(REGION, OTHER), attempts=10)
    assert len(injected) >= 5, injected  # the faults really happened
    assert set(injected) & {400, 429} and set(injected) & {500, 502, 503}
    assert estate.gaps == []
    assert _shape(estate) == _shape(clean[0])
    assert _findings(estate) == clean[1]


class _Raises:
    """Raise a timeout for every call to one service, at the HTTP layer (so retries apply)."""

    def __init__(self, service: str, error: type[Exception]):
        self.service, self.error, self.count = service, error, 0

    def hook(self, session) -> None:
        def send(request, event_name, **kwargs):
            if event_name.split(".")[1] == self.service:
                self.count += 1
                raise self.error(endpoint_url=request.url)
            return None

        session.events.register_first("before-send", send)


@pytest.mark.parametrize("service,error", [("rds", ReadTimeoutError),
                                           ("dynamodb", ConnectTimeoutError)])
def test_a_service_that_times_out_is_a_gap_with_error_results(seeded, clean, service, error):  # noqa: F811
    timeouts = _Raises(service, error)
    estate = _collect(hooks(timeouts.hook, Overlay(seeded.answers).hook), regions=(REGION, OTHER),
                      attempts=2)
    assert timeouts.count >= 2  # retried before giving up
    scopes = {g.scope: g for g in estate.gaps}
    assert set(scopes) == {f"aws:{ACCOUNT}:{region}:{service}" for region in (REGION, OTHER)}
    assert all(g.code == "Timeout" and "timed out" in g.reason for g in scopes.values())
    hidden = seeded.db if service == "rds" else seeded.table
    assert hidden not in estate.system_by_id
    for kept in {seeded.instance, seeded.bucket, seeded.efs, seeded.db, seeded.table} - {hidden}:
        assert kept in estate.system_by_id  # the rest of the estate was read
    faulty = _findings(estate)
    _assert_fails_closed(clean[1], faulty, set(scopes))
    # identity is unaffected by a storage service timing out: judged exactly as before
    identity = {k: v for k, v in clean[1].items() if k[1].startswith(f"arn:aws:iam::{ACCOUNT}")}
    assert identity and all(faulty[k] == v for k, v in identity.items())


def _error(request, event_name: str, status: int, code: str, message: str):
    """An error answer in the service's own protocol, so botocore parses its code."""
    from botocore.awsrequest import AWSResponse

    service = event_name.split(".")[1]
    if service in ("dynamodb", "backup", "efs", "dlm"):
        body = json.dumps({"__type": code, "message": message}).encode()
        headers = {"content-type": "application/x-amz-json-1.0", "x-amzn-errortype": code}
    elif service == "ec2":
        body = (f"<Response><Errors><Error><Code>{code}</Code><Message>{message}"
                f"</Message></Error></Errors></Response>").encode()
        headers = {"content-type": "text/xml"}
    else:
        body = (f"<ErrorResponse><Error><Code>{code}</Code><Message>{message}"
                f"</Message></Error></ErrorResponse>").encode()
        headers = {"content-type": "text/xml"}
    return AWSResponse(request.url, status, headers, _Raw(body))


class _RegionDisabled:
    """Answer every call in ``region`` with the error AWS gives for a region not enabled."""

    def __init__(self, region: str, code: str, status: int):
        self.region, self.code, self.status, self.count = region, code, status, 0

    def hook(self, session) -> None:
        def send(request, event_name, **kwargs):
            if region_of(request.url) != self.region:
                return None
            self.count += 1
            return _error(request, event_name, self.status, self.code,
                          "The security token included in the request is invalid.")

        session.events.register_first("before-send", send)


@pytest.mark.parametrize("code,status", [("UnrecognizedClientException", 400),
                                         ("AuthFailure", 401), ("OptInRequired", 403),
                                         ("InvalidClientTokenId", 403)])
def test_a_region_not_enabled_is_a_gap_with_error_results(seeded, clean, code, status):  # noqa: F811
    disabled = _RegionDisabled(OTHER, code, status)
    estate = _collect(hooks(disabled.hook, Overlay(seeded.answers).hook), regions=(REGION, OTHER),
                      attempts=2)
    assert disabled.count > 0
    scopes = {g.scope: g for g in estate.gaps}
    assert set(scopes) == {f"aws:{ACCOUNT}:{OTHER}:{svc}" for svc in REGIONAL}
    for gap in scopes.values():
        assert gap.region == OTHER and gap.code == code
        assert "region is not enabled" in gap.reason
    assert not any(s.region == OTHER for s in estate.systems)
    assert {seeded.instance, seeded.db, seeded.table, seeded.bucket} <= set(estate.system_by_id)
    faulty = _findings(estate)
    _assert_fails_closed(clean[1], faulty, set(scopes))
    # the enabled region's systems are still judged: every one of their results is there, and
    # only those a copy in the lost region could change (cross-region, cross-account) are error
    kept = {k: v for k, v in clean[1].items() if k[1] in (seeded.db, seeded.table, seeded.bucket)}
    assert kept and set(kept) <= set(faulty)
    same = [k for k, v in kept.items() if faulty[k] == v and v in (Status.PASS, Status.FAIL)]
    assert {asset for _, asset in same} == {seeded.db, seeded.table, seeded.bucket}
    assert ("backup_database_deletion_protection", seeded.db) in same
