"""SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning, Azure DevOps, IDE viewers).

Choices a reader of the output should know:

- One rule per check that ran, with the rationale, the remediation, the incidents that teach it
  and the framework references as help text; ``properties.security-severity`` and ``tags`` so
  GitHub ranks it; ``defaultConfiguration.level`` mapped from the severity.
- A result's message says what is wrong with which asset; what to do is in its rule's help,
  which viewers show with every alert (repeating it in each message would make a large
  estate's log a third bigger).
- Only problems are results. ``fail`` is a result of kind ``fail``; ``error`` (the check could
  not judge) is a result of kind ``review`` with level ``none`` (the spec requires ``none`` for
  any kind but ``fail``), so an unknown is shown for a human to review and never reads as a
  pass; ``waived`` is a ``fail`` with an accepted external suppression carrying the waiver.
  Passes are not emitted: a code-scanning alert is closed when its result stops appearing, and
  the pass counts are in ``runs[0].properties``.
- Every result has a location. On-prem assets point at the estate file and line where they
  were declared; cloud assets (and estate-wide results) carry the resource id as a logical
  location and in ``properties.assetId``, anchored to the configuration or snapshot file the
  run read (GitHub rejects results without a file).
- ``partialFingerprints.primaryLocationLineHash`` is a hash of check id and asset id, so an
  alert follows its asset across runs however the estate file is edited. (GitHub's upload
  action keeps our value and may log that its own line hash differs; that is expected.)
- Collection gaps and the report's notes are ``toolExecutionNotifications`` (gaps at level
  ``error``), so an incomplete collection is visible on the tool-status page.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from json.encoder import encode_basestring as _quote
from pathlib import Path
from urllib.parse import quote

from pydantic_core import to_json

from resilience.catalogues import lessons
from resilience.engine.interface import CheckMeta, Finding
from resilience.engine.report import Report
from resilience.model import Domain, Hosting, Severity, SourceRef, Status
from resilience.outputs.interface import (
    OutputFormat,
    RenderContext,
    StreamedFormatter,
    with_newline,
)
from resilience.outputs.jsonstream import Part, spliced
from resilience.outputs.view import most_severe

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
TOOL_NAME = "resilience"
FINGERPRINT_KEY = "resilienceFindingKey/v1"

LEVEL = {
    Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
    Severity.LOW: "note", Severity.INFO: "note",
}
# GitHub: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0", Severity.INFO: "0.0",
}
FRAMEWORK_TAG = {"caf": "NCSC-CAF", "nist_csf": "NIST-CSF", "cis": "CIS", "iso27001": "ISO27001"}
FRAMEWORK_NAME = {"caf": "NCSC CAF 4.0", "nist_csf": "NIST CSF 2.0", "cis": "CIS Controls v8",
                  "iso27001": "ISO/IEC 27001:2022"}
SRCROOT = "%SRCROOT%"


def finding_fingerprint(check_id: str, asset_id: str) -> str:
    """A stable hash of what identifies a finding across runs."""
    return hashlib.sha256(f"{check_id}\x00{asset_id}".encode()).hexdigest()


@functools.lru_cache(maxsize=1024)
def artifact_location(file: str, cwd: Path) -> dict:
    """A URI for ``file``: relative to ``cwd`` when it lies below it, else an absolute file URI."""
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.resolve().relative_to(cwd.resolve())
        except ValueError:
            return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def _rule_name(check_id: str) -> str:
    return "".join(part.capitalize() for part in check_id.split("_"))


def _help(meta: CheckMeta) -> tuple[str, str]:
    """Plain-text and Markdown help for a rule (trusted catalogue text, not estate data)."""
    known = lessons()
    steps = [f"{h.value}: {s}" for h, s in meta.remediation_steps.items()]
    refs = [f"{FRAMEWORK_NAME[k]}: {', '.join(v)}" for k, v in meta.frameworks.model_dump().items()
            if v]
    taught = []
    for lid in meta.lessons:
        lesson = known.get(lid)
        taught.append(f"{lesson.incident} ({lesson.date}): {lesson.sources[0]}" if lesson else lid)
    text = "\n".join([
        f"Why it matters: {meta.rationale}",
        f"What to do: {meta.remediation}",
        *(f"  {s}" for s in steps),
        "Learned from: " + "; ".join(taught),
        "Frameworks: " + "; ".join(refs),
    ])
    md = "\n\n".join([
        f"**Why it matters.** {meta.rationale}",
        f"**What to do.** {meta.remediation}"
        + "".join(f"\n- *{h.value}*: {s}" for h, s in meta.remediation_steps.items()),
        "**Learned from.**\n" + "\n".join(f"- {t}" for t in taught),
        "**Frameworks.**\n" + "\n".join(f"- {r}" for r in refs),
    ])
    return text, md


def rule_for(meta: CheckMeta) -> dict:
    """The reportingDescriptor for one check."""
    text, md = _help(meta)
    tags = ["security", "resilience", meta.domain.value, *(
        f"{FRAMEWORK_TAG[k]}:{ref}" for k, refs in meta.frameworks.model_dump().items()
        for ref in refs)]
    return {
        "id": meta.id,
        "name": _rule_name(meta.id),
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": meta.rationale},
        "help": {"text": text, "markdown": md},
        "defaultConfiguration": {"level": LEVEL[meta.severity]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[meta.severity],
            "severity": meta.severity.value,
            "domain": meta.domain.value,
            "lessons": list(meta.lessons),
            "tags": tags,
            "precision": "high",
        },
    }


def _fallback_rule(f: Finding) -> dict:
    """A rule for a finding whose check metadata is not in the report (defensive)."""
    return {
        "id": f.check_id, "name": _rule_name(f.check_id),
        "shortDescription": {"text": f.title},
        "defaultConfiguration": {"level": LEVEL[f.severity]},
        "properties": {"security-severity": SECURITY_SEVERITY[f.severity],
                       "tags": ["security", "resilience", f.domain.value]},
    }


def _location(f: Finding, anchor: SourceRef | None, cwd: Path) -> dict:
    logical = {"fullyQualifiedName": f.asset_id, "name": f.asset_name or f.asset_id,
               "kind": "resource"}
    location: dict = {"logicalLocations": [logical]}
    cloud = f.hosting in (Hosting.AWS, Hosting.AZURE)
    ref = f.location if f.location is not None else anchor
    if ref is not None:
        physical: dict = {"artifactLocation": artifact_location(ref.file, cwd)}
        if ref is f.location and ref.line:
            physical["region"] = {"startLine": ref.line}
        location["physicalLocation"] = physical
    if cloud or f.location is None:
        location["message"] = {"text": f"{f.asset_type} {f.asset_id}"}
    return location


def _message(f: Finding) -> str:
    name = f.asset_name or f.asset_id
    who = f"{f.asset_type} '{name}'" + (f" ({f.asset_id})" if name != f.asset_id else "")
    if f.asset_type == "estate":
        who = "the whole estate"
    lead = "Could not be judged" if f.status == Status.ERROR else f.title
    return f"{lead}: {who}. {f.message}"


# Enum members as plain strings: the encoder would otherwise call back into Python for each.
_PLAIN: dict[object, str] = {m: m.value for kind in (Status, Severity, Domain, Hosting)
                             for m in kind}


def result_for(f: Finding, rule_index: int, anchor: SourceRef | None, cwd: Path) -> dict:
    """One SARIF result for a fail, error or waived finding."""
    digest = finding_fingerprint(f.check_id, f.asset_id)
    error = f.status == Status.ERROR
    plain = _PLAIN.get
    result: dict = {
        "ruleId": f.check_id,
        "ruleIndex": rule_index,
        "kind": "review" if error else "fail",
        "level": "none" if error else LEVEL[f.severity],
        "message": {"text": _message(f)},
        "locations": [_location(f, anchor, cwd)],
        "partialFingerprints": {"primaryLocationLineHash": digest[:32], FINGERPRINT_KEY: digest},
        "properties": {
            "status": plain(f.status, f.status),
            "severity": plain(f.severity, f.severity),
            "domain": plain(f.domain, f.domain),
            "assetId": f.asset_id,
            "assetName": f.asset_name,
            "assetType": f.asset_type,
            "hosting": plain(f.hosting, f.hosting),
            "tier": f.tier,
            "services": f.services,
        },
    }
    if f.status == Status.WAIVED:
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": f.waiver or "waived"}]
    return result


def _notifications(report: Report) -> list[dict]:
    out = []
    for gap in report.gaps:
        kinds = ", ".join(k.value for k in gap.kinds)
        out.append({
            "level": "error",
            "descriptor": {"id": "collection-gap"},
            "message": {"text": f"Collection incomplete: {gap.source.value} could not read "
                                f"{kinds} in {gap.scope}: {gap.reason}. Checks that need this "
                                "data report results to review, not passes."},
            "properties": {"source": gap.source.value, "scope": gap.scope,
                           "kinds": [k.value for k in gap.kinds], "code": gap.code},
        })
    errors = report.summary.by_status[Status.ERROR]
    if errors:
        out.append({
            "level": "warning",
            "descriptor": {"id": "not-judged"},
            "message": {"text": f"{errors} result(s) could not be judged (status error); they "
                                "are results of kind 'review', not passes."},
        })
    for note in report.notes:
        out.append({"level": "note", "descriptor": {"id": "note"}, "message": {"text": note}})
    return out


def sarif_document(report: Report, context: RenderContext, cwd: Path | None = None) -> dict:
    """The SARIF log as a dict."""
    cwd = cwd or Path.cwd()
    doc, problems, index = _skeleton(report, cwd, context.sarif_max_results)
    doc["runs"][0]["results"] = [result_for(f, index[f.check_id], context.anchor, cwd)
                                 for f in problems]
    return doc


def _skeleton(report: Report, cwd: Path, limit: int | None = None
              ) -> tuple[dict, list[Finding], dict[str, int]]:
    """The SARIF log without its results, the findings that become results (at most
    ``limit``, the most severe), and each check's rule index."""
    rules = [rule_for(meta) for meta in report.checks]
    index = {meta.id: i for i, meta in enumerate(report.checks)}
    problems = [f for f in report.findings if f.status != Status.PASS]
    for f in problems:  # rules are listed before the results that point at them
        if f.check_id not in index:
            index[f.check_id] = len(rules)
            rules.append(_fallback_rule(f))
    doc = _document(report, rules)
    if limit is not None and len(problems) > limit:
        total = len(problems)
        problems = most_severe(problems, limit)
        run = doc["runs"][0]
        run["properties"]["resultsListed"] = limit
        run["properties"]["resultsLeftOut"] = total - limit
        run["invocations"][0]["toolExecutionNotifications"].append({
            "level": "warning",
            "descriptor": {"id": "results-left-out"},
            "message": {"text": f"This log lists the {limit} most severe of {total} results "
                                "(--sarif-max-results); the JSON report lists every one."},
        })
    return doc, problems, index


