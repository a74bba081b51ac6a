"""Disabled accounts keep no privileged group membership or role."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class IdentityDisabledPrivileged(IdentityCheck):
    meta = CheckMeta(
        id="identity_disabled_privileged",
        title="Disabled accounts hold no administrator rights",
        domain=Domain.IDENTITY,
        severity=Severity.LOW,
        rationale=(
            "A disabled account that keeps its administrator rights is one re-enable away "
            "from full control, and inflates the privileged groups everyone is meant to "
            "review. The HSE's review asked for privileged-group membership to be reviewed; "
            "Capita's lack of privileged-access management let rights accumulate."
        ),
        remediation="Remove privileged groups and roles when an account is disabled.",
        remediation_steps={
            Hosting.ONPREM: "Get-ADUser -Filter {Enabled -eq $false -and AdminCount -eq 1}; "
                            "Remove-ADGroupMember from each admin group",
            Hosting.AWS: "Detach administrator policies from users whose console and keys are "
                         "disabled (aws iam detach-user-policy)",
            Hosting.AZURE: "Remove directory role assignments from blocked users (Entra admin "
                           "centre > Roles and administrators)",
        },
        lessons=["hse-2021", "capita-2023"],
        frameworks=FrameworkRefs(caf=["B2.c"], nist_csf=["PR.AA-05"], cis=["6.2"],
                                 iso27001=["A.5.18", "A.8.2"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for account in ctx.estate.accounts:
            if account.enabled is not False:
                continue
            if account.privileged is True:
                yield self.failed(ctx, account, "Disabled, but still privileged.")
            elif account.privileged is None:
                yield self.errored(ctx, account, "Disabled; whether it still holds administrator "
                                   "rights is not known.")
            else:
                yield self.passed(ctx, account, "Disabled and holds no administrator rights.")
