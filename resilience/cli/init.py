"""``resilience init``: write a commented starter configuration, policy and estate file."""

from __future__ import annotations

from pathlib import Path

import typer

from resilience.cli import app


@app.command()
def init(
    folder: Path = typer.Argument(Path("."), help="Where to write the files.", file_okay=False),
    force: bool = typer.Option(False, "--force", help="Overwrite existing files."),
) -> None:
    """Write resilience.yaml, policy.yaml and estate.yaml to start from."""
    from resilience.cli.console import stdout
    from resilience.scaffold import write_starter

    for path in write_starter(folder, force=force):
        stdout().print(f"wrote {path}", markup=False, soft_wrap=True)
    stdout().print("Next: describe your estate in estate.yaml, then run `resilience check`.",
                   markup=False)
