"""``resilience inventory``: show the estate as tables and save it as a snapshot."""

from __future__ import annotations

from pathlib import Path

import typer

from resilience.cli import app
from resilience.cli.options import (
    AwsOpt,
    AzureOpt,
    ConcurrencyOpt,
    ConfigOpt,
    ProfileOpt,
    RegionOpt,
    SnapshotOpt,
    estate_request,
)


@app.command()
def inventory(
    config: Path | None = ConfigOpt,
    snapshot: Path | None = SnapshotOpt,
    aws: bool = AwsOpt,
    azure: bool = AzureOpt,
    profile: str | None = ProfileOpt,
    region: list[str] = RegionOpt,
    concurrency: int | None = ConcurrencyOpt,
    output: Path | None = typer.Option(None, "--output", "-o", help="Save the estate as a JSON "
                                       "snapshot to this file.", dir_okay=False),
    strict: bool = typer.Option(False, "--strict", help="Exit 3 when collection was incomplete."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not print the tables."),
) -> None:
    """Collect the estate and show services, systems, backups and accounts."""
    from resilience.cli.console import progress, stdout
    from resilience.inventory_view import estate_tables
    from resilience.pipeline import load_estate
    from resilience.snapshot import save_snapshot

    request = estate_request(config, snapshot, aws, azure, profile, region, concurrency)
    with progress() as prog:
        loaded = load_estate(request, prog)
    if not quiet:
        stdout().print(estate_tables(loaded.estate))
    if output is not None:
        save_snapshot(loaded.estate, output)
        stdout().print(f"Snapshot written to {output}", markup=False)
    raise typer.Exit(3 if strict and loaded.estate.gaps else 0)
