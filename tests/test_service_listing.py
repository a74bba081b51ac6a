"""The per-service view of the HTML and Markdown reports stays readable on a large estate."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from resilience.engine.report import EstateCounts, summarise
from resilience.model import Organisation, Status
from resilience.outputs import view
from resilience.outputs.html import HtmlFormatter
from resilience.outputs.interface import RenderContext
from resilience.outputs.markdown import MarkdownFormatter
from resilience.outputs.view import (
    UNASSIGNED,
    ServiceView,
    service_listing,
    service_views,
    status_counts,
)
from tests.report_fixtures import TEST_META, _finding, real_report, synthetic_report


def _views(problems: list[int]) -> list[ServiceView]:
    report = synthetic_report()
    base = next(f for f in report.findings if f.status == Status.FAIL)
    out = []
    for i, n in enumerate(problems):
        items = [base.model_copy(update={"asset_id": f"s{i}-{k}"}) for k in range(n)]
        out.append(ServiceView(id=f"s{i}", name=f"S{i}", tier=1, owner=None,
                               counts=status_counts(items), problems=items))
    return out


def test_small_estates_are_listed_whole():
    views = _views([3, 0, 5])
    listing = service_listing(views)
    assert [v.id for v in listing.sections] == ["s0", "s1", "s2"]
    assert not listing.others and listing.others_problems == 0
    assert [len(v.problems) for v in listing.sections] == [3, 0, 5]
    assert all(v.more == 0 for v in listing.sections)


def test_each_service_lists_at_most_its_share():
    listing = service_listing(_views([50, 2]), per_service=40)
    assert [(len(v.problems), v.more) for v in listing.sections] == [(40, 10), (2, 0)]
    assert listing.sections[0].problem_count == 50


def test_the_first_services_are_laid_out_until_the_problems_are_listed():
    listing = service_listing(_views([30, 30, 30, 0, 7]), per_service=40, problems=50)
    # 30, then the 20 left of the budget (10 more), then every later service is counted
    assert [(v.id, len(v.problems), v.more) for v in listing.sections] == [
        ("s0", 30, 0), ("s1", 20, 10)]
    assert [v.id for v in listing.others] == ["s2", "s3", "s4"]
    assert listing.others_problems == 37
    shown = sum(len(v.problems) for v in listing.sections)
    assert shown + sum(v.more for v in listing.sections) + listing.others_problems == 97


def test_at_most_so_many_services_get_a_section():
    listing = service_listing(_views([1] * 10), sections=4)
    assert [v.id for v in listing.sections] == ["s0", "s1", "s2", "s3"]
    assert len(listing.others) == 6 and listing.others_problems == 6


def test_services_come_most_critical_tier_first_and_unassigned_last():
    report = synthetic_report()
    estate = SimpleNamespace(services=[
        SimpleNamespace(id="rev", name="Revenues", tier=2, owner="Finance"),
        SimpleNamespace(id="care", name="Care", tier=1, owner=None),
        SimpleNamespace(id="housing", name="Housing", tier=None, owner=None),
        SimpleNamespace(id="quiet", name="A quiet service", tier=1, owner=None)])
    views = service_views(report, estate)
    assert [v.id for v in views] == ["quiet", "care", "rev", "housing", UNASSIGNED]
    rev = views[2]
    assert rev.owner == "Finance" and rev.counts[Status.FAIL] == 1 and rev.counts[Status.PASS] == 1
    assert [f.status for f in rev.problems] == [Status.FAIL]  # passes are not problems
    care = views[1]
    assert [f.status for f in care.problems] == [Status.WAIVED]  # waived ones come last


def _large_report(services: int, per_service: int, include_passes: bool = False):
    """A report whose every service has ``per_service`` failures."""
    report = synthetic_report()
    base = next(f for f in report.findings if f.status == Status.FAIL)
    findings = [base.model_copy(update={"asset_id": f"sys-{i}-{k}", "asset_name": None,
                                        "services": [f"svc-{i:05d}"]})
                for i in range(services) for k in range(per_service)]
    if include_passes:
        findings.append(_finding(TEST_META, Status.PASS, "ok", services=["svc-00000"]))
    omitted = {} if include_passes else {TEST_META.id: 1234}
    return report.model_copy(update={
        "findings": findings, "gaps": [], "omitted_passes": omitted,
        "estate": EstateCounts(services=services, systems=services * per_service, backups=0,
                               accounts=0, gaps=0),
        "organisation": Organisation(name="Big Council"),
        "summary": summarise(findings, [], report.checks, omitted)})


def _estate(services: int):
    return SimpleNamespace(services=[
        SimpleNamespace(id=f"svc-{i:05d}", name=f"Service {i:05d}", tier=1 + i % 3, owner=None)
        for i in range(services)])


def test_a_large_estate_makes_a_bounded_html_page(monkeypatch):
    monkeypatch.setattr(view, "SERVICE_PROBLEMS_SHOWN", 100)  # defaults are read at call time
    report = _large_report(services=300, per_service=8)
    text = HtmlFormatter().render(report, RenderContext(estate=_estate(300)))
    rows = text[text.index('<section id="services">'):]
    rows = rows[:rows.index("</section>")]
    listed = rows.count("<td class=\"small todo-col\">")
    assert listed == 100  # problems listed: the budget, not 2,400
    assert "The other 287 services" in rows  # 100 problems = 12 services and a half
    assert "with 2,296 problems in all" in rows
    assert "the first 13 services only" in rows
    assert rows.count("<tr><td>Service ") == 287  # every other service has a row of counts
    assert "The JSON report lists every result." in rows
    # passes are counted, not listed: no service claims "0 passed" or draws a bar of them
    assert " passed." not in rows and "<svg" not in rows
    assert "Problems only: passing results are counted for the whole estate" in rows
    assert '<th class="n">passed</th>' not in rows


def test_the_html_page_counts_passes_per_service_when_they_are_listed(monkeypatch):
    monkeypatch.setattr(view, "SERVICE_PROBLEMS_SHOWN", 10)
    report = _large_report(services=5, per_service=4, include_passes=True)
    text = HtmlFormatter().render(report, RenderContext(estate=_estate(5)))
    rows = text[text.index('<section id="services">'):]
    assert "4 failed, 0 could not be judged, 0 waived, 1 passed." in rows
    assert '<th class="n">passed</th>' in rows and "Problems only" not in rows


def test_passes_counted_per_service_are_shown_on_each_card():
    report, estate = real_report(include_passes=False)
    assert report.omitted_passes and report.omitted_passes_by_service
    text = HtmlFormatter().render(report, RenderContext(estate=estate))
    section = text[text.index('<section id="services">'):]
    section = section[:section.index("</section>")]
    assert "Problems only" not in section
    for sv in service_views(report, estate):
        if sv.id == UNASSIGNED:
            assert not sv.passes_known
            continue
        passed = report.omitted_passes_by_service.get(sv.id, 0)
        assert sv.passes_known and sv.counts[Status.PASS] == passed
        assert (f"{sv.counts[Status.FAIL]} failed, {sv.counts[Status.ERROR]} could not be "
                f"judged, {sv.counts[Status.WAIVED]} waived, {passed} passed.") in section
    assert sum(report.omitted_passes_by_service.values()) > 0
    assert "(passes about no service are counted for the whole estate only)" in section
    assert section.count("<svg") == len(estate.services)  # a bar for each service, not for none


def test_an_old_report_without_passes_by_service_says_so():
    report, estate = real_report(include_passes=False)
    old = report.model_copy(update={"omitted_passes_by_service": {}})
    text = HtmlFormatter().render(old, RenderContext(estate=estate))
    section = text[text.index('<section id="services">'):]
    section = section[:section.index("</section>")]
    assert "Problems only: passing results are counted for the whole estate" in section
    assert " passed.</p>" not in section and "<svg" not in section


def test_waived_results_are_capped(monkeypatch):
    import resilience.outputs.html as html

    monkeypatch.setattr(html, "WAIVED_SHOWN", 3)
    report = synthetic_report()
    base = next(f for f in report.findings if f.status == Status.WAIVED)
    many = [base.model_copy(update={"asset_id": f"vm{i}"}) for i in range(5)]
    text = HtmlFormatter().render(report.model_copy(update={"findings": many}),
                                  RenderContext())
    section = text[text.index('<section id="waived">'):]
    assert section[:section.index("</section>")].count("<tr><td>") == 3
    assert "The first 3 of 5; the JSON report lists every one." in section


def test_a_large_estate_makes_a_bounded_markdown_report(monkeypatch):
    monkeypatch.setattr(view, "SERVICE_PROBLEMS_SHOWN", 100)
    report = _large_report(services=300, per_service=8)
    text = MarkdownFormatter().render(report, RenderContext(estate=_estate(300)))
    part = text[text.index("## By service"):text.index("## Checks run")]
    assert len(re.findall(r"^\| critical \| fail \|", part, re.M)) == 100
    assert "### The other 287 services with problems" in part
    assert "And 4 more; the JSON report lists every result." in part
    assert len(re.findall(r"^\| Service \d{5} \| [123] \| 8 \| 0 \| 0 \|$", part, re.M)) == 287
    assert "The JSON report lists every result." in part


def test_a_small_markdown_report_lists_every_problem():
    report, estate = real_report(include_passes=False)
    text = MarkdownFormatter().render(report, RenderContext(estate=estate))
    part = text[text.index("## By service"):text.index("## Checks run")]
    expected = sum(len(f.services or [UNASSIGNED]) for f in report.findings
                   if f.status != Status.PASS)
    assert len(re.findall(r"^\| (critical|high|medium|low|info) \|", part, re.M)) == expected
    assert "The other" not in part and "more; the JSON" not in part


@pytest.mark.parametrize("fmt", [HtmlFormatter, MarkdownFormatter])
def test_hostile_service_names_stay_inert_in_the_table_of_others(monkeypatch, fmt):
    monkeypatch.setattr(view, "SERVICE_SECTIONS_SHOWN", 0)  # every service is only counted
    report = _large_report(services=2, per_service=1)
    estate = SimpleNamespace(services=[
        SimpleNamespace(id="svc-00000", name="<script>alert(1)</script>", tier=1,
                        owner='"><img src=x>'),
        SimpleNamespace(id="svc-00001", name="a | b *c*", tier=2, owner=None)])
    text = fmt().render(report, RenderContext(estate=estate))
    assert "<script>alert(1)" not in text and "<img src=x>" not in text
    if fmt is MarkdownFormatter:
        assert "a \\| b \\*c\\*" in text


def test_the_worst_gaps_are_found_without_sorting_every_problem():
    import random

    from resilience.outputs.html import ASSETS_PER_GROUP, worst_groups
    from resilience.outputs.view import worst_first

    report, _ = real_report(include_passes=False)
    findings = list(report.findings)
    tiers = [None, 1, 2, 3]
    findings += [f.model_copy(update={"asset_id": f"{f.asset_id}-{i}",
                                      "tier": random.Random(i).choice(tiers)})
                 for i, f in enumerate(findings * 3)]
    random.Random(7).shuffle(findings)
    expected: dict[tuple, list] = {}
    for f in worst_first(findings):  # the whole sort, as the page used to do it
        expected.setdefault((f.check_id, f.status), []).append(f)
    groups = worst_groups(findings)
    assert [(g.first.check_id, g.first.status) for g in groups] == list(expected)
    for g in groups:
        whole = expected[(g.first.check_id, g.first.status)]
        assert g.first is whole[0] and len(g.findings) == len(whole)
        assert g.shown == whole[:ASSETS_PER_GROUP]
    assert worst_first(findings, 25) == worst_first(findings)[:25]


def test_counts_read_as_words(monkeypatch):
    from resilience.outputs.view import count

    assert count(1, "service", "the first") == "the first service"
    assert count(13, "service", "the first") == "the first 13 services"
    assert count(1, "problem") == "1 problem" and count(2296, "problem") == "2,296 problems"
    monkeypatch.setattr(view, "SERVICE_SECTIONS_SHOWN", 1)
    report = _large_report(services=2, per_service=1)
    html = HtmlFormatter().render(report, RenderContext(estate=_estate(2)))
    assert ("the problems of the first service only (most critical tier first, at most 40 "
            "each). The other service, with 1 problem in all, is counted") in html
    md = MarkdownFormatter().render(report, RenderContext(estate=_estate(2)))
    assert "### The other service with problems" in md
