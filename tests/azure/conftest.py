"""Fixtures: the fake ARM over HTTPS, a fake credential, and a source pointed at them."""

from __future__ import annotations

import pytest

from resilience.config import AzureSettings, TagKeys
from tests.azure.estate_data import seed
from tests.azure.fake_arm import FakeArm, FakeCredential


@pytest.fixture
def fake(tmp_path):
    arm = FakeArm(seed(), page_size=3).start(str(tmp_path))
    yield arm
    arm.stop()


def make_source(fake: FakeArm, **settings):
    from resilience.sources.azure import AzureSource

    cfg = AzureSettings(cloud="custom", arm_endpoint=fake.base_url,
                        authority_host=fake.base_url, **settings)
    # Fast retries for tests; Retry-After from the fake is still honoured as sent.
    options = {"connection_verify": fake.ca_path, "retry_backoff_factor": 0.01,
               "retry_total": 3}
    return AzureSource(cfg, TagKeys(), credential=FakeCredential(), transport_options=options)


@pytest.fixture
def collect(fake):
    from resilience.sources.interface import NullProgress

    def run(**settings):
        return make_source(fake, **settings).collect(NullProgress())

    return run
