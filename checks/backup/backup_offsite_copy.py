"""Tiers that require it have a copy away from the site the system runs in."""

from __future__ import annotations

from collections.abc import Iterator

from resilience.checks.backup._common import Outcome, judge_any, tiered_systems

from resilience.engine.interface import Check, CheckContext, CheckMeta, Finding, FrameworkRefs
from resilience.model import BackupCopy, DataKind, Domain, Hosting, Severity, System


def offsite(copy: BackupCopy, system: System) -> Outcome:
    """Recorded ``offsite`` wins; otherwise compare sites, then regions."""
    if copy.offsite is not None:
        return Outcome(copy.offsite, "offsite" if copy.offsite else "kept on the same site")
    if copy.site and system.site:
        same = copy.site == system.site
        return Outcome(not same, f"kept at '{copy.site}'" + (", its own site" if same else ""))
    if copy.region and system.region:
        same = copy.region == system.region
        return Outcome(not same, f"kept in '{copy.region}'" + (", its own region" if same else ""))
    return Outcome(None, "whether it is offsite is not recorded (offsite, or site/region of both)")


class BackupOffsiteCopy(Check):
    meta = CheckMeta(
        id="backup_offsite_copy",
        title="A backup copy is kept offsite",
        domain=Domain.BACKUP,
        severity=Severity.HIGH,
        rationale=(
            "Copies kept in the same building or region share its fate. At Hackney every system "
            "on the council's own servers was hit, while cloud-hosted services kept running; at "
            "Copeland, systems on off-site servers kept benefit payments going. NIST and the "
            "CIS Controls ask for geographically separate or off-site copies."
        ),
        remediation="Keep one copy at another site, in another region, or with a cloud provider.",
        remediation_steps={
            Hosting.AWS: "Add a plan rule `CopyActions` entry to a vault in another Region.",
            Hosting.AZURE: (
                "Use a geo-redundant vault: `az backup vault backup-properties set --name <vault> "
                "--resource-group <rg> --backup-storage-redundancy GeoRedundant`."
            ),
            Hosting.ONPREM: (
                "Add a backup copy job to a second data centre or to cloud object storage, or "
                "rotate media to a secure off-site store; set `site` or `offsite` on the copy."
            ),
        },
        lessons=["hackney-2020", "copeland-2017"],
        frameworks=FrameworkRefs(caf=["B5.c"], nist_csf=["PR.DS-11"], cis=["11.4"],
                                 iso27001=["A.8.13", "A.8.14"]),
        needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
    )

    def evaluate(self, ctx: CheckContext) -> Iterator[Finding]:
        for t in tiered_systems(ctx):
            if t.tier.offsite_copy:
                yield judge_any(self, ctx, t.system, t.copies,
                                lambda c, system=t.system: offsite(c, system), "an offsite copy",
                                anywhere=True)
