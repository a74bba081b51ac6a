"""``resilience diff``: what changed between two recorded check runs."""

from __future__ import annotations

from pathlib import Path

import typer

from resilience.cli import app
from resilience.cli.history import HistoryOpt, OrganisationOpt, history_store


@app.command("diff")
def diff_command(
    run_a: int | None = typer.Argument(None, help="The earlier run id (default: the one "
                                       "before the last)."),
    run_b: int | None = typer.Argument(None, help="The later run id (default: the last)."),
    history: Path | None = HistoryOpt,
    config: Path | None = typer.Option(None, "--config", "-c", dir_okay=False,
                                       help="Configuration naming the history database."),
    organisation: str | None = OrganisationOpt,
    format: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """Compare two runs: new problems, fixed problems, and other status changes."""
    import json

    from resilience.cli.console import stdout
    from resilience.cli.history_view import diff_as_dict, diff_renderable
    from resilience.errors import UsageError

    if format not in ("table", "json"):
        raise UsageError(f"--format: '{format}' is not one of table, json")
    a, b, diff = history_store(history, config).diff(run_a, run_b, organisation)
    if format == "json":
        print(json.dumps(diff_as_dict(a, b, diff), indent=2))
    else:
        stdout().print(diff_renderable(a, b, diff))
