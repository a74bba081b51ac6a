"""Glue between parsed options and the library for ``check`` (kept out of the command body)."""

from __future__ import annotations

import sys
from contextlib import nullcontext
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
                      show_passes: bool, waivers: Path | None = None,
                      baseline: Path | None = None, history: Path | None = None,
                      record_history: bool = True, framework: str | None = None,
                      sarif_max_results: int | None = None) -> int:
    """Run a check, apply waivers and a baseline, record history, render; returns the exit code."""
    from resilience.cli.console import progress, stdout
    from resilience.exitcodes import exit_code
    from resilience.outputs.interface import OutputFormat, RenderContext, formatter, parse_formats
    from resilience.outputs.write import Alongside, output_paths, write_report
    from resilience.pipeline import CheckRequest, anchor_for, run_check
    from resilience.sources.interface import NullProgress

    # Waivers and baselines are imported only by a run that uses them.
    if history is not None and not record_history:
        raise UsageError("--history and --no-history contradict each other")
    fmts = parse_formats(formats)
    if sarif_max_results is not None and OutputFormat.SARIF not in fmts:
        raise UsageError("--sarif-max-results needs --format sarif")
    if framework is not None:
        from resilience.frameworks_view import framework_id

        framework = framework_id(framework)  # a typo fails before a long collection
    threshold = parse_enum(Severity, fail_on, "--fail-on") if fail_on else None
    req = CheckRequest(
        estate=request,
        domains=frozenset(parse_enum(Domain, d, "--domain") for d in domains),
        check_ids=frozenset(check_ids),
        as_of=parse_as_of(as_of),
        include_passes=show_passes,
        framework=framework,
    )
    paths = output_paths(fmts, output)
    # Read the small input files before the (possibly long) collection, so mistakes fail fast.
    accepted = _waivers(waivers) if waivers is not None else None
    earlier = _baseline(baseline) if baseline is not None else None
    with progress() as prog:
        report, loaded = run_check(req, prog)
    cfg = loaded.config
    if accepted is None and cfg.config.waivers:
        accepted = _waivers(cfg.resolve(cfg.config.waivers))
    if accepted is not None:
        from resilience.waivers import apply_waivers

        report = apply_waivers(report, accepted)
    to_stdout_table = fmts == [OutputFormat.TABLE] and output is None
    # Only a format that shows earlier runs needs this one recorded before it is rendered;
    # otherwise a large run records it while its worker writes the files.
    later = record_history and not to_stdout_table and not any(
        formatter(f).shows_history for f in fmts)
    trend = record_run(report, loaded, history, request) if record_history and not later else []
    recorded = report  # the history keeps the run as checked, before any baseline
    if earlier is not None:
        from resilience.baseline import apply_baseline

        report = apply_baseline(report, earlier, str(baseline))
    context = RenderContext(estate=loaded.estate, history=trend, anchor=anchor_for(loaded, request),
                            sarif_max_results=sarif_max_results)
    if to_stdout_table:
        from resilience.outputs.table import TERMINAL_LIMIT, report_parts

        for part in report_parts(report, context, show_passes=show_passes, limit=TERMINAL_LIMIT):
            stdout().print(part)
    else:
        sys.stdout.flush()
        alongside = Alongside(lambda: record_run(recorded, loaded, history, request),
                              HISTORY_COST) if later else None
        # Progress only while nothing goes to stdout, which would break into the display.
        showing = progress() if None not in paths.values() else nullcontext(NullProgress())
        with showing as prog:
            write_report(report, paths, context, alongside=alongside, progress=prog)
    return exit_code(report, threshold, strict)


# Recording a run in the history costs about 0.6 of writing its JSON report (CPU time
# measured at 100,000 systems).
HISTORY_COST = 0.6


def _waivers(path: Path):
    from resilience.waivers import load_waivers

    return load_waivers(path)


def _baseline(path: Path):
    from resilience.baseline import load_baseline

    return load_baseline(path)


def record_run(report, loaded, explicit: Path | None, request) -> list:
    """Record the run in the history database (then keep only the newest ``history_keep``
    runs, when the configuration says so); returns the trend (recent runs, oldest first).

    A database the user chose (``--history`` or ``history:``) must work; the default one in
    the user data folder is a convenience, so a failure there is a warning, not an error."""
    from resilience.errors import ResilienceError
    from resilience.history import History, resolve_history_path

    chosen = explicit is not None or bool(loaded.config.config.history)
    store = History(resolve_history_path(explicit, loaded.config))
    source = str(loaded.config.path or request.snapshot or "") or None
    keep = loaded.config.config.history_keep
    try:
        store.record(report, source=source)
        if keep is not None:
            store.prune(keep=keep, organisation=report.organisation.name)
        return store.runs(organisation=report.organisation.name, limit=30)
    except ResilienceError as exc:
        if chosen:
            raise
        from resilience.cli.console import stderr

        stderr().print(f"warning: history not recorded: {exc}", markup=False)
        return []
