"""The on-prem YAML estate source: good files load with locations; bad files give one
InputError naming the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilience.config import load_config
from resilience.errors import InputError
from resilience.model import DataKind, Hosting, Provider
from resilience.pipeline import EstateRequest, load_estate
from resilience.sources.interface import NullProgress
from resilience.sources.merge import merge
from resilience.sources.onprem import OnPremSource, parse_estate_document
from resilience.sources.references import check_references
from resilience.yamlfile import parse_yaml
from tests.cli_helpers import assert_clean_error, run_cli

GOOD = """\
version: 1
trust_domains:
  - {id: corp.local, name: Corporate AD, kind: ad-domain}
services:
  - id: rev
    name: Revenues
    tier: 1
    systems: [app]
    manual_fallback: {description: Paper forms, last_exercised: 2026-03-01}
systems:
  - id: app
    name: App server
    kind: server
    identity_domain: corp.local
    backups:
      - id: app-nightly
        frequency: 24h
        retention: 35d
        last_success: 2026-10-31T22:00:00Z
        restore_test_duration: 1d 12h
  - id: web
    name: Website
    hosting: saas
backups:
  - {id: web-export, system: web, kind: export}
plans:
  - {id: irp, name: Incident response plan, kind: incident-response, covers: [rev]}
"""


def load(text: str, name: str = "estate.yaml"):
    estate = parse_estate_document(parse_yaml(text, name))
    check_references(estate)
    return estate


def error_of(text: str, name: str = "estate.yaml") -> InputError:
    with pytest.raises(InputError) as info:
        load(text, name)
    return info.value


def test_good_file_loads_with_locations():
    estate = load(GOOD)
    app = estate.system_by_id["app"]
    assert app.hosting == Hosting.ONPREM and app.declared_at.line == 11
    assert estate.system_by_id["web"].hosting == Hosting.SAAS
    nested = estate.backups_by_system["app"][0]
    assert nested.system == "app" and nested.declared_at.line == 16
    assert nested.frequency.total_seconds() == 86400
    assert nested.restore_test_duration.total_seconds() == 36 * 3600
    assert nested.last_success.tzinfo is not None
    assert estate.backups_by_system["web"][0].declared_at.line == 25
    run = estate.sources[0]
    assert run.provider == Provider.ONPREM and run.scope == "estate.yaml"
    # Sections that are present are spoken for; absent ones are not (accounts, suppliers).
    assert {DataKind.SERVICES, DataKind.SYSTEMS, DataKind.BACKUPS, DataKind.PLANS,
            DataKind.IDENTITY_SETTINGS} == set(run.kinds)


def test_empty_section_is_spoken_for():
    estate = load("accounts: []\n")
    assert estate.sources[0].kinds == [DataKind.ACCOUNTS]
    assert estate.provided(DataKind.ACCOUNTS) and not estate.provided(DataKind.SYSTEMS)


@pytest.mark.parametrize("text,line,needle", [
    ("", None, "empty"),
    ("# only a comment\n", None, "empty"),
    ("- a\n- b\n", 1, "mapping"),
    ("systems:\n  - id: a\n    name: [unclosed\n", 3, "YAML syntax error"),
    ("systems:\n  - id: a\n\tname: tab\n", 3, "YAML syntax error"),
    ("systems:\n  - id: a\n name: bad indent\n", 3, "YAML syntax error"),
    ("systems:\n  - id: a\n    name: \"unclosed\n\n\n", 3, "starts here"),
    ("systems:\n  - id: a\n    name: A\n    colour: blue\n", 4, "unknown key 'colour'"),
    ("systems:\n  - id: a\n    name: A\n    tier: high\n", 4, "tier"),
    ("systems:\n  - id: a\n    name: A\n    hosting: mars\n", 4, "hosting"),
    ("systems:\n  - id: a\n    name: A\n    kind: mainframe\n", 4, "kind"),
    ("systems:\n  - id: a\n", 2, "name"),
    ("systems:\n  - id: has space\n    name: A\n", 2, "id"),
    ("systems: {id: a}\n", 1, "systems"),
    ("systems:\n  - id: a\n    name: A\n    backups:\n      - {id: b, frequency: often}\n",
     5, "often"),
    ("systems:\n  - id: a\n    name: A\n    backups:\n      - {id: b, retention: 35}\n",
     5, "unit"),
    ("systems:\n  - id: a\n    name: A\n    end_of_support: next year\n", 4, "ISO date"),
    ("systems:\n  - id: a\n    name: A\n    end_of_support: 2026-13-45\n", None,
     "month must be in 1..12"),
    ("systems:\n  - id: a\n    name: A\n    end_of_support: 9999-12-31T23:59:59-05:00\n", 4,
     "range"),
    ("services:\n  - {id: s, name: S, rto: 99999999999999999999y}\n", 2, "too long"),
    ("systems:\n  - id: a\n    name: A\n    name: B\n", 4, "duplicate key 'name'"),
    ("version: 2\n", 1, "version 2"),
    ("services:\n  - id: s\n    name: S\n    systems: [ghost]\n", 2, "ghost"),
    ("services:\n  - {id: s, name: S, depends_on: [nope]}\n", 2, "nope"),
    ("systems:\n  - {id: a, name: A}\nbackups:\n  - {id: b, system: gone}\n", 4, "gone"),
    ("systems:\n  - id: a\n    name: A\n    backups:\n      - {id: b, system: other}\n", 5,
     "nested under system 'a'"),
    ("trust_domains:\n  - {id: d, name: D, kind: ad-domain}\nsystems:\n"
     "  - {id: a, name: A, identity_domain: elsewhere}\n", 4, "elsewhere"),
    ("plans:\n  - {id: p, name: P, kind: bc, covers: [nothing]}\n", 2, "nothing"),
    ("suppliers:\n  - {id: x, name: X, provides: [nowt]}\n", 2, "nowt"),
    ("systems:\n  - {id: a, name: A, supplier: nobody}\n", 2, "nobody"),
    ("trust_domains:\n  - {id: corp, name: C, kind: ad-domain}\nsystems:\n  - id: a\n"
     "    name: A\n    backups:\n      - {id: b, trust_domain: crop}\n", 7, "'crop'"),
])
def test_bad_estate_gives_file_and_line(text, line, needle):
    err = error_of(text)
    assert err.path == "estate.yaml"
    assert err.line == line, str(err)
    assert needle in str(err)


def test_duplicate_ids_name_the_second_declaration(tmp_path):
    text = "systems:\n  - {id: a, name: A}\n  - {id: b, name: B}\n  - {id: a, name: again}\n"
    path = tmp_path / "estate.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        OnPremSource([path]).collect(NullProgress())
    assert info.value.path == str(path) and info.value.line == 4
    assert "'a' is declared twice" in str(info.value)


def test_duplicate_ids_across_files(tmp_path):
    (tmp_path / "one.yaml").write_text("systems:\n  - {id: a, name: A}\n")
    (tmp_path / "two.yaml").write_text("# second file\nsystems:\n  - {id: a, name: A}\n")
    with pytest.raises(InputError) as info:
        OnPremSource([tmp_path / "one.yaml", tmp_path / "two.yaml"]).collect(NullProgress())
    assert info.value.path == str(tmp_path / "two.yaml") and info.value.line == 3


def test_duplicate_trust_domain_in_one_file_is_an_error():
    text = ("trust_domains:\n  - {id: d, name: D, kind: ad-domain}\n"
            "  - {id: d, name: D, kind: ad-domain}\n")
    with pytest.raises(InputError) as info:
        merge([parse_estate_document(parse_yaml(text, "estate.yaml"))])
    assert info.value.line == 3


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as info:
        OnPremSource([tmp_path / "nope.yaml"]).collect(NullProgress())
    assert info.value.path == str(tmp_path / "nope.yaml") and "not found" in str(info.value)


def test_not_utf8(tmp_path):
    path = tmp_path / "estate.yaml"
    path.write_bytes(b"systems:\n  - {id: a, name: \xff\xfe}\n")
    with pytest.raises(InputError) as info:
        OnPremSource([path]).collect(NullProgress())
    assert "UTF-8" in str(info.value)


def test_pipeline_loads_config_with_onprem_and_ad(tmp_path):
    (tmp_path / "estate.yaml").write_text(GOOD)
    (tmp_path / "users.csv").write_text(
        "SamAccountName,Enabled,LastLogonDate\njsmith,True,2026-10-01\n")
    (tmp_path / "resilience.yaml").write_text(
        "sources:\n  onprem: [estate.yaml]\n  ad:\n    - {file: users.csv, domain: corp.local}\n")
    loaded = load_estate(EstateRequest(config=tmp_path / "resilience.yaml"))
    estate = loaded.estate
    assert [a.id for a in estate.accounts] == ["corp.local/jsmith"]
    # The AD export and the estate file describe one domain: combined, the written name kept.
    (domain,) = estate.trust_domains
    assert domain.name == "Corporate AD" and domain.provider == Provider.AD
    assert load_config(tmp_path / "resilience.yaml").config.sources.ad[0].domain == "corp.local"


def test_trust_domain_conflict_between_sources_is_an_error(tmp_path):
    (tmp_path / "estate.yaml").write_text(
        "trust_domains:\n  - {id: corp.local, name: Corporate AD, kind: aws-account}\n")
    (tmp_path / "users.csv").write_text("SamAccountName,Enabled,LastLogonDate\nj,True,\n")
    (tmp_path / "resilience.yaml").write_text(
        "sources:\n  onprem: [estate.yaml]\n  ad:\n    - {file: users.csv, domain: corp.local}\n")
    with pytest.raises(InputError) as info:
        load_estate(EstateRequest(config=tmp_path / "resilience.yaml"))
    assert "different kind" in str(info.value)


@pytest.mark.slow
@pytest.mark.parametrize("text,needles", [
    ("systems:\n  - id: a\n    name: A\n    end_of_support: 2026-13-45\n",
     ["estate.yaml", "month must be"]),
    ("systems:\n  - id: a\n    name: A\n    hosting: mars\n", ["estate.yaml:4", "hosting"]),
    ("systems:\n  - {id: a, name: A}\n  - {id: a, name: B}\n", ["estate.yaml:3", "twice"]),
    ("services:\n  - {id: s, name: S, rto: 99999999999999999999y}\n",
     ["estate.yaml:2", "too long"]),
])
def test_cli_bad_estate(tmp_path: Path, text, needles):
    (tmp_path / "resilience.yaml").write_text("sources:\n  onprem: [estate.yaml]\n")
    (tmp_path / "estate.yaml").write_text(text)
    assert_clean_error(run_cli("check", cwd=tmp_path), *needles)


def test_demo_estate_has_the_material_the_checks_and_scenarios_need():
    """The bundled council keeps the weaknesses it is meant to show (see lessons.md)."""
    from contextlib import ExitStack
    from datetime import UTC, datetime

    from resilience.demo import demo_config_path
    from resilience.model import AccountKind, CopyKind

    with ExitStack() as stack:
        estate = load_estate(EstateRequest(config=demo_config_path(stack))).estate
    now = datetime(2026, 11, 28, tzinfo=UTC)
    assert len(estate.services) >= 10 and 35 <= len(estate.systems) <= 60
    assert len(estate.backups) >= 40 and len(estate.accounts) >= 60
    ad = "lbnorthbridge.local"
    assert estate.trust_domain_by_id[ad].password_policy is not None  # estate + AD combined
    # A Hackney-style dormant, enabled, privileged account whose password never expires.
    assert any(a.enabled and a.privileged and a.password_never_expires and a.last_used
               and (now - a.last_used).days > 3 * 365 for a in estate.accounts)
    assert sum(a.kind == AccountKind.BREAK_GLASS for a in estate.accounts) >= 2
    assert any(a.kind == AccountKind.SUPPLIER and a.remote_access for a in estate.accounts)
    # Backups of varying quality.
    backups = estate.backups
    assert any(b.trust_domain == ad for b in backups)
    assert any((b.immutable or b.offline) and b.trust_domain not in (None, ad) for b in backups)
    assert any(b.last_restore_test is None for b in backups)
    assert any(b.restore_test_duration is not None for b in backups)
    assert any(b.restore_test_passed is False for b in backups)
    assert any(b.kind == CopyKind.REPLICA for b in backups)
    no_offsite = [sid for sid, copies in estate.backups_by_system.items()
                  if not any(c.offsite for c in copies)]
    assert no_offsite
    # Legacy, two sites, fallbacks, plans.
    assert any(s.end_of_support and s.end_of_support < now and s.rebuild_documented is False
               for s in estate.systems)
    assert {"civic-centre", "marsh-lane"} <= {s.site for s in estate.systems}
    assert any(s.manual_fallback for s in estate.services)
    assert any(s.manual_fallback is None for s in estate.services if s.tier and s.tier <= 2)
    assert any(p.offline_copy is False for p in estate.plans)
    assert {s.hosting for s in estate.systems} >= {Hosting.ONPREM, Hosting.SAAS}
    assert any(s.kind.value == "directory" and s.hosting == Hosting.ONPREM
               for s in estate.systems)


def test_demo_gives_a_clear_signal():
    """The demo's findings show the Hackney pattern, and few results are left unjudged."""
    from contextlib import ExitStack
    from datetime import UTC, datetime

    from resilience.demo import demo_config_path
    from resilience.model import Status
    from resilience.pipeline import CheckRequest, run_check

    with ExitStack() as stack:
        request = CheckRequest(estate=EstateRequest(config=demo_config_path(stack)),
                               as_of=datetime(2026, 11, 28, tzinfo=UTC), include_passes=True)
        report, loaded = run_check(request)
    status = {(f.check_id, f.asset_id): f.status for f in report.findings}
    errors = [f for f in report.findings if f.status == Status.ERROR]
    assert len(errors) < 40, [(f.check_id, f.asset_id) for f in errors]
    # Every error is one the demo means to show: a copy never restore-tested, facts an AD
    # export cannot hold (scope, alerting), each account question asked once per domain.
    explained = {"housing-oracle", "lbnorthbridge.local", "lbnorthbridge.local/bg-domain-01",
                 "lbnorthbridge.local/bg-domain-02"}
    assert {f.asset_id for f in errors} <= explained
    ad = "lbnorthbridge.local"
    # Hackney: on-prem backups deletable with domain credentials, the dormant domain admin,
    # the unsupported housing system that cannot be rebuilt.
    assert status[("backup_server_not_domain_joined", "backup-server")] == Status.FAIL
    assert status[("backup_isolated_copy", "revs-app")] == Status.PASS  # its hardened copy
    assert status[("backup_isolated_copy", "citrix")] == Status.FAIL
    assert status[("identity_dormant_account", f"{ad}/nbadmin2")] == Status.FAIL
    assert status[("identity_privileged_mfa", f"{ad}/nbadmin2")] == Status.FAIL
    assert status[("continuity_unsupported_rebuild", "housing-legacy")] == Status.FAIL
    assert status[("backup_restore_test_passed", "fs-corporate")] == Status.FAIL
    # Cloud email, website and telephony hold up.
    cloud = {"email", "website", "telephony"}
    assert cloud <= set(loaded.estate.service_by_id)
    assert not [f for f in report.findings if f.status != Status.PASS and cloud & set(f.services)]


def test_demo_summary_names_the_services_that_hold_up(tmp_path):
    from rich.console import Console

    from resilience.demo import demo_summary, run_demo

    console = Console(record=True, width=200)
    console.print(demo_summary(run_demo(tmp_path)))
    text = console.export_text()
    held = text.split("Holding up")[1].split("Files written")[0]
    held = held.split("If ransomware hit tomorrow")[0]  # the simulation's lines follow
    assert "Email and calendars" in held and "Contact centre and telephony" in held
    assert "Revenues and benefits" not in held and "Housing register" not in held
