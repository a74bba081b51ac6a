"""Systems of the most critical tier have a documented, tested way to rebuild them."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.continuity._services import most_critical_tier, supplier_run

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import DataKind, Domain, Hosting, Severity


class ContinuityRebuildPath(Check):
    meta = CheckMeta(
        id="continuity_rebuild_path",
        title="Tier-1 systems can be rebuilt from scratch",
        domain=Domain.CONTINUITY,
        severity=Severity.HIGH,
        rationale=(
            "After ransomware, servers are rebuilt, not just restored: Gloucester had to rebuild "
            "every server and Maersk reinstalled 4,000 servers in ten days, while a year after its "
            "attack Anhalt-Bitterfeld still lacked providers to rebuild its applications. "
            "CISA's guide asks for gold images and the installation media to rebuild critical "
            "systems."
        ),
        remediation=(
            "Keep, for every tier-1 system, a tested rebuild path: images or infrastructure as "
            "code, installation media and licences, configuration, and a runbook stored with "
            "the offline plans."
        ),
        remediation_steps={
            Hosting.ONPREM: "Keep golden images and a build runbook offline; test a rebuild in "
                            "an isolated network at least yearly",
            Hosting.AWS: "Define the system in CloudFormation/Terraform and keep AMIs in the "
                         "backup account; test with a stack deployment in a recovery account",
            Hosting.AZURE: "Define the system in Bicep/Terraform; keep images in an Azure "
                           "Compute Gallery replicated to the recovery subscription",
        },
        lessons=["gloucester-2021", "maersk-2017", "anhalt-bitterfeld-2021", "cisa-stopransomware"],
        frameworks=FrameworkRefs(caf=["B5.a", "D1.b"], nist_csf=["RC.RP-02", "PR.IR-03"],
                                 cis=["11.1", "4.1"], iso27001=["A.5.30", "A.8.9"]),
        needs=[DataKind.SYSTEMS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        top = most_critical_tier(ctx)
        for system in ctx.estate.systems:
            if supplier_run(system) or ctx.tier_of(system) != top:
                continue
            if system.rebuild_documented is True:
                yield self.passed(ctx, system, "A rebuild path is documented.")
            elif system.rebuild_documented is False:
                yield self.failed(ctx, system, f"Tier {top} system with no documented way to "
                                  "rebuild it.")
            else:
                yield self.errored(ctx, system, "Whether a rebuild path is documented is not "
                                   "known.")
