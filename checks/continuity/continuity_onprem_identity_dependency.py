"""Cloud-hosted systems do not authenticate against an on-premises directory."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.continuity._services import is_onprem_directory

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class ContinuityOnpremIdentityDependency(Check):
    meta = CheckMeta(
        id="continuity_onprem_identity_dependency",
        title="Cloud services do not depend on on-premises identity",
        domain=Domain.CONTINUITY,
        severity=Severity.HIGH,
        rationale=(
            "Hackney's cloud-hosted email, website and telephony kept running when everything "
            "on its own servers was encrypted; the British Library's cloud finance and payroll "
            "worked throughout. That only holds if the cloud service does not sign people in "
            "through the on-premises Active Directory that the attack takes down with it."
        ),
        remediation=(
            "Move the system's sign-in to a cloud identity provider (cloud-only or "
            "password-hash-synchronised accounts), or accept and record that it falls with the "
            "on-premises domain."
        ),
        remediation_steps={
            Hosting.AZURE: "Use Entra ID password hash synchronisation (not AD FS or "
                           "pass-through alone) so cloud sign-in survives loss of on-prem AD",
            Hosting.AWS: "Point IAM Identity Center and AWS Managed Microsoft AD at a cloud "
                         "directory instead of an AD Connector to on-prem domain controllers",
            Hosting.SAAS: "Federate the SaaS product with the cloud identity provider, with a "
                          "break-glass local admin, rather than on-prem AD FS or LDAP",
        },
        lessons=["hackney-2020", "british-library-2023", "copeland-2017"],
        frameworks=FrameworkRefs(caf=["B5.b", "B2.d"], nist_csf=["PR.IR-03", "GV.OC-04"],
                                 iso27001=["A.5.30", "A.8.14"]),
        needs=[DataKind.SYSTEMS],
        applies_to=[Hosting.AWS, Hosting.AZURE, Hosting.SAAS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for system in ctx.estate.systems:
            if system.hosting == Hosting.ONPREM or ctx.tier_policy(system) is None:
                continue
            if system.identity_domain is None:
                yield self.errored(ctx, system, "Which directory it authenticates against is not "
                                   "known.")
                continue
            domain = ctx.estate.trust_domain_by_id.get(system.identity_domain)
            if domain is None:
                yield self.errored(ctx, system, f"It authenticates against "
                                   f"'{system.identity_domain}', which is not a declared trust "
                                   "domain.")
            elif is_onprem_directory(domain):
                yield self.failed(ctx, system, f"Hosted in {system.hosting.value} but "
                                  f"authenticates against on-premises directory '{domain.id}': "
                                  "losing that domain takes this system down too.")
            else:
                yield self.passed(ctx, system, f"Authenticates against '{domain.id}' "
                                  f"({domain.kind}), which does not depend on the on-premises "
                                  "estate.")
