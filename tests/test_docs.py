"""Every command has help and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import click
import typer.main

from resilience.cli import _register, app

README = (Path(__file__).parent.parent / "README.md").read_text()


def _commands():
    _register()
    root = typer.main.get_command(app)
    for name, cmd in root.commands.items():
        if isinstance(cmd, click.Group):
            for sub, subcmd in cmd.commands.items():
                yield f"{name} {sub}", subcmd
        else:
            yield name, cmd


def test_every_command_has_help_and_is_in_the_readme():
    names = []
    for name, cmd in _commands():
        names.append(name)
        assert (cmd.help or "").strip(), f"`resilience {name}` has no help text"
        assert f"resilience {name}" in README, f"`resilience {name}` is not in README.md"
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.hidden and param.name != "help":
                assert (param.help or "").strip(), f"{name} {param.opts} has no help"
    assert "demo" in names and "check" in names


def test_readme_starts_with_the_two_commands():
    head = README[: README.index("## Commands")]
    assert "pip install . && resilience demo" in head
    assert "python -m pytest" in head
