"""JUnit XML for CI test dashboards (Jenkins, GitLab): a suite per domain, a case per check and asset.

``fail`` is a ``<failure>`` carrying the message and the remediation, ``error`` (could not be
judged) an ``<error>``, ``waived`` a ``<skipped>`` with the waiver, ``pass`` a plain test case
(passes counted but not listed, the default on large estates, are one passing case per check).
A ``collection`` suite has one ``<error>`` case per collection gap (or one passing case when
every source was read) and the headline and notes as ``<system-out>``. All text goes through
ElementTree, so estate names are escaped; characters XML 1.0 cannot carry are dropped.

A large estate has hundreds of thousands of cases: the document is written in batches of
cases spliced into the indented skeleton of its suites, never built or held whole (a tree of
463,872 cases took 2.5 GB). A test holds it equal, byte for byte, to the whole tree indented
and serialised at once (``junit_tree``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path

from resilience.engine.interface import Finding
from resilience.engine.report import Report
from resilience.model import Domain, Status
from resilience.outputs.interface import OutputFormat, RenderContext, StreamedFormatter
from resilience.outputs.jsonstream import Part
from resilience.outputs.view import headline

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """Text XML 1.0 can carry (control characters removed); escaping is ElementTree's job."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def _relative(file: str) -> str:
    path = Path(file)
    if path.is_absolute():
        try:
            return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def _case_name(f: Finding) -> str:
    if f.asset_name and f.asset_name != f.asset_id:
        return f"{f.asset_name} [{f.asset_id}]"
    return f.asset_id


def _details(f: Finding) -> str:
    lines = [
        f"{f.title} ({f.check_id}, {f.severity.value})",
        f"Asset: {f.asset_type} {f.asset_id}" + (f" ({f.asset_name})" if f.asset_name else ""),
        f"Found: {f.message}",
        f"What to do: {f.remediation}",
    ]
    if f.location is not None:
        where = f.location.file + (f":{f.location.line}" if f.location.line else "")
        lines.append(f"Declared at: {where}")
    if f.tier is not None:
        lines.append(f"Tier: {f.tier}")
    if f.services:
        lines.append(f"Services: {', '.join(f.services)}")
    return "\n".join(lines)


def _testcase(parent: ET.Element, f: Finding) -> None:
    case = ET.SubElement(parent, "testcase", {
        "classname": xml_text(f"{f.domain.value}.{f.check_id}"),
        "name": xml_text(_case_name(f)),
        "time": "0",
    })
    if f.location is not None:
        case.set("file", xml_text(_relative(f.location.file)))
        if f.location.line:
            case.set("line", str(f.location.line))
    if f.status == Status.FAIL:
        child = ET.SubElement(case, "failure", {
            "message": xml_text(f"{f.message} What to do: {f.remediation}"),
            "type": f.severity.value,
        })
        child.text = xml_text(_details(f))
    elif f.status == Status.ERROR:
        child = ET.SubElement(case, "error", {
            "message": xml_text(f"Could not be judged: {f.message}"),
            "type": "not-judged",
        })
        child.text = xml_text(_details(f))
    elif f.status == Status.WAIVED:
        ET.SubElement(case, "skipped", {"message": xml_text(f"Waived: {f.waiver or ''}")})


def _counts(findings: list[Finding]) -> dict[str, str]:
    return {
        "tests": str(len(findings)),
        "failures": str(sum(f.status == Status.FAIL for f in findings)),
        "errors": str(sum(f.status == Status.ERROR for f in findings)),
        "skipped": str(sum(f.status == Status.WAIVED for f in findings)),
        "time": "0",
    }


def junit_tree(report: Report) -> ET.Element:
    """The ``<testsuites>`` element for a report, every case in it."""
    root, cases = _skeleton(report)
    for suite in root.iter("testsuite"):
        spot = suite.find(_CASES)
        if spot is not None:
            at = list(suite).index(spot)
            suite.remove(spot)
            holder = ET.Element("cases")
            for f in cases[Domain(suite.get("name"))]:
                _testcase(holder, f)
            suite[at:at] = list(holder)
    return root


