"""JUnit XML for CI test dashboards (Jenkins, GitLab): a suite per domain, a case per check and asset.

``fail`` is a ``<failure>`` carrying the message and the remediation, ``error`` (could not be
judged) an ``<error>``, ``waived`` a ``<skipped>`` with the waiver, ``pass`` a plain test case
(passes counted but not listed, the default on large estates, are one passing case per check).
A ``collection`` suite has one ``<error>`` case per collection gap (or one passing case when
every source was read) and the headline and notes as ``<system-out>``. All text goes through
ElementTree, so estate names are escaped; characters XML 1.0 cannot carry are dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from resilience.engine.interface import Finding
from resilience.engine.report import Report
from resilience.model import Domain, Status
from resilience.outputs.interface import Formatter, OutputFormat, RenderContext
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
    """The ``<testsuites>`` element for a report."""
    stamp = report.generated_at.strftime("%Y-%m-%dT%H:%M:%S")
    root = ET.Element("testsuites", {"name": xml_text(f"resilience: {report.organisation.name}")})
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for domain in Domain:
        findings = sorted((f for f in report.findings if f.domain == domain),
                          key=lambda f: (f.check_id, f.asset_id))
        counts = _counts(findings)
        suite = ET.SubElement(root, "testsuite", {"name": domain.value, **counts,
                                                  "timestamp": stamp})
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", {"name": "readiness_score",
                                          "value": str(report.summary.score)})
        for f in findings:
            _testcase(suite, f)
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
    for key, value in total.items():
        root.set(key, str(value))
    root.set("time", "0")
    return root


class JunitFormatter(Formatter):
    format = OutputFormat.JUNIT
    extension = "junit.xml"

    def render(self, report: Report, context: RenderContext) -> str:
        root = junit_tree(report)
        ET.indent(root)
        return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
