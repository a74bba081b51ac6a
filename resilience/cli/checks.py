"""``resilience checks list|show``: browse the catalogue."""

from __future__ import annotations

import typer

from resilience.cli import checks_app


@checks_app.command("list")
def list_checks(
    domain: str | None = typer.Option(None, "--domain", help="backup, identity or continuity."),
    provider: str | None = typer.Option(None, "--provider",
                                        help="Only checks that apply to onprem, aws, azure or saas."),
    framework: str | None = typer.Option(None, "--framework",
                                         help="Only checks citing caf, nist-csf, cis or iso27001; "
                                         "or one control, e.g. cis:5.3 or caf:B2.a."),
    lesson: str | None = typer.Option(None, "--lesson",
                                      help="Only checks that guard against this lesson "
                                      "(see `resilience lessons`)."),
    format: str = typer.Option("table", "--format", "-f",
                               help="table, or json for the whole metadata of each check."),
) -> None:
    """List the checks: id, domain, severity and title."""
    from resilience.cli.catalogue_view import print_list

    print_list(domain=domain, fmt=format, provider=provider, framework=framework, lesson=lesson)


@checks_app.command("show")
def show_check(check_id: str = typer.Argument(..., help="The check id.")) -> None:
    """Show one check in full: rationale, remediation, lessons and framework references."""
    from resilience.cli.catalogue_view import print_check

    print_check(check_id)
