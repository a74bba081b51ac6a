"""The check command's CI options as a subprocess: formats, waivers, baselines, history, diff."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from tests.cli_helpers import DATA, assert_clean_error, run_cli

WAIVER = """waivers:
  - check: backup_system_has_copy
    asset: db*
    reason: Replaced in January
    owner: it-ops
    expires: {expires}
"""


@pytest.fixture()
def small(tmp_path):
    target = tmp_path / "estate"
    shutil.copytree(DATA / "small", target)
    return target


def test_several_formats_at_once(small):
    proc = run_cli("check", "-f", "json,sarif,junit,html,markdown", "-o", "out", "--no-history",
                   cwd=small)
    assert proc.returncode == 0, proc.stderr
    out = small / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "resilience-report.html", "resilience-report.json", "resilience-report.junit.xml",
        "resilience-report.md", "resilience-report.sarif"]
    sarif = json.loads((out / "resilience-report.sarif").read_text())
    [result] = [r for r in sarif["runs"][0]["results"]
                if r["ruleId"] == "backup_system_has_copy"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "estate.yaml"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 9
    ET.parse(out / "resilience-report.junit.xml")
    assert "Revenues &lt;b&gt;" in (out / "resilience-report.html").read_text()
    assert_clean_error(run_cli("check", "-f", "json,sarif", "--no-history", cwd=small),
                       "--output")


def test_format_repeated_means_several(small):
    proc = run_cli("check", "--format", "json", "-f", "sarif", "-o", "out", "--no-history",
                   cwd=small)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (small / "out").iterdir()) == [
        "resilience-report.json", "resilience-report.sarif"]


def test_sarif_to_stdout(small):
    proc = run_cli("check", "-f", "sarif", "--no-history", cwd=small)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["version"] == "2.1.0"


def test_sarif_max_results(small):
    proc = run_cli("check", "-f", "sarif,json", "-o", "out", "--sarif-max-results", "1",
                   "--no-history", cwd=small)
    assert proc.returncode == 0, proc.stderr
    run = json.loads((small / "out" / "resilience-report.sarif").read_text())["runs"][0]
    problems = [f for f in json.loads((small / "out" / "resilience-report.json").read_text())[
        "findings"] if f["status"] != "pass"]
    assert len(run["results"]) == 1 and len(problems) > 1
    assert run["properties"]["resultsLeftOut"] == len(problems) - 1
    assert_clean_error(run_cli("check", "-f", "json", "--sarif-max-results", "5", "--no-history",
                               cwd=small), "--sarif-max-results needs --format sarif")
    assert_clean_error(run_cli("check", "-f", "sarif", "--sarif-max-results", "0", "--no-history",
                               cwd=small), "--sarif-max-results")


def test_waivers_option_and_config(small):
    only = ("--check", "backup_system_has_copy", "--no-history")  # db1 has no backup
    assert run_cli("check", "--fail-on", "critical", *only, cwd=small).returncode == 1
    (small / "waivers.yaml").write_text(WAIVER.format(expires="2099-01-01"))
    proc = run_cli("check", "--fail-on", "critical", "--waivers", "waivers.yaml", "-f", "json",
                   *only, cwd=small)
    assert proc.returncode == 0, proc.stderr
    [db1] = [f for f in json.loads(proc.stdout)["findings"]
             if f["asset_id"] == "db1" and f["check_id"] == "backup_system_has_copy"]
    assert db1["status"] == "waived" and db1["waiver"].startswith("Replaced in January")
    (small / "resilience.yaml").write_text((small / "resilience.yaml").read_text()
                                           + "waivers: waivers.yaml\n")
    assert run_cli("check", "--fail-on", "critical", *only, cwd=small).returncode == 0
    (small / "waivers.yaml").write_text(WAIVER.format(expires="2020-01-01"))
    proc = run_cli("check", "--fail-on", "critical", "-f", "markdown", *only, cwd=small)
    assert proc.returncode == 1
    assert "Waiver expired on 2020-01-01" in proc.stdout


def test_bad_waivers_file_is_a_clean_error(small):
    (small / "waivers.yaml").write_text(WAIVER.format(expires="soon"))
    assert_clean_error(run_cli("check", "--waivers", "waivers.yaml", cwd=small),
                       "waivers.yaml:6", "expires")


def test_baseline_shows_only_new_problems(small):
    only = ("--check", "backup_system_has_copy", "--no-history")
    proc = run_cli("check", "-f", "json", "-o", "baseline.json", *only, cwd=small)
    assert proc.returncode == 0, proc.stderr
    assert run_cli("check", "--baseline", "baseline.json", "--fail-on", "high", *only,
                   cwd=small).returncode == 0
    estate = small / "estate.yaml"
    estate.write_text(estate.read_text().replace(
        "  - {id: db1, name: DB, kind: database}",
        "  - {id: db1, name: DB, kind: database}\n  - {id: db2, name: DB2, kind: database}")
        .replace("systems: [app1, db1]", "systems: [app1, db1, db2]"))
    proc = run_cli("check", "--baseline", "baseline.json", "--fail-on", "high", "-f", "json",
                   *only, cwd=small)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert [f["asset_id"] for f in data["findings"] if f["status"] == "fail"] == ["db2"]
    assert any("1 new problem(s) shown, 1 known problem(s) hidden" in n for n in data["notes"])
    (small / "bad.json").write_text("[]")
    assert_clean_error(run_cli("check", "--baseline", "bad.json", cwd=small), "bad.json")


def test_history_trend_and_diff(small):
    db = small / "h.sqlite3"
    assert_clean_error(run_cli("check", "--history", "h.sqlite3", "--no-history", cwd=small),
                       "contradict")
    for _ in range(2):
        assert run_cli("check", "--history", str(db), cwd=small).returncode == 0
    proc = run_cli("check", "--history", str(db), "-f", "html", "-o", "r.html", cwd=small)
    assert proc.returncode == 0, proc.stderr
    assert 'id="trend"' in (small / "r.html").read_text()
    proc = run_cli("history", "--history", str(db), "-f", "json", cwd=small)
    assert proc.returncode == 0, proc.stderr
    runs = json.loads(proc.stdout)
    assert [r["id"] for r in runs] == [1, 2, 3]
    assert runs[0]["organisation"] == "Small Test Council"
    proc = run_cli("diff", "--history", str(db), "-f", "json", cwd=small)
    assert proc.returncode == 0, proc.stderr
    diff = json.loads(proc.stdout)
    assert (diff["run_a"]["id"], diff["run_b"]["id"]) == (2, 3)
    assert diff["new"] == [] and diff["fixed"] == [] and diff["score_change"] == 0
    table = run_cli("diff", "1", "2", "--history", str(db), cwd=small)
    assert table.returncode == 0 and "Run 1" in table.stdout
    assert_clean_error(run_cli("diff", "1", "9", "--history", str(db), cwd=small), "no run 9")


def test_history_from_config_and_default_location(small, tmp_path):
    (small / "resilience.yaml").write_text((small / "resilience.yaml").read_text()
                                           + "history: runs.sqlite3\n")
    assert run_cli("check", cwd=small).returncode == 0
    assert (small / "runs.sqlite3").exists()
    proc = run_cli("history", "-f", "json", cwd=small)  # reads history: from ./resilience.yaml
    assert proc.returncode == 0 and len(json.loads(proc.stdout)) == 1
    xdg = tmp_path / "xdg"
    (small / "resilience.yaml").write_text("organisation: {name: X}\nsources:\n"
                                           "  onprem: [estate.yaml]\n")
    assert run_cli("check", cwd=small, env={"XDG_DATA_HOME": str(xdg)}).returncode == 0
    assert (xdg / "resilience" / "history.sqlite3").exists()
    assert run_cli("check", "--no-history", cwd=small, env={"XDG_DATA_HOME": str(tmp_path / "n")}
                   ).returncode == 0
    assert not (tmp_path / "n").exists()
    assert_clean_error(run_cli("history", "--history", "missing.sqlite3", cwd=small),
                       "no history recorded yet")
    (tmp_path / "a-file").write_text("x")
    proc = run_cli("check", cwd=small, env={"XDG_DATA_HOME": str(tmp_path / "a-file")})
    assert proc.returncode == 0 and "warning: history not recorded" in proc.stderr
    proc = run_cli("check", "--history", str(tmp_path / "a-file" / "h.db"), cwd=small)
    assert proc.returncode == 3 and "cannot open the history database" in proc.stderr


def test_history_prune_and_history_keep(small):
    db = small / "h.sqlite3"
    for _ in range(3):
        assert run_cli("check", "--history", str(db), cwd=small).returncode == 0

    def run_ids() -> list[int]:
        proc = run_cli("history", "--history", str(db), "-f", "json", cwd=small)
        assert proc.returncode == 0, proc.stderr
        return [r["id"] for r in json.loads(proc.stdout)]

    proc = run_cli("history", "prune", "--history", str(db), "--keep", "2", cwd=small)
    assert proc.returncode == 0 and "Deleted 1 run(s)" in proc.stdout and "2 kept" in proc.stdout
    assert run_ids() == [2, 3]
    proc = run_cli("history", "prune", "--history", str(db), "--older-than", "0m", cwd=small)
    assert proc.returncode == 0 and run_ids() == [3]  # the newest run is never pruned
    assert_clean_error(run_cli("history", "prune", "--history", str(db), cwd=small),
                       "say what to prune")
    assert_clean_error(run_cli("history", "prune", "--history", str(db), "--older-than", "soon",
                               cwd=small), "--older-than")
    assert_clean_error(run_cli("history", "prune", "--history", "none.sqlite3", "--keep", "1",
                               cwd=small), "no history recorded yet")
    assert not (small / "none.sqlite3").exists()
    # history_keep: in resilience.yaml prunes after every check.
    (small / "resilience.yaml").write_text((small / "resilience.yaml").read_text()
                                           + "history_keep: 2\n")
    for _ in range(3):
        assert run_cli("check", "--history", str(db), cwd=small).returncode == 0
    assert run_ids() == [5, 6]
    (small / "resilience.yaml").write_text((small / "resilience.yaml").read_text()
                                           .replace("history_keep: 2", "history_keep: 0"))
    assert_clean_error(run_cli("check", "--history", str(db), cwd=small), "history_keep")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_history_recorded_while_files_are_written(small, tmp_path, workers):
    """Without a format that shows the trend, the run is recorded while the files are written
    (with a worker, by this process as the worker writes); it is recorded all the same, and a
    history that cannot be written leaves no file."""
    env = {"RESILIENCE_WORKERS": workers}
    db = small / "h.sqlite3"
    proc = run_cli("check", "-f", "json,sarif", "-o", "out", "--history", str(db), cwd=small,
                   env=env)
    assert proc.returncode == 0, proc.stderr
    runs = json.loads(run_cli("history", "--history", str(db), "-f", "json", cwd=small).stdout)
    report = json.loads((small / "out" / "resilience-report.json").read_text())
    assert len(runs) == 1 and runs[0]["score"] == report["summary"]["score"]
    (tmp_path / "a-file").write_text("x")
    proc = run_cli("check", "-f", "json,sarif", "-o", "out2", "--history",
                   str(tmp_path / "a-file" / "h.db"), cwd=small, env=env)
    assert proc.returncode == 3 and "cannot open the history database" in proc.stderr
    assert not (small / "out2").exists() or list((small / "out2").iterdir()) == []


def test_a_terminal_lists_the_most_severe_results_of_a_large_estate(tmp_path):
    """Thousands of results are not read on a screen: the terminal lists the most severe up
    to its limit and says where the rest are; a file gets them all."""
    from bench.synth import generate, to_snapshot
    from resilience.outputs.table import TERMINAL_LIMIT

    snapshot = tmp_path / "estate.json"
    snapshot.write_text(to_snapshot(generate(1000)))
    common = ("check", "--snapshot", str(snapshot), "--as-of", "2026-11-01", "--no-history")
    shown = run_cli(*common, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    findings = json.loads(run_cli(*common, "-f", "json", cwd=tmp_path).stdout)["findings"]
    problems = len(findings)
    assert problems > TERMINAL_LIMIT
    assert f"the {TERMINAL_LIMIT:,} most severe of {problems:,} results" in shown.stdout
    order = ["critical", "high", "medium", "low", "info"]
    most_severe = sorted((f["severity"] for f in findings), key=order.index)[:TERMINAL_LIMIT]
    entries = re.findall(r"^  (critical|high|medium|low|info) ", shown.stdout, re.M)
    assert Counter(entries) == Counter(most_severe)  # listed by service, chosen by severity
    written = run_cli(*common, "-f", "table,json", "-o", "out", cwd=tmp_path)
    text = (tmp_path / "out" / "resilience-report.txt").read_text()
    assert len(re.findall(r"^  (critical|high|medium|low|info) ", text, re.M)) == problems
    assert "most severe of" not in text and written.returncode == 0
