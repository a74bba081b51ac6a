"""The newest copy that would survive an attack is recent enough to be worth restoring."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import (
    Outcome,
    all_of,
    copy_facts,
    dur,
    judge_any,
    tiered_systems,
)

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupProtectedCopyRecent(Check):
    meta = CheckMeta(
        id="backup_protected_copy_recent",
        title="The newest attack-proof copy is recent",
        domain=Domain.BACKUP,
        severity=Severity.HIGH,
        rationale=(
            "After an attack, only copies the attacker could not reach are trusted, so their age "
            "sets how much data is lost. SEPA followed the 3-2-1 rule with one offline copy, but "
            "its online backups were corrupted early and historical data could not be restored "
            "quickly: an offline copy must be recent enough to meet the RPO. A copy counts when "
            "it is immutable, offline or air-gapped, or deletable only from another trust "
            "domain, and its last success is within the RPO times `backup_max_age_factor`."
        ),
        remediation=(
            "Send copies to the immutable, offline or isolated target as often as the RPO, not "
            "only weekly or monthly, and make sure those copy jobs succeed."
        ),
        remediation_steps={
            Hosting.AWS: (
                "Run the cross-account or air-gapped `CopyActions` in every daily rule, and list "
                "failed copies with `aws backup list-copy-jobs --by-state FAILED`."
            ),
            Hosting.AZURE: (
                "Check the locked vault's job history: `az backup job list --resource-group <rg> "
                "--vault-name <vault> --status Failed`."
            ),
            Hosting.ONPREM: (
                "Shorten the interval of the copy job to the immutable/offline repository, or "
                "rotate media more often; record `last_success` for that copy."
            ),
        },
        lessons=["sepa-2020", "hackney-2020"],
        frameworks=FrameworkRefs(caf=["B5.c"], nist_csf=["PR.DS-11"], cis=["11.4"],
                                 iso27001=["A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        facts = copy_facts(ctx)
        for t in tiered_systems(ctx):
            if not (t.tier.immutable_copy or t.tier.offline_copy or t.tier.isolated_copy):
                continue

            def protected_and_recent(copy, t=t) -> Outcome:
                return all_of(facts.attack_proof(copy, t.system), facts.recent_success(copy, t))

            yield judge_any(self, ctx, t.system, t.copies, protected_and_recent,
                            f"an attack-proof copy from the last {dur(t.max_backup_age)}",
                            anywhere=True)
