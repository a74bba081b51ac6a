"""``resilience playbook``: write a printable recovery playbook (Markdown and HTML)."""

from __future__ import annotations

from pathlib import Path

import typer

from resilience.cli import app
from resilience.cli.options import ConfigOpt, SnapshotOpt
from resilience.cli.simulate import AsOfOpt, ParamOpt, ScenarioArg, ScenarioFileOpt


@app.command()
def playbook(
    scenario: str | None = ScenarioArg,
    config: Path | None = ConfigOpt,
    snapshot: Path | None = SnapshotOpt,
    scenario_file: Path | None = ScenarioFileOpt,
    param: list[str] = ParamOpt,
    output_dir: Path = typer.Option(Path("playbooks-out"), "--output-dir", "-o",
                                    help="Folder to write the playbook into.", file_okay=False),
    as_of: str | None = AsOfOpt,
) -> None:
    """Write the recovery playbook for a scenario, filled in from your estate. Print it."""
    from resilience.cli.console import progress, stdout
    from resilience.cli.options import estate_request
    from resilience.cli.run import parse_as_of
    from resilience.scenarios.api import ScenarioRequest, run_request, write_playbook
    from resilience.scenarios.loading import parse_params

    request = ScenarioRequest(estate_request(config, snapshot, False, False, None, [], None),
                              scenario, scenario_file, parse_params(param), parse_as_of(as_of))
    with progress() as prog:
        loaded, chosen = run_request(request, prog)
    paths = write_playbook(loaded.estate, loaded.policy, chosen.id, output_dir,
                           loaded.config, request.params, request.as_of, scenario=chosen)
    for path in paths:
        stdout().print(f"Wrote {path}", markup=False)