_CASES = "resilience-cases"  # where a suite's cases go in the skeleton


def _skeleton(report: Report) -> tuple[ET.Element, dict[Domain, list[Finding]]]:
    """The ``<testsuites>`` element with a placeholder where each suite's finding cases go,
    and those findings by domain, in order."""
    stamp = report.generated_at.strftime("%Y-%m-%dT%H:%M:%S")
    root = ET.Element("testsuites", {"name": xml_text(f"resilience: {report.organisation.name}")})
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    by_domain: dict[Domain, list[Finding]] = {domain: [] for domain in Domain}
    for f in report.findings:
        by_domain[f.domain].append(f)
    for domain in Domain:
        findings = by_domain[domain]
        findings.sort(key=lambda f: (f.check_id, f.asset_id))
        counts = _counts(findings)
        suite = ET.SubElement(root, "testsuite", {"name": domain.value, **counts,
                                                  "timestamp": stamp})
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", {"name": "readiness_score",
                                          "value": str(report.summary.score)})
        if findings:
            ET.SubElement(suite, _CASES)
        for meta in report.checks:  # passes counted but not listed: one passing case each
            unlisted = report.omitted_passes.get(meta.id, 0)
            if meta.domain == domain and unlisted:
                ET.SubElement(suite, "testcase", {
                    "classname": xml_text(f"{domain.value}.{meta.id}"),
                    "name": f"{unlisted} passing result(s), not listed", "time": "0"})
                counts["tests"] = str(int(counts["tests"]) + 1)
                suite.set("tests", counts["tests"])
        for key in total:
            total[key] += int(counts[key])
    gaps = ET.SubElement(root, "testsuite", {
        "name": "collection", "tests": str(max(1, len(report.gaps))), "failures": "0",
        "errors": str(len(report.gaps)), "skipped": "0", "time": "0", "timestamp": stamp,
    })
    if report.gaps:
        for gap in report.gaps:
            case = ET.SubElement(gaps, "testcase", {
                "classname": xml_text(f"collection.{gap.source.value}"),
                "name": xml_text(gap.scope), "time": "0"})
            kinds = ", ".join(k.value for k in gap.kinds)
            err = ET.SubElement(case, "error", {
                "message": xml_text(f"Could not read {kinds}: {gap.reason}"),
                "type": "collection-gap"})
            err.text = xml_text(f"{gap.source.value} could not read {kinds} in {gap.scope}: "
                                f"{gap.reason}. Checks that need this data report errors.")
    else:
        ET.SubElement(gaps, "testcase", {"classname": "collection.sources",
                                         "name": "every source was read", "time": "0"})
    out = ET.SubElement(gaps, "system-out")
    out.text = xml_text("\n".join([headline(report), *report.notes]))
    total["tests"] += max(1, len(report.gaps))
    total["errors"] += len(report.gaps)
    if report.framework is not None:
        for key, value in _framework_suite(root, report, stamp).items():
            total[key] += value
    for key, value in total.items():
        root.set(key, str(value))
    root.set("time", "0")
    return root, by_domain


def _framework_suite(root: ET.Element, report: Report, stamp: str) -> dict[str, int]:
    """A suite per framework: a case per control; not met fails, not assessed is skipped."""
    from resilience.frameworks_view import ControlStatus

    view = report.framework
    counts = {"tests": len(view.controls), "failures": view.summary[ControlStatus.NOT_MET],
              "errors": 0, "skipped": view.summary[ControlStatus.NOT_ASSESSED]}
    suite = ET.SubElement(root, "testsuite", {
        "name": xml_text(f"framework {view.name}"), **{k: str(v) for k, v in counts.items()},
        "time": "0", "timestamp": stamp})
    for c in view.controls:
        case = ET.SubElement(suite, "testcase", {
            "classname": xml_text(f"framework.{view.framework}"),
            "name": xml_text(f"{c.id} {c.title}"), "time": "0"})
        checks = ", ".join(o.check_id for o in c.checks) or "none"
        if c.status == ControlStatus.NOT_MET:
            fail = ET.SubElement(case, "failure", {"message": xml_text(c.reason),
                                                   "type": "not-met"})
            fail.text = xml_text(f"{c.reason} Checks: {checks}.")
        elif c.status == ControlStatus.NOT_ASSESSED:
            ET.SubElement(case, "skipped", {"message": xml_text(c.reason)})
    return counts


