"""Human durations (``4h``, ``35d``, ``1w 2d``) to and from ``timedelta``."""

from __future__ import annotations

import functools
import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_UNITS = {"m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "y": 365 * 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(min|m|h|d|w|y)")
_WHOLE = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*(?:min|m|h|d|w|y)\s*)+$")
PATTERN = r"^\s*(\d+(\.\d+)?\s*(min|m|h|d|w|y)\s*)+$"


def parse_duration(value: Any) -> timedelta:
    """Parse ``30m``, ``4h``, ``35d``, ``2w``, ``1y`` or combinations like ``1d 12h``."""
    if type(value) is str:  # the common case, from JSON and YAML: memoised
        return _parse_text(value)
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("expected a duration like '4h', '35d' or '2w'")
    if isinstance(value, int | float):
        raise ValueError(f"expected a duration with a unit, like '{value}h' or '{value}d'")
    return _parse_text(value)


@functools.lru_cache(maxsize=4096)
def _parse_text(value: str) -> timedelta:
    """The text form, memoised: an estate repeats a handful of durations thousands of times."""
    text = value.strip().lower()
    if not _WHOLE.match(text):
        raise ValueError(f"'{value}' is not a duration; use a number and a unit: 30m, 4h, 35d, 2w, 1y")
    seconds = sum(float(n) * _UNITS[u] for n, u in _PART.findall(text))
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"'{value}' is too long a duration") from None


@functools.lru_cache(maxsize=4096)
def format_duration(value: timedelta | None) -> str:
    """Format a duration the way a person would write it (``36h``, ``35d``, ``90m``)."""
    if value is None:
        return "unknown"
    seconds = int(value.total_seconds())
    if seconds == 0:
        return "0h"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    if seconds >= 86400:
        return f"{seconds / 86400:.1f}d"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f}h"
    return f"{max(1, seconds // 60)}m"


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": PATTERN, "examples": ["4h", "35d", "2w"]}),
]
