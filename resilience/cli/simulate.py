"""``resilience simulate``: what survives a scenario, what can be restored, in what order."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from resilience.cli import app
from resilience.cli.options import ConfigOpt, SnapshotOpt

ScenarioArg = typer.Argument(None, help="Built-in scenario: ransomware, site-loss, region-outage, "
                             "identity-compromise, cloud-account-compromise, supplier-outage.")
ScenarioFileOpt = typer.Option(None, "--scenario-file", help="Your own scenario file or folder "
                               "(docs/scenarios.md).")
ParamOpt = typer.Option([], "--param", "-p", help="Scenario parameter as name=value "
                        "(repeatable); the named options below are shortcuts.")
DirectoryOpt = typer.Option(None, "--directory", help="ransomware: the compromised directory.")
DomainOpt = typer.Option(None, "--domain", help="identity-compromise: the hostile directory or "
                         "tenant.")
SiteOpt = typer.Option(None, "--site", help="site-loss: the site that is lost.")
RegionOpt = typer.Option(None, "--region", help="region-outage: the cloud region that is down.")
AccountOpt = typer.Option(None, "--account", help="cloud-account-compromise: the account.")
SupplierOpt = typer.Option(None, "--supplier", help="supplier-outage: the supplier that is down.")
AsOfOpt = typer.Option(None, "--as-of", help="Date the output is prepared as of (ISO).")


def scenario_request(config, snapshot, scenario, scenario_file, param, as_of, **named):
    """The library request from the shared options of ``simulate`` and ``playbook``."""
    from resilience.cli.options import estate_request
    from resilience.cli.run import parse_as_of
    from resilience.scenarios.api import ScenarioRequest
    from resilience.scenarios.loading import parse_params

    params = parse_params(param) | {k: v for k, v in named.items() if v is not None}
    return ScenarioRequest(estate_request(config, snapshot, False, False, None, [], None),
                           scenario, scenario_file, params, parse_as_of(as_of))


@app.command()
def simulate(
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
    format: str = typer.Option("table", "--format", "-f", help="table, json or markdown (table "
                               "is written as markdown with --output)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write.",
                                       dir_okay=False),
    as_of: str | None = AsOfOpt,
) -> None:
    """Simulate a disruption: which services run, which can be restored, in what order, when."""
    from resilience.atomic import write_chunks_atomic
    from resilience.cli.console import progress, stdout
    from resilience.scenarios.api import parse_format, simulate_request, simulation_chunks

    fmt = parse_format(format)
    request = scenario_request(config, snapshot, scenario, scenario_file, param, as_of,
                               directory=directory, domain=domain, site=site, region=region,
                               account=account, supplier=supplier)
    with progress() as prog:
        sim, _ = simulate_request(request, prog)
    if fmt == "table" and output is None:
        from resilience.scenarios.terminal import simulation_renderable

        stdout().print(simulation_renderable(sim))
        return
    chunks = simulation_chunks(sim, "markdown" if fmt == "table" else fmt)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.writelines(chunks)
        sys.stdout.buffer.flush()
    else:
        write_chunks_atomic(output, chunks)
