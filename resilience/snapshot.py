"""Save an estate as a JSON snapshot and read it back, so checks and simulations run offline."""

from __future__ import annotations

from pathlib import Path

from resilience.atomic import write_text_atomic
from resilience.errors import InputError
from resilience.model import SCHEMA_VERSION, Estate
from resilience.model.estate import ASSET_LISTS
from resilience.yamlfile import load_json_model


def dump_snapshot(estate: Estate) -> str:
    """The snapshot text (compact: unknown values are left out)."""
    return estate.model_dump_json(exclude_none=True, indent=1)


def save_snapshot(estate: Estate, path: Path) -> None:
    write_text_atomic(path, dump_snapshot(estate))


def load_snapshot(path: Path | str) -> Estate:
    """Read a snapshot, with one clear error when it is not one (an id given twice included:
    merging refuses that when an estate is collected, so a snapshot cannot hold it)."""
    estate = load_json_model(Estate, path, what="a resilience snapshot", version=SCHEMA_VERSION)
    for name in ASSET_LISTS:
        ids = [item.id for item in getattr(estate, name)]
        if len(set(ids)) == len(ids):  # the usual case, checked at C speed
            continue
        seen: set[str] = set()
        for asset_id in ids:
            if asset_id in seen:
                raise InputError(f"not a resilience snapshot: {name[:-1].replace('_', ' ')} "
                                 f"id '{asset_id}' appears twice", path=str(path))
            seen.add(asset_id)
    return estate
