"""``resilience demo``: the whole pipeline on a bundled example council, offline."""

from __future__ import annotations

from pathlib import Path

import typer

from resilience.cli import app


@app.command()
def demo(
    output_dir: Path = typer.Option(Path("resilience-demo"), "--output-dir", "-o",
                                    help="Where to write the report files.", file_okay=False),
) -> None:
    """Run inventory, checks and reports on an example council estate (no credentials needed)."""
    from resilience.cli.console import stdout
    from resilience.demo import demo_summary, run_demo

    result = run_demo(output_dir)
    stdout().print(demo_summary(result))
