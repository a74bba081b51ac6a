"""Edge cases of the identity checks: unknowns, scopes, thresholds and provider remediation."""

from __future__ import annotations

from resilience.model import DataKind, Hosting, Status
from tests.checks._util import by_asset, findings

P, F, E = Status.PASS, Status.FAIL, Status.ERROR


def acct(id_, **kw):
    return {"id": id_, "name": id_, "source": kw.pop("source", "ad"), **kw}


def test_dormancy_boundaries_and_unknowns():
    data = {"accounts": [
        acct("at-limit", last_used="2026-09-17"),            # exactly 45 days before 2026-11-01
        acct("past-limit", last_used="2026-09-16"),
        acct("unknown-state", enabled=None, last_used="2020-01-01"),
        acct("no-dates"),
        acct("young-never-used", created="2026-10-01"),
        acct("glass", kind="break-glass", last_used="2015-01-01"),
        acct("root", source="aws", kind="root", last_used="2015-01-01"),
    ]}
    got = by_asset("identity_dormant_account", data)
    assert got == {"at-limit": P, "past-limit": F, "unknown-state": F, "no-dates": E,
                   "young-never-used": P}
    msg = {f.asset_id: f.message for f in findings("identity_dormant_account", data)}
    assert "not known" in msg["unknown-state"]


def test_dormancy_threshold_comes_from_policy():
    data = {"accounts": [acct("a", last_used="2026-08-01")]}
    assert by_asset("identity_dormant_account", data) == {"a": F}
    assert by_asset("identity_dormant_account", data,
                    policy={"identity": {"dormant_after": "120d"}}) == {"a": P}


def test_mfa_unknown_scope_or_state_is_an_error_never_a_pass():
    data = {"accounts": [
        acct("maybe-admin-no-mfa", privileged=None, mfa=False),
        acct("maybe-admin-mfa", privileged=None, mfa=True),
        acct("admin-unknown-mfa", privileged=True),
        acct("root-no-flag", kind="root", source="aws", mfa=False),
    ]}
    assert by_asset("identity_privileged_mfa", data) == {
        "maybe-admin-no-mfa": E, "maybe-admin-mfa": P, "admin-unknown-mfa": E}
    assert by_asset("identity_root_mfa", data) == {"root-no-flag": F}


def test_mfa_enforced_by_trust_domain_counts():
    data = {
        "trust_domains": [{"id": "t", "name": "T", "kind": "azure-tenant", "provider": "azure",
                           "mfa_enforced": True}],
        "accounts": [acct("a", source="azure", trust_domain="t", remote_access=True),
                     acct("b", source="azure", trust_domain="t", remote_access=True, mfa=False)],
    }
    # The account's own "no MFA registered" beats the tenant-wide setting.
    assert by_asset("identity_remote_access_mfa", data) == {"a": P, "b": F}


def test_mfa_scope_follows_policy():
    data = {"accounts": [acct("vpn", remote_access=True, mfa=False)]}
    off = {"identity": {"mfa_required_for": ["privileged"]}}
    assert findings("identity_remote_access_mfa", data, policy=off) == []
    everyone = {"identity": {"mfa_required_for": ["all"]}}
    assert by_asset("identity_remote_access_mfa", data, policy=everyone) == {"vpn": F}


def test_disabled_accounts_are_not_asked_for_mfa():
    data = {"accounts": [acct("gone", enabled=False, supplier="acme", mfa=False)]}
    assert findings("identity_supplier_mfa", data) == []


def test_account_findings_carry_the_providers_remediation_step():
    data = {"accounts": [acct("arn:aws:iam::1:user/bob", source="aws", console_access=True,
                              mfa=False),
                         acct("CORP\\jo", console_access=True, mfa=False)]}
    out = {f.asset_id: f for f in findings("identity_console_mfa", data)}
    aws = out["arn:aws:iam::1:user/bob"]
    assert aws.hosting == Hosting.AWS and "aws iam" in aws.remediation
    assert out["CORP\\jo"].hosting == Hosting.ONPREM
    assert "aws iam" not in out["CORP\\jo"].remediation


def test_break_glass_count_limits_unknowns_and_gaps():
    def glass(n, **kw):
        return {"accounts": [acct(f"bg{i}", source="azure", kind="break-glass", **kw)
                             for i in range(n)]}

    assert by_asset("identity_break_glass_count", glass(5)) == {"estate": F}
    assert by_asset("identity_break_glass_count", glass(1, enabled=None)) == {"estate": E}
    assert by_asset("identity_break_glass_count", {"accounts": []}) == {"estate": F}
    assert by_asset("identity_break_glass_count", {"accounts": []},
                    gaps=[DataKind.ACCOUNTS]) == {"estate": E}


def test_backup_admin_separation_needs_to_know_the_domains():
    systems = [{"id": "s", "name": "S", "kind": "server", "identity_domain": "corp"}]
    tds = [{"id": "corp", "name": "corp", "kind": "ad-domain", "provider": "ad"}]
    data = {"trust_domains": tds, "systems": systems, "accounts": [
        acct("no-domain", backup_admin=True),
        acct("maybe", trust_domain="corp", backup_admin=None),
        acct("plain", trust_domain="corp", backup_admin=False),
    ]}
    assert by_asset("identity_backup_admin_separate_domain", data) == {
        "no-domain": E, "maybe": E}
    unjoined = {"trust_domains": tds, "systems": [{"id": "s", "name": "S", "kind": "server"}],
                "accounts": [acct("ba", trust_domain="backup", backup_admin=True)]}
    assert by_asset("identity_backup_admin_separate_domain", unjoined) == {"ba": E}


