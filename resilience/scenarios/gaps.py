"""The gaps that make recovery impossible or late, each linked to the checks that find it.

The link is data: ``GAP_CHECKS`` maps every gap code to check ids, and a test holds it to the
check catalogue, so a renamed or removed check breaks the build instead of a playbook link.
"""

from __future__ import annotations

from resilience.scenarios.interface import Gap, GapCode

GAP_CHECKS: dict[GapCode, tuple[str, ...]] = {
    GapCode.SAME_TRUST_DOMAIN: (),
    GapCode.SAME_SITE: (),
    GapCode.SAME_REGION: (),
    GapCode.SAME_ACCOUNT: (),
    GapCode.SAME_SYSTEM: (),
    GapCode.NOT_ISOLATED: (),
    GapCode.UNKNOWN_DATA: (),
    GapCode.NO_COPY: ("backup_system_has_copy",),
    GapCode.NO_REBUILD: (),
    GapCode.UNTESTED_RESTORE: (),
    GapCode.RTO_MISSED: (),
    GapCode.NO_RTO: (),
    GapCode.NO_FALLBACK: (),
    GapCode.DEPENDENCY_CYCLE: (),
    GapCode.SINGLE_SUPPLIER: (),
    GapCode.SINGLE_LOCATION: (),
}

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
    return Gap(code=code, subject=subject, message=message, checks=list(GAP_CHECKS[code]))
