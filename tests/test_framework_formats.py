"""``check --framework``: the per-control view appears in every output format."""

from __future__ import annotations

import json

import jsonschema
import pytest

from resilience.model import Status
from resilience.outputs.interface import OutputFormat, RenderContext, formatter
from resilience.outputs.json_format import report_json_schema
from resilience.pipeline import CheckRequest, EstateRequest, run_check
from tests.cli_helpers import DATA, run_cli
from tests.helpers import AS_OF


@pytest.fixture(scope="module")
def cis_report():
    request = CheckRequest(estate=EstateRequest(config=DATA / "small" / "resilience.yaml"),
                           as_of=AS_OF, framework="cis")
    report, loaded = run_check(request)
    return report, RenderContext(estate=loaded.estate)


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_format_shows_the_framework(cis_report, fmt):
    report, context = cis_report
    text = formatter(fmt).render(report, context)
    assert report.framework is not None
    control = next(c for c in report.framework.controls if c.status == "not-met")
    assert control.id in text, fmt
    assert "not-met" in text or "not met" in text, fmt


def test_json_view_validates_and_counts(cis_report):
    report, context = cis_report
    data = json.loads(formatter(OutputFormat.JSON).render(report, context))
    jsonschema.validate(data, report_json_schema())
    summary = data["framework"]["summary"]
    assert sum(summary.values()) == len(data["framework"]["controls"]) > 0


def test_view_follows_waived_findings(cis_report):
    report, _ = cis_report
    waived = [f.model_copy(update={"status": Status.WAIVED, "waiver": "accepted"})
              if f.status == Status.FAIL else f for f in report.findings]
    again = report.with_findings(waived)
    assert again.framework is not None
    assert again.framework.summary["not-met"] < report.framework.summary["not-met"]


def test_unknown_framework_is_a_usage_error(tmp_path):
    proc = run_cli("check", "--framework", "sox", "--config",
                   str(DATA / "small" / "resilience.yaml"), "--no-history", cwd=tmp_path)
    assert proc.returncode == 2 and "sox" in proc.stderr and "Traceback" not in proc.stderr
