"""Directories tier their administrator accounts (T0/T1/T2)."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.identity._accounts import IdentityCheck

from resilience.engine.interface import CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Provider, Severity

# Only directories have the domain-controller-to-workstation spread that tiering contains.
_DIRECTORY_KINDS = {"ad-domain", "ad-forest", "directory"}


class IdentityAdminTiering(IdentityCheck):
    meta = CheckMeta(
        id="identity_admin_tiering",
        title="Directory administrators are tiered",
        domain=Domain.IDENTITY,
        severity=Severity.HIGH,
        rationale=(
            "Without tiering, a domain admin who logs on to an ordinary server or workstation "
            "leaves credentials that hand the whole domain to whoever compromises that "
            "machine. The ICO found Capita had no Active Directory tiering model; Maersk's "
            "flat, replicated domain fell everywhere at once."
        ),
        remediation=(
            "Separate tier-0 (domain controllers, identity), tier-1 (servers) and tier-2 "
            "(workstations) admin accounts, and stop higher-tier accounts logging on to "
            "lower-tier machines."
        ),
        remediation_steps={
            Hosting.ONPREM: "Create T0/T1/T2 admin OUs and groups; GPO 'Deny log on' rights per "
                            "tier; Authentication Policy Silos for tier 0; Protected Users",
            Hosting.AZURE: "Separate cloud-only admin accounts from synced user accounts; use "
                           "PIM and privileged access workstations for tier-0 roles",
        },
        lessons=["capita-2023", "maersk-2017"],
        frameworks=FrameworkRefs(caf=["B2.c", "B5.b"], nist_csf=["PR.AA-05"], cis=["5.4"],
                                 iso27001=["A.8.2"]),
        needs=[DataKind.IDENTITY_SETTINGS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for domain in ctx.estate.trust_domains:
            if domain.kind not in _DIRECTORY_KINDS and domain.provider != Provider.AD:
                continue
            if domain.admin_tiering is True:
                yield self.passed(ctx, domain, "Administrator accounts are tiered.")
            elif domain.admin_tiering is False:
                yield self.failed(ctx, domain, "Administrator accounts are not tiered: one admin "
                                  "logon on a compromised machine exposes the whole directory.")
            else:
                yield self.errored(ctx, domain, "Whether administrator accounts are tiered is "
                                   "not known.")
