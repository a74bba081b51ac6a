"""Edge cases of the backup checks: unknown facts and collection gaps give error, never pass."""

from __future__ import annotations

from resilience.model import CollectionGap, DataKind, Estate, Provider, Status
from tests.helpers import estate_from, policy_from, run_one


def statuses(check_id, data, policy=None, asset=None):
    """Statuses of the findings about ``asset`` (or all assets that are not collection gaps)."""
    findings = run_one(check_id, data if isinstance(data, Estate) else estate_from(data),
                       policy_from(policy))
    return [f.status for f in findings
            if f.asset_type != "collection-gap" and (asset is None or f.asset_id == asset)]


def with_backup_gap(data, account=None, region=None) -> Estate:
    estate = estate_from(data)
    gap = CollectionGap(source=Provider.AWS, scope=f"aws {account or 'all'}",
                        service="backup", kinds=[DataKind.BACKUPS], reason="AccessDenied",
                        account=account, region=region)
    return Estate.model_validate({**estate.model_dump(), "gaps": [gap.model_dump()]})


def aws_db(**extra):
    return {"id": "db", "name": "Payments DB", "kind": "database", "hosting": "aws",
            "account": "111", "region": "eu-west-2", "tier": 2, **extra}


def test_a_backup_gap_in_the_systems_account_turns_missing_copies_into_error():
    estate = with_backup_gap({"systems": [aws_db()]}, account="111")
    assert statuses("backup_system_has_copy", estate) == [Status.ERROR]
    assert statuses("backup_immutable_copy", estate) == [Status.ERROR]
    assert statuses("backup_restore_time_meets_rto", estate) == [Status.ERROR]


def test_a_gap_in_another_account_does_not_hide_the_systems_own_copies():
    estate = with_backup_gap({"systems": [aws_db()]}, account="999")
    assert statuses("backup_system_has_copy", estate) == [Status.FAIL]


def test_a_gap_anywhere_may_hide_a_cross_account_copy():
    data = {"systems": [aws_db(backups=[{"id": "b1", "account": "111"}])]}
    assert statuses("backup_cross_account_copy", data) == [Status.FAIL]
    assert statuses("backup_cross_account_copy", with_backup_gap(data, account="999")) == [
        Status.ERROR]


def test_a_qualifying_copy_passes_despite_a_gap():
    data = {"systems": [aws_db(backups=[{"id": "b1", "immutable": True}])]}
    assert statuses("backup_immutable_copy", with_backup_gap(data, account="111")) == [
        Status.PASS]


def test_unknown_facts_give_error_not_fail_or_pass():
    data = {"systems": [{"id": "s", "name": "S", "kind": "server", "tier": 2,
                         "backups": [{"id": "slow", "frequency": "7d"}, {"id": "unknown"}]}]}
    assert statuses("backup_frequency_meets_rpo", data) == [Status.ERROR]
    assert statuses("backup_immutable_copy", data) == [Status.ERROR]
    assert statuses("backup_restore_test_recent", data) == [Status.ERROR]
    assert statuses("backup_restore_test_passed", data) == [Status.ERROR]
    assert statuses("backup_copy_encrypted", data) == [Status.ERROR, Status.ERROR]
    assert statuses("backup_key_recoverable", data) == [Status.ERROR, Status.ERROR]
    assert statuses("backup_deletion_needs_approval", data) == [Status.ERROR, Status.ERROR]


def test_isolation_of_an_onprem_system_needs_its_directory():
    data = {"systems": [{"id": "s", "name": "S", "kind": "server", "tier": 2,
                         "backups": [{"id": "b", "trust_domain": "vault"}]}]}
    assert statuses("backup_isolated_copy", data) == [Status.ERROR]
    data["systems"][0]["identity_domain"] = "corp"
    assert statuses("backup_isolated_copy", data) == [Status.PASS]


