"""Every break-glass account raises an alert when it is used."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import AccountKind, DataKind, Domain, Hosting, Severity


class IdentityBreakGlassMonitored(IdentityCheck):
    meta = CheckMeta(
        id="identity_break_glass_monitored",
        title="Break-glass accounts are monitored",
        domain=Domain.IDENTITY,
        severity=Severity.HIGH,
        rationale=(
            "An emergency account has the highest rights and is expected to sit unused, so any "
            "sign-in is either an emergency or an attack. Capita's alert fired within minutes "
            "but nobody acted for 58 hours; the NCSC's backup principles ask for alerts on "
            "privileged actions."
        ),
        remediation="Raise an alert to the security team on every sign-in of a break-glass account.",
        remediation_steps={
            Hosting.AZURE: "Log Analytics alert rule on SigninLogs where UserPrincipalName is "
                           "an emergency account; route to the on-call group",
            Hosting.AWS: "EventBridge rule on ConsoleLogin / AssumeRole for the break-glass "
                         "principal (and root) sending to SNS",
            Hosting.ONPREM: "Alert on event 4624 for the break-glass account in the SIEM",
        },
        lessons=["capita-2023", "ncsc-cloud-backup-principles"],
        frameworks=FrameworkRefs(caf=["C1.a", "B2.c"], nist_csf=["PR.PS-04"], cis=["5.4"],
                                 iso27001=["A.8.16", "A.8.2"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for account in ctx.estate.accounts:
            if account.kind != AccountKind.BREAK_GLASS or account.enabled is False:
                continue
            if account.monitored is True:
                yield self.passed(ctx, account, "Sign-ins raise an alert.")
            elif account.monitored is False:
                yield self.failed(ctx, account, "Break-glass account whose sign-ins raise no alert.")
            else:
                yield self.errored(ctx, account, "Break-glass account; whether its sign-ins raise "
                                   "an alert is not known.")
