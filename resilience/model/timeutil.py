"""Timestamps: everything is timezone-aware UTC; dates alone mean midnight UTC."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from pydantic import BeforeValidator


def to_utc(value: Any) -> Any:
    """Accept a date, a naive or aware datetime, or an ISO string; return an aware UTC datetime."""
    if type(value) is str and value:  # the common case, from JSON and YAML: memoised
        return _parse_text(value)
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        if value.tzinfo is UTC:  # pydantic already parsed a "Z" timestamp; nothing to convert
            return value
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValueError(f"'{value}' is out of the range of dates") from None
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=UTC)
    if isinstance(value, str):
        return _parse_text(value)
    raise ValueError("expected an ISO date like 2024-03-31")


@functools.lru_cache(maxsize=65536)
def _parse_text(value: str) -> datetime:
    """An ISO date or time, memoised: estates repeat the same dates (nightly jobs, reviews)."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"'{value}' is not an ISO date or time; write 2024-03-31 or 2024-03-31T14:00:00Z"
        ) from None
    return to_utc(parsed)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


Timestamp = Annotated[datetime, BeforeValidator(to_utc)]
