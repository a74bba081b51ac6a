"""Unit tests for the backup checks' shared rules: three-valued logic, targets and scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from resilience.checks.backup._common import (
    Outcome,
    all_of,
    any_of,
    backed_up_by_us,
    copy_facts,
    dur,
    immutability,
    isolation,
    not_recorded,
    offline,
    own_trust_domains,
    recent,
    required_rpo,
    required_rto,
    tiered_systems,
)

from resilience.engine.interface import CheckContext
from resilience.model import BackupCopy, Hosting, System, SystemKind
from resilience.policy import default_policy
from tests.helpers import AS_OF, estate_from

T, F, U = Outcome(True, "yes"), Outcome(False, "no"), Outcome(None, "unknown")


@pytest.mark.parametrize(("tests", "expected"), [
    ((T, T), True), ((T, F), False), ((T, U), None), ((F, U), False), ((U, U), None),
])
def test_all_of_is_three_valued(tests, expected):
    assert all_of(*tests).ok is expected


@pytest.mark.parametrize(("tests", "expected"), [
    ((F, F), False), ((F, T), True), ((F, U), None), ((U, T), True), ((U, U), None),
])
def test_any_of_is_three_valued(tests, expected):
    assert any_of(*tests).ok is expected


def _copy(**kw) -> BackupCopy:
    return BackupCopy(id="c1", system="s1", **kw)


@pytest.mark.parametrize(("immutable", "mode", "expected"), [
    (True, "compliance", True), (True, None, True), (True, "Locked", True),
    (True, "governance", False), (True, "Unlocked", False), (False, None, False),
    (None, "compliance", None),
])
def test_only_locks_an_admin_cannot_lift_count_as_immutable(immutable, mode, expected):
    assert immutability(_copy(immutable=immutable, immutability=mode)).ok is expected


def test_onprem_system_needs_a_known_directory_to_judge_isolation():
    onprem = System(id="s1", name="s", hosting=Hosting.ONPREM, account="estate")
    assert own_trust_domains(onprem) is None
    assert isolation(_copy(trust_domain="backup"), onprem).ok is None
    cloud = System(id="s1", name="s", hosting=Hosting.AWS, account="111")
    assert own_trust_domains(cloud) == {"111"}
    assert isolation(_copy(trust_domain="111"), cloud).ok is False
    assert isolation(_copy(trust_domain="222"), cloud).ok is True
    assert isolation(_copy(), cloud).ok is None


def test_a_copy_deletable_from_the_production_account_is_not_isolated_even_if_joined_elsewhere():
    vm = System(id="s1", name="s", hosting=Hosting.AZURE, account="prod-sub",
                identity_domain="corp")
    assert isolation(_copy(trust_domain="prod-sub"), vm).ok is False
    assert isolation(_copy(trust_domain="corp"), vm).ok is False


@pytest.mark.parametrize(("kind", "hosting", "expected"), [
    (SystemKind.SAAS, Hosting.SAAS, False), (SystemKind.APPLICATION, Hosting.SAAS, False),
    (SystemKind.NETWORK, Hosting.ONPREM, False), (SystemKind.TELEPHONY, Hosting.AZURE, False),
    (SystemKind.DATABASE, Hosting.AWS, True), (SystemKind.DIRECTORY, Hosting.ONPREM, True),
])
def test_backup_scope(kind, hosting, expected):
    assert backed_up_by_us(System(id="x", name="x", kind=kind, hosting=hosting)) is expected


def _ctx(data) -> CheckContext:
    return CheckContext(estate=estate_from(data), policy=default_policy(), now=AS_OF)


def test_a_service_override_can_loosen_the_tier_target():
    ctx = _ctx({"services": [{"id": "a", "name": "A", "tier": 1, "rpo": "3d", "rto": "10d",
                              "systems": ["s"]}],
                "systems": [{"id": "s", "name": "S"}]})
    system = ctx.estate.systems[0]
    tier = ctx.tier_policy(system)
    assert required_rpo(ctx, system, tier) == timedelta(days=3)
    assert required_rto(ctx, system, tier) == timedelta(days=10)


def test_a_system_shared_by_services_meets_the_strictest_target():
    ctx = _ctx({"services": [{"id": "a", "name": "A", "tier": 3, "systems": ["s"]},
                             {"id": "b", "name": "B", "tier": 3, "rpo": "4h", "systems": ["s"]},
                             {"id": "c", "name": "C", "tier": 2, "systems": ["s"]}],
                "systems": [{"id": "s", "name": "S"}]})
    system = ctx.estate.systems[0]
    assert required_rpo(ctx, system, ctx.tier_policy(system)) == timedelta(hours=4)
    assert required_rto(ctx, system, ctx.tier_policy(system)) == timedelta(days=7)


def test_a_system_tier_of_its_own_also_binds():
    ctx = _ctx({"services": [{"id": "a", "name": "A", "tier": 3, "systems": ["s"]}],
                "systems": [{"id": "s", "name": "S", "tier": 1}]})
    system = ctx.estate.systems[0]
    assert required_rto(ctx, system, ctx.tier_policy(system)) == timedelta(hours=72)


@pytest.mark.parametrize(("value", "text"), [
    (timedelta(days=35), "35d"), (timedelta(hours=36), "36h"), (timedelta(minutes=15), "15m"),
    (None, "unknown"),
])
def test_durations_read_as_written(value, text):
    assert dur(value) == text


def test_several_missing_facts_read_as_one_sentence():
    inner = any_of(not_recorded("a"), Outcome(False, "no"), not_recorded("b"))
    joined = all_of(Outcome(True, "yes"), inner, Outcome(None, "c is dated later"),
                    not_recorded("d"))
    assert joined.ok is None
    assert joined.why == "c is dated later; a, b and d are not recorded"


def test_shared_facts_match_the_plain_tests_they_memoise():
    """The per-run facts that several checks share give what the plain tests give, first time
    and from the memo, and a system's copies leave out replicas."""
    copies = [
        {"id": "locked", "immutable": True, "immutability": "compliance", "trust_domain": "corp",
         "last_success": "2026-10-31T22:00:00Z"},
        {"id": "governance", "immutable": True, "immutability": "governance", "offline": False,
         "trust_domain": "backup", "last_success": "2026-09-01"},
        {"id": "tape", "offline": True, "last_success": "2026-12-25"},
        {"id": "unknown"},
        {"id": "mirror", "kind": "replica", "offline": True},
    ]
    ctx = _ctx({"services": [{"id": "a", "name": "A", "tier": 3, "rpo": "12h", "systems": ["s"]}],
                "systems": [{"id": "s", "name": "S", "tier": 2, "identity_domain": "corp",
                             "backups": copies},
                            {"id": "bare", "name": "B", "tier": 1, "identity_domain": "corp"}]})
    facts = copy_facts(ctx)
    factor = ctx.policy.continuity.backup_max_age_factor
    tiered = {t.system.id: t for t in tiered_systems(ctx)}
    assert [c.id for c in tiered["s"].copies] == ["locked", "governance", "tape", "unknown"]
    assert tiered["bare"].copies == []
    for t in tiered.values():
        assert (t.rpo, t.rto) == (required_rpo(ctx, t.system, t.tier),
                                  required_rto(ctx, t.system, t.tier))
        assert t.max_backup_age == t.rpo * factor
    assert tiered["s"].rpo == timedelta(hours=12)
    s = tiered["s"]
    for _ in range(2):  # the second time from the memo
        for c in s.copies:
            assert facts.immutable(c) == immutability(c)
            assert facts.offline(c) == offline(c)
            assert facts.isolated(c, s.system) == isolation(c, s.system)
            assert facts.attack_proof(c, s.system) == any_of(
                immutability(c), offline(c), isolation(c, s.system))
            assert facts.recent_success(c, s) == recent(ctx, c.last_success, s.max_backup_age,
                                                        "last success")
    assert [facts.attack_proof(c, s.system).ok for c in s.copies] == [True, True, True, None]
    assert [facts.recent_success(c, s).ok for c in s.copies] == [True, False, None, None]
