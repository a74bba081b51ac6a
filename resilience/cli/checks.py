"""``resilience checks list|show``: browse the catalogue."""

from __future__ import annotations

import typer

from resilience.cli import checks_app


@checks_app.command("list")
def list_checks(
    domain: str | None = typer.Option(None, "--domain", help="backup, identity or continuity."),
    format: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """List the checks: id, domain, severity and title."""
    from resilience.cli.catalogue_view import print_list

    print_list(domain=domain, fmt=format)


@checks_app.command("show")
def show_check(check_id: str = typer.Argument(..., help="The check id.")) -> None:
    """Show one check in full: rationale, remediation, lessons and framework references."""
    from resilience.cli.catalogue_view import print_check

    print_check(check_id)
