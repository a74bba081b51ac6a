"""Keep secrets out of the estate: credential-like tag values and substrings of free text."""

from __future__ import annotations

import re

REDACTED = "[redacted]"
_SECRET_KEY = re.compile(
    r"pass(word|wd|phrase)?|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|"
    r"credential|connection[-_]?string|conn[-_]?str|sas|bearer|auth",
    re.IGNORECASE,
)
_SECRET_VALUE = re.compile(
    r"(AKIA|ASIA)[A-Z0-9]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|"
    r"(?i:(?:password|passwd|pwd|secret|token|accountkey|sharedaccesssignature|sig)\s*[=:]\s*[^\s;,]+)|"
    r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.|gh[pousr]_[A-Za-z0-9]{30,}|xox[abpr]-[A-Za-z0-9-]{10,}"
)


def looks_secret(key: str, value: str) -> bool:
    """True when a key/value pair probably carries a credential."""
    return bool(_SECRET_KEY.search(key) or _SECRET_VALUE.search(value))


def redact_tags(tags: dict[str, str] | None) -> dict[str, str]:
    """Return tags with credential-like values replaced by a marker."""
    if not tags:
        return {}
    return {
        str(k): (REDACTED if looks_secret(str(k), str(v)) else str(v)) for k, v in tags.items()
    }


def redact_text(text: object) -> object:
    """Mask credential-looking substrings in free text (descriptions, error messages).

    Anything that is not a string is returned as it is, for the model's own type check to
    refuse with a clean message (a validator must not crash on a wrong type)."""
    if not isinstance(text, str):
        return text
    return _SECRET_VALUE.sub(REDACTED, text)
