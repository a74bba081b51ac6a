"""Meta-tests over the whole catalogue: metadata, references, and pass/fail examples per check."""

from __future__ import annotations

import pytest
import yaml

from resilience.catalogues import framework_control_ids, lessons
from resilience.engine.registry import load_catalogue
from resilience.model import Domain, Status
from tests.helpers import EXAMPLES, estate_from, policy_from, run_one

CATALOGUE = load_catalogue()
IDS = sorted(CATALOGUE.checks)


def test_catalogue_is_not_empty():
    assert len(CATALOGUE) >= 1


@pytest.mark.parametrize("check_id", IDS)
def test_metadata_is_complete(check_id):
    meta = CATALOGUE.get(check_id).meta
    assert meta.rationale.strip() and meta.remediation.strip()
    assert meta.lessons and all(lesson in lessons() for lesson in meta.lessons)
    refs = meta.frameworks.model_dump()
    assert any(refs.values())
    for fw, ids in refs.items():
        assert set(ids) <= framework_control_ids(fw), (fw, ids)
    assert meta.domain in Domain


@pytest.mark.parametrize("check_id", IDS)
def test_examples_pass_and_fail(check_id):
    path = EXAMPLES / f"{check_id}.yaml"
    assert path.exists(), f"add passing and failing examples in {path}"
    spec = yaml.safe_load(path.read_text())
    policy = policy_from(spec.get("policy"))
    passing = run_one(check_id, estate_from(spec["pass"]), policy)
    statuses = {f.status for f in passing}
    assert Status.PASS in statuses, passing
    assert statuses == {Status.PASS}, [f.message for f in passing if f.status != Status.PASS]
    failing = run_one(check_id, estate_from(spec["fail"]), policy)
    assert any(f.status == Status.FAIL for f in failing), failing


@pytest.mark.parametrize("check_id", IDS)
def test_missing_data_is_an_error_not_a_pass(check_id):
    """With none of the data the check needs, it must report error (fail closed)."""
    findings = run_one(check_id, estate_from({"organisation": {"name": "Empty"}}))
    assert findings and all(f.status == Status.ERROR for f in findings)
