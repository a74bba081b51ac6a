"""Cloud tags map to tiers, services and owners by one rule for AWS and Azure alike."""

from __future__ import annotations

import pytest

from resilience.config import TagKeys
from resilience.sources.tags import business, parse_tier, service_ids


@pytest.mark.parametrize("value,tier", [
    ("1", 1), ("tier1", 1), ("Tier 2", 2), ("t3", 3), ("T-1", 1), (" 2 ", 2),
    ("critical", None), ("12", None), ("0", None), ("", None), (None, None),
])
def test_tier_values(value, tier):
    assert parse_tier(value) == tier


def test_service_ids_join_on_prem_ids():
    assert service_ids("Revenues and Benefits") == ["revenues-and-benefits"]
    assert service_ids("housing; Planning ,housing") == ["housing", "planning"]
    assert service_ids(None) == [] and service_ids(" , ") == []


def test_business_uses_the_configured_keys():
    keys = TagKeys(tier="bc:tier", service="bc:service", owner="bc:owner")
    tags = {"bc:tier": "Tier 1", "bc:service": "Social Care", "bc:owner": " ops "}
    assert business(tags, keys) == (1, ["social-care"], "ops")
    assert business({"resilience:tier": "1"}, keys) == (None, [], None)
