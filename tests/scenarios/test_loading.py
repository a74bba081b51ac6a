"""Scenario files: built-ins load, bad files get file/line/field errors, parameters resolve."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilience.errors import InputError, UsageError
from resilience.scenarios.loading import (
    NOTHING,
    available_scenarios,
    builtin_scenarios,
    choose_scenario,
    load_scenario_file,
    parse_params,
    resolve_parameters,
)
from tests.helpers import estate_from
from tests.scenarios.util import fixture_estate, run

REQUIRED = {"ransomware", "site-loss", "region-outage", "identity-compromise",
            "cloud-account-compromise", "supplier-outage"}

GOOD = """\
id: lab-flood
title: Flood in the lab
summary: The basement floods.
lessons: [ovhcloud-2021]
parameters:
  site: {kind: site, description: The flooded site}
systems:
  - when: {site: $site}
    because: under water
"""


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_every_required_builtin_exists_with_rules_and_playbook_text():
    found = builtin_scenarios()
    assert set(found) >= REQUIRED
    for scenario in found.values():
        assert scenario.systems or scenario.services, scenario.id
        assert scenario.playbook.situation and scenario.playbook.first_hours, scenario.id


def test_a_user_file_loads(tmp_path):
    scenario = load_scenario_file(_write(tmp_path, GOOD))
    assert scenario.id == "lab-flood"
    assert scenario.source.endswith("s.yaml")


BAD = [
    ("id: x\ntitle: [unclosed\nsummary: y\n", 2, "YAML syntax error"),  # where it opens
    ("id: x\nlessons: [a, b\n", 2, "YAML syntax error"),
    (GOOD + "colour: blue\n", 10, "unknown key 'colour'"),
    (GOOD.replace("lessons: [ovhcloud-2021]", "lessons: ovhcloud-2021"), 4, "lessons"),
    (GOOD.replace("because: under water", "because: under water\n    effect: flooded"), 10,
     "systems[0].effect"),
    (GOOD.replace("{site: $site}", "{colour: red}"), 8, "systems[0].when"),
    (GOOD.replace("ovhcloud-2021", "no-such-lesson"), 4, "unknown lesson 'no-such-lesson'"),
    (GOOD.replace("$site}", "$place}"), 8, "'$place' is not one of the scenario's parameters"),
    (GOOD.replace("id: lab-flood", "id: Lab Flood"), 1, "id"),
]


@pytest.mark.parametrize(("text", "line", "words"), BAD)
def test_bad_scenario_files_name_file_line_and_field(tmp_path, text, line, words):
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_scenario_file(path)
    assert err.value.path == str(path)
    assert err.value.line == line, str(err.value)
    assert words in str(err.value)
    assert err.value.exit_code == 2


def test_a_user_scenario_may_not_shadow_a_builtin(tmp_path):
    path = _write(tmp_path, GOOD.replace("id: lab-flood", "id: ransomware"))
    with pytest.raises(InputError, match="already used by a built-in"):
        available_scenarios(path)


def test_a_folder_of_scenarios_loads_and_the_only_one_is_chosen(tmp_path):
    folder = tmp_path / "mine"
    (folder / "flood").mkdir(parents=True)
    _write(folder / "flood", GOOD, "scenario.yaml")
    assert choose_scenario(None, folder).id == "lab-flood"
    assert "lab-flood" in available_scenarios(folder)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no scenario files"):
        available_scenarios(tmp_path / "empty")
    with pytest.raises(InputError, match="file not found"):
        available_scenarios(tmp_path / "missing.yaml")


def test_unknown_scenario_lists_the_choices():
    with pytest.raises(UsageError, match="ransomware"):
        choose_scenario("meteor")


def test_parameters_default_from_the_estate():
    estate = fixture_estate()
    found = builtin_scenarios()
    assert resolve_parameters(found["site-loss"], estate) == {"site": "town-hall"}
    assert resolve_parameters(found["region-outage"], estate) == {"region": "eu-west-2"}
    assert resolve_parameters(found["cloud-account-compromise"], estate) == {
        "account": "111111111111"}
    assert resolve_parameters(found["identity-compromise"], estate) == {
        "domain": "corp.example.gov.uk"}


def test_given_parameters_must_exist_in_the_estate():
    scenario = builtin_scenarios()["site-loss"]
    got = resolve_parameters(scenario, fixture_estate(), {"site": "dr-site"})
    assert got == {"site": "dr-site"}
    with pytest.raises(UsageError, match="no site 'dr-sight'; known: .*dr-site"):
        resolve_parameters(scenario, fixture_estate(), {"site": "dr-sight"})
    with pytest.raises(UsageError, match="has no parameter 'region'; it takes site"):
        resolve_parameters(scenario, fixture_estate(), {"region": "x"})


def test_no_default_available_reaches_nothing_and_says_so():
    estate = estate_from({"systems": [{"id": "a", "name": "A", "site": "dc1"}],
                          "services": [{"id": "s", "name": "S", "systems": ["a"]}]})
    scenario = builtin_scenarios()["region-outage"]
    assert resolve_parameters(scenario, estate) == {"region": NOTHING}
    sim = run(estate, scenario)
    assert sim.service("s").status == "running"
    assert any("Pass --param region=VALUE" in w for w in sim.warnings)


def test_default_supplier_is_the_one_behind_the_most_critical_services():
    estate = estate_from({
        "suppliers": [{"id": "backupco", "name": "Backups", "provides": ["a", "b"]},
                      {"id": "crmco", "name": "CRM"}],
        "systems": [{"id": "a", "name": "A", "supplier": "crmco"}, {"id": "b", "name": "B"}],
        "services": [{"id": "s1", "name": "S1", "tier": 1, "systems": ["a"]},
                     {"id": "s2", "name": "S2", "tier": 3, "systems": ["b"]}]})
    assert resolve_parameters(builtin_scenarios()["supplier-outage"], estate) == {
        "supplier": "crmco"}


def test_parse_params():
    assert parse_params(["site=dc1", " region = eu-west-2 "]) == {"site": "dc1",
                                                                  "region": "eu-west-2"}
    for bad in ("site", "=dc1", "site="):
        with pytest.raises(UsageError, match="name=value"):
            parse_params([bad])