def test_password_length_accepts_eight_only_with_mfa_enforced():
    def td(id_, length, mfa):
        return {"id": id_, "name": id_, "kind": "ad-domain", "provider": "ad",
                "mfa_enforced": mfa, "password_policy": {"min_length": length}}

    data = {"trust_domains": [td("a", 8, True), td("b", 8, False), td("c", None, True),
                              {"id": "d", "name": "d", "kind": "aws-account"}]}
    assert by_asset("identity_password_min_length", data) == {"a": P, "b": F, "c": E, "d": E}


def test_root_use_unknown_is_an_error_and_recent_use_fails():
    data = {"accounts": [acct("r1", source="aws", kind="root"),
                         acct("r2", source="aws", kind="root", last_used="2026-10-31")]}
    assert by_asset("identity_root_recent_use", data) == {"r1": E, "r2": F}


def test_access_keys_inactive_ignored_unknown_dates_error():
    data = {"accounts": [
        acct("a", source="aws", access_keys=[{"id": "K1", "active": False, "created": "2010-01-01"}]),
        acct("b", source="aws", access_keys=[{"id": "K2"}]),
        acct("c", source="aws", access_keys=[{"id": "K3", "created": "2026-10-01"},
                                             {"id": "K4"}]),
    ]}
    assert by_asset("identity_access_key_age", data) == {"b": E, "c": E}
    assert by_asset("identity_unused_access_key", data) == {"b": E, "c": E}


def test_privileged_password_age_edge_cases():
    data = {"accounts": [
        acct("never-expires", privileged=True, password_never_expires=True),
        acct("unknown", privileged=True),
        acct("api-only", source="aws", privileged=True, console_access=False),
        acct("root-old", source="aws", kind="root", password_last_set="2019-01-01"),
    ]}
    assert by_asset("identity_privileged_password_age", data) == {
        "never-expires": F, "unknown": E, "root-old": F}


def test_privileged_share_unknowns_that_could_cross_the_line_are_errors():
    humans = [acct(f"u{i}", privileged=False) for i in range(8)]
    data = {"accounts": [*humans, acct("a", privileged=True), acct("x", privileged=None)]}
    assert by_asset("identity_privileged_share", data) == {"estate": E}
    assert by_asset("identity_privileged_share", {"accounts": [acct("svc", kind="service")]}) \
        == {"estate": E}


def test_service_accounts_interactive_and_privileged():
    data = {"accounts": [
        acct("svc-unknown", kind="service"),
        acct("svc-console", kind="service", console_access=True),
        acct("person", console_access=True, privileged=True),
    ]}
    assert by_asset("identity_service_account_interactive", data) == {
        "svc-unknown": E, "svc-console": F}
    assert by_asset("identity_service_account_privileged", data) == {
        "svc-unknown": E, "svc-console": E}


def test_admin_tiering_only_judges_directories():
    data = {"trust_domains": [
        {"id": "corp", "name": "corp", "kind": "ad-domain", "provider": "ad"},
        {"id": "t", "name": "t", "kind": "azure-tenant", "provider": "azure",
         "admin_tiering": False},
    ]}
    assert by_asset("identity_admin_tiering", data) == {"corp": E}


def test_owner_required_only_for_non_personal_accounts():
    data = {"accounts": [acct("person"), acct("svc", kind="service", owner="  "),
                         acct("sup", kind="supplier", owner="Procurement"),
                         acct("old-svc", kind="service", enabled=False)]}
    assert by_asset("identity_account_owner", data) == {"svc": F, "sup": P}


def test_disabled_privileged_unknown_is_error():
    data = {"accounts": [acct("d1", enabled=False), acct("d2", enabled=False, privileged=True)]}
    assert by_asset("identity_disabled_privileged", data) == {"d1": E, "d2": F}


def test_backup_servers_domain_is_not_production_but_a_cloud_account_is():
    tds = [{"id": "corp", "name": "corp", "kind": "ad-domain", "provider": "ad"},
           {"id": "vault", "name": "vault", "kind": "backup-console"},
           {"id": "111122223333", "name": "prod", "kind": "aws-account", "provider": "aws"}]
    systems = [{"id": "app", "name": "app", "kind": "server", "identity_domain": "corp"},
               {"id": "veeam", "name": "veeam", "kind": "backup-server",
                "identity_domain": "vault"},
               {"id": "db", "name": "db", "kind": "database", "hosting": "aws",
                "account": "111122223333"}]
    data = {"trust_domains": tds, "systems": systems, "accounts": [
        acct("vault-admin", source="onprem", trust_domain="vault", backup_admin=True),
        acct("aws-backup", source="aws", trust_domain="111122223333", backup_admin=True)]}
    assert by_asset("identity_backup_admin_separate_domain", data) == {
        "vault-admin": P, "aws-backup": F}
