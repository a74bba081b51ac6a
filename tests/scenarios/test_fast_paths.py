"""The simulation's shortcuts give the same answers as the plain way: memoised judgements
equal judging each asset, fast-built outcomes equal validated ones, the cycle search finds
what a brute-force search finds, and the byte rendering equals the text one."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resilience.model.construct import maker
from resilience.scenarios.api import render_simulation, simulation_chunks
from resilience.scenarios.interface import (
    CopyOutcome,
    Gap,
    RestoreStep,
    SystemOutcome,
    SystemState,
)
from resilience.scenarios.loading import builtin_scenarios, resolve_parameters
from resilience.scenarios.matching import bind
from resilience.scenarios.ordering import cycles, strongly_connected
from resilience.scenarios.propagation import _judge_system, apply_system_rules, provided_by
from resilience.scenarios.survival import CopyJudge, judge_copy
from tests.helpers import estate_from
from tests.scenarios.util import fixture_estate, run

SCENARIOS = sorted(builtin_scenarios())


def _varied_estate():
    """Copies and systems that differ in every field the built-in rules read, and some that
    repeat exactly, so memoised verdicts are both reused and kept apart."""
    systems = []
    for i, (hosting, domain, site) in enumerate([
            ("onprem", "corp", "dc1"), ("onprem", None, "dc1"), ("onprem", "corp", None),
            ("aws", "corp", None), ("aws", None, None), ("azure", "vault", None),
            ("saas", None, None), ("onprem", "corp", "dc2"), ("onprem", "corp", "dc1")]):
        system = {"id": f"s{i}", "name": f"S{i}", "hosting": hosting, "kind": "database"}
        if domain:
            system["identity_domain"] = domain
        if site:
            system["site"] = site
        if hosting in ("aws", "azure"):
            system.update(account="111122223333", region="eu-west-2")
        if i == 7:
            system["failover_site"] = "dc1"
        system["backups"] = [
            {"id": f"s{i}-a", "trust_domain": "corp"},
            {"id": f"s{i}-b", "trust_domain": "corp", "immutable": True},
            {"id": f"s{i}-c", "offline": True, "offsite": True},
            {"id": f"s{i}-d", "trust_domain": "vault", "site": "dc2", "region": "eu-west-1",
             "account": "444455556666"},
            {"id": f"s{i}-e", "offsite": True, "immutable": False},
        ]
        systems.append(system)
    return estate_from({"trust_domains": [{"id": "corp", "name": "Corp", "kind": "ad-domain"},
                                          {"id": "vault", "name": "Vault", "kind": "backup"}],
                        "systems": systems})


ESTATES = {"fixture": fixture_estate, "varied": _varied_estate}


def _case(estate_name: str, scenario_id: str):
    """An estate, a built-in scenario and its resolved parameters."""
    estate = ESTATES[estate_name]()
    scenario = builtin_scenarios()[scenario_id]
    return estate, scenario, resolve_parameters(scenario, estate)


@pytest.mark.parametrize("estate_name", sorted(ESTATES))
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_memoised_copy_verdicts_equal_judging_each_copy(estate_name, scenario_id):
    estate, scenario, params = _case(estate_name, scenario_id)
    judge = CopyJudge(scenario, params)
    for sid, copies in estate.backups_by_system.items():
        system = estate.system_by_id.get(sid)
        fast = judge.judge(copies, system)
        slow = [judge_copy(c, system, scenario, params) for c in copies]
        assert [c.model_dump() for c in fast] == [c.model_dump() for c in slow]


@pytest.mark.parametrize("estate_name", sorted(ESTATES))
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_memoised_system_verdicts_equal_judging_each_system(estate_name, scenario_id):
    estate, scenario, params = _case(estate_name, scenario_id)
    hits = apply_system_rules(estate, scenario, params)
    rules = [(rule, bind(rule.when, params)) for rule in scenario.systems]
    index = provided_by(estate)
    for system in estate.systems:
        judged = _judge_system(estate, system, rules, params, index)
        if system.id not in hits:  # left out only when the rules leave it running, silently
            assert judged.state is SystemState.RUNNING and not judged.reasons
            assert not judged.assumed
            continue
        hit = hits[system.id]
        assert (hit.state, hit.reasons, hit.assumed) == (judged.state, judged.reasons,
                                                         judged.assumed)


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_fast_built_outcomes_equal_validated_ones(scenario_id):
    sim = run(_varied_estate(), scenario_id)
    built = [*sim.systems, *(c for s in sim.systems for c in s.copies), *sim.gaps,
             *sim.restore_plan]
    assert {type(o) for o in built} >= {SystemOutcome, CopyOutcome}
    if scenario_id == "ransomware":
        assert any(type(o) is RestoreStep for o in built)
    for outcome in built:
        cls = type(outcome)
        checked = cls.model_validate(outcome.model_dump())
        assert outcome == checked
        assert list(outcome.__dict__) == list(cls.model_fields)  # the order JSON is written in
        assert outcome.model_dump_json() == checked.model_dump_json()


def test_a_maker_refuses_a_missing_or_unknown_field():
    make = maker(Gap)
    with pytest.raises(TypeError, match="every one of its 4 fields"):
        make(code="no-copy", subject="s", message="m")
    with pytest.raises(KeyError):
        make(code="no-copy", subject="s", message="m", check=[])
    made = make(code="no-copy", subject="s", message="m", checks=["x"])
    assert made == Gap(code="no-copy", subject="s", message="m", checks=["x"])


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_byte_rendering_equals_the_text(fmt):
    sim = run(fixture_estate(), "ransomware")
    assert b"".join(simulation_chunks(sim, fmt)) == render_simulation(sim, fmt).encode("utf-8")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_simulation_json_is_the_whole_document_with_an_item_per_line(scenario):
    sim = run(fixture_estate(), scenario)
    text = render_simulation(sim, "json")
    assert json.loads(text) == json.loads(sim.model_dump_json())
    lines = text.splitlines()
    for key in ("services", "systems", "restore_plan", "gaps"):
        items = json.loads(sim.model_dump_json())[key]
        if not items:
            assert f'  "{key}": [],' in lines
            continue
        start = lines.index(f'  "{key}": [')
        found = [json.loads(line.strip().removesuffix(",")) for line in
                 lines[start + 1:start + 1 + len(items)]]
        assert found == items and lines[start + 1 + len(items)].strip().startswith("]")


# ---- the cycle search against brute force ----------------------------------------------------

NAMES = [f"n{i}" for i in range(8)]
graphs = st.dictionaries(st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), max_size=3),
                         max_size=8)


def _reaches(edges: dict[str, list[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(edges.get(start, []))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, []))
    return seen


@settings(max_examples=300, deadline=None)
@given(graphs, st.permutations(NAMES))
def test_components_and_cycles_match_brute_force(edges, order):
    reach = {n: _reaches(edges, n) for n in NAMES}
    comps = strongly_connected(order, edges)
    # Every node once, each component exactly the nodes that reach each other...
    assert sorted(n for comp in comps for n in comp) == sorted(NAMES)
    for comp in comps:
        for node in comp:
            assert set(comp) == {m for m in NAMES if m == node
                                 or (m in reach[node] and node in reach[m])}
    # ...listed dependencies first (what a node needs comes in an earlier component).
    position = {n: i for i, comp in enumerate(comps) for n in comp}
    for node, deps in edges.items():
        for dep in deps:
            assert position[dep] <= position[node]
    expected = sorted(sorted(comp) for comp in comps
                      if len(comp) > 1 or comp[0] in edges.get(comp[0], []))
    assert cycles(order, edges) == expected
    assert cycles([n for n in order if n in edges], edges) == expected
