"""Azure fault injection over a whole collection and the whole catalogue, against the fake ARM.

Random 429s (with ``Retry-After: 0``) and 5xx on a fifth of all requests, Resource Graph
queries included, are absorbed by retries: same estate, same findings. A forbidden subscription
fails closed across the catalogue: its results turn into ``error``, never ``pass``, and the
other subscription is judged as in a clean run. (tests/azure/test_faults.py covers single
planned faults.)
"""

from __future__ import annotations

import random
import threading

import pytest

from resilience.config import AzureSettings, TagKeys
from resilience.engine.registry import load_catalogue
from resilience.engine.run import run_checks
from resilience.model import Status
from resilience.policy import default_policy
from resilience.sources.interface import NullProgress
from resilience.sources.merge import merge
from tests.azure.estate_data import DEV, PROD, VM_APP1, seed
from tests.azure.fake_arm import FakeArm, FakeCredential
from tests.helpers import AS_OF

pytestmark = pytest.mark.slow
FAULTS = [(429, "TooManyRequests", {"Retry-After": "0"}), (500, "InternalServerError", {}),
          (502, "BadGateway", {}), (503, "ServiceUnavailable", {"Retry-After": "0"}),
          (504, "GatewayTimeout", {})]


@pytest.fixture(scope="module")
def fake(tmp_path_factory):
    arm = FakeArm(seed(), page_size=3).start(str(tmp_path_factory.mktemp("arm")))
    yield arm
    arm.stop()


def _collect(fake: FakeArm):
    from resilience.sources.azure import AzureSource

    settings = AzureSettings(cloud="custom", arm_endpoint=fake.base_url,
                             authority_host=fake.base_url)
    # A fifth of requests fail: ten attempts make a lost request about one in ten million.
    options = {"connection_verify": fake.ca_path, "retry_backoff_factor": 0.01,
               "retry_total": 10, "retry_status": 10}
    source = AzureSource(settings, TagKeys(), credential=FakeCredential(),
                         transport_options=options)
    return merge([source.collect(NullProgress())])


def _findings(estate) -> dict[tuple[str, str], Status]:
    report = run_checks(estate, default_policy(), load_catalogue(), now=AS_OF,
                        include_passes=True)
    return {(f.check_id, f.asset_id): f.status for f in report.findings}


def _shape(estate):
    return (sorted(s.model_dump_json() for s in estate.systems),
            sorted(b.model_dump_json() for b in estate.backups))


@pytest.fixture(scope="module")
def clean(fake):
    estate = _collect(fake)
    assert estate.gaps == [] and VM_APP1 in estate.system_by_id
    return estate, _findings(estate)


def test_random_429_and_5xx_on_a_fifth_of_requests_change_nothing(fake, clean):
    rnd, lock = random.Random(20), threading.Lock()
    injected: list[tuple[str, int]] = []
    answer = fake._answer

    posts_seen = [0]

    def flaky(method, path, query, raw, record):
        with lock:
            # Which requests are hit depends on thread timing, so the first Resource Graph
            # query is always throttled once: the POST retry path is exercised on every run.
            first_post = method == "POST" and posts_seen[0] == 0
            posts_seen[0] += method == "POST"
            hit = first_post or rnd.random() < 0.2
            status, code, headers = FAULTS[0] if first_post else rnd.choice(FAULTS)
            if hit:
                injected.append((method, status))
        if hit:
            return status, fake._error(code, "injected"), headers
        return answer(method, path, query, raw, record)

    fake._answer = flaky
    try:
        estate = _collect(fake)
    finally:
        fake._answer = answer
    assert len(injected) >= 5 and {s for _, s in injected} & {429}, injected
    assert any(m == "POST" for m, _ in injected)  # Resource Graph queries were hit too
    assert estate.gaps == []
    assert _shape(estate) == _shape(clean[0])
    assert _findings(estate) == clean[1]


def test_forbidden_subscription_fails_closed_across_the_catalogue(fake, clean):
    fake.forbidden = {DEV.lower()}
    try:
        estate = _collect(fake)
    finally:
        fake.forbidden = set()
    scopes = {g.scope for g in estate.gaps}
    assert scopes and all(s.startswith(f"azure:{DEV}:") for s in scopes)
    faulty = _findings(estate)
    for key, status in faulty.items():
        if key in clean[1]:
            assert status in (clean[1][key], Status.ERROR), (key, clean[1][key], status)
        else:
            assert key[1] in scopes and status == Status.ERROR, (key, status)
    assert not any(k[1].lower().startswith(f"/subscriptions/{DEV}".lower()) for k in faulty)
    # the other subscription is still judged: its systems keep their pass and fail results
    prod = {k: v for k, v in clean[1].items()
            if k[1].lower().startswith(f"/subscriptions/{PROD}".lower())}
    same = [k for k, v in prod.items() if faulty.get(k) == v and v in (Status.PASS, Status.FAIL)]
    assert prod and VM_APP1 in {asset for _, asset in same}
