"""The example pipelines and docs/ci.md: valid YAML, real options, file names the tool writes."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main
import yaml

import resilience.waivers
from resilience.cli import _register, app
from resilience.outputs.interface import OutputFormat
from resilience.outputs.write import output_paths
from resilience.waivers import load_waivers

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "resilience.yml"
GITLAB = ROOT / "examples" / "gitlab-ci.yml"
DOC = ROOT / "docs" / "ci.md"


def _written_name(fmt: OutputFormat) -> str:
    return output_paths([fmt, OutputFormat.JSON], Path("out"))[fmt].name


def _options(command: str) -> set[str]:
    _register()
    group = typer.main.get_command(app)
    cmd = group.commands[command]
    return {opt for p in cmd.params for opt in (*p.opts, *p.secondary_opts)}


def _check_flags(text: str) -> set[str]:
    """The --options given to `resilience check` in a shell script (line continuations joined)."""
    joined = text.replace("\\\n", " ")
    flags: set[str] = set()
    for line in joined.splitlines():
        if "resilience check" in line:
            flags |= set(re.findall(r"(--[a-z][a-z-]+)", line.split("resilience check", 1)[1]))
    return flags


def test_github_workflow():
    data = yaml.safe_load(WORKFLOW.read_text())
    triggers = data.get("on", data.get(True))
    assert triggers["schedule"][0]["cron"]
    assert data["permissions"]["security-events"] == "write"
    steps = data["jobs"]["check"]["steps"]
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    assert len(upload) == 1
    assert upload[0]["with"]["sarif_file"].endswith("/" + _written_name(OutputFormat.SARIF))
    script = "\n".join(s.get("run", "") for s in steps)
    flags = _check_flags(script)
    assert {"--format", "--output", "--fail-on", "--sarif-max-results"} <= flags
    assert flags <= _options("check"), flags - _options("check")
    assert "sarif" in script and _written_name(OutputFormat.JSON) in script


def test_gitlab_example():
    job = yaml.safe_load(GITLAB.read_text())["resilience"]
    assert job["artifacts"]["reports"]["junit"].endswith("/" + _written_name(OutputFormat.JUNIT))
    assert job["artifacts"]["when"] == "always"
    flags = _check_flags("\n".join(job["script"]))
    assert "--format" in flags and flags <= _options("check")


def _yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, flags=re.S)


def test_documented_waiver_examples_are_valid(tmp_path):
    docs = _yaml_blocks(DOC.read_text()) + _yaml_blocks(resilience.waivers.__doc__)
    examples = [b for b in docs if b.startswith("waivers:")]
    assert len(examples) == 2
    for i, block in enumerate(examples):
        path = tmp_path / f"w{i}.yaml"
        path.write_text(block)
        [waiver] = load_waivers(path)
        assert waiver.waiver.asset == "legacy-*"


def test_documented_commands_exist():
    text = DOC.read_text()
    for command in ("check", "history", "diff"):
        assert f"resilience {command}" in text
        _options(command)
    for flag in _check_flags(text):
        assert flag in _options("check"), flag
