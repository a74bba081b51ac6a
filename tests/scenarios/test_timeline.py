"""Timelines: measured restore times where a restore test exists, configurable estimates
otherwise, scheduled over restore teams and judged against each service's RTO."""

from __future__ import annotations

from datetime import timedelta

from resilience.durations import parse_duration as d
from tests.helpers import estate_from
from tests.scenarios.util import run


def _estate(**copy):
    backup = {"id": "db-vault", "immutable": True, "trust_domain": "vault", **copy}
    return estate_from({
        "systems": [{"id": "db", "name": "DB", "kind": "database", "identity_domain": "corp",
                     "backups": [backup]}],
        "services": [{"id": "svc", "name": "Service", "tier": 1, "systems": ["db"]}],
    })


def test_measured_restore_time_is_used_and_labelled():
    sim = run(_estate(restore_test_duration="3h", restore_test_passed=True), "ransomware",
              {"directory": "corp"})
    step = sim.restore_plan[0]
    assert step.duration == d("3h") and step.duration_source == "measured"
    assert "restore test of copy db-vault" in step.duration_basis
    assert not [g for g in sim.gaps if g.code == "untested-restore"]


def test_without_a_test_the_kind_estimate_is_used_and_labelled():
    sim = run(_estate(), "ransomware", {"directory": "corp"})
    step = sim.restore_plan[0]
    assert step.duration == d("8h") and step.duration_source == "estimated"
    assert "planning estimate" in step.duration_basis
    assert [g.subject for g in sim.gaps if g.code == "untested-restore"] == ["db"]


def test_a_failed_restore_test_is_not_a_measurement():
    sim = run(_estate(restore_test_duration="1h", restore_test_passed=False), "ransomware",
              {"directory": "corp"})
    step = sim.restore_plan[0]
    assert step.duration_source == "estimated"
    assert "last restore test failed" in step.duration_basis


def test_estimates_and_mobilisation_are_configurable():
    sim = run(_estate(), "ransomware", {"directory": "corp"},
              estimates={"database": "2h"}, mobilisation="6h")
    step = sim.restore_plan[0]
    assert (step.start, step.finish) == (d("6h"), d("8h"))
    assert sim.service("svc").back_after == d("8h")


def test_rto_from_the_tier_is_met_or_missed_with_the_lateness():
    on_time = run(_estate(), "ransomware", {"directory": "corp"})  # 24h + 8h against 72h
    svc = on_time.service("svc")
    assert svc.rto == d("72h") and svc.rto_source.startswith("tier 1")
    assert svc.meets_rto is True and svc.late_by is None
    late = run(_estate(), "ransomware", {"directory": "corp"}, mobilisation="70h")
    svc = late.service("svc")
    assert svc.meets_rto is False and svc.late_by == d("6h")
    assert any(g.code == "rto-missed" for g in late.gaps)


def test_a_service_rto_overrides_its_tier():
    estate = _estate()
    estate.services[0].rto = timedelta(hours=12)
    sim = run(estate, "ransomware", {"directory": "corp"})
    svc = sim.service("svc")
    assert svc.rto_source == "service" and svc.meets_rto is False


def _many(n: int):
    return estate_from({"systems": [
        {"id": f"s{i}", "name": f"S{i}", "identity_domain": "corp",
         "backups": [{"id": f"b{i}", "offline": True, "trust_domain": "corp"}]}
        for i in range(n)]})


def test_parallel_restore_teams_share_the_work():
    one = run(_many(4), "ransomware", {"directory": "corp"})
    two = run(_many(4), "ransomware", {"directory": "corp"}, parallel_streams=2)
    assert max(s.finish for s in one.restore_plan) == d("24h") + 4 * d("8h")
    assert max(s.finish for s in two.restore_plan) == d("24h") + 2 * d("8h")


def test_unrecoverable_service_has_no_time_and_cannot_meet_its_rto():
    estate = estate_from({
        "systems": [{"id": "db", "name": "DB", "identity_domain": "corp",
                     "backups": [{"id": "b", "trust_domain": "corp"}]}],
        "services": [{"id": "svc", "name": "Service", "tier": 2, "systems": ["db"]}]})
    svc = run(estate, "ransomware", {"directory": "corp"}).service("svc")
    assert svc.back_after is None and svc.meets_rto is False and svc.late_by is None


def test_a_copy_reached_through_the_compromised_directory_carries_a_caution():
    estate = estate_from({"systems": [
        {"id": "dc", "name": "DC", "kind": "directory", "identity_domain": "corp",
         "backups": [{"id": "dc-off", "offline": True, "trust_domain": "corp"}]},
        {"id": "db", "name": "DB", "identity_domain": "corp",
         "backups": [{"id": "db-vault", "immutable": True, "trust_domain": "vault"}]}]})
    plan = {s.system: s for s in run(estate, "ransomware", {"directory": "corp"}).restore_plan}
    assert "break-glass" in plan["dc"].caution
    assert plan["db"].caution is None


def test_a_terminal_shows_the_first_rows_of_each_long_table(monkeypatch):
    """Services, restore order and gaps each show their first rows and say how many there
    are (a 100,000-system estate has thousands of each)."""
    import functools
    import io

    from rich.console import Console

    from resilience.outputs.view import first_rows
    from resilience.scenarios import terminal
    from tests.scenarios.util import fixture_estate, run

    sim = run(fixture_estate(), "ransomware", {"directory": "corp.example.gov.uk"})
    assert len(sim.services) > 2 and len(sim.restore_plan) > 2 and len(sim.gaps) > 2
    monkeypatch.setattr(terminal, "first_rows", functools.partial(first_rows, limit=2))
    buffer = io.StringIO()
    Console(file=buffer, width=200, no_color=True).print(terminal.simulation_renderable(sim))
    text = buffer.getvalue()
    for items in (sim.services, sim.restore_plan, sim.gaps):
        assert f"The first 2 of {len(items):,}; --format json or markdown" in text
