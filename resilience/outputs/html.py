"""The HTML report: one self-contained, printable page for incident leads and managers.

No script, no network: inline CSS, inline SVG charts, a Content-Security-Policy that forbids
scripts and remote loads, and Jinja2 autoescaping for every value from the estate.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from resilience.catalogues import frameworks, lessons
from resilience.engine.interface import CheckMeta, Finding
from resilience.engine.report import SEVERITY_WEIGHT, Report
from resilience.model import Domain, Severity, Status
from resilience.outputs.interface import OutputFormat, RenderContext, TemplateFormatter
from resilience.outputs.view import (
    PER_SERVICE_SHOWN,
    UNASSIGNED,
    count,
    finalize_printable,
    headline,
    service_listing,
    service_views,
    status_counts,
    worst_key,
)

WORST_GROUPS = 15  # checks shown in "the worst gaps first"
ASSETS_PER_GROUP = 12
WAIVED_SHOWN = 1000  # accepted risks listed; the JSON report lists every one
FRAMEWORK_NAME = {"caf": "NCSC CAF 4.0", "nist_csf": "NIST CSF 2.0", "cis": "CIS Controls v8",
                  "iso27001": "ISO/IEC 27001:2022"}
STATUS_LABEL = {Status.PASS: "passed", Status.FAIL: "failed", Status.ERROR: "could not be judged",
                Status.WAIVED: "waived"}


def short_path(file: str) -> str:
    """A declared-at path for readers: relative to the working folder, else the file name."""
    path = Path(file)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path.name


@cache
def environment() -> jinja2.Environment:
    """Strict Jinja2 with autoescaping on: estate text can never become markup."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("resilience", "data"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize_printable,
    )
    env.filters["short_path"] = short_path
    env.globals["count"] = count
    return env


@dataclass
class Driver:
    """One check's share of the points the score lost."""

    meta: CheckMeta | None
    check_id: str
    title: str
    severity: Severity
    failed: int
    errors: int
    points: float


@dataclass
class GapGroup:
    """One check's failures (or unknowns): the assets, and what to do once."""

    first: Finding  # the worst of them
    findings: list[Finding]  # in no particular order

    @property
    def shown(self) -> list[Finding]:
        return heapq.nsmallest(ASSETS_PER_GROUP, self.findings, key=_within_group)

    @property
    def more(self) -> int:
        return max(0, len(self.findings) - ASSETS_PER_GROUP)


