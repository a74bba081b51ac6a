"""The HTML report: self-contained, no script, the right sections, and rendered by a real browser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import resources

import pytest

from resilience.history import RunRecord
from resilience.outputs.html import HtmlFormatter
from resilience.outputs.interface import RenderContext
from tests.browser import chromium_or_skip, ink_ratio, pdf_pages, run_browser
from tests.report_fixtures import real_report, synthetic_report
from tests.test_outputs import assert_html_inert, html_elements


def _render(report=None, estate=None, history=()):
    if report is None:
        report, estate = real_report()
    return HtmlFormatter().render(report, RenderContext(estate=estate, history=list(history)))


def _runs(scores):
    start = datetime(2026, 10, 1, tzinfo=UTC)
    return [RunRecord(id=i + 1, recorded_at=start + timedelta(days=i), generated_at=start,
                      as_of=start, organisation="x", source=None, tool_version="t", score=s,
                      complete=True, total=10, gaps=0, by_status={"fail": 3})
            for i, s in enumerate(scores)]


def test_self_contained_and_scriptless():
    text = _render()
    parsed = html_elements(text)
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags and "link" not in tags and "iframe" not in tags
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, (tag, attrs)  # nothing is loaded from anywhere
        if "href" in attrs:
            assert tag == "a"
    assert "@import" not in text and "url(" not in text
    csp = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv")]
    assert "script-src" not in csp[0]["content"] and "default-src 'none'" in csp[0]["content"]
    assert "@media print" in text
    assert_html_inert(text)


def test_sections_for_a_reader():
    report, estate = real_report()
    text = _render(report, estate)
    for heading in ("This report is incomplete", "What drives the score", "Findings by domain",
                    "By recovery tier", "The worst gaps first", "By business service",
                    "Checks run, and why they matter", "What real incidents teach"):
        assert heading in text, heading
    assert "London Borough of Hackney ransomware" in text
    assert "Social care" in text and "Housing" in text
    assert f"Readiness {report.summary.score}/100" in text
    assert "PR.DS-11 (" in text  # framework ids come with their titles
    assert 'id="trend"' not in text  # no history, no trend


def test_trend_appears_with_history():
    text = _render(history=_runs([40, 55, 61]))
    assert 'id="trend"' in text and "<polyline" in text
    assert _render(history=_runs([40])).count('id="trend"') == 0


def test_waived_and_notes_are_shown():
    text = _render(synthetic_report(), None)
    assert "Accepted risks (waived)" in text and "Decommissioned in March" in text
    assert "A note for the reader." in text


def _browser_check(tmp_path, html: str, must_show: list[str], hostile: bool = True) -> None:
    binary = chromium_or_skip()
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    url = page.resolve().as_uri()
    profile = tmp_path / "profile"
    shot, pdf = tmp_path / "report.png", tmp_path / "report.pdf"
    run_browser(binary, profile, "--window-size=1280,1800", f"--screenshot={shot}", url)
    run_browser(binary, profile, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url)
    dom = run_browser(binary, profile, "--dump-dom", url)
    assert shot.exists() and ink_ratio(shot) > 0.02, "the page rendered blank"
    assert pdf.exists() and pdf_pages(pdf) >= 1 and pdf.stat().st_size > 10_000
    for text in must_show:
        assert text in dom, text
    for bad in ("Traceback", "UndefinedError", "{{", "{%"):
        assert bad not in dom, bad
    assert_html_inert(dom, shows_hostile=hostile)  # the parsed DOM has no script or img element


@pytest.mark.browser
def test_report_renders_in_chromium(tmp_path):
    report, estate = real_report()
    _browser_check(tmp_path, _render(report, estate, _runs([35, 20, report.summary.score])),
                   ["Recovery readiness", "The worst gaps first"])


@pytest.mark.browser
def test_demo_report_renders_in_chromium(tmp_path):
    if not resources.files("resilience.data").joinpath("demo").is_dir():
        pytest.skip("the demo estate is not bundled on this branch")
    from resilience.demo import run_demo

    result = run_demo(tmp_path / "demo")
    html = (tmp_path / "demo" / "resilience-report.html").read_text(encoding="utf-8")
    _browser_check(tmp_path, html, [result.estate.organisation.name, "By business service"],
                   hostile=False)


def test_large_services_are_capped_for_print():
    report = synthetic_report()
    base = next(f for f in report.findings if f.asset_id == "db1")
    many = [base.model_copy(update={"asset_id": f"db{i}", "asset_name": f"database {i}"})
            for i in range(100, 200)]
    text = _render(report.model_copy(update={"findings": report.findings + many}), None)
    assert "And 61 more; the JSON report lists every result." in text
