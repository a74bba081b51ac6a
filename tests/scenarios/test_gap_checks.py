"""The gap-to-check mapping is complete and points only at checks that exist."""

from __future__ import annotations

from resilience.engine.registry import load_catalogue
from resilience.scenarios.gaps import COPY_CODE_GAP, GAP_CHECKS
from resilience.scenarios.interface import GapCode
from resilience.scenarios.survival import _lost_code


def test_every_gap_code_is_mapped():
    assert set(GAP_CHECKS) == set(GapCode)


def test_every_mapped_check_exists_in_the_catalogue():
    catalogue = load_catalogue()
    for code, check_ids in GAP_CHECKS.items():
        for check_id in check_ids:
            assert check_id in catalogue.checks, (code, check_id)


def test_every_gap_links_to_at_least_one_check():
    # Without a link the playbook would list a gap with no way to find it before an incident.
    assert all(GAP_CHECKS.values()), [c for c, ids in GAP_CHECKS.items() if not ids]


def test_every_lost_copy_code_maps_to_a_gap():
    for field in ("trust_domain", "site", "region", "account", "system", "tool", "kind", "id"):
        assert _lost_code(field) in COPY_CODE_GAP