def test_untiered_and_out_of_scope_systems_are_skipped_by_tier_driven_checks():
    data = {"systems": [
        {"id": "untiered", "name": "U", "kind": "server"},
        {"id": "m365", "name": "M365", "kind": "saas", "hosting": "saas", "tier": 1},
        {"id": "crm", "name": "CRM", "kind": "application", "hosting": "saas", "tier": 1},
        {"id": "pbx", "name": "Phones", "kind": "telephony", "tier": 1},
        {"id": "fw", "name": "Firewall", "kind": "network", "tier": 1},
    ]}
    for check in ("backup_system_has_copy", "backup_immutable_copy", "backup_isolated_copy",
                  "backup_restore_test_recent", "backup_frequency_meets_rpo"):
        assert statuses(check, data) == [], check


def test_a_default_tier_brings_untiered_systems_into_scope():
    data = {"services": [], "systems": [{"id": "u", "name": "U", "kind": "server"}]}
    assert statuses("backup_untiered_systems", data) == [Status.FAIL]
    assert statuses("backup_system_has_copy", data) == []
    policy = {"default_tier": 3}
    assert statuses("backup_untiered_systems", data, policy) == [Status.PASS]
    assert statuses("backup_system_has_copy", data, policy) == [Status.FAIL]


def test_replicas_never_count_as_backups():
    replica = {"id": "r", "kind": "replica", "immutable": True, "offline": True,
               "last_success": "2026-10-31", "frequency": "1h", "retention": "365d"}
    data = {"systems": [{"id": "s", "name": "S", "kind": "database", "tier": 2,
                         "backups": [replica]}]}
    for check in ("backup_system_has_copy", "backup_replication_not_backup",
                  "backup_immutable_copy", "backup_frequency_meets_rpo",
                  "backup_last_success_recent", "backup_retention_meets_minimum"):
        assert statuses(check, data) == [Status.FAIL], check
    message = run_one("backup_immutable_copy", estate_from(data))[0].message
    assert "only replicated" in message


def test_a_system_without_replicas_is_not_judged_by_the_replication_check():
    data = {"systems": [{"id": "s", "name": "S", "kind": "database", "tier": 2}]}
    assert statuses("backup_replication_not_backup", data) == []


def test_restore_time_uses_the_latest_successful_test():
    def system(*tests):
        return {"systems": [{"id": "s", "name": "S", "kind": "server", "tier": 2, "backups": [
            {"id": f"b{i}", "last_restore_test": when, "restore_test_passed": ok,
             "restore_test_duration": took} for i, (when, ok, took) in enumerate(tests)]}]}

    newer_slow = system(("2026-01-01", True, "1h"), ("2026-09-01", True, "9d"))
    assert statuses("backup_restore_time_meets_rto", newer_slow) == [Status.FAIL]
    newer_failed = system(("2026-01-01", True, "1h"), ("2026-09-01", False, "9d"))
    assert statuses("backup_restore_time_meets_rto", newer_failed) == [Status.PASS]
    all_failed = system(("2026-01-01", False, "1h"))
    assert statuses("backup_restore_time_meets_rto", all_failed) == [Status.FAIL]
    unknown_result = system(("2026-01-01", None, "1h"))
    assert statuses("backup_restore_time_meets_rto", unknown_result) == [Status.ERROR]
    unknown_duration = system(("2026-01-01", True, None))
    assert statuses("backup_restore_time_meets_rto", unknown_duration) == [Status.ERROR]


def test_restore_test_result_without_a_date_cannot_be_judged():
    data = {"systems": [{"id": "s", "name": "S", "kind": "server", "tier": 2,
                         "backups": [{"id": "b", "restore_test_passed": True}]}]}
    assert statuses("backup_restore_test_passed", data) == [Status.ERROR]


def _directory(test_date, tier=None, passed=True):
    dc = {"id": "dc", "name": "DC", "kind": "directory", "identity_domain": "corp",
          "backups": [{"id": "b", "offline": True, "trust_domain": "vault",
                       "last_restore_test": test_date, "restore_test_passed": passed}]}
    if tier:
        dc["tier"] = tier
    return {"systems": [dc]}


