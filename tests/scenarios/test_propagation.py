"""Which systems a scenario hits, and how loss spreads through dependencies to services."""

from __future__ import annotations

import pytest

from resilience.scenarios.interface import Recovery, ServiceStatus, SystemState
from tests.helpers import estate_from
from tests.scenarios.util import fixture_estate, run, scenario_from, statuses


def test_ransomware_shows_the_hackney_pattern():
    sim = run(fixture_estate(), "ransomware")
    got = statuses(sim)
    # Cloud email, website and telephony keep running.
    assert got["email"] == got["website"] == got["telephony"] == "running"
    # The on-prem line-of-business services go down.
    for sid in ("revenues-benefits", "social-care", "housing", "planning"):
        assert got[sid] != "running", sid
    # Those whose only backups were deletable with domain credentials cannot be restored.
    assert got["social-care"] == "down-unrecoverable"
    assert sim.system("mosaic-db").recovery is Recovery.NO_VIABLE_PATH
    assert sim.system("housing-app").recovery is Recovery.NO_VIABLE_PATH
    # ...while an immutable copy in another trust domain keeps revenues recoverable.
    assert got["revenues-benefits"] == "down-recoverable"
    assert sim.system("academy-db").copy_id == "academy-db-vault"


def test_default_directory_is_the_one_most_on_prem_systems_join():
    sim = run(fixture_estate(), "ransomware")
    assert sim.parameters == {"directory": "corp.example.gov.uk"}


def test_a_running_system_that_needs_a_lost_one_is_down_and_comes_back_after_it():
    estate = estate_from({"systems": [
        {"id": "ad", "name": "AD", "kind": "directory", "identity_domain": "corp",
         "backups": [{"id": "ad-off", "offline": True, "trust_domain": "corp"}]},
        {"id": "cloud-app", "name": "Cloud app", "hosting": "azure", "depends_on": ["ad"]},
    ], "services": [{"id": "svc", "name": "Service", "tier": 1, "systems": ["cloud-app"]}]})
    sim = run(estate, "ransomware", {"directory": "corp"})
    app = sim.system("cloud-app")
    assert app.state is SystemState.DEPENDENCY_DOWN
    assert app.recovery is Recovery.AFTER_DEPENDENCIES
    assert app.waits_for == ["ad"]
    assert [s.system for s in sim.restore_plan] == ["ad", "cloud-app"]
    assert sim.service("svc").status is ServiceStatus.DOWN_RECOVERABLE
    assert sim.service("svc").back_after == sim.restore_plan[0].finish


def test_loss_through_a_dependency_cycle_terminates_and_reaches_every_member():
    estate = estate_from({"systems": [
        {"id": "a", "name": "A", "identity_domain": "corp", "depends_on": ["b"]},
        {"id": "b", "name": "B", "hosting": "aws", "depends_on": ["c"]},
        {"id": "c", "name": "C", "hosting": "aws", "depends_on": ["b", "a"]},
    ]})
    sim = run(estate, "ransomware", {"directory": "corp"})
    assert sim.system("a").state is SystemState.DESTROYED
    assert sim.system("b").state is SystemState.DEPENDENCY_DOWN
    assert sim.system("c").state is SystemState.DEPENDENCY_DOWN
    assert ["a", "b", "c"] in sim.cycles


def test_unknown_directory_on_prem_is_assumed_joined_but_cloud_is_not():
    estate = estate_from({"systems": [
        {"id": "known", "name": "Known", "identity_domain": "corp"},
        {"id": "mystery", "name": "Mystery server"},
        {"id": "vm", "name": "Cloud VM", "hosting": "aws"},
    ]})
    sim = run(estate, "ransomware", {"directory": "corp"})
    assert sim.system("mystery").state is SystemState.DESTROYED
    assert sim.system("mystery").assumed
    assert "not recorded" in sim.system("mystery").reasons[0]
    assert sim.system("vm").state is SystemState.RUNNING
    assert any(g.code == "unknown-data" and g.subject == "mystery" for g in sim.gaps)


def test_failover_outside_the_lost_site_keeps_a_system_running():
    estate = estate_from({"systems": [
        {"id": "db", "name": "DB", "site": "dc1", "failover_site": "dc2"},
        {"id": "app", "name": "App", "site": "dc1"},
    ]})
    sim = run(estate, "site-loss", {"site": "dc1"})
    assert sim.system("db").state is SystemState.FAILED_OVER
    assert sim.system("app").state is SystemState.DESTROYED


def test_service_dependency_cycles_settle():
    estate = estate_from({
        "systems": [{"id": "s1", "name": "S1", "identity_domain": "corp"},
                    {"id": "s2", "name": "S2", "hosting": "saas"}],
        "services": [
            {"id": "x", "name": "X", "systems": ["s1"], "depends_on": ["y"]},
            {"id": "y", "name": "Y", "systems": ["s2"], "depends_on": ["x"]},
        ]})
    sim = run(estate, "ransomware", {"directory": "corp"})
    # y's own system runs; it is down because it needs x, with no known time, but its own data
    # is not lost, so it is not "unrecoverable" itself.
    assert statuses(sim) == {"x": "down-unrecoverable", "y": "down-recoverable"}
    y = sim.service("y")
    assert y.back_after is None and y.meets_rto is None
    assert "cannot be fully restored" in y.reasons[0]
    assert any("cycle between services" in w for w in sim.warnings)


