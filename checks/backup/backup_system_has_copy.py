"""Every tiered system has at least one backup copy."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Severity, SystemKind

# Systems whose data lives with a supplier are judged by the supplier checks instead.
_NOT_BACKED_UP_BY_US = {SystemKind.SAAS, SystemKind.NETWORK, SystemKind.TELEPHONY}


class BackupSystemHasCopy(Check):
    meta = CheckMeta(
        id="backup_system_has_copy",
        title="Every tiered system has a backup",
        domain=Domain.BACKUP,
        severity=Severity.CRITICAL,
        rationale=(
            "A system with no backup cannot be restored after ransomware or deletion; it can "
            "only be rebuilt, and its data is gone. Hackney lost years of case data in systems "
            "whose backups did not survive."
        ),
        remediation="Add the system to a backup job that meets its tier's RPO and retention.",
        lessons=["hackney-2020"],
        frameworks=FrameworkRefs(caf=["B5.c"], nist_csf=["PR.DS-11"], cis=["11.2"],
                                 iso27001=["A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for system in ctx.estate.systems:
            if system.kind in _NOT_BACKED_UP_BY_US or ctx.tier_policy(system) is None:
                continue
            copies = ctx.estate.backups_by_system.get(system.id, [])
            if copies:
                yield self.passed(ctx, system, f"{len(copies)} backup copy(ies) recorded.")
                continue
            gap = ctx.gap_reason(DataKind.BACKUPS, system.account, system.region)
            if gap:
                yield self.errored(ctx, system, f"Cannot tell whether it is backed up: {gap}.")
            else:
                yield self.failed(ctx, system, "No backup copy of this system is recorded.")
