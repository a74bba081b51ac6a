"""Presentation helpers shared by the human formats: ordering, grouping, escaping."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from resilience.engine.interface import Finding
from resilience.engine.report import Report
from resilience.model import Severity, Status

UNASSIGNED = "(no service)"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~#])")
# C0 and C1 control characters except tab and newline: terminal escape sequences, bells,
# carriage returns that overwrite a line, and characters XML 1.0 cannot hold.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# Rows a terminal table shows at most: a large estate has hundreds of thousands, which take
# minutes to lay out and nobody reads on a screen.
TABLE_ROWS = 1000


def first_rows(items: list, table: Any, where: str, limit: int | None = TABLE_ROWS) -> list:
    """The items a Rich ``table`` shows: at most ``limit``, with a caption saying how many
    there are and ``where`` to find them all when some are left out."""
    if limit is None or len(items) <= limit:
        return items
    table.caption = f"The first {limit:,} of {len(items):,}; {where}."
    table.caption_justify = "left"
    return items[:limit]


def worst_first(findings: list[Finding]) -> list[Finding]:
    """Failures and errors, most severe first, then most critical tier, then check id."""
    bad = [f for f in findings if f.status in (Status.FAIL, Status.ERROR)]
    return sorted(
        bad,
        key=lambda f: (
            f.status != Status.FAIL,
            -f.severity.rank,
            f.tier if f.tier is not None else 99,
            f.check_id,
            f.asset_id,
        ),
    )


def headline_failures(findings: list[Finding], limit: int = 6) -> list[Finding]:
    """The worst failure of each check, taken in turn from each domain so that one domain's
    many critical checks do not hide another's (a dormant admin account beside backup gaps)."""
    per_domain: dict[str, list[Finding]] = defaultdict(list)
    seen: set[str] = set()
    for f in worst_first(findings):
        if f.status == Status.FAIL and f.check_id not in seen:
            seen.add(f.check_id)
            per_domain[f.domain].append(f)
    queues = sorted(per_domain.values(), key=lambda q: worst_first(q[:1])[0].severity.rank,
                    reverse=True)
    out: list[Finding] = []
    while len(out) < limit and any(queues):
        for queue in queues:
            if queue and len(out) < limit:
                out.append(queue.pop(0))
    return sorted(out, key=lambda f: -f.severity.rank)


def by_service(findings: list[Finding]) -> dict[str, list[Finding]]:
    """Group findings under each service they affect (a finding can appear under several)."""
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        for sid in f.services or [UNASSIGNED]:
            out[sid].append(f)
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == UNASSIGNED, kv[0])))


def headline(report: Report) -> str:
    """One line: score, failures by severity, errors, gaps."""
    s = report.summary
    sev = ", ".join(
        f"{s.failed_by_severity[x]} {x.value}" for x in reversed(Severity)
        if s.failed_by_severity[x]
    ) or "none"
    parts = [
        f"readiness {s.score}/100",
        f"{s.by_status[Status.FAIL]} failed ({sev})",
        f"{s.by_status[Status.PASS]} passed",
        f"{s.by_status[Status.ERROR]} could not be judged",
    ]
    if s.by_status[Status.WAIVED]:
        parts.append(f"{s.by_status[Status.WAIVED]} waived")
    if report.gaps:
        parts.append(f"{len(report.gaps)} collection gap(s): results are incomplete")
    return "; ".join(parts)


def printable(text: object) -> str:
    """Untrusted text with its control characters shown as ``\\x1b``-style text, so an escape
    sequence in a resource name cannot act on a terminal or a viewer."""
    value = "" if text is None else str(text)
    if _CONTROL.search(value) is None:
        return value
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)


def finalize_printable(value: object) -> object:
    """Jinja ``finalize`` for HTML: control characters in estate text shown as text (markup
    built by the template itself is left alone)."""
    import markupsafe

    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return printable(value)
    return value


def plain(text: object, style: str = ""):
    """A Rich ``Text`` of untrusted text: never read as markup, control characters shown."""
    from rich.text import Text

    return Text(printable(text), style=style)


def md_escape(text: object) -> str:
    """Make untrusted text inert in Markdown: escape markup and HTML, keep it on one line."""
    value = printable(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    return " ".join(value.split())