BATCH = 2000
_CASE_INDENT = "\n    "  # a case sits at the third level: testsuites > testsuite > testcase


class JunitFormatter(StreamedFormatter):
    format = OutputFormat.JUNIT
    extension = "junit.xml"
    cost = 4.4

    def parts(self, report: Report, context: RenderContext,
              cuts: Sequence[float] = ()) -> list[Part]:
        """One piece, written batch by batch: the indented skeleton, with each suite's cases
        serialised in batches where its placeholder was."""
        return [lambda: _chunks(report)]


def _chunks(report: Report) -> Iterator[bytes]:
    root, cases = _skeleton(report)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
    placeholder = f"<{_CASES} />"
    pieces = text.split(placeholder)
    domains = [Domain(s.get("name")) for s in root.iter("testsuite") if s.find(_CASES) is not None]
    if len(pieces) != len(domains) + 1:
        raise ValueError("an estate name looks like the cases' placeholder")  # escaped: never
    case = CaseText()
    yield pieces[0].encode()
    for domain, after in zip(domains, pieces[1:], strict=True):
        findings = cases[domain]
        for low in range(0, len(findings), BATCH):
            batch = _CASE_INDENT.join(map(case, findings[low:low + BATCH]))
            yield ((_CASE_INDENT if low else "") + batch).encode()
        yield after.encode()


def _attribute(text: str) -> str:
    """An attribute value escaped as ElementTree escapes it."""
    for plain, escaped in _IN_ATTRIBUTES:
        if plain in text:
            text = text.replace(plain, escaped)
    return text


def _character_data(text: str) -> str:
    """Element text escaped as ElementTree escapes it."""
    for plain, escaped in _IN_ATTRIBUTES[:3]:
        if plain in text:
            text = text.replace(plain, escaped)
    return text


_IN_ATTRIBUTES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
                  ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


class CaseText:
    """A finding's test case as the text ``_testcase``'s element serialises to, indented at
    its level in the document: hundreds of thousands of cases are written without building
    elements. A test holds the two equal, hostile text included."""

    def __init__(self) -> None:
        self._files: dict[str, str] = {}  # files repeat, and making them relative is slow

    def _file(self, file: str) -> str:
        text = self._files.get(file)
        if text is None:
            text = self._files[file] = _attribute(xml_text(_relative(file)))
        return text

    def __call__(self, f: Finding) -> str:
        head = (f'<testcase classname="{_attribute(xml_text(f"{f.domain.value}.{f.check_id}"))}"'
                f' name="{_attribute(xml_text(_case_name(f)))}" time="0"')
        if f.location is not None:
            head += f' file="{self._file(f.location.file)}"'
            if f.location.line:
                head += f' line="{f.location.line}"'
        if f.status == Status.FAIL:
            message = _attribute(xml_text(f"{f.message} What to do: {f.remediation}"))
            child = (f'<failure message="{message}" type="{f.severity.value}">'
                     f"{_character_data(xml_text(_details(f)))}</failure>")
        elif f.status == Status.ERROR:
            message = _attribute(xml_text(f"Could not be judged: {f.message}"))
            child = (f'<error message="{message}" type="not-judged">'
                     f"{_character_data(xml_text(_details(f)))}</error>")
        elif f.status == Status.WAIVED:
            waiver = _attribute(xml_text(f"Waived: {f.waiver or ''}"))
            child = f'<skipped message="{waiver}" />'
        else:
            return head + " />"
        return f"{head}>\n      {child}\n    </testcase>"
