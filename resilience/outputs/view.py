"""Presentation helpers shared by the human formats: ordering, grouping, escaping."""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
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


def worst_key(f: Finding) -> tuple[bool, int, int, str, str]:
    """Where a failure or error comes in worst-first order (see ``worst_first``)."""
    return (f.status != Status.FAIL, -f.severity.rank, f.tier if f.tier is not None else 99,
            f.check_id, f.asset_id)


def worst_first(findings: list[Finding], limit: int | None = None) -> list[Finding]:
    """Failures and errors, most severe first, then most critical tier, then check id; only
    the first ``limit`` when given (without sorting them all: a large estate has hundreds of
    thousands)."""
    bad = [f for f in findings if f.status in (Status.FAIL, Status.ERROR)]
    if limit is not None and limit < len(bad):
        return heapq.nsmallest(limit, bad, key=worst_key)  # the same as sorted(...)[:limit]
    return sorted(bad, key=worst_key)


# How urgent a result of each status is, among results of the same severity.
URGENCY = {Status.FAIL: 0, Status.ERROR: 1, Status.WAIVED: 2, Status.PASS: 3}


def most_severe(findings: list[Finding], limit: int) -> list[Finding]:
    """The ``limit`` most severe of ``findings`` (then failures before results that could not
    be judged before waived ones and passes, then the most critical tier), in their own
    order. The same inputs always give the same choice: a terminal shows the same results
    and a shortened SARIF log keeps the same alerts open from one run to the next."""
    order = heapq.nsmallest(limit, range(len(findings)), key=lambda i: (
        -findings[i].severity.rank, URGENCY[findings[i].status],
        findings[i].tier if findings[i].tier is not None else 99,
        findings[i].check_id, findings[i].asset_id, i))
    return [findings[i] for i in sorted(order)]


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


# How much of the per-service view the reports written for people (HTML, Markdown) lay out.
# At 100,000 systems and 5,000 services, 40 problems for every service made a 140 MB page
# that Chromium could not print within five minutes. Every service is still counted, and the
# JSON report lists every result.
PER_SERVICE_SHOWN = 40  # problems listed under one service
SERVICE_PROBLEMS_SHOWN = 2000  # problems listed under all services together
SERVICE_SECTIONS_SHOWN = 200  # services given a section of their own


@dataclass
class ServiceView:
    """One business service's results: counts of every status, and its problems to list."""

    id: str
    name: str
    tier: int | None
    owner: str | None
    counts: dict[Status, int]
    problems: list[Finding] = field(default_factory=list)  # in a listing: worst first
    more: int = 0  # problems not listed
    passes_known: bool = True  # False: its passes were counted for the estate, not for it

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.more


def status_counts(findings: list[Finding]) -> dict[Status, int]:
    counts = Counter(f.status for f in findings)
    return {s: counts.get(s, 0) for s in Status}


def service_views(report: Report, estate: Any = None) -> list[ServiceView]:
    """Each business service with its results (a finding counts under every service it
    affects, and so does a pass that was only counted), most critical tier first; its
    problems (failures, errors, then waived results) are put in order by
    ``service_listing``, for the services it lists."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        for sid in f.services or [UNASSIGNED]:
            grouped[sid].append(f)
    known = {s.id: s for s in estate.services} if estate is not None else {}
    counted = report.omitted_passes_by_service
    # Passes counted but not listed are known per service, except in a report from before
    # they were (or for results about no service).
    per_service = not report.omitted_passes or bool(counted)
    views = []
    for sid in set(grouped) | set(known):
        svc = known.get(sid)
        items = grouped.get(sid, [])
        counts = status_counts(items)
        counts[Status.PASS] += counted.get(sid, 0)
        views.append(ServiceView(
            id=sid, name=svc.name if svc else sid, tier=svc.tier if svc else None,
            owner=svc.owner if svc else None, counts=counts,
            problems=[f for f in items if f.status != Status.PASS],
            passes_known=not report.omitted_passes or (per_service and sid != UNASSIGNED),
        ))
    return sorted(views, key=lambda v: (v.id == UNASSIGNED, v.tier or 99, v.name.lower(), v.id))


def _worst_then_waived(problems: list[Finding], limit: int) -> list[Finding]:
    """The first ``limit`` of ``problems``: failures and errors worst first, then waived."""
    bad = worst_first(problems, limit)
    return bad + [f for f in problems if f.status == Status.WAIVED][:limit - len(bad)]


@dataclass
class ServiceListing:
    """The per-service view as a page lays it out: sections in full for the first services,
    within the limits above, and a row of counts for each of the others."""

    sections: list[ServiceView]
    others: list[ServiceView]

    @property
    def others_problems(self) -> int:
        return sum(v.problem_count for v in self.others)


def service_listing(views: list[ServiceView], per_service: int | None = None,
                    problems: int | None = None, sections: int | None = None) -> ServiceListing:
    """Give the first services, in order, a section each until ``sections`` are given or
    ``problems`` are listed (each lists at most ``per_service`` of its own); the others are
    only counted. Each limit left out is this module's, read when called."""
    per_service = PER_SERVICE_SHOWN if per_service is None else per_service
    sections = SERVICE_SECTIONS_SHOWN if sections is None else sections
    listing = ServiceListing([], [])
    left = SERVICE_PROBLEMS_SHOWN if problems is None else problems
    for view in views:
        if len(listing.sections) >= sections or left <= 0:
            listing.others.append(view)
            continue
        shown = min(per_service, left, len(view.problems))
        left -= shown
        listing.sections.append(replace(view, problems=_worst_then_waived(view.problems, shown),
                                        more=view.more + len(view.problems) - shown))
    return listing


def count(n: int, noun: str, lead: str = "") -> str:
    """``n`` things in words for a reader: "the first service", "the first 13 services",
    "The other 287 services", "1 problem", "2,296 problems"."""
    if n == 1:
        return f"{lead} {noun}" if lead else f"1 {noun}"
    return f"{lead + ' ' if lead else ''}{n:,} {noun}s"


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
