"""Save an estate as a JSON snapshot and read it back, so checks and simulations run offline."""

from __future__ import annotations

from pathlib import Path

from resilience.atomic import write_text_atomic
from resilience.model import SCHEMA_VERSION, Estate
from resilience.yamlfile import load_json_model


def dump_snapshot(estate: Estate) -> str:
    """The snapshot text (compact: unknown values are left out)."""
    return estate.model_dump_json(exclude_none=True, indent=1)


def save_snapshot(estate: Estate, path: Path) -> None:
    write_text_atomic(path, dump_snapshot(estate))


def load_snapshot(path: Path | str) -> Estate:
    """Read a snapshot, with one clear error when it is not one."""
    return load_json_model(Estate, path, what="a resilience snapshot", version=SCHEMA_VERSION)
