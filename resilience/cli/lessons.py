"""``resilience lessons``: the real incidents behind the checks, and which checks guard against each."""

from __future__ import annotations

import typer

from resilience.cli import app


@app.command("lessons")
def lessons(
    lesson: str | None = typer.Argument(None, help="Show one lesson in full (its id)."),
    format: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """List the incidents the checks learn from, what each teaches and the checks behind it."""
    from resilience.cli.catalogue_view import print_lessons

    print_lessons(fmt=format, lesson=lesson)
