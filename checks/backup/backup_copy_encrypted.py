"""Every backup copy is encrypted at rest."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import backed_up_by_us, fact, judge_copy

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class BackupCopyEncrypted(Check):
    meta = CheckMeta(
        id="backup_copy_encrypted",
        title="Backup copies are encrypted",
        domain=Domain.BACKUP,
        severity=Severity.MEDIUM,
        rationale=(
            "Attackers steal data as well as encrypting it: about 600GB left the British Library "
            "and was auctioned, and data was stolen and published after SEPA and Hackney. A "
            "backup holds everything in one place, so an unencrypted copy is the easiest prize. "
            "CISA asks for offline, encrypted backups and the NCSC for strong key management; "
            "AWS Backup Audit Manager checks it as BACKUP_RECOVERY_POINT_ENCRYPTED. Every copy "
            "is judged, replicas included, because each one holds the data."
        ),
        remediation="Turn on encryption for the backup job or vault, then re-run the backup.",
        remediation_steps={
            Hosting.AWS: (
                "Back up to a vault with a KMS key (`aws backup create-backup-vault "
                "--backup-vault-name <name> --encryption-key-arn <key-arn>`); check a recovery "
                "point with `aws backup describe-recovery-point` (`IsEncrypted`)."
            ),
            Hosting.AZURE: (
                "Vault data is encrypted by default; for customer-managed keys use `az backup "
                "vault encryption update --encryption-key-id <key-uri> --mi-system-assigned`."
            ),
            Hosting.ONPREM: "Enable job or repository encryption in the backup product.",
        },
        lessons=["british-library-2023", "sepa-2020", "cisa-stopransomware",
                 "ncsc-cloud-backup-principles"],
        frameworks=FrameworkRefs(caf=["B3.c", "B5.c"], nist_csf=["PR.DS-01", "PR.DS-11"],
                                 cis=["3.11", "11.3"], iso27001=["A.8.24", "A.8.13"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for copy in ctx.estate.backups:
            system = ctx.estate.system_by_id.get(copy.system)
            if system is None or not backed_up_by_us(system):
                continue
            yield judge_copy(self, ctx, copy, fact(copy.encrypted, "encrypted at rest",
                                                  "not encrypted", "whether it is encrypted"))
