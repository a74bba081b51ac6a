"""Accounts whose scope alone is unknown are reported once per trust domain, still as errors."""

from __future__ import annotations

import pytest
from resilience.checks.identity._accounts import GROUP_FROM

from resilience.model import Status
from tests.checks._util import by_asset, findings

P, F, E = Status.PASS, Status.FAIL, Status.ERROR
CORP = {"id": "corp.local", "name": "Corp AD", "kind": "ad-domain", "provider": "ad"}


def acct(name, domain="corp.local", **kw):
    return {"id": f"{domain}/{name}", "name": name.title(), "source": kw.pop("source", "ad"),
            "trust_domain": domain, **kw}


def staff(n, domain="corp.local", **kw):
    return [acct(f"user{i:02d}", domain, **kw) for i in range(n)]


@pytest.mark.parametrize("check_id", ["identity_console_mfa", "identity_remote_access_mfa",
                                      "identity_backup_admin_mfa"])
def test_unknown_scope_becomes_one_error_for_the_trust_domain(check_id):
    field = {"identity_console_mfa": "console_access",
             "identity_remote_access_mfa": "remote_access",
             "identity_backup_admin_mfa": "backup_admin"}[check_id]
    data = {"trust_domains": [CORP], "accounts": [
        *staff(5),                                            # scope and MFA unknown
        acct("svc_app", kind="service", mfa=False),           # scope unknown, no MFA
        acct("adm.root", privileged=True, mfa=False),
        acct("mfa-user", mfa=True),                           # MFA: passes whatever the scope
        acct("in-scope", mfa=False, **{field: True}),         # judged: fails
        acct("out-of-scope", mfa=False, **{field: False}),    # not in scope: no finding
        acct("in-scope-unknown", **{field: True}),            # the MFA is unknown, not the scope
    ]}
    out = findings(check_id, data)
    statuses = {f.asset_id: f.status for f in out}
    assert statuses == {"corp.local": E, "corp.local/mfa-user": P, "corp.local/in-scope": F,
                        "corp.local/in-scope-unknown": E}
    (group,) = [f for f in out if f.asset_id == "corp.local"]
    assert group.asset_type == "trust-domain" and group.asset_name == "Corp AD"
    assert group.hosting is not None and group.hosting.value == "onprem"
    # Counted, split by what is known about MFA, privileged accounts named first.
    assert "7 accounts of trust domain 'corp.local'" in group.message
    assert "5 with an unknown MFA status and 2 without MFA" in group.message
    assert "'adm.root', 'svc_app', 'user00' and 4 more" in group.message
    assert "An AD export cannot tell." in group.message


def test_small_groups_keep_one_finding_per_account():
    data = {"trust_domains": [CORP], "accounts": staff(GROUP_FROM - 1)}
    got = by_asset("identity_console_mfa", data)
    assert got == {f"corp.local/user{i:02d}": E for i in range(GROUP_FROM - 1)}
    data = {"trust_domains": [CORP], "accounts": staff(GROUP_FROM)}
    assert by_asset("identity_console_mfa", data) == {"corp.local": E}


def test_groups_are_per_trust_domain_and_undeclared_ones_use_the_first_account():
    data = {"trust_domains": [CORP], "accounts": [
        *staff(3), *staff(4, domain="other.local"),
        *[{"id": f"loose{i}", "name": f"loose{i}", "source": "onprem"} for i in range(3)],
    ]}
    out = findings("identity_remote_access_mfa", data)
    assert {f.asset_id: f.status for f in out} == {
        "corp.local": E, "other.local/user00": E, "loose0": E}
    messages = {f.asset_id: f.message for f in out}
    assert messages["other.local/user00"].startswith(
        "Cannot tell whether 4 accounts of trust domain 'other.local' can log on remotely")
    assert "'user00', 'user01', 'user02' and 1 more" in messages["other.local/user00"]
    assert "whose trust domain is not recorded" in messages["loose0"]
    assert "AD export" not in messages["loose0"]           # not read from AD


def test_mfa_enforced_by_the_domain_still_passes_each_account():
    enforced = {**CORP, "mfa_enforced": True}
    data = {"trust_domains": [enforced], "accounts": staff(4)}
    assert set(by_asset("identity_console_mfa", data).values()) == {P}


def test_backup_admin_separation_groups_unknowns_in_production_domains():
    systems = [{"id": "app", "name": "App", "kind": "server", "identity_domain": "corp.local"}]
    data = {"trust_domains": [CORP], "systems": systems, "accounts": [
        *staff(4), acct("veeam-admin", backup_admin=True), acct("clerk", backup_admin=False)]}
    out = findings("identity_backup_admin_separate_domain", data)
    assert {f.asset_id: f.status for f in out} == {
        "corp.local": E, "corp.local/veeam-admin": F}
    (group,) = [f for f in out if f.status == E]
    assert "4 accounts of trust domain 'corp.local' can administer or delete backups" \
        in group.message


def test_service_accounts_with_unknown_logon_rights_are_grouped():
    data = {"trust_domains": [CORP], "accounts": [
        *[acct(f"svc_{i}", kind="service") for i in range(3)],
        acct("svc_ok", kind="service", console_access=False, remote_access=False),
        acct("svc_vpn", kind="service", remote_access=True)]}
    out = findings("identity_service_account_interactive", data)
    assert {f.asset_id: f.status for f in out} == {
        "corp.local": E, "corp.local/svc_ok": P, "corp.local/svc_vpn": F}
    (group,) = [f for f in out if f.status == E]
    assert group.message.startswith("Cannot tell whether 3 service accounts of trust domain "
                                    "'corp.local' can log on interactively")


def test_never_used_accounts_older_than_the_threshold_are_dormant():
    data = {"accounts": [acct("never", created="2025-01-01"),
                         acct("starter", created="2026-10-30")]}
    got = findings("identity_dormant_account", data)
    assert {f.asset_id: f.status for f in got} == {
        "corp.local/never": F, "corp.local/starter": P}
    assert "No sign-in is recorded" in next(f.message for f in got if f.status == F)
