"""Active access keys that are not used are removed."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck, age_text

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class IdentityUnusedAccessKey(IdentityCheck):
    meta = CheckMeta(
        id="identity_unused_access_key",
        title="No active access key sits unused",
        domain=Domain.IDENTITY,
        severity=Severity.MEDIUM,
        rationale=(
            "A key nobody uses is a key nobody misses and nobody watches: the same reason "
            "Hackney's dormant account was dangerous. Dallas's attackers used a service "
            "account's credentials; unused credentials should not exist at all."
        ),
        remediation=(
            "Deactivate, then delete, active keys unused for longer than "
            "identity.dormant_after (or never used since creation)."
        ),
        remediation_steps={
            Hosting.AWS: "aws iam get-access-key-last-used --access-key-id ID; aws iam "
                         "update-access-key --status Inactive; later aws iam delete-access-key",
            Hosting.AZURE: "Entra admin centre > App registrations > Certificates & secrets: "
                           "remove secrets no sign-in uses (check service principal sign-ins)",
            Hosting.ONPREM: "Revoke unused API tokens in each application's admin console",
        },
        lessons=["hackney-2020", "dallas-2023"],
        frameworks=FrameworkRefs(caf=["B2.a", "B2.d"], nist_csf=["PR.AA-01"], cis=["5.3", "5.5"],
                                 iso27001=["A.5.17", "A.5.18"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        limit = ctx.policy.identity.dormant_after
        for account in ctx.estate.accounts:
            if account.enabled is False:
                continue
            keys = [k for k in account.access_keys if k.active]
            if not keys:
                continue
            idle, unknown = [], []
            for k in keys:
                if k.last_used is not None:
                    if ctx.now - k.last_used > limit:
                        idle.append(f"{k.id} (last used {age_text(ctx.now - k.last_used)} ago)")
                elif k.created is not None:
                    if ctx.now - k.created > limit:
                        idle.append(f"{k.id} (no use recorded in {age_text(ctx.now - k.created)})")
                else:
                    unknown.append(k.id)
            if idle:
                yield self.failed(ctx, account, f"Active key(s) unused for more than "
                                  f"{age_text(limit)}: {', '.join(idle)}.")
            elif unknown:
                yield self.errored(ctx, account, "Neither last use nor creation is known for "
                                   f"active key(s) {', '.join(unknown)}.")
            else:
                yield self.passed(ctx, account, f"{len(keys)} active key(s), all in use.")
