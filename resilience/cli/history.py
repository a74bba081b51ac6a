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
ConfigOpt = typer.Option(None, "--config", "-c", dir_okay=False,
                         help="Configuration naming the history database.")


def history_store(history: Path | None, config: Path | None):
    """The History the user means: --history, resilience.yaml's history:, or the default."""
    from resilience.config import load_config
    from resilience.history import History, resolve_history_path

    loaded = None if history is not None else load_config(config, required=config is not None)
    return History(resolve_history_path(history, loaded))


history_app = typer.Typer(help="Show recorded check runs, or prune old ones.")
app.add_typer(history_app, name="history")


@history_app.callback(invoke_without_command=True)
def history_command(
    ctx: typer.Context,
    history: Path | None = HistoryOpt,
    config: Path | None = ConfigOpt,
    organisation: str | None = OrganisationOpt,
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many recent runs."),
    format: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """Show recorded check runs: score, failures by domain, and the change since the last run.
    `resilience history prune` deletes old runs."""
    import json

    from resilience.cli.console import stdout
    from resilience.cli.history_view import runs_table
    from resilience.errors import UsageError

    if ctx.invoked_subcommand is not None:
        return
    if format not in ("table", "json"):
        raise UsageError(f"--format: '{format}' is not one of table, json")
    runs = history_store(history, config).runs(organisation=organisation, limit=limit)
    if format == "json":
        print(json.dumps([r.as_dict() for r in runs], indent=2))
    else:
        stdout().print(runs_table(runs))


@history_app.command("prune")
def prune_command(
    keep: int | None = typer.Option(None, "--keep", min=1,
                                    help="Keep the newest N runs of each organisation."),
    older_than: str | None = typer.Option(None, "--older-than",
                                          help="Delete runs recorded longer ago than this "
                                          "(e.g. 90d, 12w)."),
    history: Path | None = HistoryOpt,
    config: Path | None = ConfigOpt,
    organisation: str | None = OrganisationOpt,
    compact: bool = typer.Option(True, "--compact/--no-compact",
                                 help="Give the freed space back to the file system."),
) -> None:
    """Delete old runs from the history database. The newest run of each organisation is
    always kept. (`history_keep:` in resilience.yaml prunes after every check.)"""
    from resilience.cli.console import stdout
    from resilience.durations import parse_duration
    from resilience.errors import UsageError

    age = None
    if older_than is not None:
        try:
            age = parse_duration(older_than)
        except ValueError as exc:
            raise UsageError(f"--older-than: {exc}") from None
    store = history_store(history, config)
    pruned = store.prune(keep=keep, older_than=age, organisation=organisation)
    if compact and pruned.deleted:
        store.compact()
    stdout().print(f"Deleted {pruned.deleted} run(s) from {store.path}; {pruned.kept} kept.",
                   markup=False, highlight=False)
