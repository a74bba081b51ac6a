"""Glue between parsed options and the library for ``check`` (kept out of the command body)."""

from __future__ import annotations

from pathlib import Path

from resilience.errors import UsageError
from resilience.model import Domain, Severity
from resilience.model.timeutil import to_utc


def parse_enum(enum, value: str, option: str):
    try:
        return enum(value.strip().lower())
    except ValueError:
        choices = ", ".join(e.value for e in enum)
        raise UsageError(f"{option}: '{value}' is not one of {choices}") from None


def parse_as_of(value: str | None):
    if value is None:
        return None
    try:
        return to_utc(value)
    except ValueError as exc:
        raise UsageError(f"--as-of: {exc}") from None


def run_check_command(request, *, formats: str, output: Path | None, fail_on: str | None,
                      domains: list[str], check_ids: list[str], strict: bool, as_of: str | None,
                      show_passes: bool) -> int:
    """Run a check and render it; returns the exit code."""
    from resilience.cli.console import progress, stdout
    from resilience.exitcodes import exit_code
    from resilience.outputs.interface import OutputFormat, RenderContext, parse_formats
    from resilience.outputs.write import output_paths, render_all, write_rendered
    from resilience.pipeline import CheckRequest, run_check

    fmts = parse_formats(formats)
    threshold = parse_enum(Severity, fail_on, "--fail-on") if fail_on else None
    req = CheckRequest(
        estate=request,
        domains=frozenset(parse_enum(Domain, d, "--domain") for d in domains),
        check_ids=frozenset(check_ids),
        as_of=parse_as_of(as_of),
        include_passes=show_passes,
    )
    paths = output_paths(fmts, output)
    with progress() as prog:
        report, loaded = run_check(req, prog)
    context = RenderContext(estate=loaded.estate)
    to_stdout_table = fmts == [OutputFormat.TABLE] and output is None
    if to_stdout_table:
        from resilience.outputs.table import report_renderable

        stdout().print(report_renderable(report, context, show_passes=show_passes))
    else:
        rendered = render_all(report, fmts, context)
        for fmt, path in paths.items():
            if path is None:
                print(rendered[fmt], end="")
        write_rendered(rendered, paths)
    return exit_code(report, threshold, strict)
