"""SARIF 2.1.0: valid against the OASIS schema, one rule per check, locations, fingerprints."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import to_json

from resilience.engine.interface import Finding
from resilience.model import Domain, Hosting, Severity, SourceRef, Status
from resilience.outputs.interface import RenderContext
from resilience.outputs.sarif import (
    ResultLines,
    SarifFormatter,
    finding_fingerprint,
    result_for,
    sarif_document,
)
from tests.golden import assert_golden
from tests.report_fixtures import ARN, AZURE_ID, real_report, synthetic_report

SCHEMA_PATH = Path(__file__).resolve().parents[1].parent / "shared" / "data" / \
    "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator():
    if not SCHEMA_PATH.exists():
        pytest.fail(f"The SARIF 2.1.0 schema is missing: expected {SCHEMA_PATH} (CI keeps "
                    "shared/data beside the checkout; it is not copied into the repository)")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def _valid(validator, doc):
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_real_report_validates(validator):
    report, estate = real_report()
    doc = json.loads(SarifFormatter().render(report, RenderContext(estate=estate)))
    _valid(validator, doc)
    assert doc["version"] == "2.1.0"


def test_synthetic_report_validates_and_matches_golden(validator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    context = RenderContext(anchor=SourceRef(file="resilience.yaml"))
    text = SarifFormatter().render(synthetic_report(), context)
    _valid(validator, json.loads(text))
    assert_golden("synthetic.sarif", text)


def _results(report=None, anchor=None, cwd=None):
    report = report or synthetic_report()
    doc = sarif_document(report, RenderContext(anchor=anchor), cwd=cwd or Path("/nowhere"))
    return doc, {r["properties"]["assetId"]: r for r in doc["runs"][0]["results"]}


def test_one_rule_per_check_with_help_and_severity():
    report = synthetic_report()
    doc, _ = _results(report)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [m.id for m in report.checks]
    rule = rules[0]
    assert "A system with no backup cannot be restored." in rule["help"]["text"]
    assert "Add the system to a backup job." in rule["help"]["text"]
    assert "London Borough of Hackney" in rule["help"]["markdown"]
    assert rule["properties"]["security-severity"] == "9.5"
    assert rule["defaultConfiguration"]["level"] == "error"
    assert "security" in rule["properties"]["tags"] and "NCSC-CAF:B5.c" in rule["properties"]["tags"]
    assert rules[1]["defaultConfiguration"]["level"] == "warning"  # medium


def test_statuses_map_to_kinds_levels_and_suppressions():
    _, results = _results()
    assert "app1" not in results  # passes are not results
    assert results["db1"]["kind"] == "fail" and results["db1"]["level"] == "error"
    unknown = results["444455556666/eu-west-1"]
    assert unknown["kind"] == "review" and unknown["level"] == "none"
    assert unknown["message"]["text"].startswith("Could not be judged")
    waived = results[AZURE_ID]
    assert waived["suppressions"] == [{"kind": "external", "status": "accepted",
                                       "justification": "Decommissioned in March (owner: it-ops;"
                                                        " until 2027-03-31)"}]
    assert results["svc-backup"]["level"] == "warning"


def test_locations_onprem_file_and_line_cloud_resource_id(tmp_path):
    report = synthetic_report()
    estate_file = tmp_path / "infra" / "estate.yaml"
    findings = [f.model_copy(update={"location": SourceRef(file=str(estate_file), line=9)})
                if f.asset_id == "db1" else f for f in report.findings]
    report = report.model_copy(update={"findings": findings})
    anchor = SourceRef(file=str(tmp_path / "resilience.yaml"))
    _, results = _results(report, anchor=anchor, cwd=tmp_path)
    onprem = results["db1"]["locations"][0]["physicalLocation"]
    assert onprem["artifactLocation"] == {"uri": "infra/estate.yaml", "uriBaseId": "%SRCROOT%"}
    assert onprem["region"] == {"startLine": 9}
    cloud = results[ARN]["locations"][0]
    assert cloud["logicalLocations"][0] == {"fullyQualifiedName": ARN, "name": "housing-db",
                                            "kind": "resource"}
    assert cloud["physicalLocation"] == {"artifactLocation": {"uri": "resilience.yaml",
                                                              "uriBaseId": "%SRCROOT%"}}
    _, outside = _results(report, anchor=anchor, cwd=tmp_path / "elsewhere")
    uri = outside["db1"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("file:///") and uri.endswith("infra/estate.yaml")


def test_no_anchor_still_gives_every_result_a_location():
    _, results = _results(anchor=None)
    for result in results.values():
        assert result["locations"] and result["locations"][0]["logicalLocations"]


def test_fingerprints_are_stable_and_distinct():
    _, first = _results()
    report = synthetic_report()
    moved = [f.model_copy(update={"location": SourceRef(file="other.yaml", line=99),
                                  "message": "reworded"}) for f in report.findings]
    _, second = _results(report.model_copy(update={"findings": moved}))
    prints = set()
    for asset, result in first.items():
        fp = result["partialFingerprints"]
        assert fp == second[asset]["partialFingerprints"]
        assert fp["resilienceFindingKey/v1"] == finding_fingerprint(result["ruleId"], asset)
        prints.add(fp["primaryLocationLineHash"])
    assert len(prints) == len(first)


def test_gaps_and_notes_are_notifications():
    doc, _ = _results()
    notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    gap = [n for n in notes if n["descriptor"]["id"] == "collection-gap"]
    assert len(gap) == 1 and gap[0]["level"] == "error"
    assert "AccessDenied" in gap[0]["message"]["text"]
    assert any(n["message"]["text"] == "A note for the reader." for n in notes)
    props = doc["runs"][0]["properties"]
    assert props["complete"] is False and props["byStatus"][Status.PASS.value] == 1


_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)


@settings(max_examples=300, deadline=None)
@given(asset_id=_TEXT.filter(bool), name=st.none() | _TEXT, asset_type=_TEXT, message=_TEXT,
       title=_TEXT, status=st.sampled_from([Status.FAIL, Status.ERROR, Status.WAIVED]),
       severity=st.sampled_from(list(Severity)), hosting=st.none() | st.sampled_from(list(Hosting)),
       tier=st.none() | st.integers(1, 9), services=st.lists(_TEXT, max_size=3),
       location=st.none() | st.builds(SourceRef, file=st.sampled_from(["estate.yaml", "/abs/e f.yaml"]),
                                      line=st.none() | st.integers(0, 10**6)),
       anchor=st.none() | st.just(SourceRef(file="config dir/resilience.yaml", line=7)),
       waiver=st.none() | _TEXT)
def test_result_lines_equal_the_result_dicts(asset_id, name, asset_type, message, title, status,
                                             severity, hosting, tier, services, location, anchor,
                                             waiver):
    """The fast line encoder writes exactly what result_for describes, whatever the text."""
    f = Finding(check_id="backup_system_has_copy", title=title, domain=Domain.BACKUP,
                severity=severity, status=status, asset_id=asset_id, asset_name=name,
                asset_type=asset_type, hosting=hosting, tier=tier, services=services,
                message=message, remediation="r", location=location, waiver=waiver)
    cwd = Path("/abs")
    line = ResultLines({f.check_id: 3}, anchor, cwd)
    assert line(f) == line(f)  # the cached heads give the same answer
    assert line(f).encode() == to_json(result_for(f, 3, anchor, cwd))


def test_result_lines_equal_the_result_dicts_for_the_whole_catalogue():
    report, _ = real_report(include_passes=False)
    cwd = Path("/nowhere")
    anchor = SourceRef(file="resilience.yaml")
    index = {meta.id: i for i, meta in enumerate(report.checks)}
    line = ResultLines(index, anchor, cwd)
    problems = [f for f in report.findings if f.status != Status.PASS]
    assert len(problems) > 20
    for f in problems:
        assert json.loads(line(f)) == json.loads(to_json(result_for(f, index[f.check_id], anchor, cwd)))


def test_a_shortened_log_keeps_the_most_severe_results_in_their_order(validator):
    report, estate = real_report(include_passes=False)
    problems = [f for f in report.findings if f.status != Status.PASS]
    limit = 7
    assert len(problems) > limit
    context = RenderContext(estate=estate, sarif_max_results=limit)
    doc = json.loads(SarifFormatter().render(report, context))
    _valid(validator, doc)
    run = doc["runs"][0]
    kept = [(r["ruleId"], r["properties"]["assetId"]) for r in run["results"]]
    assert len(kept) == limit
    first = {Status.FAIL: 0, Status.ERROR: 1, Status.WAIVED: 2}
    ranked = sorted(problems, key=lambda f: (-f.severity.rank, first[f.status],
                                             f.tier if f.tier is not None else 99,
                                             f.check_id, f.asset_id))
    assert set(kept) == {(f.check_id, f.asset_id) for f in ranked[:limit]}
    order = [(f.check_id, f.asset_id) for f in problems]
    assert kept == sorted(kept, key=order.index)  # the report's own order
    assert run["properties"]["resultsListed"] == limit
    assert run["properties"]["resultsLeftOut"] == len(problems) - limit
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert {"level": "warning", "descriptor": {"id": "results-left-out"}, "message": {
        "text": f"This log lists the {limit} most severe of {len(problems)} results "
                "(--sarif-max-results); the JSON report lists every one."}} in notes
    # the pieces a worker writes make the same document
    pieces = b"".join(b"".join(p()) for p in SarifFormatter().parts(report, context, (0.5,)))
    assert json.loads(pieces) == json.loads(to_json(sarif_document(report, context)))
    assert json.loads(pieces)["runs"][0]["results"] == run["results"]
    # a limit the log stays within changes nothing
    roomy = RenderContext(estate=estate, sarif_max_results=len(problems))
    assert SarifFormatter().render(report, roomy) == SarifFormatter().render(
        report, RenderContext(estate=estate))
