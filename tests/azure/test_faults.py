"""Faults: forbidden subscriptions become gaps, throttling and 5xx are retried, nothing writes."""

from __future__ import annotations

import time

import pytest

from resilience.engine.registry import load_catalogue
from resilience.engine.run import run_checks
from resilience.model import DataKind, Status
from resilience.policy import default_policy
from resilience.sources.merge import merge
from tests.azure.estate_data import DEV, PROD, VM_APP1, VM_DEV
from tests.azure.fake_arm import Fault


def test_forbidden_subscription_is_a_gap_and_checks_report_error(fake, collect):
    fake.forbidden = {DEV.lower()}
    estate = merge([collect()])
    scopes = {g.scope: g for g in estate.gaps}
    assert set(scopes) == {f"azure:{DEV}:recoveryservices", f"azure:{DEV}:dataprotection",
                           f"azure:{DEV}:resources"}
    for gap in scopes.values():
        assert gap.account == DEV and "403" in gap.reason
    assert scopes[f"azure:{DEV}:recoveryservices"].kinds == [DataKind.BACKUPS]
    assert scopes[f"azure:{DEV}:resources"].kinds == [DataKind.SYSTEMS]
    # The run went on: the other subscription was collected in full.
    assert VM_APP1 in estate.system_by_id and VM_DEV not in estate.system_by_id
    report = run_checks(estate, default_policy(), load_catalogue(()))
    errors = [f for f in report.findings if f.check_id == "backup_system_has_copy"
              and f.status == Status.ERROR]
    assert {f.asset_id for f in errors} >= {f"azure:{DEV}:recoveryservices"}
    assert not report.summary.complete


def test_forbidden_subscription_with_arm_listing(fake, collect):
    fake.forbidden = {DEV.lower()}
    estate = collect(resource_graph=False)
    gap = next(g for g in estate.gaps if g.scope == f"azure:{DEV}:resources")
    assert set(gap.kinds) == {DataKind.SYSTEMS, DataKind.BACKUPS}
    assert gap.code == "AuthorizationFailed"


def test_429_with_retry_after_is_retried(fake, collect):
    path = rf"^/subscriptions/{PROD}/providers/Microsoft\.RecoveryServices/vaults$"
    fake.faults.append(Fault("GET", path, 429, times=1, headers={"Retry-After": "1"}))
    started = time.monotonic()
    estate = collect()
    assert time.monotonic() - started >= 1.0       # waited as told
    assert fake.count(path) == 2
    assert estate.gaps == [] and estate.backups_by_system.get(VM_APP1)


@pytest.mark.parametrize("status", [500, 503])
def test_5xx_is_retried(fake, collect, status):
    path = r"/backupProtectedItems$"
    fake.faults.append(Fault("GET", path, status, times=2))
    estate = collect()
    assert estate.gaps == [] and estate.backups_by_system.get(VM_APP1)
    assert [r["status"] for r in fake.arm_requests() if r["path"].endswith("backupProtectedItems")
            ].count(status) == 2


def test_graph_5xx_is_retried(fake, collect):
    fake.faults.append(Fault("POST", r"ResourceGraph", 503, times=1))
    estate = collect()
    # Two resource chains and the resource-group query, one of them answered 503 then retried.
    assert fake.count("ResourceGraph", "POST") == 4 and VM_APP1 in estate.system_by_id
    assert fake.count(rf"^/subscriptions/{PROD}/resources$") == 0


def test_persistent_failure_becomes_a_gap_after_retries(fake, collect):
    fake.faults.append(Fault("GET", r"/backupProtectedItems$", 500, times=100))
    estate = collect()
    scopes = {g.scope for g in estate.gaps}
    assert scopes == {f"azure:{PROD}:recoveryservices", f"azure:{DEV}:recoveryservices"}
    assert all("rsv-" in g.reason and "500" in g.reason for g in estate.gaps)


def test_graph_quota_headers_make_queries_wait(fake, collect):
    fake.graph_page_size = 2
    fake.graph_quota = (3, 1.0)      # 3 queries a second; more would be a 429
    source_started = time.monotonic()
    estate = collect()
    assert time.monotonic() - source_started >= 1.0
    statuses = [r["status"] for r in fake.arm_requests() if r["method"] == "POST"]
    assert statuses.count(429) == 0 and len(statuses) == 8
    assert VM_APP1 in estate.system_by_id


def test_unregistered_provider_is_not_registered_by_us(fake, collect):
    path = rf"^/subscriptions/{DEV}/providers/Microsoft\.DataProtection/backupVaults$"
    fake.faults.append(Fault(
        "GET", path, 409, times=1, code="MissingSubscriptionRegistration",
        message="The subscription is not registered to use namespace "
                "'Microsoft.DataProtection'. See https://aka.ms/rps-not-found"))
    estate = collect()
    assert all(r["method"] in ("GET", "POST") for r in fake.requests)
    assert not any(r["path"].endswith("/register") for r in fake.requests)
    assert estate.gaps == []        # an unregistered provider has no vaults to miss


def test_no_credential_is_a_source_error_not_a_traceback(fake):
    from azure.core.exceptions import ClientAuthenticationError

    from resilience.errors import SourceError
    from resilience.sources.interface import NullProgress
    from tests.azure.conftest import make_source

    class NoCredential:
        def get_token(self, *scopes, **kwargs):
            raise ClientAuthenticationError("DefaultAzureCredential failed to retrieve a token")

    source = make_source(fake)
    source._credential = NoCredential()
    with pytest.raises(SourceError, match="could not sign in"):
        source.collect(NullProgress())
    assert fake.arm_requests() == []


def test_writes_are_refused_before_they_leave(fake):
    from azure.core.rest import HttpRequest

    from resilience.config import AzureSettings
    from resilience.sources.azure.cloud import ClientFactory, resolve_cloud
    from resilience.sources.azure.http_policies import CollectorPolicy, ReadOnlyViolation
    from tests.azure.fake_arm import FakeCredential

    cloud = resolve_cloud(AzureSettings(cloud="custom", arm_endpoint=fake.base_url,
                                        authority_host=fake.base_url))
    factory = ClientFactory(FakeCredential(), cloud, CollectorPolicy(),
                            {"connection_verify": fake.ca_path, "retry_total": 0})
    client = factory.resources(PROD)
    with pytest.raises(ReadOnlyViolation):
        client.send_request(HttpRequest(
            "PUT", f"/subscriptions/{PROD}/resourcegroups/rg-new?api-version=2025-04-01",
            json={"location": "uksouth"}))
    assert fake.requests == []


def test_no_visible_subscription_is_a_gap(fake, collect):
    fake.data.subscriptions = []
    estate = collect()
    (gap,) = estate.gaps
    assert gap.scope == "azure:*:subscription" and gap.code == "NoSubscriptions"
    assert estate.systems == [] and fake.count("ResourceGraph", "POST") == 0
