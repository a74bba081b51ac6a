"""Edge cases of the continuity checks: unknowns, transitive dependencies, cycles, scopes."""

from __future__ import annotations

import random

import pytest
from resilience.checks.continuity.continuity_dependency_cycle import cycles

from resilience.model import DataKind, Estate, Provider, SourceRun, Status, System
from tests.checks._util import by_asset, findings
from tests.helpers import AS_OF, run_one

P, F, E = Status.PASS, Status.FAIL, Status.ERROR


def svc(id_, **kw):
    return {"id": id_, "name": id_, **kw}


def sysm(id_, **kw):
    return {"id": id_, "name": id_, "kind": kw.pop("kind", "server"), **kw}


def test_tier_inversion_follows_system_dependencies_transitively():
    data = {"services": [svc("care", tier=1, systems=["app"])],
            "systems": [sysm("app", depends_on=["mid"]), sysm("mid", tier=1, depends_on=["nas"]),
                        sysm("nas", tier=3)]}
    out = findings("continuity_dependency_tier_inversion", data)
    assert [f.status for f in out] == [F] and "nas (tier 3)" in out[0].message


def test_tier_inversion_unknown_tier_is_error_and_policy_can_switch_it_off():
    data = {"services": [svc("care", tier=1, systems=["app"])],
            "systems": [sysm("app", depends_on=["orphan"]), sysm("orphan")]}
    assert by_asset("continuity_dependency_tier_inversion", data) == {"care": E}
    off = {"continuity": {"dependency_tier_inversion": False}}
    assert findings("continuity_dependency_tier_inversion", data, policy=off) == []


def test_single_site_edge_cases():
    data = {"services": [svc("a", tier=1, systems=["x"]), svc("b", tier=1, systems=[]),
                         svc("c", tier=1, systems=["y"]), svc("d", tier=1, systems=["z"]),
                         svc("e", tier=2, systems=["y"])],
            "systems": [sysm("x", site="hq", failover_site="hq"), sysm("y"),
                        sysm("z", hosting="aws", region="eu-west-2", failover_site="eu-west-1")]}
    assert by_asset("continuity_single_site", data) == {"a": F, "b": E, "c": E, "d": P}


def test_zone_redundancy_unknown_is_error_and_onprem_is_out_of_scope():
    data = {"systems": [sysm("vm", hosting="azure", tier=1, zones=["1"]),
                        sysm("db", hosting="aws", tier=1, kind="database"),
                        sysm("box", tier=1),
                        sysm("low", hosting="aws", tier=3, zone_redundant=False)]}
    assert by_asset("continuity_zone_redundancy", data) == {"vm": E, "db": E}


def test_onprem_identity_unknown_and_undeclared_domains_are_errors():
    data = {"trust_domains": [],
            "systems": [sysm("crm", hosting="saas", kind="saas", tier=1),
                        sysm("web", hosting="aws", tier=2, identity_domain="ghost"),
                        sysm("dc", tier=1, identity_domain="corp"),
                        sysm("untiered", hosting="aws")]}
    assert by_asset("continuity_onprem_identity_dependency", data) == {"crm": E, "web": E}


def test_service_register_lists_everything_missing():
    data = {"services": [svc("s", owner=" ", rto="4h")]}
    out = findings("continuity_service_register", data)
    assert out[0].status == F and "tier, owner, systems" in out[0].message
    assert "RTO" not in out[0].message


def test_untiered_systems_pass_only_with_a_default_tier():
    data = {"systems": [sysm("box")]}
    assert by_asset("continuity_system_tiered", data) == {"box": F}
    assert by_asset("continuity_system_tiered", data, policy={"default_tier": 3}) == {"box": P}


def test_plans_unknown_facts_are_errors():
    data = {"plans": [{"id": "p", "name": "P", "kind": "incident-response"}]}
    for check in ("continuity_plan_offline", "continuity_plan_reviewed",
                  "continuity_plan_exercised"):
        assert by_asset(check, data) == {"p": E}, check


