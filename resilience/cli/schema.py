"""``resilience schema``: JSON Schemas of the files users write and the JSON the tool writes."""

from __future__ import annotations

import typer

from resilience.cli import app


@app.command()
def schema(
    kind: str = typer.Argument(
        "estate", help="estate, policy, config, scenario, waivers, snapshot or report."),
) -> None:
    """Print a JSON Schema so editors can complete and validate your files."""
    import json

    from resilience.schemas import schema_for

    print(json.dumps(schema_for(kind), indent=2))
