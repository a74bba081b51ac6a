"""Active long-lived access keys are rotated within the policy's maximum age."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, age_text

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class IdentityAccessKeyAge(IdentityCheck):
    meta = CheckMeta(
        id="identity_access_key_age",
        title="Access keys are rotated",
        domain=Domain.IDENTITY,
        severity=Severity.MEDIUM,
        rationale=(
            "A long-lived key that never changes keeps working for whoever copied it, from "
            "anywhere, for as long as it exists. Dallas was entered through a service account "
            "credential, and Colonial through a password that had leaked years after it was "
            "set; rotation limits how long a stolen secret stays useful."
        ),
        remediation=(
            "Rotate active keys older than identity.key_max_age, or better replace them with "
            "short-lived credentials (roles, managed identities, workload identity)."
        ),
        remediation_steps={
            Hosting.AWS: "aws iam create-access-key --user-name NAME; switch the workload; "
                         "aws iam update-access-key --status Inactive; aws iam delete-access-key",
            Hosting.AZURE: "az ad app credential reset --id APP_ID (or move to a managed "
                           "identity); remove old client secrets",
            Hosting.ONPREM: "Rotate API tokens and service credentials in the vault; set "
                            "expiry on new tokens",
        },
        lessons=["dallas-2023", "colonial-2021"],
        frameworks=FrameworkRefs(caf=["B2.a"], nist_csf=["PR.AA-01"], cis=["5.5"],
                                 iso27001=["A.5.17"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        limit = ctx.policy.identity.key_max_age
        for account in ctx.estate.accounts:
            if account.enabled is False:
                continue
            keys = [k for k in account.access_keys if k.active]
            if not keys:
                continue
            unknown = [k.id for k in keys if k.created is None]
            old = [f"{k.id} ({age_text(ctx.now - k.created)})" for k in keys
                   if k.created is not None and ctx.now - k.created > limit]
            if old:
                yield self.failed(ctx, account, f"Active key(s) older than {age_text(limit)}: "
                                  f"{', '.join(old)}.")
            elif unknown:
                yield self.errored(ctx, account, f"Creation date not known for active key(s) "
                                   f"{', '.join(unknown)}.")
            else:
                yield self.passed(ctx, account, f"{len(keys)} active key(s), all younger than "
                                  f"{age_text(limit)}.")
