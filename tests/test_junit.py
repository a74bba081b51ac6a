"""JUnit XML: parsed back with ElementTree and its structure asserted, plus a golden file."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from resilience.engine.interface import Finding
from resilience.model import Domain, Severity, SourceRef, Status
from resilience.outputs.interface import RenderContext
from resilience.outputs.junit import JunitFormatter, xml_text
from tests.golden import assert_golden
from tests.report_fixtures import ARN, AZURE_ID, SCRIPT, real_report, synthetic_report


def _tree(report=None):
    text = JunitFormatter().render(report or synthetic_report(), RenderContext())
    return text, ET.fromstring(text)


def test_golden():
    text, _ = _tree()
    assert text.startswith("<?xml")
    assert_golden("synthetic.junit.xml", text)


def test_a_suite_per_domain_and_counts_add_up():
    _, root = _tree()
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {d.value for d in Domain} | {"collection"}
    for suite in suites.values():
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(c.find("failure") is not None for c in cases)
        assert int(suite.get("errors")) == sum(c.find("error") is not None for c in cases)
        assert int(suite.get("skipped")) == sum(c.find("skipped") is not None for c in cases)
    for key in ("tests", "failures", "errors", "skipped"):
        assert int(root.get(key)) == sum(int(s.get(key)) for s in suites.values())


def test_cases_carry_message_remediation_and_location():
    _, root = _tree()
    cases = {c.get("name"): c for c in root.iter("testcase")
             if not c.get("classname").startswith("collection.")}
    failed = cases[f"{SCRIPT} [db1]"]
    assert failed.get("classname") == "backup.backup_system_has_copy"
    assert failed.get("file") == "estate.yaml" and failed.get("line") == "9"
    failure = failed.find("failure")
    assert failure.get("type") == "critical"
    assert "What to do: Add the system to a backup job." in failure.get("message")
    assert "Declared at: estate.yaml:9" in failure.text
    assert cases[f"housing-db [{ARN}]"].find("failure") is not None
    assert cases["444455556666/eu-west-1"].find("error").get("type") == "not-judged"
    skipped = cases[f"care-vm1 [{AZURE_ID}]"].find("skipped")
    assert "Decommissioned in March" in skipped.get("message")
    assert cases["App server [app1]"].find("*") is None  # a pass has no child
    gap = root.find("testsuite[@name='collection']/testcase/error")
    assert gap.get("type") == "collection-gap" and "AccessDenied" in gap.get("message")


def test_control_characters_do_not_break_the_xml():
    report = synthetic_report()
    findings = [f.model_copy(update={"message": "bell\x07 and nul\x00 here"})
                for f in report.findings]
    _, root = _tree(report.model_copy(update={"findings": findings}))
    assert any("bell and nul here" in (e.get("message") or "") for e in root.iter("failure"))
    assert xml_text("a\x0bb\ttab") == "ab\ttab"


def test_real_report_parses():
    report, _ = real_report()
    _, root = _tree(report)
    assert int(root.get("tests")) == len(report.findings) + len(report.gaps)


def test_unlisted_passes_are_one_passing_case_per_check():
    report, _ = real_report(include_passes=False)
    assert report.omitted_passes  # rev-app passes
    _, root = _tree(report)
    cases = list(root.iter("testcase"))
    unlisted = [c for c in cases if c.get("name").endswith("passing result(s), not listed")]
    assert len(unlisted) == len(report.omitted_passes)
    for suite in root.findall("testsuite"):
        assert int(suite.get("tests")) == len(suite.findall("testcase"))


def test_written_in_batches_equal_to_the_whole_tree(monkeypatch):
    """Cases are serialised batch by batch into the suites' skeleton; the document must be
    the same as the whole tree indented and serialised at once, hostile names included."""
    from resilience.outputs import junit

    monkeypatch.setattr(junit, "BATCH", 3)  # many batches, and a short last one
    reports = [synthetic_report(), real_report()[0], real_report(include_passes=False)[0]]  # hostile
    framework = real_report()[0].with_framework("nist-csf")
    for report in [*reports, framework]:
        root = junit.junit_tree(report)
        ET.indent(root)
        whole = ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
        assert JunitFormatter().render(report, RenderContext()) == whole
    empty = synthetic_report().model_copy(update={"findings": []})
    assert ET.fromstring(JunitFormatter().render(empty, RenderContext())).get("tests") == "1"


_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)


@settings(max_examples=300, deadline=None)
@given(asset_id=_TEXT.filter(bool), name=st.none() | _TEXT, asset_type=_TEXT, message=_TEXT,
       title=_TEXT, remediation=_TEXT, status=st.sampled_from(list(Status)),
       severity=st.sampled_from(list(Severity)), tier=st.none() | st.integers(1, 9),
       services=st.lists(_TEXT, max_size=3), waiver=st.none() | _TEXT,
       location=st.none() | st.builds(SourceRef, file=_TEXT.filter(bool),
                                      line=st.none() | st.integers(0, 10**6)))
def test_case_text_equals_the_serialised_element(asset_id, name, asset_type, message, title,
                                                 remediation, status, severity, tier, services,
                                                 waiver, location):
    """The fast case writer gives exactly what ElementTree makes of ``_testcase``'s element,
    whatever the text (quotes, ampersands, line breaks, control characters)."""
    from resilience.outputs.junit import CaseText, _testcase

    f = Finding(check_id="backup_system_has_copy", title=title, domain=Domain.BACKUP,
                severity=severity, status=status, asset_id=asset_id, asset_name=name,
                asset_type=asset_type, tier=tier, services=services, message=message,
                remediation=remediation, location=location, waiver=waiver)
    holder = ET.Element("cases")
    _testcase(holder, f)
    ET.indent(holder[0], level=2)
    assert CaseText()(f) == ET.tostring(holder[0], encoding="unicode")
