"""Tiered systems are supported by their vendor, and not about to lose that support."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.continuity._services import age_text, supplier_run

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity, System, SystemKind

# Managed cloud services (databases, buckets) are kept current by the provider.
_CLOUD_WITH_OS = {SystemKind.VM, SystemKind.SERVER, SystemKind.APPLICATION}


def has_own_lifecycle(system: System) -> bool:
    """Whether we (not a SaaS or managed-cloud provider) answer for its software lifecycle."""
    if supplier_run(system):
        return False
    return system.hosting == Hosting.ONPREM or system.kind in _CLOUD_WITH_OS


class ContinuityEndOfSupport(Check):
    meta = CheckMeta(
        id="continuity_end_of_support",
        title="Tiered systems are vendor-supported",
        domain=Domain.CONTINUITY,
        severity=Severity.HIGH,
        rationale=(
            "Unsupported software gets no fixes and often cannot be reinstalled on new, secure "
            "infrastructure. Legacy systems were the main reason the British Library's recovery "
            "took so long; Hackney's Universal Housing system was never restored. The NCSC's "
            "ransomware guidance asks for operating systems to be kept up to date."
        ),
        remediation=(
            "Record each system's end-of-support date; upgrade or replace systems before it, and "
            "for those past it keep a replacement plan and a tested rebuild path."
        ),
        remediation_steps={
            Hosting.ONPREM: "Plan the upgrade or replacement; isolate the system meanwhile "
                            "(own VLAN, no domain admin logons, no internet)",
            Hosting.AWS: "Move to a supported AMI/OS (AWS Systems Manager Inventory lists "
                         "platform versions)",
            Hosting.AZURE: "Move to a supported image; Azure Update Manager and Advisor flag "
                           "retiring OS versions",
        },
        lessons=["british-library-2023", "hackney-2020", "ncsc-ransomware-guidance"],
        frameworks=FrameworkRefs(caf=["B4.d", "A3.a"], nist_csf=["ID.AM-08"], cis=["2.2"],
                                 iso27001=["A.8.8"]),
        needs=[DataKind.SYSTEMS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        warning = ctx.policy.continuity.end_of_support_warning
        for system in ctx.estate.systems:
            if not has_own_lifecycle(system) or ctx.tier_policy(system) is None:
                continue
            eos = system.end_of_support
            if eos is None:
                yield self.errored(ctx, system, "Its end-of-support date is not recorded.")
            elif eos <= ctx.now:
                yield self.failed(ctx, system, f"Out of vendor support since {eos.date()} "
                                  f"({age_text(ctx.now - eos)} ago).")
            elif eos - ctx.now <= warning:
                yield self.failed(ctx, system, f"Vendor support ends on {eos.date()}, in "
                                  f"{age_text(eos - ctx.now)}.")
            else:
                yield self.passed(ctx, system, f"Supported until {eos.date()}.")
