"""``resilience simulate``: what survives a scenario, what can be restored, in what order."""

from __future__ import annotations

from pathlib import Path

import typer

from resilience.cli import app
from resilience.cli.options import ConfigOpt, SnapshotOpt

ScenarioArg = typer.Argument(None, help="Built-in scenario: ransomware, site-loss, region-outage, "
                             "identity-compromise, cloud-account-compromise, supplier-outage.")
ScenarioFileOpt = typer.Option(None, "--scenario-file", help="Your own scenario file or folder "
                               "(docs/scenarios.md).")
ParamOpt = typer.Option([], "--param", "-p", help="Scenario parameter as name=value, e.g. "
                        "directory=corp.example.gov.uk, site=dc1, region=eu-west-2, "
                        "account=123456789012, supplier=msp (repeatable).")
AsOfOpt = typer.Option(None, "--as-of", help="Date the output is prepared as of (ISO).")


@app.command()
def simulate(
    scenario: str | None = ScenarioArg,
    config: Path | None = ConfigOpt,
    snapshot: Path | None = SnapshotOpt,
    scenario_file: Path | None = ScenarioFileOpt,
    param: list[str] = ParamOpt,
    format: str = typer.Option("table", "--format", "-f", help="table, json or markdown."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write.",
                                       dir_okay=False),
    as_of: str | None = AsOfOpt,
) -> None:
    """Simulate a disruption: which services run, which can be restored, in what order, when."""
    from resilience.atomic import write_text_atomic
    from resilience.cli.console import progress, stdout
    from resilience.cli.options import estate_request
    from resilience.cli.run import parse_as_of
    from resilience.scenarios.api import (
        ScenarioRequest,
        parse_format,
        render_simulation,
        simulate_request,
    )
    from resilience.scenarios.loading import parse_params

    fmt = parse_format(format)
    request = ScenarioRequest(estate_request(config, snapshot, False, False, None, [], None),
                              scenario, scenario_file, parse_params(param), parse_as_of(as_of))
    with progress() as prog:
        sim, _ = simulate_request(request, prog)
    if fmt == "table" and output is None:
        from resilience.scenarios.terminal import simulation_renderable

        stdout().print(simulation_renderable(sim))
        return
    text = render_simulation(sim, "markdown" if fmt == "table" else fmt)
    if output is None:
        print(text, end="")
    else:
        write_text_atomic(output, text)