def worst_groups(findings: list[Finding]) -> list[GapGroup]:
    """Problems grouped by check and status, in worst-first order of each group's worst
    (found without sorting every problem)."""
    grouped: dict[tuple[str, Status], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.status in (Status.FAIL, Status.ERROR):
            grouped[(f.check_id, f.status)].append(f)
    groups = [GapGroup(first=min(items, key=_within_group), findings=items)
              for items in grouped.values()]
    return sorted(groups, key=lambda g: worst_key(g.first))


def _within_group(f: Finding) -> tuple[int, int, str]:
    """Worst-first order among one check's failures (or errors): their status and check id
    are the same, so the severity (the check's own, unless it set another), the tier and the
    asset tell them apart."""
    return (-f.severity.rank, f.tier if f.tier is not None else 99, f.asset_id)


def check_counts(report: Report, check_id: str,
                 findings_by_check: dict[str, list[Finding]]) -> dict[Status, int]:
    """One check's results, with the passes that were counted but not listed."""
    counts = status_counts(findings_by_check.get(check_id, []))
    counts[Status.PASS] += report.omitted_passes.get(check_id, 0)
    return counts


def score_drivers(report: Report) -> list[Driver]:
    """Checks ordered by how many points of the score they cost (fails and unknowns)."""
    metas = {m.id: m for m in report.checks}
    total = sum(SEVERITY_WEIGHT[f.severity] for f in report.findings if f.status != Status.WAIVED)
    total += sum(SEVERITY_WEIGHT[metas[cid].severity] * n
                 for cid, n in report.omitted_passes.items() if cid in metas)
    lost: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        if f.status in (Status.FAIL, Status.ERROR):
            lost[f.check_id].append(f)
    out = []
    for check_id, items in lost.items():
        weight = sum(SEVERITY_WEIGHT[f.severity] for f in items)
        out.append(Driver(
            meta=metas.get(check_id), check_id=check_id, title=items[0].title,
            severity=items[0].severity,
            failed=sum(f.status == Status.FAIL for f in items),
            errors=sum(f.status == Status.ERROR for f in items),
            points=100 * weight / total if total else 0.0,
        ))
    return sorted(out, key=lambda d: (-round(d.points, 6), -d.failed, d.check_id))


def tier_rows(report: Report) -> list[tuple[str, dict[Status, int]]]:
    tiers: dict[int | None, list[Finding]] = defaultdict(list)
    for f in report.findings:
        tiers[f.tier].append(f)
    for label in report.omitted_passes_by_tier:
        tiers.setdefault(None if label == "none" else int(label), [])
    order = sorted(tiers, key=lambda t: 99 if t is None else t)
    rows = []
    for t in order:
        counts = status_counts(tiers[t])
        # Passes that are counted but not listed still belong in their tier's bar.
        counts[Status.PASS] += report.omitted_passes_by_tier.get("none" if t is None else str(t), 0)
        rows.append(("no tier" if t is None else f"tier {t}", counts))
    return rows


def bar_segments(counts: dict[Status, int], width: float) -> list[tuple[Status, int, float, float]]:
    """(status, count, x, w) for a stacked horizontal bar of ``width`` pixels."""
    total = sum(counts.values())
    out, x = [], 0.0
    for status in (Status.FAIL, Status.ERROR, Status.WAIVED, Status.PASS):
        n = counts.get(status, 0)
        if n and total:
            w = width * n / total
            out.append((status, n, round(x, 2), round(w, 2)))
            x += w
    return out


def trend_points(history: list, width: float = 640, height: float = 160) -> list[dict]:
    """Plot positions for the score over earlier runs (oldest first)."""
    runs = [r for r in history if getattr(r, "score", None) is not None]
    if len(runs) < 2:
        return []
    step = width / (len(runs) - 1)
    return [{"x": round(i * step, 1), "y": round(height - height * r.score / 100, 1),
             "run": r} for i, r in enumerate(runs)]


def donut(score: int, radius: float = 54) -> dict:
    circumference = 2 * math.pi * radius
    return {"r": radius, "c": round(circumference, 2),
            "filled": round(circumference * score / 100, 2)}


def score_band(score: int) -> str:
    return "good" if score >= 80 else "fair" if score >= 50 else "poor"


def framework_titles() -> dict[str, dict[str, str]]:
    return {fid: {c.id: c.title for c in fw.controls} for fid, fw in frameworks().items()}


class HtmlFormatter(TemplateFormatter):
    format = OutputFormat.HTML
    extension = "html"
    cost = 1.5  # its summaries pass over every finding; the page itself is bounded
    shows_history = True

    def template(self) -> jinja2.Template:
        return environment().get_template("report.html.j2")

    def variables(self, report: Report, context: RenderContext) -> dict[str, Any]:
        findings_by_check: dict[str, list[Finding]] = defaultdict(list)
        for f in report.findings:
            findings_by_check[f.check_id].append(f)
        cited = {lid for meta in report.checks for lid in meta.lessons}
        known_lessons = lessons()
        return dict(
            report=report,
            headline=headline(report),
            score=report.summary.score,
            band=score_band(report.summary.score),
            donut=donut(report.summary.score),
            weights=SEVERITY_WEIGHT,
            drivers=score_drivers(report)[:8],
            domains=[(d, report.summary.by_domain[d]) for d in Domain],
            bar_segments=bar_segments,
            tiers=tier_rows(report),
            worst=(groups := worst_groups(report.findings))[:WORST_GROUPS],
            worst_total=len(groups),
            services=service_listing(views := service_views(report, context.estate)),
            passes_by_service=all(v.passes_known for v in views if v.id != UNASSIGNED),
            per_service=PER_SERVICE_SHOWN,
            waived=(waived := [f for f in report.findings if f.status == Status.WAIVED])[:WAIVED_SHOWN],
            waived_total=len(waived),
            checks=[(m, check_counts(report, m.id, findings_by_check)) for m in report.checks],
            unlisted_passes=sum(report.omitted_passes.values()),
            lessons=[known_lessons[lid] for lid in sorted(cited) if lid in known_lessons],
            framework_names=FRAMEWORK_NAME,
            framework_titles=framework_titles(),
            trend=trend_points(context.history),
            history=context.history[-10:],
            Status=Status,
            Severity=Severity,
            status_label=STATUS_LABEL,
        )
