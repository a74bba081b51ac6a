"""The check engine: fail-closed behaviour, selection, crashes, scores and exit codes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.engine.registry import load_catalogue
from resilience.engine.report import score
from resilience.engine.run import Selection, run_checks
from resilience.errors import UsageError
from resilience.exitcodes import exit_code
from resilience.model import CollectionGap, DataKind, Domain, Provider, Severity, Status
from resilience.policy import default_policy
from tests.helpers import AS_OF, StageRecorder, estate_from

ESTATE = {
    "services": [{"id": "rev", "name": "Revenues", "tier": 1, "systems": ["app", "db"]}],
    "systems": [
        {"id": "app", "name": "App", "kind": "server",
         "backups": [{"id": "app-b", "frequency": "24h", "retention": "35d"}]},
        {"id": "db", "name": "DB", "kind": "database"},
    ],
}


def _meta(**kw) -> CheckMeta:
    base = dict(id="test_check", title="t", domain=Domain.BACKUP, severity=Severity.HIGH,
                rationale="r", remediation="fix", lessons=["hackney-2020"],
                frameworks=FrameworkRefs(caf=["B5.c"]), needs=[DataKind.SYSTEMS])
    base.update(kw)
    return CheckMeta(**base)


class Crashing(Check):
    meta = _meta()

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        yield self.passed(ctx, ctx.estate.systems[0], "fine")
        raise RuntimeError("boom")


def test_a_crashing_check_reports_error_not_pass():
    report = run_checks(estate_from(ESTATE), default_policy(), [Crashing()], now=AS_OF)
    statuses = [f.status for f in report.findings]
    assert Status.ERROR in statuses
    assert "boom" in report.findings[-1].message
    assert not report.summary.complete


def test_data_no_source_provides_is_an_error():
    estate = estate_from({"systems": ESTATE["systems"]})
    # accounts were never provided by any source
    check = Crashing()
    check.meta = _meta(needs=[DataKind.ACCOUNTS])
    report = run_checks(estate, default_policy(), [check], now=AS_OF)
    assert [f.status for f in report.findings] == [Status.ERROR]
    assert "no source" in report.findings[0].message


def test_collection_gap_turns_backup_judgement_into_error():
    estate = estate_from(ESTATE)
    gap = CollectionGap(source=Provider.AWS, scope="aws:111:eu-west-2:backup", kinds=[
        DataKind.BACKUPS], reason="AccessDenied", account=None, region=None)
    estate = estate.model_copy(update={"gaps": [gap]})
    check = load_catalogue().get("backup_system_has_copy")
    report = run_checks(estate, default_policy(), [check], now=AS_OF)
    by_asset = {f.asset_id: f.status for f in report.findings}
    assert by_asset["aws:111:eu-west-2:backup"] == Status.ERROR
    assert by_asset["db"] == Status.ERROR  # not a fail: we could not see its backups
    assert by_asset["app"] == Status.PASS
    assert exit_code(report, None, strict=True) == 3


def test_selection_rejects_unknown_ids():
    with pytest.raises(UsageError):
        Selection(check_ids=frozenset({"nope"})).choose(load_catalogue())


def test_selection_by_domain():
    chosen = Selection(domains=frozenset({Domain.BACKUP})).choose(load_catalogue())
    assert chosen and all(c.meta.domain == Domain.BACKUP for c in chosen)


def test_exit_codes():
    check = load_catalogue().get("backup_system_has_copy")
    report = run_checks(estate_from(ESTATE), default_policy(), [check], now=AS_OF)
    assert exit_code(report, None, strict=False) == 0
    assert exit_code(report, Severity.HIGH, strict=False) == 1
    assert exit_code(report, Severity.CRITICAL, strict=False) == 1
    passing = report.model_copy(update={"findings": [f for f in report.findings
                                                     if f.status == Status.PASS]})
    assert exit_code(passing, Severity.LOW, strict=False) == 0


def test_score_weights_severity_and_counts_errors_against():
    check = load_catalogue().get("backup_system_has_copy")
    report = run_checks(estate_from(ESTATE), default_policy(), [check], now=AS_OF)
    assert report.summary.score == 50
    errored = [f.model_copy(update={"status": Status.ERROR}) for f in report.findings]
    assert score(errored) == 0
    assert score([]) == 100


def test_constructed_findings_equal_validated_ones():
    """Findings are built without validation (a short way for systems and backup copies):
    every one of the whole catalogue's on the demo estate equals its validated twin."""
    from contextlib import ExitStack

    from resilience.demo import DEMO_AS_OF, demo_config_path
    from resilience.engine.interface import Finding
    from resilience.pipeline import EstateRequest, load_estate

    with ExitStack() as stack:
        loaded = load_estate(EstateRequest(config=demo_config_path(stack)))
    report = run_checks(loaded.estate, loaded.policy, list(load_catalogue()), now=DEMO_AS_OF)
    kinds = {f.asset_type for f in report.findings}
    assert {"system", "backup", "account", "service"} <= kinds
    estate = loaded.estate
    for f in report.findings:  # a copy's finding carries its system's hosting, tier, services
        if f.asset_type == "backup":
            copy = next(b for b in estate.backups if b.id == f.asset_id)
            system = estate.system_by_id[copy.system]
            assert (f.hosting, f.tier, f.asset_name) == (
                system.hosting, estate.system_tier(system), None)
            assert f.services == [s.id for s in estate.services_by_system.get(system.id, [])]
    for f in report.findings:
        validated = Finding.model_validate(f.model_dump())
        assert validated == f
        assert validated.model_dump_json() == f.model_dump_json()


