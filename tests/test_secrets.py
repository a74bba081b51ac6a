"""Secrets never leave: credential-looking values seeded into an estate reach no output at all.

The estate is an on-prem YAML file and an AD export, read through the real CLI; every format,
the snapshot, the history database and the logs are searched for the seeded secrets.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from tests.cli_helpers import run_cli

pytestmark = pytest.mark.slow

JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtYmFja3VwIiwicm9sZSI6ImFkbWluIn0"
       ".c2lnbmF0dXJlLW5vdC1yZWFsLWJ1dC1sb25nLWVub3VnaA")
ACCOUNT_KEY = "Zm9vYmFyYmF6cXV4c2VjcmV0a2V5bWF0ZXJpYWwxMjM0NTY3ODkwYWJjZGVm=="
SECRETS = {
    "tag password": "Hunter2-Secret!",
    "AWS key id": "AKIAIOSFODNN7EXAMPLE",
    "description password": "S3cr3t!",
    "storage account key": ACCOUNT_KEY,
    "JWT": JWT,
    "AD Password column": "AdColumnP@ssw0rd-77",
    "AD unicodePwd column": "IgBQAGEAcwBzAHcAbwByAGQAMQAiAA==",
    "AD description password": "Desc-Pa55word-91",
    "fallback token": "fallback-token-5f2b9c",
    "plan location secret": "PlanVaultPin-4471",
    "supplier contact secret": "SupplierSecret-8812",
}
CONNECTION_STRING = ("DefaultEndpointsProtocol=https;AccountName=councilbackups;"
                     f"AccountKey={ACCOUNT_KEY};EndpointSuffix=core.windows.net")


def _estate() -> dict:
    return {
        "organisation": {"name": "Leaky Borough Council"},
        "trust_domains": [{"id": "corp.example", "name": "CORP", "kind": "ad-domain"}],
        "services": [{
            "id": "revenues", "name": "Revenues", "tier": 1, "owner": "Head of Revenues",
            "description": f"Council tax billing; service login password={SECRETS['description password']}",
            "systems": ["rev-app", "rev-db"], "suppliers": ["acme"],
            "manual_fallback": {
                "description": f"Paper forms; portal token: {SECRETS['fallback token']}",
                "reentry_plan": f"Keyed in later via {CONNECTION_STRING}"},
        }],
        "systems": [
            {"id": "rev-app", "name": "Revenues app", "kind": "server",
             "identity_domain": "corp.example",
             "tags": {"db-password": SECRETS["tag password"],
                      "deploy-user": SECRETS["AWS key id"],
                      "storage": CONNECTION_STRING,
                      "session": f"Bearer {JWT}"},
             "backups": [{"id": "rev-app-nightly", "frequency": "24h", "retention": "35d"}]},
            {"id": "rev-db", "name": "Revenues database", "kind": "database",
             "identity_domain": "corp.example", "tags": {"note": f"jwt {JWT}"}},
        ],
        "plans": [{"id": "ir-plan", "name": "Incident response plan", "kind": "incident-response",
                   "location": f"Safe in room B2, pin secret={SECRETS['plan location secret']}",
                   "offline_copy": True, "last_reviewed": "2026-06-01"}],
        "suppliers": [{"id": "acme", "name": "Acme Revenues Ltd", "remote_access": True,
                       "contact": f"ops@acme.example password: {SECRETS['supplier contact secret']}"}],
    }


def _ad_export(path: Path) -> None:
    rows = [{
        "SamAccountName": "svc-backup", "Enabled": "True", "LastLogonDate": "2026-10-20 09:00:00",
        "Description": f"Backup service account password={SECRETS['AD description password']}",
        "MemberOf": "CN=Backup Operators,CN=Builtin,DC=corp,DC=example",
        "Password": SECRETS["AD Password column"],
        "unicodePwd": SECRETS["AD unicodePwd column"],
    }, {
        "SamAccountName": "j.bloggs", "Enabled": "True", "LastLogonDate": "2026-10-30 08:00:00",
        "Description": "Revenues officer", "MemberOf": "",
        "Password": "AnotherColumnSecret-1", "unicodePwd": "AnotherPwdSecret-2",
    }]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, bytes]:
    """Every artefact a user, a CI log or the history database could hold, as bytes."""
    work = tmp_path_factory.mktemp("secrets")
    (work / "estate.yaml").write_text(yaml.safe_dump(_estate(), sort_keys=False))
    _ad_export(work / "ad-users.csv")
    (work / "resilience.yaml").write_text(yaml.safe_dump({
        "organisation": {"name": "Leaky Borough Council"},
        "sources": {"onprem": ["estate.yaml"],
                    "ad": [{"file": "ad-users.csv", "domain": "corp.example"}]},
        "history": "history.sqlite3"}))
    got: dict[str, bytes] = {}
    runs = {
        "check all formats": ("check", "--format", "json,sarif,junit,html,markdown", "--output",
                              "out", "--show-passes", "--as-of", "2026-11-01"),
        "check table": ("check", "--show-passes", "--as-of", "2026-11-01"),
        "check framework json": ("check", "--format", "json", "--framework", "caf",
                                 "--no-history"),
        "inventory table": ("inventory",),
        "inventory snapshot": ("inventory", "--output", "snapshot.json"),
        "simulate table": ("simulate", "ransomware", "--directory", "corp.example"),
        "simulate json": ("simulate", "ransomware", "--directory", "corp.example", "-f", "json"),
        "simulate markdown": ("simulate", "ransomware", "--directory", "corp.example", "-f",
                              "markdown"),
        "playbook": ("playbook", "ransomware", "--directory", "corp.example", "-o", "playbooks"),
        "history": ("history",),
        "history diff": ("diff",),
    }
    for label, args in runs.items():
        proc = run_cli(*args, cwd=work)
        assert proc.returncode in (0, 1), (label, proc.stderr)
        got[f"{label} stdout"] = proc.stdout.encode()
        got[f"{label} stderr"] = proc.stderr.encode()
    snap = run_cli("check", "--snapshot", "snapshot.json", "--format", "json", "--no-history",
                   cwd=work)
    assert snap.returncode in (0, 1), snap.stderr
    got["check from snapshot stdout"] = snap.stdout.encode()
    for path in sorted(work.rglob("*")):
        if path.is_file() and path.name not in ("estate.yaml", "ad-users.csv"):
            got[str(path.relative_to(work))] = path.read_bytes()
    return got


def test_every_artefact_was_produced(outputs):
    names = set(outputs)
    for expected in ("out/resilience-report.json", "out/resilience-report.sarif",
                     "out/resilience-report.junit.xml", "out/resilience-report.html",
                     "out/resilience-report.md", "snapshot.json", "history.sqlite3"):
        assert expected in names, sorted(names)
    assert [n for n in names if n.startswith("playbooks/")], sorted(names)
    assert b"Revenues" in outputs["simulate json stdout"]
    # The estate really was read: the accounts and the tagged system are in the outputs,
    # so a missing secret means it was kept out, not that nothing was rendered.
    report = json.loads(outputs["out/resilience-report.json"])
    assets = {f["asset_id"] for f in report["findings"]}
    assert "rev-app" in assets and any("svc-backup" in a for a in assets)
    snapshot = json.loads(outputs["snapshot.json"])
    tags = {s["id"]: s["tags"] for s in snapshot["systems"]}["rev-app"]
    assert set(tags) == {"db-password", "deploy-user", "storage", "session"}
    assert b"Council tax billing" in outputs["snapshot.json"]  # legitimate text is kept


@pytest.mark.parametrize("secret", list(SECRETS), ids=list(SECRETS))
def test_no_secret_in_any_output(outputs, secret):
    value = SECRETS[secret].encode()
    forms = {value, value.replace(b"!", b"\\!"), json.dumps(SECRETS[secret])[1:-1].encode()}
    leaks = sorted(name for name, data in outputs.items() if any(f in data for f in forms))
    assert leaks == [], f"{secret} leaked into {leaks}"


def test_no_secret_in_the_history_wal_either(outputs):
    # A database still in WAL mode holds its newest pages beside it; the fixture read all files,
    # so any -wal file is covered above. This proves the database was read at all.
    assert outputs["history.sqlite3"].startswith(b"SQLite format 3")
