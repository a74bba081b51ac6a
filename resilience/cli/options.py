"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path

import typer

ConfigOpt = typer.Option(None, "--config", "-c", help="Configuration file (default ./resilience.yaml).",
                         dir_okay=False)
SnapshotOpt = typer.Option(None, "--snapshot", help="Read the estate from a JSON snapshot instead "
                           "of collecting it.", dir_okay=False)
AwsOpt = typer.Option(False, "--aws", help="Collect from AWS with the standard credential chain.")
AzureOpt = typer.Option(False, "--azure", help="Collect from Azure with the default credential chain.")
ProfileOpt = typer.Option(None, "--profile", help="AWS profile.")
RegionOpt = typer.Option([], "--region", help="AWS region (repeatable; default all enabled).")
ConcurrencyOpt = typer.Option(None, "--concurrency", min=1, max=256,
                              help="Parallel API calls (default 64 for AWS, 8 for Azure).")


def estate_request(config: Path | None, snapshot: Path | None, aws: bool, azure: bool,
                   profile: str | None, region: list[str], concurrency: int | None):
    from resilience.pipeline import EstateRequest

    return EstateRequest(config=config, snapshot=snapshot, aws=aws, azure=azure, profile=profile,
                         regions=tuple(region), concurrency=concurrency)