def test_counting_passes_gives_the_same_report_as_listing_them():
    """Passes become tallies when not listed; every other finding, count and score must match."""
    from contextlib import ExitStack

    from resilience.demo import DEMO_AS_OF, demo_config_path
    from resilience.pipeline import EstateRequest, load_estate

    with ExitStack() as stack:
        loaded = load_estate(EstateRequest(config=demo_config_path(stack)))
    catalogue = list(load_catalogue())
    full = run_checks(loaded.estate, loaded.policy, catalogue, now=DEMO_AS_OF, include_passes=True)
    lean = run_checks(loaded.estate, loaded.policy, catalogue, now=DEMO_AS_OF, include_passes=False)
    passes = [f for f in full.findings if f.status == Status.PASS]
    assert passes and all(isinstance(f, Finding) for f in lean.findings)
    assert lean.findings == [f for f in full.findings if f.status != Status.PASS]
    assert lean.summary == full.summary
    assert sum(lean.omitted_passes.values()) == len(passes)
    by_tier: dict[str, int] = {}
    by_service: dict[str, int] = {}
    for f in passes:
        key = "none" if f.tier is None else str(f.tier)
        by_tier[key] = by_tier.get(key, 0) + 1
        for sid in f.services:
            by_service[sid] = by_service.get(sid, 0) + 1
    assert lean.omitted_passes_by_tier == by_tier
    assert lean.omitted_passes_by_service == dict(sorted(by_service.items()))
    assert len(by_service) > 5  # the demo's services, with passes about systems and copies


class PassesItsOwnWay(Check):
    """A pass made as a whole finding (as a check from a user's folder might), beside the
    counted kind."""

    meta = _meta()

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        app, db = ctx.estate.systems
        yield self.passed(ctx, app, "counted")
        full = self.passed(CheckContext(ctx.estate, ctx.policy, ctx.now), db, "built whole")
        assert isinstance(full, Finding) and full.status == Status.PASS
        yield full
        yield self.failed(ctx, db, "listed")


def test_passes_built_as_findings_are_counted_too():
    lean = run_checks(estate_from(ESTATE), default_policy(), [PassesItsOwnWay()], now=AS_OF,
                      include_passes=False)
    assert [f.message for f in lean.findings] == ["listed"]
    assert lean.omitted_passes == {"test_check": 2}
    assert lean.omitted_passes_by_tier == {"1": 2}
    assert lean.omitted_passes_by_service == {"rev": 2}


def test_fast_construction_equals_validation():
    from resilience.model.construct import construct
    from resilience.scenarios.interface import CopyOutcome, SystemOutcome

    values = dict(id="b1", system="s1", survives=False, reason="lost: same domain",
                  code="same-trust-domain", where="site dc-north")
    built = construct(CopyOutcome, **values)
    assert built == CopyOutcome(**values)
    assert built.model_dump_json() == CopyOutcome(**values).model_dump_json()
    checked = SystemOutcome(id="s1", name="S", kind="server", hosting="onprem", tier=1,
                            state="destroyed", recovery="restore")
    given = {k: getattr(checked, k) for k in ("id", "name", "kind", "hosting", "tier", "state",
                                              "recovery")}
    made = construct(SystemOutcome, **given)
    assert made == checked and made.model_dump_json() == checked.model_dump_json()
    made.reasons.append("x")  # defaults are not shared between instances
    assert construct(SystemOutcome, **given).reasons == []


def test_findings_survive_the_trip_between_processes_as_rows():
    """The worker sends findings as value tuples; rebuilt, they equal the originals (and take
    the compact dict a constructed finding has)."""
    import pickle
    import sys

    from resilience.model.construct import from_row, row

    check = load_catalogue().get("backup_system_has_copy")
    report = run_checks(estate_from(ESTATE), default_policy(), [check], now=AS_OF)
    assert report.findings
    for f in report.findings:
        back = from_row(Finding, pickle.loads(pickle.dumps(row(f))))
        assert back == f and back.model_dump_json() == f.model_dump_json()
        assert sys.getsizeof(back.__dict__) < sys.getsizeof(dict(f.__dict__))


def test_shared_facts_are_let_go_when_the_next_domain_starts():
    ctx = CheckContext(estate=estate_from({"systems": []}), policy=default_policy(), now=AS_OF)
    ctx.entering(Domain.BACKUP)
    ctx._cache["tiered-systems"] = ["facts"]
    ctx.entering(Domain.BACKUP)  # another backup check still uses them
    assert ctx._cache == {"tiered-systems": ["facts"]}
    ctx.entering(Domain.IDENTITY)
    assert ctx._cache == {}


def test_every_check_of_the_catalogue_sees_its_domain_once_in_a_run():
    """The facts are let go between domains, so the catalogue must run domain by domain (a
    catalogue that did not would still be right, only slower)."""
    domains = [c.meta.domain for c in load_catalogue()]
    changes = [d for i, d in enumerate(domains) if i == 0 or d != domains[i - 1]]
    assert len(changes) == len(set(domains))


def test_a_run_shows_its_stages_reading_then_checking(tmp_path):
    from resilience.pipeline import CheckRequest, EstateRequest, run_check
    from resilience.snapshot import save_snapshot
    from tests.report_fixtures import hostile_estate

    save_snapshot(hostile_estate(), tmp_path / "estate.json")
    shown = StageRecorder()
    report, _ = run_check(CheckRequest(estate=EstateRequest(snapshot=tmp_path / "estate.json"),
                                       as_of=AS_OF), shown)
    checks = len(report.checks)
    assert shown.stages == [["reading estate.json", 1, 1],
                            [f"checking ({checks} checks)", checks, checks]]