def test_a_service_needing_a_waiting_service_waits_and_times_follow_the_dependency():
    estate = estate_from({
        "suppliers": [{"id": "phoneco", "name": "PhoneCo"}],
        "systems": [{"id": "phones", "name": "Phones", "hosting": "saas", "supplier": "phoneco"},
                    {"id": "app", "name": "App", "hosting": "aws"}],
        "services": [{"id": "tel", "name": "Telephony", "systems": ["phones"]},
                     {"id": "repairs", "name": "Repairs", "systems": ["app"],
                      "depends_on": ["tel"]}]})
    sim = run(estate, "supplier-outage", {"supplier": "phoneco"})
    assert statuses(sim) == {"tel": "down-waiting", "repairs": "down-waiting"}
    assert sim.service("repairs").back_after is None


def test_supplier_outage_waits_and_a_fallback_is_running_degraded():
    estate = estate_from({
        "suppliers": [{"id": "msp", "name": "MSP"}],
        "systems": [{"id": "crm", "name": "CRM", "hosting": "saas", "kind": "saas",
                     "supplier": "msp"}],
        "services": [{"id": "contact", "name": "Contact", "tier": 1, "systems": ["crm"],
                      "manual_fallback": {"description": "Paper call sheets"}}]})
    sim = run(estate, "supplier-outage")
    svc = sim.service("contact")
    assert sim.parameters == {"supplier": "msp"}
    assert svc.status is ServiceStatus.DOWN_WAITING
    assert svc.on_fallback and svc.fallback == "Paper call sheets"
    assert svc.meets_rto is False
    assert any(g.code == "single-supplier" for g in sim.gaps)


def test_a_system_that_needs_one_with_no_path_is_blocked():
    estate = estate_from({"systems": [
        {"id": "store", "name": "Store", "kind": "database", "identity_domain": "corp"},
        {"id": "app", "name": "App", "kind": "application", "identity_domain": "corp",
         "depends_on": ["store"],
         "backups": [{"id": "app-vault", "immutable": True, "trust_domain": "vault"}]},
    ]})
    sim = run(estate, "ransomware", {"directory": "corp"})
    assert sim.system("store").recovery is Recovery.NO_VIABLE_PATH
    assert sim.system("app").recovery is Recovery.BLOCKED
    assert sim.system("app").blocked_by == ["store"]
    assert sim.restore_plan == []


REBUILD_CASES = [
    # kind, hosting, copies, rebuild_documented -> recovery
    ("server", "onprem", [{"id": "c", "trust_domain": "corp"}], None, "rebuild"),
    ("network", "onprem", [], False, "rebuild"),
    ("directory", "onprem", [], None, "rebuild"),
    ("storage", "onprem", [], None, "rebuild"),
    ("storage", "azure", [], None, "no-viable-path"),
    ("database", "onprem", [{"id": "c", "trust_domain": "corp"}], True, "no-viable-path"),
    ("database", "onprem", [], True, "rebuild"),
    ("application", "onprem", [], None, "no-viable-path"),
    ("application", "onprem", [{"id": "c", "trust_domain": "corp"}], True, "rebuild"),
    ("application", "onprem", [{"id": "c", "trust_domain": "corp"}], None, "no-viable-path"),
]


@pytest.mark.parametrize(("kind", "hosting", "copies", "documented", "expected"), REBUILD_CASES)
def test_what_can_be_rebuilt_without_a_surviving_copy(kind, hosting, copies, documented,
                                                     expected):
    system = {"id": "s", "name": "S", "kind": kind, "hosting": hosting,
              "identity_domain": "corp", "backups": copies}
    if documented is not None:
        system["rebuild_documented"] = documented
    sim = run(estate_from({"systems": [system]}), "ransomware", {"directory": "corp"})
    assert sim.system("s").recovery.value == expected
    codes = {g.code.value for g in sim.gaps}
    if expected == "rebuild" and documented is not True:
        assert "no-rebuild" in codes
    if expected == "rebuild" and copies:
        assert "same-trust-domain" in codes


def test_user_rules_can_hit_services_directly():
    scenario = scenario_from({
        "id": "payments-down", "title": "Payments down", "summary": "The card processor fails.",
        "lessons": ["travelex-2019"],
        "services": [{"when": {"id": "pay"}, "because": "the processor is down"}],
    })
    estate = estate_from({"services": [{"id": "pay", "name": "Payments"},
                                       {"id": "other", "name": "Other"}]})
    sim = run(estate, scenario)
    assert statuses(sim) == {"pay": "down-waiting", "other": "running"}
    assert sim.service("pay").reasons == ["the processor is down"]


def test_identity_compromise_assumes_unrecorded_on_prem_systems_trust_it():
    estate = estate_from({"systems": [
        {"id": "known", "name": "Known", "identity_domain": "corp"},
        {"id": "mystery", "name": "Mystery server"},
        {"id": "saas", "name": "SaaS", "hosting": "saas", "kind": "saas"},
    ]})
    sim = run(estate, "identity-compromise", {"domain": "corp"})
    assert sim.system("known").state is SystemState.DESTROYED
    assert sim.system("mystery").state is SystemState.DESTROYED and sim.system("mystery").assumed
    assert sim.system("saas").state is SystemState.RUNNING
