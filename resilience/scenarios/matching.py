"""Evaluate a rule's ``when`` conditions against one asset, telling unknown from no match."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum

from resilience.scenarios.loading import substitute

# The order in which a matched field is named as the reason (the most telling first).
REASON_ORDER = ("trust_domain", "identity_domain", "account", "supplier", "site", "region",
                "system", "hosting", "kind", "tool", "id")


@dataclass
class MatchResult:
    """Whether an asset meets every condition; ``unknown`` lists fields with no recorded value."""

    matched: bool
    matched_fields: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    mismatch: str | None = None
    mismatch_value: str | None = None


def _text(value: object) -> str:
    return value.value if isinstance(value, Enum) else str(value)


def rule_values(values: str | list[str], params: dict[str, str]) -> list[str]:
    return [substitute(v, params) for v in (values if isinstance(values, list) else [values])]


Bound = tuple[tuple[str, frozenset[str]], ...]


def bind(when: dict, params: dict[str, str]) -> Bound:
    """A rule's conditions with parameters filled in, in reason order; done once per run."""
    keys = sorted(when, key=lambda k: REASON_ORDER.index(_text(k))
                  if _text(k) in REASON_ORDER else 99)
    return tuple((_text(k), frozenset(rule_values(when[k], params))) for k in keys)


def evaluate(bound: Bound, get: Callable[[str], Iterable[str] | str | None]) -> MatchResult:
    """AND over the conditions. A field with no value is unknown, not a mismatch."""
    matched: list[str] = []
    unknown: list[str] = []
    for name, wanted in bound:
        actual = get(name)
        if actual is None or (not isinstance(actual, str) and not list(actual)):
            unknown.append(name)
            continue
        have = {actual} if isinstance(actual, str) else set(actual)
        if have & wanted:
            matched.append(name)
        else:
            return MatchResult(False, matched, unknown, name, ", ".join(sorted(have)))
    return MatchResult(True, matched, unknown)
