"""Playbooks: golden Markdown, every built-in renders, every citation exists, hostile names stay
text, the HTML is self-contained and printable.

Regenerate the golden files after an intended change with:

    RESILIENCE_REGEN_GOLDEN=1 python -m pytest tests/scenarios/test_playbook.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from resilience.catalogues import lessons
from resilience.config import Config
from resilience.errors import InputError
from resilience.policy import default_policy
from resilience.scenarios.api import playbook_files, write_playbook
from resilience.scenarios.loading import builtin_scenarios
from resilience.scenarios.playbook import (
    UNASSIGNED,
    cited_lessons,
    common_text,
    reporting_defaults,
)
from tests.helpers import estate_from
from tests.scenarios.util import AS_OF, fixture_estate

GOLDEN = Path(__file__).parent / "golden"
SCENARIOS = sorted(builtin_scenarios())


def _render(scenario_id: str, estate=None, config=None, params=None) -> dict[str, str]:
    _, files = playbook_files(estate or fixture_estate(), default_policy(),
                              builtin_scenarios()[scenario_id], config, params, AS_OF)
    return files


@pytest.mark.parametrize("scenario_id", ["ransomware", "supplier-outage"])
def test_golden_markdown(scenario_id):
    text = _render(scenario_id)[f"playbook-{scenario_id}.md"]
    path = GOLDEN / f"playbook-{scenario_id}.md"
    if os.environ.get("RESILIENCE_REGEN_GOLDEN"):
        path.write_text(text)
    assert path.exists(), "run with RESILIENCE_REGEN_GOLDEN=1 to create the golden file"
    assert text == path.read_text()


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_every_builtin_renders_for_the_fixture_estate(scenario_id):
    files = _render(scenario_id)
    md = files[f"playbook-{scenario_id}.md"]
    html = files[f"playbook-{scenario_id}.html"]
    for section in ("The first hours", "What is down and what still runs", "Restore sequence",
                    "Gaps that make recovery impossible or late", "Communications and reporting",
                    "Decision log", "Return to normal", "Sources"):
        assert section in md and section in html, section
    uk = [r for r in reporting_defaults().jurisdictions["UK"]
          if builtin_scenarios()[scenario_id].attack or not r.attack_only]
    for lesson_id in cited_lessons(builtin_scenarios()[scenario_id], uk):
        assert f"**{lesson_id}**" in md
        assert f'id="lesson-{lesson_id}"' in html
    assert "72 hours" in md
    attack = builtin_scenarios()[scenario_id].attack
    assert ("Action Fraud" in md) is attack and ("memory captures" in md) is attack
    # No unfilled $parameters.
    assert not re.search(r"\$[a-z]", md) and not re.search(r"\$[a-z]", html)


def test_every_lesson_any_playbook_cites_exists():
    known = lessons()
    cited = set()
    for scenario in builtin_scenarios().values():
        cited |= set(cited_lessons(scenario, []))
    for regulators in reporting_defaults().jurisdictions.values():
        for r in regulators:
            cited |= set(r.lessons)
    for a in common_text().audiences:
        cited |= set(a.lessons)
    assert cited and cited <= set(known), cited - set(known)


def test_every_step_cites_at_least_one_lesson():
    common = common_text()
    for name, steps in common:
        if isinstance(steps, list) and steps and hasattr(steps[0], "lessons"):
            assert all(s.lessons for s in steps), name


HOSTILE = {
    "organisation": {"name": "Evil <b>Council</b>"},
    "systems": [{"id": "db", "name": "<script>alert(1)</script> | col", "identity_domain": "corp",
                 "backups": [{"id": "db-copy", "offline": True, "trust_domain": "corp"}]}],
    "services": [{"id": "svc", "name": "<img src=x onerror=alert(1)>", "tier": 1,
                  "owner": "[click](javascript:alert(1))", "systems": ["db"]}],
}


def test_hostile_names_are_escaped_in_markdown_and_html():
    files = _render("ransomware", estate_from(HOSTILE), params={"directory": "corp"})
    md, html = files["playbook-ransomware.md"], files["playbook-ransomware.html"]
    assert "<script>" not in html and "<img" not in html and "<b>Council" not in html
    assert "&lt;script&gt;" in html
    assert "<script>" not in md and "<img" not in md
    assert "\\[click\\]" in md and "\\| col" in md


def test_html_is_self_contained_and_printable():
    html = _render("ransomware")["playbook-ransomware.html"]
    assert "<script" not in html.lower()
    assert not re.search(r'<(link|img|iframe)[^>]+(src|href)="https?:', html)
    assert "@media print" in html
    assert html.count("<table>") >= 5


def test_contacts_and_regulators_come_from_the_config():
    config = Config.model_validate({"playbook": {
        "contacts": {"incident-lead": {"name": "Ada Lovelace", "phone": "07700 900001",
                                       "alternate": "Bob, 07700 900002"},
                     "legal": {"name": "Legal Team"}},
        "regulators": [{"name": "Agence nationale", "when": "Always", "deadline": "24h",
                        "how": "By phone", "lessons": ["ico-breach-reporting"]}],
    }})
    md = _render("ransomware", config=config)["playbook-ransomware.md"]
    assert "| Incident lead | Ada Lovelace | 07700 900001 | Bob, 07700 900002 |" in md
    assert "| Legal | Legal Team |" in md
    assert "Agence nationale" in md and "24 hours from becoming aware" in md
    assert "Information Commissioner" not in md


def test_owners_come_from_plans_and_gaps_say_so():
    md = _render("ransomware")["playbook-ransomware.md"]
    assert "| Incident lead | Head of IT |" in md
    assert f"| Senior responsible owner | {UNASSIGNED} |" in md


def test_unknown_jurisdiction_warns_instead_of_listing_nobody():
    data = {"organisation": {"name": "Ville", "jurisdiction": "FR"},
            "systems": [{"id": "a", "name": "A", "identity_domain": "corp"}]}
    md = _render("ransomware", estate_from(data), params={"directory": "corp"})[
        "playbook-ransomware.md"]
    assert "No reporting duties are configured for jurisdiction 'FR'" in md


def test_config_regulators_citing_unknown_lessons_are_an_input_error():
    config = Config.model_validate({"playbook": {"regulators": [
        {"name": "X", "when": "Y", "how": "Z", "lessons": ["made-up"]}]}})
    with pytest.raises(InputError, match="made-up"):
        _render("ransomware", config=config)


def test_write_playbook_writes_markdown_and_html(tmp_path):
    paths = write_playbook(fixture_estate(), default_policy(), "site-loss", tmp_path / "out",
                           as_of=AS_OF)
    assert sorted(p.name for p in paths) == ["playbook-site-loss.html", "playbook-site-loss.md"]
    assert all(p.read_text() for p in paths)


def test_demo_recovery_material(tmp_path):
    from types import SimpleNamespace

    from resilience.config import LoadedConfig
    from resilience.scenarios.demo import demo_recovery_material

    loaded = SimpleNamespace(estate=fixture_estate(), policy=default_policy(),
                             config=LoadedConfig(Config(), tmp_path, None))
    lines, files = demo_recovery_material(loaded, tmp_path)
    assert sorted(p.name for p in files) == [
        "playbook-ransomware.html", "playbook-ransomware.md", "simulation-ransomware.json",
        "simulation-ransomware.md"]
    assert lines[0].startswith("Keeps running: Email and collaboration, Council website")
    assert any(line.startswith("No viable restore path: Adult social care") for line in lines)


def test_raw_html_in_a_user_scenario_stays_text():
    from resilience.scenarios.api import playbook_files as files_for
    from tests.scenarios.util import scenario_from

    scenario = scenario_from({
        "id": "x", "title": "X <i>", "summary": "S", "lessons": ["hse-2021"],
        "systems": [{"when": {"id": "dc01"}, "because": "gone <b>"}],
        "playbook": {"situation": "Hello <script>alert(1)</script> **bold**",
                     "first_hours": [{"text": "Do <img src=x>", "lessons": ["hse-2021"]}]}})
    _, files = files_for(fixture_estate(), default_policy(), scenario, None, None, AS_OF)
    md, html = files["playbook-x.md"], files["playbook-x.html"]
    assert "<script>" not in md and "<img" not in md and "**bold**" in md
    assert "<script>" not in html and "<img" not in html and "<b>" not in html


def test_markdown_is_well_formed():
    # markdown-it (CommonMark + tables; it ships with Rich) as a reader's renderer would see it.
    from markdown_it import MarkdownIt

    md = _render("ransomware")["playbook-ransomware.md"]
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert html.count("<table>") == 7  # roles, services, RTOs, gaps, regulators, log, re-keying
    assert html.count("<h3>Step ") == 5
    # Each step's facts are separate list items, not run together on one line.
    assert "<li><strong>Verify before reconnecting:</strong>" in html
    assert "- **" not in html
