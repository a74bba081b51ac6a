"""Save an estate as a JSON snapshot and read it back, so checks and simulations run offline."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from resilience.atomic import write_text_atomic
from resilience.errors import InputError
from resilience.model import SCHEMA_VERSION, Estate
from resilience.yamlfile import describe_location, read_text


def dump_snapshot(estate: Estate) -> str:
    """The snapshot text (compact: unknown values are left out)."""
    return estate.model_dump_json(exclude_none=True, indent=1)


def save_snapshot(estate: Estate, path: Path) -> None:
    write_text_atomic(path, dump_snapshot(estate))


def load_snapshot(path: Path | str) -> Estate:
    """Read a snapshot, with one clear error when it is not one."""
    text = read_text(path)
    try:
        estate = Estate.model_validate_json(text)
    except ValidationError as exc:
        err = exc.errors()[0]
        if err["type"] == "json_invalid":
            raise InputError(f"not valid JSON ({err['msg']})", path=str(path)) from None
        raise InputError(
            f"not a resilience snapshot: {describe_location(err['loc'])}: {err['msg']}",
            path=str(path),
        ) from None
    if estate.schema_version != SCHEMA_VERSION:
        raise InputError(
            f"snapshot schema_version {estate.schema_version} is not supported "
            f"(this version reads {SCHEMA_VERSION})",
            path=str(path),
        )
    return estate
