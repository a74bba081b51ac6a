"""The gaps that make recovery impossible or late, each linked to the checks that find it.

The link is data: ``GAP_CHECKS`` maps every gap code to check ids, and a test holds it to the
check catalogue, so a renamed or removed check breaks the build instead of a playbook link.
"""

from __future__ import annotations

from resilience.scenarios.interface import Gap, GapCode
from resilience.scenarios.outcomes import maker

GAP_CHECKS: dict[GapCode, tuple[str, ...]] = {
    GapCode.SAME_TRUST_DOMAIN: ("backup_isolated_copy", "backup_immutable_copy",
                                "backup_offline_copy", "identity_backup_admin_separate_domain",
                                "backup_server_not_domain_joined"),
    GapCode.SAME_SITE: ("backup_offsite_copy", "continuity_single_site"),
    GapCode.SAME_REGION: ("backup_cross_region_copy",),
    GapCode.SAME_ACCOUNT: ("backup_cross_account_copy", "backup_immutable_copy",
                           "backup_deletion_needs_approval"),
    GapCode.SAME_SYSTEM: ("backup_replication_not_backup", "backup_isolated_copy"),
    GapCode.NOT_ISOLATED: ("backup_isolated_copy", "backup_immutable_copy"),
    GapCode.UNKNOWN_DATA: ("backup_isolated_copy", "backup_immutable_copy"),
    GapCode.NO_COPY: ("backup_system_has_copy",),
    GapCode.NO_REBUILD: ("continuity_rebuild_path", "continuity_unsupported_rebuild"),
    GapCode.UNTESTED_RESTORE: ("backup_restore_test_recent", "backup_restore_test_passed"),
    GapCode.RTO_MISSED: ("backup_restore_time_meets_rto",),
    GapCode.NO_RTO: ("continuity_service_register",),
    GapCode.NO_FALLBACK: ("continuity_manual_fallback",),
    GapCode.DEPENDENCY_CYCLE: ("continuity_dependency_cycle",),
    GapCode.SINGLE_SUPPLIER: ("continuity_manual_fallback",),
    GapCode.SINGLE_LOCATION: ("continuity_single_site", "continuity_zone_redundancy",
                              "backup_cross_region_copy"),
}

_make_gap = maker(Gap)

# A lost copy's machine reason -> the gap it reveals.
COPY_CODE_GAP: dict[str, GapCode] = {
    "same-trust-domain": GapCode.SAME_TRUST_DOMAIN,
    "same-site": GapCode.SAME_SITE,
    "same-region": GapCode.SAME_REGION,
    "same-account": GapCode.SAME_ACCOUNT,
    "same-system": GapCode.SAME_SYSTEM,
    "not-isolated": GapCode.NOT_ISOLATED,
}


def gap(code: GapCode, subject: str, message: str) -> Gap:
    """A gap with its check links filled in from ``GAP_CHECKS``."""
    return _make_gap(code=code, subject=subject, message=message, checks=list(GAP_CHECKS[code]))
