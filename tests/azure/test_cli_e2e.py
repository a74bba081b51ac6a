"""End to end: ``python -m resilience check --azure`` as a subprocess against the fake ARM.

The subprocess signs in the way production does: azure-identity's default chain picks the
environment credential (a client secret) and asks the configured authority host, which the
same fake serves, for a token. The CA comes from REQUESTS_CA_BUNDLE; proxies point at a dead
local port so that nothing could leave the machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.azure.estate_data import DEV, TENANT, VM_APP1, VM_APP2

pytestmark = pytest.mark.slow


def _run(fake, tmp_path, *args):
    cfg = tmp_path / "resilience.yaml"
    cfg.write_text("sources:\n  azure:\n    cloud: custom\n"
                   f"    arm_endpoint: {fake.base_url}\n    authority_host: {fake.base_url}\n"
                   "    concurrency: 4\n")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AZURE_", "MSI_", "IDENTITY_", "REQUESTS_CA"))}
    env.update(AZURE_TENANT_ID=TENANT, AZURE_CLIENT_ID="00000000-0000-0000-0000-0000000000c1",
               AZURE_CLIENT_SECRET="test-client-secret", REQUESTS_CA_BUNDLE=fake.ca_path,
               HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9",
               NO_PROXY="127.0.0.1,localhost", CI="1")
    return subprocess.run([sys.executable, "-m", "resilience", *args, "-c", str(cfg)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=180)


def test_check_azure_json(fake, tmp_path):
    fake.forbidden = {DEV.lower()}
    proc = _run(fake, tmp_path, "check", "--azure", "--format", "json", "--include-passes")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    by_asset = {(f["check_id"], f["asset_id"]): f for f in report["findings"]}
    assert by_asset[("backup_system_has_copy", VM_APP1)]["status"] == "pass"
    assert by_asset[("backup_system_has_copy", VM_APP2)]["status"] == "fail"
    assert by_asset[("backup_system_has_copy", VM_APP1)]["hosting"] == "azure"
    gap_error = by_asset[("backup_system_has_copy", f"azure:{DEV}:recoveryservices")]
    assert gap_error["status"] == "error"
    assert {g["scope"] for g in report["gaps"]} >= {f"azure:{DEV}:recoveryservices"}
    # Signed in through the authority, then only reads with that token.
    authority = [r for r in fake.requests if r["target"] == "authority"]
    assert [r["method"] for r in authority] == ["GET", "POST"]
    for r in fake.arm_requests():
        assert r["authorization"] == "Bearer fake-token-from-authority"
        assert r["method"] == "GET" or r["path"].endswith("Microsoft.ResourceGraph/resources")
    assert "test-client-secret" not in proc.stdout + proc.stderr


def test_strict_exits_3_on_gaps(fake, tmp_path):
    fake.forbidden = {DEV.lower()}
    proc = _run(fake, tmp_path, "inventory", "--azure", "--strict", "--quiet")
    assert proc.returncode == 3, proc.stderr
    assert f"subscription {DEV}" in proc.stderr
