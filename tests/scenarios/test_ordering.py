"""Restore order: dependencies first, identity and network before applications, then tier;
cycles reported, never looped on."""

from __future__ import annotations

from resilience.scenarios.interface import GapCode
from resilience.scenarios.ordering import cycles, restore_order, strongly_connected
from tests.helpers import estate_from
from tests.scenarios.util import fixture_estate, run


def _prio(ranks):
    return lambda n: (ranks.get(n, 9), n)


def test_dependencies_come_first_even_against_priority():
    order, in_cycle = restore_order(["app", "db"], {"app": ["db"]}, _prio({"app": 0, "db": 5}))
    assert order == ["db", "app"]
    assert in_cycle == set()


def test_ready_nodes_go_in_priority_order():
    order, _ = restore_order(["c", "b", "a"], {}, _prio({"a": 3, "b": 1, "c": 2}))
    assert order == ["b", "c", "a"]


def test_dependencies_outside_the_set_are_ignored():
    order, _ = restore_order(["app"], {"app": ["not-down"]}, _prio({}))
    assert order == ["app"]


def test_cycles_are_reported_and_every_member_is_still_ordered():
    deps = {"a": ["b"], "b": ["a"], "c": ["a"], "d": ["d"]}
    order, in_cycle = restore_order(["a", "b", "c", "d"], deps, _prio({}))
    assert sorted(order) == ["a", "b", "c", "d"]
    assert order.index("c") > max(order.index("a"), order.index("b"))
    assert in_cycle == {"a", "b", "d"}
    assert cycles(["a", "b", "c", "d"], deps) == [["a", "b"], ["d"]]


def test_deep_chains_do_not_hit_the_recursion_limit():
    n = 5000
    nodes = [f"n{i}" for i in range(n)]
    deps = {f"n{i}": [f"n{i + 1}"] for i in range(n - 1)}
    deps[f"n{n - 1}"] = ["n0"]  # one giant cycle
    comps = strongly_connected(nodes, deps)
    assert len(comps) == 1 and len(comps[0]) == n
    order, in_cycle = restore_order(nodes, deps, _prio({}))
    assert len(order) == n and len(in_cycle) == n


def test_identity_and_network_come_before_applications_then_tier():
    sim = run(fixture_estate(), "ransomware")
    order = [s.system for s in sim.restore_plan]
    assert order[:2] == ["dc01", "core-net"]
    # Tier 1 Academy before tier-2 planning; the database before the app that needs it.
    assert order.index("academy-db") < order.index("academy-app") < order.index("m3-app")


def test_a_simulated_cycle_is_a_gap_and_restored_together():
    estate = estate_from({"systems": [
        {"id": "a", "name": "A", "identity_domain": "corp", "depends_on": ["b"],
         "backups": [{"id": "a1", "immutable": True, "trust_domain": "vault"}]},
        {"id": "b", "name": "B", "identity_domain": "corp", "depends_on": ["a"],
         "backups": [{"id": "b1", "immutable": True, "trust_domain": "vault"}]},
    ]})
    sim = run(estate, "ransomware", {"directory": "corp"})
    assert sim.cycles == [["a", "b"]]
    assert all(s.in_cycle for s in sim.restore_plan)
    assert [g.code for g in sim.gaps].count(GapCode.DEPENDENCY_CYCLE) == 1
    # Within a cycle nobody waits for the other: the second starts when the first team frees.
    first, second = sim.restore_plan
    assert second.start == first.finish


def test_infrastructure_inherits_the_tier_of_what_needs_it():
    estate = estate_from({"systems": [
        {"id": "a-printer", "name": "Printer", "kind": "server", "tier": 3,
         "identity_domain": "corp"},
        {"id": "z-hypervisor", "name": "Hypervisor", "kind": "server", "identity_domain": "corp"},
        {"id": "db", "name": "DB", "kind": "database", "tier": 1, "identity_domain": "corp",
         "depends_on": ["z-hypervisor"],
         "backups": [{"id": "v", "immutable": True, "trust_domain": "vault"}]},
    ]})
    order = [s.system for s in run(estate, "ransomware", {"directory": "corp"}).restore_plan]
    assert order == ["z-hypervisor", "db", "a-printer"]
