"""Reports for the output, waiver, baseline and history tests: real ones and a fixed synthetic one."""

from __future__ import annotations

from datetime import UTC, datetime

from resilience.engine.interface import CheckMeta, Finding, FrameworkRefs
from resilience.engine.registry import load_catalogue
from resilience.engine.report import EstateCounts, Report, summarise
from resilience.engine.run import run_checks
from resilience.model import (
    CollectionGap,
    DataKind,
    Domain,
    Estate,
    Hosting,
    Organisation,
    Provider,
    Severity,
    SourceRef,
    Status,
)
from resilience.policy import default_policy
from tests.helpers import AS_OF, estate_from

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = (SCRIPT, IMG)
ARN = "arn:aws:rds:eu-west-2:111122223333:db:housing-db"
AZURE_ID = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-care/"
            "providers/Microsoft.Compute/virtualMachines/care-vm1")


def hostile_estate(name: str = "estate.yaml") -> Estate:
    """An estate with on-prem and cloud systems, hostile names and tags, and a collection gap."""
    data = {
        "organisation": {"name": f"Council {SCRIPT}"},
        "services": [
            {"id": "revenues", "name": f"Revenues {SCRIPT}", "tier": 1, "owner": IMG,
             "systems": ["rev-app", "rev-db"]},
            {"id": "housing", "name": "Housing", "tier": 2, "systems": [ARN]},
            {"id": "care", "name": "Social care", "tier": 1, "systems": [AZURE_ID]},
        ],
        "systems": [
            {"id": "rev-app", "name": SCRIPT, "kind": "server", "tags": {"note": IMG},
             "backups": [{"id": "rev-app-nightly", "frequency": "24h", "retention": "35d"}]},
            {"id": "rev-db", "name": IMG, "kind": "database"},
            {"id": ARN, "name": "housing-db", "kind": "database", "hosting": "aws",
             "account": "111122223333", "region": "eu-west-2"},
            {"id": AZURE_ID, "name": "care-vm1", "kind": "vm", "hosting": "azure",
             "account": "00000000-0000-0000-0000-000000000000", "region": "uksouth"},
        ],
    }
    estate = estate_from(data, name)
    dumped = estate.model_dump()
    for system in dumped["systems"]:
        if system["hosting"] != Hosting.ONPREM:
            system["declared_at"] = None  # cloud assets are not declared in a file
    dumped["gaps"] = [CollectionGap(
        source=Provider.AWS, scope=f"444455556666/eu-west-1 {SCRIPT}", service="backup",
        kinds=[DataKind.BACKUPS], reason=f"AccessDenied {IMG}", code="AccessDenied",
        account="444455556666", region="eu-west-1",
    ).model_dump()]
    return Estate.model_validate(dumped)


def real_report(estate: Estate | None = None, include_passes: bool = True
                ) -> tuple[Report, Estate]:
    """The whole built-in catalogue run over ``estate`` (the hostile one by default)."""
    estate = estate or hostile_estate()
    report = run_checks(estate, default_policy(), load_catalogue(), now=AS_OF,
                        include_passes=include_passes)
    return report, estate


TEST_META = CheckMeta(
    id="backup_system_has_copy",
    title="Every tiered system has a backup",
    domain=Domain.BACKUP,
    severity=Severity.CRITICAL,
    rationale="A system with no backup cannot be restored.",
    remediation="Add the system to a backup job.",
    remediation_steps={Hosting.AWS: "aws backup create-backup-selection ..."},
    lessons=["hackney-2020"],
    frameworks=FrameworkRefs(caf=["B5.c"], nist_csf=["PR.DS-11"], cis=["11.2"],
                             iso27001=["A.8.13"]),
    needs=[DataKind.SYSTEMS, DataKind.BACKUPS],
)
IDENTITY_META = TEST_META.model_copy(update={
    "id": "identity_example", "title": "An identity example", "domain": Domain.IDENTITY,
    "severity": Severity.MEDIUM, "remediation_steps": {},
})


def _finding(meta: CheckMeta, status: Status, asset_id: str, **kw) -> Finding:
    return Finding(check_id=meta.id, title=meta.title, domain=meta.domain,
                   severity=meta.severity, status=status, asset_id=asset_id,
                   asset_type=kw.pop("asset_type", "system"),
                   message=kw.pop("message", f"{status.value} on {asset_id}"),
                   remediation=meta.remediation, **kw)


def synthetic_report() -> Report:
    """A fixed report with every status, on-prem and cloud assets, a gap, a note (golden files)."""
    findings = [
        _finding(TEST_META, Status.PASS, "app1", asset_name="App server",
                 hosting=Hosting.ONPREM, tier=1, services=["rev"],
                 location=SourceRef(file="estate.yaml", line=4)),
        _finding(TEST_META, Status.FAIL, "db1", asset_name=SCRIPT, hosting=Hosting.ONPREM,
                 tier=1, services=["rev"], location=SourceRef(file="estate.yaml", line=9),
                 message=f"No backup of {IMG}."),
        _finding(TEST_META, Status.FAIL, ARN, asset_name="housing-db", hosting=Hosting.AWS,
                 tier=2, services=["housing"]),
        _finding(TEST_META, Status.ERROR, "444455556666/eu-west-1", hosting=None,
                 asset_type="collection-gap", message="Cannot judge: AccessDenied."),
        _finding(TEST_META, Status.WAIVED, AZURE_ID, asset_name="care-vm1",
                 hosting=Hosting.AZURE, tier=1, services=["care"],
                 waiver="Decommissioned in March (owner: it-ops; until 2027-03-31)"),
        _finding(IDENTITY_META, Status.FAIL, "svc-backup", asset_name="svc-backup",
                 asset_type="account", location=SourceRef(file="estate.yaml", line=20)),
    ]
    gaps = [CollectionGap(source=Provider.AWS, scope="444455556666/eu-west-1", service="backup",
                          kinds=[DataKind.BACKUPS], reason="AccessDenied", code="AccessDenied",
                          account="444455556666", region="eu-west-1")]
    when = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
    return Report(
        tool_version="0.0.0-test", generated_at=when, as_of=when,
        organisation=Organisation(name="Golden Council"),
        estate=EstateCounts(services=3, systems=4, backups=1, accounts=1, gaps=1),
        checks=[TEST_META, IDENTITY_META], findings=findings, gaps=gaps,
        summary=summarise(findings, gaps), notes=["A note for the reader."],
    )
