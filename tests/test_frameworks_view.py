"""The framework view of a report: met, not met and not assessed, and its renderings."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from resilience.catalogues import frameworks
from resilience.engine.registry import load_catalogue
from resilience.engine.run import run_checks
from resilience.errors import UsageError
from resilience.frameworks_view import (
    ControlStatus,
    FrameworkView,
    framework_renderable,
    framework_view,
    render_framework_markdown,
)
from resilience.policy import default_policy
from tests.helpers import AS_OF, estate_from

CATALOGUE = load_catalogue()


def report_for(data, check_ids, include_passes=True):
    checks = [CATALOGUE.get(c) for c in check_ids]
    return run_checks(estate_from(data), default_policy(), checks, now=AS_OF,
                      include_passes=include_passes)


def status_of(view: FrameworkView, control: str) -> ControlStatus:
    return next(c.status for c in view.controls if c.id == control)


def test_fail_means_not_met_pass_means_met_error_means_not_assessed():
    data = {"organisation": {"name": "Test <Council>"},
            "accounts": [{"id": "vpn", "name": "vpn", "source": "ad", "remote_access": True,
                          "mfa": False}],
            "plans": [{"id": "irp", "name": "IRP", "kind": "incident-response",
                       "offline_copy": True}]}
    report = report_for(data, ["identity_remote_access_mfa", "continuity_plan_offline",
                               "continuity_plan_reviewed"])
    cis = framework_view(report, "cis")
    assert status_of(cis, "6.4") == ControlStatus.NOT_MET          # remote MFA fails
    assert status_of(cis, "5.3") == ControlStatus.NOT_ASSESSED     # no check ran for it
    iso = framework_view(report, "iso27001")
    # A.5.29 rests on plan_offline (pass) only; A.5.24 also on plan_reviewed (error: no date).
    assert status_of(iso, "A.5.29") == ControlStatus.MET
    assert status_of(iso, "A.5.24") == ControlStatus.NOT_ASSESSED
    assert len(iso.controls) == len(frameworks()["iso27001"].controls)
    assert sum(iso.summary.values()) == len(iso.controls)


def test_passes_counted_but_not_listed_still_meet_a_control():
    data = {"plans": [{"id": "irp", "name": "IRP", "kind": "incident-response",
                       "offline_copy": True}]}
    report = report_for(data, ["continuity_plan_offline"], include_passes=False)
    assert not report.findings and report.omitted_passes
    view = framework_view(report, "iso27001")
    assert status_of(view, "A.5.29") == ControlStatus.MET


def test_a_control_whose_checks_judged_nothing_is_not_assessed():
    report = report_for({"accounts": [{"id": "u", "name": "u", "source": "ad"}]},
                        ["identity_break_glass_monitored"])
    view = framework_view(report, "caf")
    control = next(c for c in view.controls if c.id == "C1.a")
    assert control.status == ControlStatus.NOT_ASSESSED and control.checks
    assert "nothing in scope" in control.reason


@pytest.mark.parametrize("alias", ["nist-csf", "NIST_CSF", "csf"])
def test_aliases_reach_the_same_framework(alias):
    report = report_for({"accounts": []}, ["identity_privileged_mfa"])
    assert framework_view(report, alias).framework == "nist_csf"


def test_unknown_framework_is_a_usage_error_listing_choices():
    report = report_for({"accounts": []}, ["identity_privileged_mfa"])
    with pytest.raises(UsageError, match="nist-csf"):
        framework_view(report, "cobit")


def test_renderings_escape_and_show_every_control():
    data = {"organisation": {"name": "Evil | <script>"},
            "accounts": [{"id": "a", "name": "a", "source": "ad", "privileged": True,
                          "mfa": False}]}
    view = framework_view(report_for(data, ["identity_privileged_mfa"]), "cis")
    text = render_framework_markdown(view)
    assert "<script>" not in text and "&lt;script&gt;" in text and "Evil \\|" in text
    assert "| 6.5 |" in text and "**not met**" in text
    assert text.count("\n| ") == len(view.controls) + 1  # header + one row per control
    buf = io.StringIO()
    Console(file=buf, width=200, color_system=None).print(framework_renderable(view))
    assert "not-met" in buf.getvalue() and "identity_privileged_mfa" in buf.getvalue()
    again = FrameworkView.model_validate_json(view.model_dump_json())
    assert again == view
