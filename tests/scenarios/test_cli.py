"""``resilience simulate`` and ``resilience playbook`` as a user runs them: subprocesses."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scenarios.util import FIXTURE

pytestmark = pytest.mark.slow


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copy(FIXTURE, tmp_path / "estate.yaml")
    (tmp_path / "resilience.yaml").write_text("sources:\n  onprem: [estate.yaml]\n")
    return tmp_path


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "resilience", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "CI": "1", "COLUMNS": "200"})


def test_simulate_json(workdir):
    out = cli(workdir, "simulate", "ransomware", "--format", "json")
    assert out.returncode == 0, out.stderr
    sim = json.loads(out.stdout)
    status = {s["id"]: s["status"] for s in sim["services"]}
    assert status["email"] == "running" and status["social-care"] == "down-unrecoverable"
    assert sim["restore_plan"][0]["system"] == "dc01"
    assert sim["restore_plan"][0]["duration"] == "10h"


def test_simulate_table_and_markdown_file(workdir):
    out = cli(workdir, "simulate", "site-loss", "--site", "town-hall")
    assert out.returncode == 0, out.stderr
    assert "down-unrecoverable" in out.stdout
    out = cli(workdir, "simulate", "ransomware", "-f", "markdown", "-o", "sim.md")
    assert out.returncode == 0, out.stderr
    assert "## Restore order" in (workdir / "sim.md").read_text()


def test_simulate_reads_a_snapshot(workdir):
    out = cli(workdir, "inventory", "--quiet", "--output", "snap.json")
    assert out.returncode == 0, out.stderr
    (workdir / "resilience.yaml").unlink()
    out = cli(workdir, "simulate", "identity-compromise", "--snapshot", "snap.json", "-f", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["parameters"] == {"domain": "corp.example.gov.uk"}


def test_playbook_writes_both_files(workdir):
    out = cli(workdir, "playbook", "ransomware", "--output-dir", "pb", "--as-of", "2026-11-01")
    assert out.returncode == 0, out.stderr
    assert (workdir / "pb" / "playbook-ransomware.md").exists()
    assert "<!DOCTYPE html>" in (workdir / "pb" / "playbook-ransomware.html").read_text()


def test_user_scenario_file(workdir):
    (workdir / "mine.yaml").write_text(
        "id: town-hall-flood\ntitle: Flood\nsummary: The basement floods.\n"
        "lessons: [ovhcloud-2021]\nsystems:\n  - when: {site: town-hall}\n    because: flooded\n")
    out = cli(workdir, "simulate", "--scenario-file", "mine.yaml", "-f", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["scenario"] == "town-hall-flood"


@pytest.mark.parametrize(("args", "words"), [
    (["simulate", "meteor"], "unknown scenario 'meteor'"),
    (["simulate", "site-loss", "--param", "site=nowhere"], "no site 'nowhere'"),
    (["simulate", "site-loss", "--param", "site"], "name=value"),
    (["simulate", "ransomware", "--site", "town-hall"], "has no parameter 'site'"),
    (["simulate", "ransomware", "--format", "xml"], "unknown format 'xml'"),
    (["simulate", "--scenario-file", "bad.yaml"], "bad.yaml:5: unknown key 'colour'"),
    (["playbook", "ransomware", "--config", "missing.yaml"], "missing.yaml"),
])
def test_errors_exit_2_with_one_clear_line(workdir, args, words):
    (workdir / "bad.yaml").write_text("id: bad\ntitle: Bad\nsummary: Bad.\nlessons: [hse-2021]\n"
                                      "colour: blue\n")
    out = cli(workdir, *args)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert words in out.stderr
    assert "Traceback" not in out.stderr
