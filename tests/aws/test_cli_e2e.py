"""End to end: moto's server on 127.0.0.1, an estate seeded over HTTP, the CLI as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from tests.aws.seed import ACCOUNT, DR_REGION, REGION, seed_estate

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
FAKE_KEY, FAKE_SECRET = "AKIDE2EFAKEKEY", "e2e-fake-secret-d41d8cd98f"


@pytest.fixture(scope="module")
def server():
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")  # the server runs in this process
        srv = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        srv.start()
        host, port = srv.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            srv.stop()


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": FAKE_KEY, "AWS_SECRET_ACCESS_KEY": FAKE_SECRET,
        "AWS_DEFAULT_REGION": REGION, "AWS_MAX_ATTEMPTS": "1",
        "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        # anything not addressed to loopback hits a dead local port instead of the internet
        "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost", "CI": "1",
    })
    return env


def _cli(url: str, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "resilience", "check", "--aws", "--region", REGION,
         "--region", DR_REGION, "--format", "json", "--show-passes", *args],
        cwd=cwd, env=_env(url), capture_output=True, text=True, timeout=300,
    )


def test_check_aws_against_moto_server(server, tmp_path):
    env = _env(server)

    def client(service: str, region: str):
        return boto3.client(service, region_name=region, endpoint_url=server,
                            aws_access_key_id="testing", aws_secret_access_key="testing",
                            config=Config(retries={"max_attempts": 1}))

    seeded = seed_estate(client, with_overlay=False, managed_policies=False)
    assert not (tmp_path / "resilience.yaml").exists()
    done = _cli(server, tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["schema_version"] >= 1
    findings = {(f["check_id"], f["asset_id"]): f for f in report["findings"]}
    # the database's automated backups are seen over HTTP, so it passes
    assert findings[("backup_system_has_copy", seeded.db)]["status"] == "pass"
    # the web server's protection is AWS Backup and DLM, which moto's server cannot list
    # (HTTP 500 or 404): that is a gap, and the check says it cannot tell, not pass or fail
    web = findings[("backup_system_has_copy", seeded.instance)]
    assert web["status"] == "error"
    assert f"not collected for aws:{ACCOUNT}:{REGION}:" in web["message"]
    scopes = {g["scope"] for g in report["gaps"]}
    assert f"aws:{ACCOUNT}:{REGION}:backup" in scopes and f"aws:{ACCOUNT}:{REGION}:dlm" in scopes
    assert report["summary"]["complete"] is False
    assert "collecting: AWS account" in done.stderr
    assert FAKE_KEY not in done.stdout and FAKE_SECRET not in done.stdout

    strict = _cli(server, tmp_path, "--strict")
    assert strict.returncode == 3

    snapshot = tmp_path / "estate.json"
    inv = subprocess.run(
        [sys.executable, "-m", "resilience", "inventory", "--aws", "--region", REGION, "-q",
         "--output", str(snapshot)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert inv.returncode == 0, inv.stderr
    estate = json.loads(snapshot.read_text())
    systems = {s["id"]: s for s in estate["systems"]}
    assert systems[seeded.instance]["tier"] == 1
    assert systems[seeded.instance]["services"] == ["revenues"]
    people = {a["name"]: a for a in estate["accounts"]}
    assert people["alice.admin"]["privileged"] is True and people["alice.admin"]["mfa"] is False
    assert "Correct-Horse" not in snapshot.read_text()
