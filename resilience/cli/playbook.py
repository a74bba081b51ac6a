"""``resilience playbook``: write a printable recovery playbook (Markdown and HTML)."""

from __future__ import annotations

from pathlib import Path

import typer

from resilience.cli import app
from resilience.cli.options import ConfigOpt, SnapshotOpt
from resilience.cli.simulate import (
    AccountOpt,
    AsOfOpt,
    DirectoryOpt,
    DomainOpt,
    ParamOpt,
    RegionOpt,
    ScenarioArg,
    ScenarioFileOpt,
    SiteOpt,
    SupplierOpt,
    scenario_request,
)


@app.command()
def playbook(
    scenario: str | None = ScenarioArg,
    config: Path | None = ConfigOpt,
    snapshot: Path | None = SnapshotOpt,
    scenario_file: Path | None = ScenarioFileOpt,
    param: list[str] = ParamOpt,
    directory: str | None = DirectoryOpt,
    domain: str | None = DomainOpt,
    site: str | None = SiteOpt,
    region: str | None = RegionOpt,
    account: str | None = AccountOpt,
    supplier: str | None = SupplierOpt,
    output_dir: Path = typer.Option(Path("playbooks-out"), "--output-dir", "-o",
                                    help="Folder to write the playbook into.", file_okay=False),
    as_of: str | None = AsOfOpt,
) -> None:
    """Write the recovery playbook for a scenario, filled in from your estate. Print it."""
    from resilience.cli.console import progress, stdout
    from resilience.scenarios.api import run_request, write_playbook

    request = scenario_request(config, snapshot, scenario, scenario_file, param, as_of,
                               directory=directory, domain=domain, site=site, region=region,
                               account=account, supplier=supplier)
    with progress() as prog:
        loaded, chosen = run_request(request, prog)
    paths = write_playbook(loaded.estate, loaded.policy, chosen.id, output_dir,
                           loaded.config, request.params, request.as_of, scenario=chosen)
    for path in paths:
        stdout().print(f"Wrote {path}", markup=False)
