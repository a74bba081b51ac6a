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
    out = stdout()
    out.print(demo_summary(result))
    # Paths are printed whole (soft wrap) so they can be copied.
    out.print(f"Files written to {result.output_dir}:", markup=False, soft_wrap=True, style="bold")
    for path in result.files:
        out.print(f"  {path}", markup=False, soft_wrap=True)
