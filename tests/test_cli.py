"""The CLI as a subprocess: exit codes, clean errors, JSON contract, lazy imports."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import jsonschema
import pytest

from resilience.outputs.json_format import report_json_schema
from tests.cli_helpers import DATA, assert_clean_error, run_cli


@pytest.fixture()
def small(tmp_path):
    target = tmp_path / "estate"
    shutil.copytree(DATA / "small", target)
    return target


def test_check_exit_codes(small):
    assert run_cli("check", cwd=small).returncode == 0
    assert run_cli("check", "--fail-on", "high", cwd=small).returncode == 1
    proc = run_cli("check", "--fail-on", "nonsense", cwd=small)
    assert_clean_error(proc, "--fail-on")


def test_check_json_matches_its_schema(small):
    proc = run_cli("check", "--format", "json", cwd=small)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    jsonschema.validate(data, report_json_schema())
    assert data["schema_version"] == 1
    finding = data["findings"][0]
    for key in ("check_id", "domain", "severity", "status", "asset_id", "message", "remediation"):
        assert key in finding
    assert {f["status"] for f in data["findings"]} <= {"pass", "fail", "error", "waived"}


def test_output_file_is_written(small):
    proc = run_cli("check", "--format", "markdown", "--output", "report.md", cwd=small)
    assert proc.returncode == 0, proc.stderr
    text = (small / "report.md").read_text()
    assert text.startswith("# Recovery readiness: Small Test Council")
    assert "&lt;b&gt;" in text and "<b>" not in text  # hostile service name stays text


def test_inventory_snapshot_round_trip(small):
    proc = run_cli("inventory", "--output", "snap.json", cwd=small)
    assert proc.returncode == 0, proc.stderr
    assert "Systems (2)" in proc.stdout
    direct = json.loads(run_cli("check", "-f", "json", "--as-of", "2026-11-01", cwd=small).stdout)
    again = run_cli("check", "--snapshot", "snap.json", "-f", "json", "--as-of", "2026-11-01",
                    cwd=small)
    assert again.returncode == 0, again.stderr
    from_snapshot = json.loads(again.stdout)
    assert direct["findings"] == from_snapshot["findings"]


def test_no_config_says_what_to_do(tmp_path):
    proc = run_cli("check", cwd=tmp_path)
    assert_clean_error(proc, "resilience init", "resilience demo")


@pytest.mark.parametrize("content,needles", [
    ("", ["estate.yaml", "empty"]),
    ("systems:\n  - id: a\n    name: [unclosed\n", ["estate.yaml:3", "YAML syntax error"]),
    ("systems:\n  - id: a\n    name: A\n    colour: blue\n", ["estate.yaml:4", "colour"]),
    ("systems:\n  - id: a\n    name: A\n    tier: high\n", ["estate.yaml:4", "tier"]),
    ("services:\n  - id: s\n    name: S\n    systems: [ghost]\n", ["estate.yaml:2", "ghost"]),
    ("systems:\n  - id: a\n    name: A\n    backups:\n      - {id: b, frequency: often}\n",
     ["estate.yaml:5", "often"]),
])
def test_bad_estate_files_get_one_clear_error(small, content, needles):
    (small / "estate.yaml").write_text(content)
    assert_clean_error(run_cli("check", cwd=small), *needles)


def test_missing_estate_file(small):
    (small / "estate.yaml").unlink()
    assert_clean_error(run_cli("check", cwd=small), "estate.yaml", "not found")


def test_bad_config_key(small):
    (small / "resilience.yaml").write_text("sources:\n  onprem: [estate.yaml]\nsauces: 1\n")
    assert_clean_error(run_cli("check", cwd=small), "resilience.yaml:3", "sauces")


def test_config_paths_cannot_escape(small):
    (small / "resilience.yaml").write_text("sources:\n  onprem: [../../etc/passwd]\n")
    assert_clean_error(run_cli("check", cwd=small), "leaves the configuration's folder")


def test_unknown_check_and_domain(small):
    assert_clean_error(run_cli("check", "--check", "nope", cwd=small), "nope")
    assert_clean_error(run_cli("check", "--domain", "nope", cwd=small), "--domain")


def test_unknown_options_and_bad_values_are_usage_errors(small):
    # Typer's vendored click raises its own exceptions, not click's: they must still exit 2.
    assert_clean_error(run_cli("check", "--bogus", cwd=small), "--bogus")
    assert_clean_error(run_cli("check", "--concurrency", "0", cwd=small), "--concurrency")
    assert_clean_error(run_cli("no-such-command", cwd=small), "no-such-command")


def test_help_does_not_import_cloud_sdks():
    code = ("import sys, runpy; sys.argv=['resilience','--help'];\n"
            "try:\n    runpy.run_module('resilience', run_name='__main__')\n"
            "except SystemExit: pass\n"
            "bad=[m for m in sys.modules if m.startswith(('boto3','botocore','azure'))]\n"
            "print('IMPORTED', bad)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "IMPORTED []" in proc.stdout, proc.stdout + proc.stderr


def test_version():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("resilience ")


def test_schema_command_emits_json_schema():
    proc = run_cli("schema", "estate")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    assert "systems" in schema["properties"]
    assert_clean_error(run_cli("schema", "nonsense"), "nonsense")


def test_an_interrupt_wrapped_by_a_library_still_exits_as_interrupted(monkeypatch, capsys):
    """pydantic's JSON encoder wraps a KeyboardInterrupt raised inside it in its own error;
    found by interrupting runs while they wrote JSON (exit 3 instead of 130)."""
    import resilience.cli as cli

    def wrapped(**_kwargs):
        cli._INTERRUPTS.append(15)
        raise RuntimeError("Error serializing to JSON: KeyboardInterrupt: ")

    monkeypatch.setattr(cli, "_INTERRUPTS", [])
    monkeypatch.setattr(cli, "app", wrapped)
    monkeypatch.setattr(cli, "_register", lambda: None)
    monkeypatch.setattr(cli, "_terminate_like_interrupt", lambda: None)
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 130
    assert "Interrupted; nothing was half-written." in capsys.readouterr().err


def test_leaving_at_once_only_when_the_cli_kept_a_large_result(monkeypatch):
    """Library callers never arm the quick exit, so nothing is kept for them; the CLI's large
    outputs are still whole when it leaves at once (the demo test reads a check's JSON from a
    pipe, larger than the pipe's buffer)."""
    from resilience import teardown

    monkeypatch.setattr(teardown, "_ARMED", [])
    monkeypatch.setattr(teardown, "_KEPT", [])
    teardown.keep(object())
    assert teardown._KEPT == []
    with pytest.raises(SystemExit) as exited:
        teardown.leave(1)
    assert exited.value.code == 1
    from pathlib import Path

    import resilience

    demo = Path(resilience.__file__).parent / "data" / "demo" / "resilience.yaml"
    proc = run_cli("check", "--config", str(demo), "-f", "json", "--no-history")
    assert proc.returncode in (0, 1) and len(proc.stdout) > 65536
    assert json.loads(proc.stdout)["findings"]


def test_inventory_tables_show_at_most_their_limit():
    """A large estate's tables show their first rows and say how many the snapshot holds."""
    import io

    from rich.console import Console

    from bench.synth import generate, to_snapshot
    from resilience.inventory_view import estate_tables
    from resilience.model import Estate

    estate = Estate.model_validate_json(to_snapshot(generate(30)))

    def shown(limit):
        buffer = io.StringIO()
        Console(file=buffer, width=200, no_color=True).print(estate_tables(estate, limit))
        return buffer.getvalue()

    whole, cut = shown(None), shown(10)
    assert "The first" not in whole
    assert f"The first 10 of {len(estate.systems):,};" in cut
    assert sum(s.id in whole for s in estate.systems) == len(estate.systems) == 30
    assert sum(s.id in cut for s in estate.systems) == 10
