"""The key that decrypts each backup copy can itself be recovered after an attack."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import (
    fact,
    judge_copy,
    not_recorded,
    tiered_restorable_copies,
)

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupKeyRecoverable(Check):
    meta = CheckMeta(
        id="backup_key_recoverable",
        title="Backup encryption keys can be recovered",
        domain=Domain.BACKUP,
        severity=Severity.HIGH,
        rationale=(
            "An encrypted backup is only as recoverable as its key. If the key lives in the "
            "account, key vault or domain that the attacker controls, deleting or disabling it "
            "destroys every backup it protects. The NCSC's ransomware-resistant backup "
            "principles call for robust key management, and CISA's guide for offline, encrypted "
            "backups: the key must survive the same attack the backup does (kept outside the "
            "production trust domain, protected from deletion, or escrowed offline)."
        ),
        remediation=(
            "Keep the key where production admin rights cannot delete it (a backup account, "
            "purge-protected key vault, or an offline escrow), and prove it in a restore test."
        ),
        remediation_steps={
            Hosting.AWS: (
                "Use a key owned by the backup account, or an AWS-owned key (air-gapped vaults); "
                "check `aws kms describe-key --key-id <id>` for `KeyState` and deny "
                "`kms:ScheduleKeyDeletion` to production roles."
            ),
            Hosting.AZURE: (
                "`az keyvault update --name <kv> --enable-purge-protection true` and keep soft "
                "delete on; back up the key with `az keyvault key backup`."
            ),
            Hosting.ONPREM: (
                "Escrow the backup encryption password or key offline (sealed, in a safe, two "
                "people), and test a restore with it."
            ),
        },
        lessons=["ncsc-cloud-backup-principles", "cisa-stopransomware"],
        frameworks=FrameworkRefs(caf=["B5.c", "B3.c"], nist_csf=["PR.DS-11", "PR.DS-01"],
                                 cis=["11.3"], iso27001=["A.8.24", "A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for copy in tiered_restorable_copies(ctx):
            if copy.encrypted is False:
                continue  # no key to lose; backup_copy_encrypted reports the copy
            if copy.encrypted is None:
                test = not_recorded("whether it is encrypted (and so needs a key)")
            else:
                test = fact(copy.key_recoverable, "its encryption key can be recovered",
                            "its encryption key could be lost with the estate",
                            "whether its key can be recovered (key_recoverable)")
            yield judge_copy(self, ctx, copy, test)
