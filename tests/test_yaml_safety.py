"""YAML is data, never code; and paths named in resilience.yaml cannot leave its folder.

Every YAML file a user hands the tool (estate, policy, configuration, waivers, and scenarios
where they exist) is fed Python object tags: each is refused with one clean exit-2 error, and
the command they carry never runs. Every path in resilience.yaml that names a file or folder
(policy, waivers, AD exports and group members, checks folders, history, on-prem files) is
refused when it climbs out of the configuration's folder, directly or through a symbolic link.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from resilience.errors import InputError
from resilience.yamlfile import parse_yaml
from tests.cli_helpers import DATA, assert_clean_error, run_cli

ROOT = Path(__file__).resolve().parents[1]
MARKER = "PWNED-by-yaml"
PAYLOADS = {
    "apply": f'!!python/object/apply:os.system ["touch {MARKER}"]',
    "new": f'!!python/object/new:subprocess.check_output [["touch", "{MARKER}"]]',
    "name": "!!python/name:os.system",
    "module": "!!python/module:os",
    "object": "!!python/object:builtins.dict {}",
    "local tag": "!Ref secret",
}


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_object_tags_are_refused_by_the_parser(payload, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for text in (f"key: {payload}\n", f"items:\n  - {payload}\n", f"{payload}\n"):
        with pytest.raises(InputError) as err:
            parse_yaml(text, "hostile.yaml")
        assert "hostile.yaml" in str(err.value)
    assert not (tmp_path / MARKER).exists()


@pytest.fixture()
def small(tmp_path):
    target = tmp_path / "estate"
    shutil.copytree(DATA / "small", target)
    return target


def _config(small: Path, extra: str) -> None:
    (small / "resilience.yaml").write_text(
        "organisation: {name: Small Test Council}\nsources:\n  onprem: [estate.yaml]\n" + extra)


APPLY = PAYLOADS["apply"]
FILES = {
    "estate": ("estate.yaml", "", f"systems:\n  - id: x\n    name: {APPLY}\n    kind: server\n"),
    "policy": ("policy.yaml", "policy: policy.yaml\n", f"tiers: {APPLY}\n"),
    "config": ("resilience.yaml", None, f"organisation:\n  name: {APPLY}\n"),
    "waivers": ("waivers.yaml", "waivers: waivers.yaml\n",
                f"waivers:\n  - check: backup_system_has_copy\n    reason: {APPLY}\n"),
}


@pytest.mark.parametrize("kind", list(FILES))
def test_object_tags_in_user_files_are_a_clean_error(small, kind):
    name, config_line, body = FILES[kind]
    if config_line is not None:
        _config(small, config_line)
    (small / name).write_text(body)
    proc = run_cli("check", cwd=small)
    assert_clean_error(proc, name, "python/object/apply")
    assert not (small / MARKER).exists()


def test_object_tags_in_a_waivers_option_file(small):
    (small / "w.yaml").write_text(f"waivers: {PAYLOADS['new']}\n")
    assert_clean_error(run_cli("check", "--waivers", "w.yaml", cwd=small), "w.yaml:1")
    assert not (small / MARKER).exists()


def test_object_tags_in_scenario_files(small):
    scenarios = ROOT / "resilience" / "scenarios"
    if not scenarios.is_dir():
        pytest.skip("scenarios are not on this branch yet")
    (small / "scenario.yaml").write_text(f"id: x\nname: {APPLY}\n")
    proc = run_cli("simulate", "--scenario-file", "scenario.yaml", cwd=small)
    assert_clean_error(proc, "scenario.yaml")
    assert not (small / MARKER).exists()


def test_no_unsafe_yaml_loader_in_the_code():
    unsafe = re.compile(r"yaml\.(load|load_all|unsafe_load|full_load|add_constructor)\(|"
                        r"\b(Unsafe|Full)Loader\b|yaml\.(C?Loader|Unsafe\w*)\b|"
                        r"python/object")
    hits = []
    for folder in ("resilience", "checks", "playbooks"):
        for path in (ROOT / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if unsafe.search(line):
                    hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert hits == []


ESCAPES = {
    "policy": "policy: ../outside/policy.yaml\n",
    "waivers": "waivers: ../outside/waivers.yaml\n",
    "history": "history: ../outside/history.sqlite3\n",
    "checks folder": "checks:\n  folders: [../outside/checks]\n",
    "ad file": "sources:\n  ad:\n    - {file: ../outside/ad.csv, domain: corp.example}\n",
    "ad group members": "sources:\n  ad:\n    - {file: ad.csv, domain: corp.example, "
                        "group_members: ../outside/members.csv}\n",
    "onprem through a symlink": "sources:\n  onprem: [linked.yaml]\n",
}


@pytest.mark.parametrize("what", list(ESCAPES))
def test_config_paths_cannot_escape(small, what):
    outside = small.parent / "outside"
    (outside / "checks").mkdir(parents=True)
    (outside / "policy.yaml").write_text("tiers: {}\n")
    (outside / "waivers.yaml").write_text("waivers: []\n")
    shutil.copy(small / "estate.yaml", outside / "estate.yaml")
    (small / "ad.csv").write_text('"SamAccountName","Enabled","LastLogonDate"\n'
                                  '"a","True","2026-10-01 10:00:00"\n')
    shutil.copy(small / "ad.csv", outside / "ad.csv")
    shutil.copy(small / "ad.csv", outside / "members.csv")
    (small / "linked.yaml").symlink_to(outside / "estate.yaml")
    body = ESCAPES[what]
    if not body.startswith("sources:"):
        body = "sources:\n  onprem: [estate.yaml]\n" + body
    (small / "resilience.yaml").write_text(body)
    proc = run_cli("check", cwd=small)
    assert_clean_error(proc, "leaves the configuration's folder")
    assert not (outside / "history.sqlite3").exists()
    assert sorted(p.name for p in outside.iterdir()) == [
        "ad.csv", "checks", "estate.yaml", "members.csv", "policy.yaml", "waivers.yaml"]