def test_plan_exists_with_a_collection_gap_is_an_error():
    data = {"plans": [{"id": "p", "name": "P", "kind": "incident-response"}]}
    assert by_asset("continuity_plan_exists", data) == {"estate": F}
    assert by_asset("continuity_plan_exists", data, gaps=[DataKind.PLANS]) == {"estate": E}


def test_a_plan_with_no_covers_list_covers_every_service():
    data = {"services": [svc("care", tier=1)],
            "plans": [{"id": "dr", "name": "DR", "kind": "disaster-recovery"}]}
    assert by_asset("continuity_critical_service_plan", data) == {"care": P}


def test_supplier_unknowns_are_errors():
    data = {"suppliers": [{"id": "a", "name": "A"},
                          {"id": "b", "name": "B", "remote_access": True},
                          {"id": "c", "name": "C", "remote_access": False, "mfa": False}]}
    assert by_asset("continuity_supplier_access_mfa", data) == {"a": E, "b": E}
    assert by_asset("continuity_supplier_access_reviewed", data) == {"a": E, "b": E}
    assert by_asset("continuity_supplier_breach_clause", data) == {"a": E, "b": E, "c": E}


def test_end_of_support_scope_and_unknowns():
    data = {"systems": [sysm("onprem-unknown", tier=1),
                        sysm("rds", hosting="aws", kind="database", tier=1),
                        sysm("ec2", hosting="aws", kind="vm", tier=1),
                        sysm("untiered", end_of_support="2001-01-01")]}
    assert by_asset("continuity_end_of_support", data) == {"onprem-unknown": E, "ec2": E}


def test_unsupported_rebuild_unknown_is_error():
    data = {"systems": [sysm("old", end_of_support="2020-01-01")]}
    assert by_asset("continuity_unsupported_rebuild", data) == {"old": E}


def test_rebuild_path_only_for_the_most_critical_tier():
    data = {"systems": [sysm("t1", tier=1), sysm("t2", tier=2, rebuild_documented=False),
                        sysm("saas", hosting="saas", kind="saas", tier=1)]}
    assert by_asset("continuity_rebuild_path", data) == {"t1": E}


def test_cycles_self_loop_long_cycle_and_deep_chain():
    data = {"services": [svc("self", depends_on=["self"]), svc("a", depends_on=["b"]),
                         svc("b", depends_on=["c"]), svc("c", depends_on=["a"]),
                         svc("d", depends_on=["a"])],
            "systems": []}
    assert by_asset("continuity_dependency_cycle", data) == {
        "self": F, "a": F, "b": F, "c": F, "d": P}
    # Built directly: a deep chain must not hit the recursion limit.
    chain = [System(id=f"s{i}", name="s", hosting="onprem", depends_on=[f"s{i + 1}"])
             for i in range(3000)] + [System(id="s3000", name="s", hosting="onprem")]
    estate = Estate(systems=chain, sources=[SourceRun(
        provider=Provider.ONPREM, scope="test", collected_at=AS_OF,
        kinds=[DataKind.SERVICES, DataKind.SYSTEMS])])
    out = run_one("continuity_dependency_cycle", estate)
    assert len(out) == 3000 and {f.status for f in out} == {P}


def _reachable(graph: dict[str, list[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [e for e in graph[start] if e in graph]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(e for e in graph[node] if e in graph)
    return seen


@pytest.mark.parametrize("seed", range(40))
def test_cycles_agree_with_reachability_on_random_graphs(seed):
    """A node is on a cycle iff it reaches itself; its cycle is every node it reaches that
    reaches it back. Sparse graphs with dangling edges, leaves and self-loops, as estates have."""
    rng = random.Random(seed)
    nodes = [f"n{i}" for i in range(rng.randint(1, 60))]
    graph = {n: [rng.choice(nodes + ["unknown"]) for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))]
             for n in nodes}
    reach = {n: _reachable(graph, n) for n in graph}
    expected = {n: sorted(m for m in reach[n] if n in reach[m]) for n in graph if n in reach[n]}
    assert cycles(graph) == expected