def _document(report: Report, rules: list[dict]) -> dict:
    """Everything in the log but the results."""
    s = report.summary
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": TOOL_NAME,
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": True,
                "endTimeUtc": report.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "toolExecutionNotifications": _notifications(report),
            }],
            "results": [],
            "properties": {
                "organisation": report.organisation.name,
                "asOf": report.as_of.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "score": s.score,
                "complete": s.complete,
                "byStatus": {k.value: v for k, v in s.by_status.items()},
                "collectionGaps": len(report.gaps),
                **({"framework": _framework(report)} if report.framework else {}),
            },
        }],
    }


def _framework(report: Report) -> dict:
    """The framework view, control by control, as run properties."""
    view = report.framework
    return {
        "id": view.framework, "name": view.name,
        "summary": {k.value: v for k, v in view.summary.items()},
        "controls": [{"id": c.id, "status": c.status.value, "reason": c.reason,
                      "checks": [o.check_id for o in c.checks]} for c in view.controls],
    }


class ResultLines:
    """Each result as one compact line of JSON, equal to ``to_json(result_for(...))``.

    A large estate's log holds hundreds of thousands of results, and building a dict for each
    took most of the time of a check's output. The parts that repeat (a check's head, a
    file's artifact location) are encoded once; the values that vary are quoted by the
    standard library's C string encoder. The tests hold it equal to ``result_for``, hostile
    text included.
    """

    def __init__(self, index: dict[str, int], anchor: SourceRef | None, cwd: Path) -> None:
        self._index = index
        self._anchor = anchor
        self._cwd = cwd
        self._heads: dict[tuple, tuple[str, str]] = {}
        self._files: dict[str, str] = {}

    def _head(self, f: Finding) -> tuple[str, str]:
        """What goes before the message, and the properties up to the asset id."""
        key = (f.check_id, f.status, f.severity, f.domain)
        head = self._heads.get(key)
        if head is None:
            full = result_for(f, self._index[f.check_id], None, self._cwd)
            before = {k: full[k] for k in ("ruleId", "ruleIndex", "kind", "level")}
            props = {k: full["properties"][k] for k in ("status", "severity", "domain")}
            head = self._heads[key] = (
                to_json(before).decode()[:-1] + ',"message":{"text":',
                ',"properties":' + to_json(props).decode()[:-1] + ',"assetId":')
        return head

    def _file(self, file: str) -> str:
        text = self._files.get(file)
        if text is None:
            text = self._files[file] = to_json(artifact_location(file, self._cwd)).decode()
        return text

    def __call__(self, f: Finding) -> str:
        before, props = self._head(f)
        asset_id = _quote(f.asset_id)
        name = f.asset_name or f.asset_id
        out = [before, _quote(_message(f)),
               '},"locations":[{"logicalLocations":[{"fullyQualifiedName":', asset_id,
               ',"name":', asset_id if name == f.asset_id else _quote(name), ',"kind":"resource"}]']
        ref = f.location if f.location is not None else self._anchor
        if ref is not None:
            out += ',"physicalLocation":{"artifactLocation":', self._file(ref.file)
            if ref is f.location and ref.line:
                out += ',"region":{"startLine":', str(int(ref.line)), "}"
            out.append("}")
        if f.location is None or f.hosting in (Hosting.AWS, Hosting.AZURE):
            out += ',"message":{"text":', _quote(f"{f.asset_type} {f.asset_id}"), "}"
        digest = finding_fingerprint(f.check_id, f.asset_id)
        out += ('}],"partialFingerprints":{"primaryLocationLineHash":"', digest[:32],
                f'","{FINGERPRINT_KEY}":"', digest, '"}', props, asset_id,
                ',"assetName":', "null" if f.asset_name is None else _quote(f.asset_name),
                ',"assetType":', _quote(f.asset_type),
                ',"hosting":', "null" if f.hosting is None else _quote(_PLAIN[f.hosting]),
                ',"tier":', "null" if f.tier is None else str(int(f.tier)),
                ',"services":[', ",".join(map(_quote, f.services)), "]}")
        if f.status == Status.WAIVED:
            out += (',"suppressions":[{"kind":"external","status":"accepted","justification":',
                    _quote(f.waiver or "waived"), "}]")
        out.append("}")
        return "".join(out)


class SarifFormatter(StreamedFormatter):
    format = OutputFormat.SARIF
    extension = "sarif"

    cost = 2.4  # a line built in Python, where the JSON report's are encoded by pydantic-core
    divisible = True

    def cost_for(self, report: Report, context: RenderContext) -> float:
        limit = context.sarif_max_results
        if limit is None:
            return self.cost
        problems = sum(f.status != Status.PASS for f in report.findings)
        return self.cost * min(1.0, limit / max(problems, 1))

    def parts(self, report: Report, context: RenderContext,
              cuts: Sequence[float] = ()) -> list[Part]:
        # pydantic-core's encoder for the document (the standard library's is pure Python
        # once indented), and each result as a line of its own.
        cwd = Path.cwd()
        doc, problems, index = _skeleton(report, cwd, context.sarif_max_results)
        pieces = spliced(to_json(doc, indent=2), "results", 3, problems,
                         line=ResultLines(index, context.anchor, cwd), cuts=cuts)
        return with_newline(pieces)
