"""Which backup copies survive each scenario, and the reasons given."""

from __future__ import annotations

import pytest

from resilience.scenarios.interface import CopyOutcome
from resilience.scenarios.survival import best_copy
from tests.helpers import estate_from
from tests.scenarios.util import run


def _estate(copies: list[dict], **system) -> object:
    base = {"id": "db", "name": "DB", "kind": "database", "identity_domain": "corp",
            "site": "dc1", "backups": copies}
    base.update(system)
    return estate_from({"systems": [base]})


def _copies(sim) -> dict[str, CopyOutcome]:
    return {c.id: c for c in sim.system("db").copies}


RANSOMWARE_CASES = [
    ({"id": "c", "trust_domain": "corp"}, False, "same-trust-domain"),
    ({"id": "c", "trust_domain": "corp", "immutable": True}, True, "immutable"),
    ({"id": "c", "trust_domain": "corp", "offline": True}, True, "offline"),
    ({"id": "c", "trust_domain": "vault"}, True, "other-trust-domain"),
    ({"id": "c"}, False, "same-trust-domain"),  # unknown: assumed deletable
    ({"id": "c", "trust_domain": "corp", "immutable": False, "offline": False}, False,
     "same-trust-domain"),
]


@pytest.mark.parametrize(("copy", "survives", "code"), RANSOMWARE_CASES)
def test_ransomware_survival(copy, survives, code):
    got = _copies(run(_estate([copy]), "ransomware", {"directory": "corp"}))["c"]
    assert (got.survives, got.code) == (survives, code), got.reason


def test_unknown_trust_domain_is_assumed_reachable_and_says_so():
    got = _copies(run(_estate([{"id": "c"}]), "ransomware", {"directory": "corp"}))["c"]
    assert got.assumed
    assert "not recorded: assumed reachable" in got.reason


def test_fire_destroys_immutable_copies_on_the_same_site_but_not_offsite_ones():
    estate = _estate([
        {"id": "local-locked", "immutable": True},              # inherits the system's site
        {"id": "offsite", "offsite": True},                      # somewhere else, not recorded
        {"id": "dr", "site": "dc2"},
    ])
    got = _copies(run(estate, "site-loss", {"site": "dc1"}))
    assert not got["local-locked"].survives and got["local-locked"].code == "same-site"
    assert got["offsite"].survives
    assert got["dr"].survives and got["dr"].code == "other-site"


def test_cloud_account_compromise_spares_locked_and_other_account_copies():
    estate = _estate([
        {"id": "snap", "kind": "snapshot"},
        {"id": "locked", "immutable": True},
        {"id": "other", "account": "999"},
        {"id": "approval", "deletion_approval": True},
    ], hosting="aws", account="111", region="eu-west-2", identity_domain=None, site=None)
    sim = run(estate, "cloud-account-compromise", {"account": "111"})
    got = _copies(sim)
    assert not got["snap"].survives and got["snap"].code == "same-account"
    assert got["locked"].survives and got["other"].survives and got["approval"].survives
    assert sim.system("db").copy_id in {"locked", "other", "approval"}


def test_identity_compromise_distrusts_even_offline_copies_in_the_domain():
    estate = _estate([{"id": "tape", "offline": True, "trust_domain": "corp"},
                      {"id": "vault", "trust_domain": "vault"}])
    got = _copies(run(estate, "identity-compromise", {"domain": "corp"}))
    assert not got["tape"].survives
    assert got["vault"].survives


def test_region_outage_uses_a_cross_region_copy():
    estate = _estate([{"id": "same", "region": "eu-west-2"},
                      {"id": "cross", "region": "eu-west-1"}],
                     hosting="aws", account="111", region="eu-west-2", identity_domain=None,
                     site=None)
    sim = run(estate, "region-outage", {"region": "eu-west-2"})
    got = _copies(sim)
    assert not got["same"].survives and got["cross"].survives
    assert sim.system("db").copy_id == "cross"


def _co(id_, **kw):
    return CopyOutcome(id=id_, system="s", survives=kw.pop("survives", True), reason="r",
                       code="x", where="w", **kw)


def test_best_copy_prefers_a_passed_restore_test_then_the_newest():
    tested = _co("tested", restore_test_passed=True, last_success="2026-01-01")
    newer = _co("newer", last_success="2026-10-01")
    failed = _co("failed", restore_test_passed=False, last_success="2026-10-30")
    dead = _co("dead", survives=False, restore_test_passed=True)
    assert best_copy([newer, failed, tested, dead]).id == "tested"
    assert best_copy([failed, newer]).id == "newer"
    assert best_copy([dead]) is None
