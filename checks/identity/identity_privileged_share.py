"""Privileged accounts are a small share of the enabled human accounts."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import AccountKind, DataKind, Domain, Hosting, Severity


class IdentityPrivilegedShare(IdentityCheck):
    meta = CheckMeta(
        id="identity_privileged_share",
        title="Few people hold administrator rights",
        domain=Domain.IDENTITY,
        severity=Severity.MEDIUM,
        rationale=(
            "Every administrator is one phishing email from handing over the estate. The "
            "review of the HSE asked for privileged-group membership to be reviewed; Capita "
            "was fined partly for having no way to limit administrator rights."
        ),
        remediation=(
            "Review privileged group and role membership; remove standing rights that are not "
            "needed and give the rest just-in-time, time-bound elevation."
        ),
        remediation_steps={
            Hosting.ONPREM: "Get-ADGroupMember -Recursive for Domain Admins, Enterprise Admins, "
                            "Administrators, Backup Operators; remove the unneeded",
            Hosting.AWS: "IAM Access Analyzer unused-access findings; aws iam "
                         "list-entities-for-policy --policy-arn "
                         "arn:aws:iam::aws:policy/AdministratorAccess",
            Hosting.AZURE: "Entra ID PIM: convert permanent role assignments to eligible; run "
                           "an access review of privileged roles",
        },
        lessons=["hse-2021", "capita-2023"],
        frameworks=FrameworkRefs(caf=["B2.c"], nist_csf=["PR.AA-05"], cis=["5.4"],
                                 iso27001=["A.8.2", "A.5.18"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        limit = ctx.policy.identity.privileged_max_share
        humans = [a for a in ctx.estate.accounts
                  if a.kind == AccountKind.HUMAN and a.enabled is not False]
        if not humans:
            gap = ctx.gap_reason(DataKind.ACCOUNTS)
            message = gap or "no enabled human accounts are recorded"
            yield self.errored(ctx, ctx.estate, f"Cannot judge the share of administrators: "
                               f"{message}.")
            return
        privileged = sum(1 for a in humans if a.privileged is True)
        unknown = sum(1 for a in humans if a.privileged is None)
        share = privileged / len(humans)
        text = (f"{privileged} of {len(humans)} enabled human accounts ({share:.0%}) are "
                f"privileged; the policy allows {limit:.0%}.")
        if share > limit:
            yield self.failed(ctx, ctx.estate, text)
        elif (privileged + unknown) / len(humans) > limit:
            yield self.errored(ctx, ctx.estate, f"{text} Whether {unknown} more are privileged "
                               "is not known, which could take it over the limit.")
        else:
            yield self.passed(ctx, ctx.estate, text)
