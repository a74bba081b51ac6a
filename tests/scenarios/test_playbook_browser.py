"""The HTML playbook in headless Chromium: it loads from a file with the network off, keeps its
content, and prints to PDF (incident leads print it before the systems go)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from resilience.policy import default_policy
from resilience.scenarios.api import write_playbook
from tests.scenarios.util import AS_OF, fixture_estate

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="needs headless Chromium")]


def _chromium(*args: str) -> subprocess.CompletedProcess:
    # Proxy to a closed loopback port: any attempt to fetch something from the network fails.
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                           "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                           *args], capture_output=True, text=True, timeout=120)


def test_html_playbook_renders_offline_and_prints(tmp_path):
    paths = write_playbook(fixture_estate(), default_policy(), "ransomware", tmp_path,
                           as_of=AS_OF)
    html = next(p for p in paths if p.suffix == ".html")
    dom = _chromium("--dump-dom", html.as_uri())
    assert dom.returncode == 0, dom.stderr
    for text in ("1. The first hours", "3. Restore sequence", "Step 1: Domain controller DC01",
                 "6. Decision log", 'id="lesson-hackney-2020"'):
        assert text in dom.stdout, text
    pdf = tmp_path / "playbook.pdf"
    printed = _chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.as_uri())
    assert printed.returncode == 0, printed.stderr
    assert pdf.read_bytes()[:4] == b"%PDF" and pdf.stat().st_size > 20_000
