"""The number of enabled break-glass (emergency access) accounts is within the policy's range."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import AccountKind, DataKind, Domain, Hosting, Severity


class IdentityBreakGlassCount(IdentityCheck):
    meta = CheckMeta(
        id="identity_break_glass_count",
        title="Break-glass accounts exist, but only a few",
        domain=Domain.IDENTITY,
        severity=Severity.HIGH,
        rationale=(
            "When the identity provider, MFA service or domain is down or hostile, someone "
            "still has to get in to restore it: Maersk could rebuild its domain only because "
            "one domain controller had happened to be offline. The NCSC's backup principles "
            "warn against any set-up in which access can be denied to all of the customer's "
            "own administrators. Too many emergency accounts, on the other hand, are standing "
            "privileged access nobody watches."
        ),
        remediation=(
            "Keep between identity.break_glass_min and identity.break_glass_max emergency "
            "accounts, cloud-only, excluded from federation, with credentials held offline."
        ),
        remediation_steps={
            Hosting.AZURE: "Create two cloud-only emergency access accounts (*.onmicrosoft.com) "
                           "with Global Administrator and FIDO2 keys held in a safe",
            Hosting.AWS: "Keep the root user's credentials and MFA device in a safe, plus one "
                         "break-glass IAM role in the management account",
            Hosting.ONPREM: "Document the DSRM password and one offline-held domain admin "
                            "account for forest recovery",
        },
        lessons=["maersk-2017", "ncsc-cloud-backup-principles"],
        frameworks=FrameworkRefs(caf=["D1.b", "B2.c"], nist_csf=["PR.AA-05", "PR.IR-03"],
                                 cis=["5.4"], iso27001=["A.8.2", "A.5.29"]),
        needs=[DataKind.ACCOUNTS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        ident = ctx.policy.identity
        glass = [a for a in ctx.estate.accounts if a.kind == AccountKind.BREAK_GLASS]
        usable = [a for a in glass if a.enabled is True]
        unknown = [a for a in glass if a.enabled is None]
        names = ", ".join(a.id for a in usable) or "none"
        if len(usable) > ident.break_glass_max:
            yield self.failed(ctx, ctx.estate, f"{len(usable)} enabled break-glass accounts "
                              f"({names}); the policy allows at most {ident.break_glass_max}.")
        elif len(usable) >= ident.break_glass_min:
            yield self.passed(ctx, ctx.estate, f"{len(usable)} enabled break-glass account(s): "
                              f"{names}.")
        elif unknown:
            yield self.errored(ctx, ctx.estate, f"Only {len(usable)} break-glass account(s) known "
                               f"to be enabled; whether {', '.join(a.id for a in unknown)} "
                               "is enabled is not known.")
        elif gap := ctx.gap_reason(DataKind.ACCOUNTS):
            yield self.errored(ctx, ctx.estate, f"Only {len(usable)} break-glass account(s) found, "
                               f"but not every account was read: {gap}.")
        else:
            yield self.failed(ctx, ctx.estate, f"{len(usable)} enabled break-glass account(s); "
                              f"the policy asks for at least {ident.break_glass_min}.")