def test_an_untiered_directory_is_held_to_the_most_critical_tier():
    # Judged on 2026-11-01: a test 123 days old is too old for tier 1 (90d), fine for tier 3.
    assert statuses("backup_directory_recoverable", _directory("2026-07-01")) == [Status.FAIL]
    assert statuses("backup_directory_recoverable", _directory("2026-07-01", tier=3)) == [
        Status.PASS]
    assert statuses("backup_directory_recoverable", _directory("2026-10-01", passed=None)) == [
        Status.ERROR]
    assert statuses("backup_directory_recoverable", _directory("2026-10-01", passed=False)) == [
        Status.FAIL]


def test_a_saas_directory_is_not_judged_as_our_backup():
    data = {"systems": [{"id": "entra", "name": "Entra ID", "kind": "directory",
                         "hosting": "saas"}]}
    assert statuses("backup_directory_recoverable", data) == []


def test_backup_server_identity_must_be_known_and_comparable():
    unknown = {"systems": [{"id": "app", "name": "A", "kind": "server", "identity_domain": "corp"},
                           {"id": "bk", "name": "B", "kind": "backup-server"}]}
    assert statuses("backup_server_not_domain_joined", unknown) == [Status.ERROR]
    nothing_to_compare = {"systems": [{"id": "app", "name": "A", "kind": "server"},
                                      {"id": "bk", "name": "B", "kind": "backup-server",
                                       "identity_domain": "bkp"}]}
    assert statuses("backup_server_not_domain_joined", nothing_to_compare) == [Status.ERROR]


def test_cross_region_needs_the_systems_region_and_skips_onprem():
    data = {"systems": [aws_db(tier=1, region=None, backups=[{"id": "b", "region": "x"}]),
                        {"id": "op", "name": "O", "kind": "server", "tier": 1}]}
    assert statuses("backup_cross_region_copy", data) == [Status.ERROR]


def test_offsite_falls_back_to_regions_when_sites_are_unknown():
    data = {"systems": [aws_db(backups=[{"id": "b", "region": "eu-west-1"}])]}
    assert statuses("backup_offsite_copy", data) == [Status.PASS]
    data = {"systems": [aws_db(backups=[{"id": "b", "region": "eu-west-2"}])]}
    assert statuses("backup_offsite_copy", data) == [Status.FAIL]
    data = {"systems": [aws_db(backups=[{"id": "b"}])]}
    assert statuses("backup_offsite_copy", data) == [Status.ERROR]


def test_protected_copy_must_itself_be_recent():
    data = {"systems": [{"id": "s", "name": "S", "kind": "server", "tier": 2,
                         "identity_domain": "corp", "backups": [
                             {"id": "tape", "offline": True, "last_success": "2026-10-01"},
                             {"id": "disk", "immutable": False, "offline": False,
                              "logically_air_gapped": False, "trust_domain": "corp",
                              "last_success": "2026-10-31"}]}]}
    assert statuses("backup_protected_copy_recent", data) == [Status.FAIL]
    data["systems"][0]["backups"][0]["last_success"] = None
    assert statuses("backup_protected_copy_recent", data) == [Status.ERROR]


def test_database_deletion_protection_unknown_is_error():
    assert statuses("backup_database_deletion_protection", {"systems": [aws_db()]}) == [
        Status.ERROR]


def test_a_date_after_the_evaluation_time_is_not_trusted_as_recent():
    def system(when):
        return {"systems": [{"id": "s", "name": "S", "kind": "server", "tier": 2,
                             "backups": [{"id": "b", "last_success": when,
                                          "last_restore_test": when}]}]}
    # Judged on 2026-11-01: a few hours ahead is clock drift, a month ahead is bad data.
    assert statuses("backup_last_success_recent", system("2026-11-01T03:00:00Z")) == [
        Status.PASS]
    assert statuses("backup_last_success_recent", system("2026-12-01")) == [Status.ERROR]
    assert statuses("backup_restore_test_recent", system("2026-12-01")) == [Status.ERROR]


def test_a_backup_console_in_the_email_tenant_is_not_isolated():
    data = {"systems": [
        {"id": "m365", "name": "Email", "kind": "saas", "hosting": "saas",
         "identity_domain": "tenant"},
        {"id": "bk", "name": "Cloud backup console", "kind": "backup-server", "hosting": "saas",
         "identity_domain": "tenant"}]}
    assert statuses("backup_server_not_domain_joined", data) == [Status.FAIL]
