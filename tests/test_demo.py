"""``resilience demo`` end to end, as a new user runs it: no config, no credentials, no network."""

from __future__ import annotations

import json

import jsonschema

from resilience.outputs.json_format import report_json_schema
from tests.cli_helpers import run_cli


def test_demo_runs_the_whole_pipeline(tmp_path):
    out = tmp_path / "demo-out"
    proc = run_cli("demo", "--output-dir", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "London Borough of Northbridge" in text
    assert "business services" in text and "Readiness score" in text
    assert "The worst gaps" in text and str(out) in " ".join(text.split())
    report = json.loads((out / "resilience-report.json").read_text())
    jsonschema.validate(report, report_json_schema())
    assert report["estate"]["systems"] >= 30 and report["estate"]["services"] >= 10
    assert report["summary"]["by_status"]["fail"] > 0
    markdown = (out / "resilience-report.md").read_text()
    assert markdown.startswith("# Recovery readiness: London Borough of Northbridge")
    assert (out / "estate-snapshot.json").exists()
    assert not list(out.glob(".*.tmp"))


def test_demo_snapshot_checks_the_same_offline(tmp_path):
    out = tmp_path / "demo-out"
    assert run_cli("demo", "--output-dir", str(out), cwd=tmp_path).returncode == 0
    first = json.loads((out / "resilience-report.json").read_text())
    # The demo judges its estate as of a fixed date; so must the offline check, or the
    # comparison drifts with the calendar.
    again = run_cli("check", "--snapshot", str(out / "estate-snapshot.json"), "-f", "json",
                    "--as-of", first["as_of"], cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    second = json.loads(again.stdout)
    assert first["summary"]["by_status"] == second["summary"]["by_status"]
