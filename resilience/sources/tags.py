"""Cloud tags to the business: one rule for tier, services and owner, whatever the provider."""

from __future__ import annotations

import re

from resilience.config import TagKeys

_TIER = re.compile(r"^\s*(?:tier|t)?[\s_-]*([1-9])\s*$", re.IGNORECASE)
_SPLIT = re.compile(r"[,;]")


def parse_tier(value: str | None) -> int | None:
    """'1', 'tier1', 'Tier 2', 't3' -> 1..9; anything else -> None (untiered, which a check
    reports, rather than a guess)."""
    if value is None:
        return None
    found = _TIER.match(str(value))
    return int(found.group(1)) if found else None


def service_ids(value: str | None) -> list[str]:
    """Service ids from a tag value: comma- or semicolon-separated, lower case, whitespace
    becomes '-', so the tag 'Revenues and Benefits' joins the on-prem service
    ``revenues-and-benefits``."""
    out: list[str] = []
    for part in _SPLIT.split(value or ""):
        sid = re.sub(r"\s+", "-", part.strip().lower())[:512]
        if sid and sid not in out:
            out.append(sid)
    return out


def business(tags: dict[str, str], keys: TagKeys) -> tuple[int | None, list[str], str | None]:
    """Tier, services and owner from the configured tag keys."""
    owner = (tags.get(keys.owner) or "").strip() or None
    return parse_tier(tags.get(keys.tier)), service_ids(tags.get(keys.service)), owner
