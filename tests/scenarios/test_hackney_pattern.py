"""The Hackney pattern, as a property of any council-shaped estate: under ransomware through
the on-prem directory, cloud services that sign in elsewhere keep running, on-prem
line-of-business services go down, and a service with a data system whose only copies were
deletable with domain credentials has no viable restore path.

Runs on the scenario fixture and, when present, on the bundled demo estate."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from resilience.model import Estate, Hosting
from resilience.policy import default_policy
from resilience.scenarios.api import playbook_files
from resilience.scenarios.loading import builtin_scenarios
from resilience.scenarios.simulate import rebuildable
from resilience.sources.onprem import parse_estate_document
from resilience.yamlfile import load_yaml
from tests.scenarios.util import AS_OF, fixture_estate, run


def _demo() -> Path | None:
    path = Path(str(resources.files("resilience.data"))) / "demo" / "estate.yaml"
    return path if path.exists() else None


ESTATES = ["fixture"] + (["demo"] if _demo() else [])


def _estate(name: str) -> Estate:
    if name == "fixture":
        return fixture_estate()
    return parse_estate_document(load_yaml(_demo()))


def _deletable_only(estate: Estate, system_id: str, directory: str) -> bool:
    copies = estate.backups_by_system.get(system_id, [])
    return bool(copies) and all(
        c.trust_domain in (directory, None) and not c.immutable and not c.offline
        for c in copies)


@pytest.mark.parametrize("name", ESTATES)
def test_hackney_pattern(name):
    estate = _estate(name)
    sim = run(estate, "ransomware")
    directory = sim.parameters["directory"]
    by_id = estate.system_by_id
    seen_cloud = seen_onprem = seen_lost = 0
    for svc in estate.services:
        outcome = sim.service(svc.id)
        systems = [by_id[s] for s in svc.systems]
        cloud_only = systems and all(
            s.hosting is not Hosting.ONPREM and s.identity_domain != directory
            and not s.depends_on
            for s in systems) and not svc.depends_on
        if cloud_only:
            assert outcome.status == "running", svc.id
            seen_cloud += 1
        onprem = [s for s in systems if s.hosting is Hosting.ONPREM
                  and s.identity_domain in (directory, None)]
        if onprem:
            assert outcome.status != "running", svc.id
            seen_onprem += 1
        if any(_deletable_only(estate, s.id, directory)
               and not rebuildable(s, estate.backups_by_system.get(s.id, []))
               for s in onprem):
            assert outcome.status == "down-unrecoverable", svc.id
            seen_lost += 1
    assert seen_cloud >= 3 and seen_onprem >= 4 and seen_lost >= 1


@pytest.mark.parametrize("scenario_id", sorted(builtin_scenarios()) if _demo() else [])
def test_every_builtin_playbook_renders_for_the_demo_estate(scenario_id):
    # (test_playbook.py does the same, in more detail, for the fixture estate.)
    _, files = playbook_files(_estate("demo"), default_policy(), builtin_scenarios()[scenario_id],
                              None, None, AS_OF)
    for text in files.values():
        assert "Recovery playbook" in text and "Sources" in text
