"""The command line: Typer commands that parse options, call the library, render and exit."""

from __future__ import annotations

import gc
import os
import sys

import typer

from resilience import __version__

app = typer.Typer(
    name="resilience",
    help="Cyber-recovery readiness: what would survive an attack, what could be restored, "
    "in what order, and how long it would take.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
checks_app = typer.Typer(help="Browse the check catalogue.", no_args_is_help=True)
app.add_typer(checks_app, name="checks")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"resilience {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Cyber-recovery readiness for mixed cloud and on-premises estates."""


def _register() -> None:
    # Command modules import the library lazily inside each command, so --help stays fast.
    from resilience.cli import (  # noqa: F401
        check,
        checks,
        demo,
        diff,
        history,
        init,
        inventory,
        lessons,
        playbook,
        schema,
        simulate,
    )


_INTERRUPTS: list[int] = []  # signals received during this run


def _terminate_like_interrupt() -> None:
    """Treat SIGTERM like Ctrl-C, so atomic writes clean up and nothing is left half-written,
    and remember that a signal came: a library may wrap the KeyboardInterrupt in an error of
    its own (pydantic's JSON encoder does), which must still end as an interruption."""
    import signal

    def _raise(signum, frame):  # noqa: ARG001 - signal handler signature
        _INTERRUPTS.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _raise)
    signal.signal(signal.SIGINT, _raise)


def _exit_interrupted() -> None:
    typer.echo("Interrupted; nothing was half-written.", err=True)
    sys.exit(130)


def main() -> None:
    """Run the CLI; the one place that turns errors into messages and exit codes."""
    from resilience import teardown
    from resilience.errors import ResilienceError

    _register()
    _terminate_like_interrupt()
    teardown.arm()
    # A run allocates many long-lived objects (modules, model schemas, the estate) and little
    # cyclic garbage; the default young-generation threshold (700 allocations) made the
    # collector run over a hundred times in a demo check, for 50-100 ms of nothing.
    gc.set_threshold(100_000, 10, 10)
    try:
        code = app(standalone_mode=False)
    except ResilienceError as exc:
        if _INTERRUPTS:
            _exit_interrupted()
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        _exit_interrupted()
    except typer.TyperException as exc:
        # Usage errors (an unknown option, a bad value). Typer vendors click since 0.26, so
        # these are not click.ClickException, and click itself may not be installed at all.
        show = getattr(exc, "show", None)
        if show is not None:
            show()
        else:
            typer.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # the unexpected
        if _INTERRUPTS:  # an interruption that a library wrapped in its own error
            _exit_interrupted()
        if os.environ.get("RESILIENCE_DEBUG"):
            raise
        typer.echo(f"Error: unexpected failure ({type(exc).__name__}: {exc}). "
                   "Set RESILIENCE_DEBUG=1 for a traceback.", err=True)
        sys.exit(3)
    if code == 130:  # Typer (not in standalone mode) returns Ctrl-C and SIGTERM as 130
        typer.echo("Interrupted; nothing was half-written.", err=True)
    teardown.leave(code if isinstance(code, int) else 0)
