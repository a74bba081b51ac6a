"""``resilience history``: the trend of the readiness score and of findings by domain."""

from __future__ import annotations

from pathlib import Path

import typer

from resilience.cli import app

HistoryOpt = typer.Option(None, "--history", dir_okay=False,
                          help="History database (default: history: in resilience.yaml, else "
                          "the user data folder).")
OrganisationOpt = typer.Option(None, "--organisation",
                               help="Only runs for this organisation name.")


def history_store(history: Path | None, config: Path | None):
    """The History the user means: --history, resilience.yaml's history:, or the default."""
    from resilience.config import load_config
    from resilience.history import History, resolve_history_path

    loaded = None if history is not None else load_config(config, required=config is not None)
    return History(resolve_history_path(history, loaded))


@app.command("history")
def history_command(
    history: Path | None = HistoryOpt,
    config: Path | None = typer.Option(None, "--config", "-c", dir_okay=False,
                                       help="Configuration naming the history database."),
    organisation: str | None = OrganisationOpt,
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many recent runs."),
    format: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """Show recorded check runs: score, failures by domain, and the change since the last run."""
    import json

    from resilience.cli.console import stdout
    from resilience.cli.history_view import runs_table
    from resilience.errors import UsageError

    if format not in ("table", "json"):
        raise UsageError(f"--format: '{format}' is not one of table, json")
    runs = history_store(history, config).runs(organisation=organisation, limit=limit)
    if format == "json":
        print(json.dumps([r.as_dict() for r in runs], indent=2))
    else:
        stdout().print(runs_table(runs))
