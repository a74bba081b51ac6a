"""``resilience checks list`` filters and ``resilience lessons``, run as the user runs them."""

from __future__ import annotations

import json

from tests.cli_helpers import assert_clean_error, run_cli


def test_checks_list_json_has_the_whole_metadata_and_filters():
    proc = run_cli("checks", "list", "--format", "json", "--framework", "cis:6.4",
                   "--domain", "identity")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    ids = {c["id"] for c in data}
    assert "identity_remote_access_mfa" in ids
    assert all("6.4" in c["frameworks"]["cis"] and c["domain"] == "identity" for c in data)
    assert {"rationale", "remediation", "remediation_steps", "lessons", "needs",
            "applies_to"} <= set(data[0])


def test_checks_list_by_lesson_and_provider():
    proc = run_cli("checks", "list", "-f", "json", "--lesson", "colonial-2021",
                   "--provider", "azure")
    ids = {c["id"] for c in json.loads(proc.stdout)}
    assert "identity_remote_access_mfa" in ids and "continuity_plan_offline" not in ids


def test_checks_list_table_and_bad_filters():
    proc = run_cli("checks", "list", "--lesson", "sepa-2020")
    assert proc.returncode == 0 and "continuity_plan_offline" in proc.stdout
    assert_clean_error(run_cli("checks", "list", "--framework", "cobit"), "--framework")
    assert_clean_error(run_cli("checks", "list", "--lesson", "nope"), "nope")
    assert_clean_error(run_cli("checks", "list", "--format", "xml"), "--format")


def test_lessons_lists_incidents_with_their_checks():
    proc = run_cli("lessons", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = {e["lesson"]["id"]: e for e in json.loads(proc.stdout)}
    assert "identity_dormant_account" in data["hackney-2020"]["checks"]
    assert data["sepa-2020"]["lesson"]["sources"]
    one = run_cli("lessons", "sepa-2020")
    assert one.returncode == 0 and "continuity_plan_offline" in one.stdout
    assert_clean_error(run_cli("lessons", "atlantis-1999"), "atlantis-1999")
    assert run_cli("lessons", "--help").returncode == 0
