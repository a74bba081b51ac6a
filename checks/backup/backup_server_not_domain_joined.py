"""Backup servers and consoles do not sign in through the production directory."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity, SystemKind


class BackupServerNotDomainJoined(Check):
    meta = CheckMeta(
        id="backup_server_not_domain_joined",
        title="Backup servers are not joined to the production domain",
        domain=Domain.BACKUP,
        severity=Severity.CRITICAL,
        rationale=(
            "A backup console joined to the production domain hands every backup to whoever "
            "becomes domain admin: the backups become deletable with domain credentials. That is "
            "how attackers delete backups before they encrypt (about a tenth of Hackney's "
            "backups), and the British Library's attackers destroyed servers specifically to "
            "stop recovery. The NCSC's on-premises backup principles start with isolating the "
            "backup system. A backup server passes when its identity domain is one that no "
            "production system uses."
        ),
        remediation=(
            "Take the backup server, its repositories and its console out of the production "
            "domain: use local accounts with MFA or a separate management domain with no trust "
            "from production, and record that trust domain as the server's `identity_domain`."
        ),
        remediation_steps={
            Hosting.ONPREM: (
                "Rebuild or unjoin the backup server into a workgroup or dedicated management "
                "forest (`Remove-Computer -WorkgroupName BACKUP`), then re-create its service "
                "accounts locally."
            ),
            Hosting.AWS: (
                "Run the backup server in the backup account, not joined to the production "
                "directory; sign in through a separate IAM Identity Center instance or local "
                "accounts with MFA."
            ),
            Hosting.AZURE: (
                "Run the backup server in a separate subscription and tenant, not joined to the "
                "production AD DS or Entra ID domain."
            ),
        },
        lessons=["hackney-2020", "british-library-2023", "ncsc-cloud-backup-principles"],
        frameworks=FrameworkRefs(caf=["B5.c", "B2.c"], nist_csf=["PR.DS-11", "PR.AA-05"],
                                 cis=["11.4", "12.2"], iso27001=["A.8.13", "A.8.2"]),
        needs=[DataKind.SYSTEMS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        # Every other system counts as production, SaaS included: a backup console that signs
        # in through the same cloud tenant as email falls with that tenant.
        production = [s for s in ctx.estate.systems if s.kind != SystemKind.BACKUP_SERVER]
        users: dict[str, list[str]] = {}
        for s in production:
            if s.identity_domain:
                users.setdefault(s.identity_domain, []).append(s.id)
        for server in ctx.estate.systems:
            if server.kind != SystemKind.BACKUP_SERVER:
                continue
            domain = server.identity_domain
            if domain is None:
                yield self.errored(ctx, server, "Cannot judge: its identity domain is not "
                                   "recorded; declare the trust domain it signs in through, even "
                                   "if that is its own local accounts.")
            elif domain in users:
                shared = users[domain]
                names = ", ".join(f"'{s}'" for s in shared[:3])
                more = f" and {len(shared) - 3} more" if len(shared) > 3 else ""
                yield self.failed(ctx, server, f"Joined to '{domain}', the identity domain of "
                                  f"{len(shared)} production system(s) ({names}{more}): domain "
                                  "admins can delete its backups.")
            elif not users:
                yield self.errored(ctx, server, "Cannot judge: no production system records its "
                                   "identity domain, so there is nothing to compare with.")
            else:
                yield self.passed(ctx, server, f"Signs in through '{domain}', which no production "
                                  "system uses.")
