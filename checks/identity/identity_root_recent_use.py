"""Root and tenant-wide administrator accounts are not used for everyday work."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, age_text

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import AccountKind, DataKind, Domain, Hosting, Severity


class IdentityRootRecentUse(IdentityCheck):
    meta = CheckMeta(
        id="identity_root_recent_use",
        title="Root accounts have not been used recently",
        domain=Domain.IDENTITY,
        severity=Severity.HIGH,
        rationale=(
            "A root or global-administrator account can delete every resource and every "
            "backup in its account or tenant, and cannot be constrained by policy. Using it "
            "for routine work exposes it to phishing and malware. Capita had no "
            "privileged-access management to limit such use; the NCSC's backup principles "
            "ask for alerts and controls on privileged actions."
        ),
        remediation=(
            "Use named, least-privilege roles for daily work; keep the root account's "
            "credentials offline and investigate any use within identity.root_use_max_age."
        ),
        remediation_steps={
            Hosting.AWS: "aws iam get-credential-report: check <root_account> "
                         "password_last_used and access_key_*_last_used_date; delete root "
                         "access keys",
            Hosting.AZURE: "Entra admin centre > Roles > Global Administrator: use PIM "
                           "eligible assignments and review sign-in logs of permanent holders",
            Hosting.ONPREM: "Review logons of the built-in Administrator and Enterprise Admins "
                            "(event 4624) and keep them empty outside recovery",
        },
        lessons=["capita-2023", "ncsc-cloud-backup-principles"],
        frameworks=FrameworkRefs(caf=["B2.c"], nist_csf=["PR.AA-05"], cis=["5.4"],
                                 iso27001=["A.8.2"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        limit = ctx.policy.identity.root_use_max_age
        for account in ctx.estate.accounts:
            if account.kind != AccountKind.ROOT or account.enabled is False:
                continue
            if account.last_used is None:
                yield self.errored(ctx, account, "Root account whose last use is not known "
                                   "(never used, or not collected).")
                continue
            idle = ctx.now - account.last_used
            if idle <= limit:
                yield self.failed(ctx, account, f"Root account used {age_text(idle)} ago, within "
                                  f"the {age_text(limit)} the policy allows.")
            else:
                yield self.passed(ctx, account, f"Root account last used {age_text(idle)} ago.")
