"""``resilience check``: evaluate the estate against the policy."""

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
def check(
    config: Path | None = ConfigOpt,
    snapshot: Path | None = SnapshotOpt,
    aws: bool = AwsOpt,
    azure: bool = AzureOpt,
    profile: str | None = ProfileOpt,
    region: list[str] = RegionOpt,
    concurrency: int | None = ConcurrencyOpt,
    format: list[str] = typer.Option(["table"], "--format", "-f",
                                     help="table, json, markdown, sarif, junit, html (several: "
                                     "comma-separated or repeated, e.g. json,sarif,html)."),
    output: Path | None = typer.Option(None, "--output", "-o",
                                       help="File to write (a folder when several formats)."),
    fail_on: str | None = typer.Option(None, "--fail-on",
                                       help="Exit 1 when a failure is at or above this severity "
                                       "(info, low, medium, high, critical)."),
    domain: list[str] = typer.Option([], "--domain", help="backup, identity or continuity "
                                     "(repeatable)."),
    check_id: list[str] = typer.Option([], "--check", help="Run only this check id (repeatable)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 3 when collection was incomplete."),
    as_of: str | None = typer.Option(None, "--as-of", help="Judge ages as of this date "
                                     "(ISO, default now)."),
    framework: str | None = typer.Option(
        None, "--framework", help="Also judge each control of caf, nist-csf, cis or iso27001: "
        "met, not met or not assessed, in every output format."),
    show_passes: bool = typer.Option(False, "--include-passes", "--show-passes",
                                     help="List passing results too (they are always counted)."),
    waivers: Path | None = typer.Option(None, "--waivers", dir_okay=False,
                                        help="YAML file of accepted risks (default: waivers: in "
                                        "resilience.yaml)."),
    baseline: Path | None = typer.Option(None, "--baseline", dir_okay=False,
                                         help="An earlier --format json report: show only "
                                         "problems that are new since then (and what was fixed)."),
    history: Path | None = typer.Option(None, "--history", dir_okay=False,
                                        help="History database to record this run in (default: "
                                        "history: in resilience.yaml, else the user data folder)."),
    no_history: bool = typer.Option(False, "--no-history", help="Do not record this run."),
    sarif_max_results: int | None = typer.Option(
        None, "--sarif-max-results", min=1, help="List at most this many results in the SARIF "
        "log, the most severe (GitHub code scanning keeps 5,000 and rejects more than 25,000); "
        "the JSON report lists every one."),
) -> None:
    """Check the estate against your backup, identity and continuity policy."""
    from resilience.cli.run import run_check_command

    code = run_check_command(
        estate_request(config, snapshot, aws, azure, profile, region, concurrency),
        formats=",".join(format), output=output, fail_on=fail_on, domains=domain, check_ids=check_id,
        strict=strict, as_of=as_of, show_passes=show_passes, framework=framework,
        waivers=waivers, baseline=baseline,
        history=history, record_history=not no_history, sarif_max_results=sarif_max_results,
    )
    raise typer.Exit(code)
