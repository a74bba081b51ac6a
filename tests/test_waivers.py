"""Waivers: active, expired, unmatched, glob patterns, and file validation with line numbers."""

from __future__ import annotations

from datetime import date

import pytest

from resilience.errors import InputError
from resilience.exitcodes import exit_code
from resilience.model import Severity, Status
from resilience.waivers import apply_waivers, load_waivers
from tests.report_fixtures import ARN, AZURE_ID, synthetic_report

TODAY = date(2026, 11, 1)


def _waivers(tmp_path, body: str):
    path = tmp_path / "waivers.yaml"
    path.write_text(body)
    return load_waivers(path)


def _entry(check="backup_system_has_copy", asset="db1", expires="2027-01-31", reason="Accepted"):
    return (f"  - check: {check}\n    asset: '{asset}'\n    reason: {reason}\n"
            f"    owner: it-ops@example.gov.uk\n    expires: {expires}\n")


def _status(report, asset):
    return next(f for f in report.findings if f.asset_id == asset)


def test_active_waiver_waives_and_stops_failing(tmp_path):
    report = synthetic_report()
    assert exit_code(report, Severity.HIGH, strict=False) == 1
    waived = apply_waivers(report, _waivers(tmp_path, "waivers:\n" + _entry() + _entry(
        asset=ARN)), TODAY)
    f = _status(waived, "db1")
    assert f.status == Status.WAIVED
    assert f.waiver == "Accepted (owner: it-ops@example.gov.uk; until 2027-01-31)"
    assert waived.summary.by_status[Status.WAIVED] == report.summary.by_status[Status.WAIVED] + 2
    assert waived.summary.score > report.summary.score  # waived results leave the score
    assert exit_code(waived, Severity.HIGH, strict=False) == 0
    assert any("2 finding(s) waived" in n for n in waived.notes)


def test_expiry_day_is_inclusive_then_it_stops(tmp_path):
    waivers = _waivers(tmp_path, "waivers:\n" + _entry(expires="2026-11-01"))
    assert _status(apply_waivers(synthetic_report(), waivers, TODAY), "db1").status == "waived"
    later = apply_waivers(synthetic_report(), waivers, date(2026, 11, 2))
    assert _status(later, "db1").status == Status.FAIL
    note = [n for n in later.notes if "expired" in n]
    assert len(note) == 1
    assert "2026-11-01" in note[0] and "waivers.yaml:2" in note[0]
    assert "1 finding(s) it covered count again" in note[0]


def test_default_today_is_the_reports_as_of_date(tmp_path):
    waivers = _waivers(tmp_path, "waivers:\n" + _entry(expires="2026-10-31"))
    report = apply_waivers(synthetic_report(), waivers)  # as_of is 2026-11-01
    assert _status(report, "db1").status == Status.FAIL


def test_unmatched_waiver_is_reported(tmp_path):
    body = "waivers:\n" + _entry(asset="no-such-*") + _entry(asset="app1") + _entry(
        check="not_a_check_that_ran")
    report = apply_waivers(synthetic_report(), _waivers(tmp_path, body), TODAY)
    unmatched = [n for n in report.notes if "matches no failing finding" in n]
    assert len(unmatched) == 2  # the pattern that matches nothing, and the passing asset
    assert "'no-such-*'" in unmatched[0] and "'app1'" in unmatched[1]
    assert _status(report, "app1").status == Status.PASS  # a pass is never turned into waived
    assert any("did not run" in n and "not_a_check_that_ran" in n for n in report.notes)


def test_glob_pattern_and_errors_are_waived(tmp_path):
    body = "waivers:\n" + _entry(asset="/subscriptions/*") + _entry(asset="4444*")
    report = apply_waivers(synthetic_report(), _waivers(tmp_path, body), TODAY)
    assert _status(report, "444455556666/eu-west-1").status == Status.WAIVED  # was error
    assert _status(report, AZURE_ID).status == Status.WAIVED  # already waived, unchanged
    assert _status(report, "db1").status == Status.FAIL


@pytest.mark.parametrize("body,needles", [
    ("waivers:\n" + _entry() + "    colour: red\n", ["waivers.yaml:7", "colour"]),
    ("waivers:\n" + _entry(expires="someday"), ["waivers.yaml:6", "expires"]),
    ("waivers:\n  - check: backup_system_has_copy\n    asset: x\n", ["waivers.yaml:2", "reason"]),
    ("waivers:\n" + _entry(check="Not-An-Id"), ["waivers.yaml:2", "check"]),
    ("waivers:\n" + _entry(reason="'  '"), ["waivers.yaml:4", "blank"]),
    ("- a list\n", ["waivers.yaml:1", "mapping"]),
])
def test_bad_waiver_files_name_file_and_line(tmp_path, body, needles):
    with pytest.raises(InputError) as info:
        _waivers(tmp_path, body)
    for needle in needles:
        assert needle in str(info.value), (needle, str(info.value))


def test_unlisted_passes_stay_counted(tmp_path):
    from tests.report_fixtures import real_report

    report, _ = real_report(include_passes=False)
    passes = report.summary.by_status[Status.PASS]
    assert passes and not [f for f in report.findings if f.status == Status.PASS]
    waived = apply_waivers(report, _waivers(tmp_path, "waivers:\n" + _entry(asset=ARN)), TODAY)
    assert waived.summary.by_status[Status.PASS] == passes
    assert waived.omitted_passes == report.omitted_passes


def test_waiver_reason_shows_in_terminal_and_markdown(tmp_path):
    from resilience.outputs.interface import OutputFormat, RenderContext, formatter

    waived = apply_waivers(synthetic_report(), _waivers(tmp_path, "waivers:\n" + _entry(
        reason="Replacement due in March")), TODAY)
    for fmt in (OutputFormat.TABLE, OutputFormat.MARKDOWN):
        text = formatter(fmt).render(waived, RenderContext())
        # The terminal table wraps cells, so look for the words rather than the whole phrase.
        assert "Waived:" in text and "Replacement" in text, fmt
