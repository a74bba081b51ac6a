"""Baselines: only new problems stay, fixed ones are noted, and the exit code follows the new ones."""

from __future__ import annotations

import pytest

from resilience.baseline import Baseline, compare_statuses, load_baseline
from resilience.baseline import apply_baseline as _apply
from resilience.errors import InputError
from resilience.exitcodes import exit_code
from resilience.model import Severity, Status
from tests.report_fixtures import ARN, AZURE_ID, synthetic_report


def apply_baseline(report, before, source):
    """As the CLI does, with ``before`` read back from its JSON as a baseline."""
    return _apply(report, Baseline.model_validate_json(before.model_dump_json()), source)


def _with(report, **statuses):
    findings = [f.model_copy(update={"status": statuses[f.asset_id]})
                if f.asset_id in statuses else f for f in report.findings]
    return report.model_copy(update={"findings": findings})


def test_known_problems_are_hidden_and_new_ones_kept():
    before = synthetic_report()  # db1 fail, ARN fail, gap error, svc-backup fail, app1 pass
    now = _with(before, app1=Status.FAIL, db1=Status.PASS)
    result = apply_baseline(now, before, "baseline.json")
    problems = {f.asset_id for f in result.findings if f.status in ("fail", "error")}
    assert problems == {"app1"}
    assert {f.asset_id for f in result.findings if f.status == "pass"} == {"db1"}
    assert any(f.asset_id == AZURE_ID and f.status == "waived" for f in result.findings)
    head = result.notes[-2]
    assert "1 new problem(s) shown, 3 known problem(s) hidden, 1 fixed" in head
    assert "Fixed since the baseline: backup_system_has_copy on db1." in result.notes[-1]
    assert exit_code(result, Severity.HIGH, strict=False) == 1  # app1 is critical and new


def test_nothing_new_means_a_clean_exit():
    before = synthetic_report()
    result = apply_baseline(synthetic_report(), before, "b.json")
    assert exit_code(synthetic_report(), Severity.HIGH, strict=False) == 1
    assert exit_code(result, Severity.HIGH, strict=False) == 0
    assert result.summary.by_status[Status.FAIL] == 0


def test_expired_waiver_surfaces_as_new():
    before = synthetic_report()
    now = _with(before, **{AZURE_ID: Status.FAIL})
    result = apply_baseline(now, before, "b.json")
    assert [f.asset_id for f in result.findings if f.status == "fail"] == [AZURE_ID]


def test_fixed_only_counts_checks_that_ran():
    before = {("a", "x"): Status.FAIL, ("b", "y"): Status.FAIL, ("a", "z"): Status.ERROR}
    after = {("a", "z"): Status.FAIL, ("a", "w"): Status.ERROR, ("a", "v"): Status.WAIVED}
    diff = compare_statuses(before, after, checks_run=["a"])
    assert [k for k, _, _ in diff.new] == [("a", "w")]
    assert [k for k, _, _ in diff.fixed] == [("a", "x")]  # b did not run: not fixed
    assert [(k, t, n) for k, t, n in diff.changed] == [(("a", "z"), Status.ERROR, Status.FAIL)]
    waived = compare_statuses({("a", "x"): Status.FAIL}, {("a", "x"): Status.WAIVED})
    assert not waived.fixed and waived.changed  # waived is not fixed


def test_load_baseline_round_trip_and_errors(tmp_path):
    path = tmp_path / "b.json"
    path.write_text(synthetic_report().model_dump_json())
    assert load_baseline(path).findings[1]["asset_id"] == "db1"
    path.write_text("{not json")
    with pytest.raises(InputError, match="b.json: not valid JSON"):
        load_baseline(path)
    path.write_text('{"findings": []}')
    with pytest.raises(InputError, match="not a resilience JSON report"):
        load_baseline(path)
    data = synthetic_report().model_copy(update={"schema_version": 99}).model_dump_json()
    path.write_text(data)
    with pytest.raises(InputError, match="schema_version 99"):
        load_baseline(path)
    with pytest.raises(InputError, match="not found"):
        load_baseline(tmp_path / "missing.json")


def test_cloud_keys_match_across_runs():
    before = synthetic_report()
    result = apply_baseline(_with(before, **{ARN: Status.FAIL}), before, "b.json")
    assert ARN not in {f.asset_id for f in result.findings if f.status == "fail"}


def test_unlisted_passes_count_as_fixed():
    before = synthetic_report()
    now = before.with_findings([f for f in before.findings if f.asset_id != "db1"])
    now = now.model_copy(update={"omitted_passes": {"backup_system_has_copy": 2}})
    result = apply_baseline(now, before, "b.json")
    assert "Fixed since the baseline: backup_system_has_copy on db1." in result.notes
    assert result.omitted_passes == {"backup_system_has_copy": 2}


def test_a_baseline_read_from_its_file_hides_the_same_problems(tmp_path):
    """Only the findings' keys and statuses, the time and the organisation are read from the
    file; the result is the same as comparing with the whole report."""
    before = synthetic_report()
    path = tmp_path / "b.json"
    path.write_text(before.model_dump_json())
    now = _with(before, app1=Status.FAIL, db1=Status.PASS)
    from_file = _apply(now, load_baseline(path), "b.json")
    assert from_file == apply_baseline(now, before, "b.json")
    assert "1 new problem(s) shown, 3 known problem(s) hidden" in from_file.notes[-2]
