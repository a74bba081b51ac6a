"""Terminal and JSON views of the run history and of a diff between two runs."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from resilience.baseline import StatusDiff
from resilience.history import RunRecord
from resilience.model import Domain
from resilience.outputs.view import first_rows, plain


def runs_table(runs: list[RunRecord]) -> Table:
    """One row per run, oldest first, with the score change since the previous run."""
    orgs = sorted({r.organisation for r in runs})
    title = f"{len(runs)} recorded run(s)" + (f" for {orgs[0]}" if len(orgs) == 1 else "")
    table = Table(title=title, title_justify="left",
                  caption="±: score change since the previous run; b/i/c: failures in "
                  + "/".join(d.value for d in Domain),
                  caption_justify="left")
    table.add_column("run", justify="right", min_width=3)
    table.add_column("recorded UTC", no_wrap=True)
    if len(orgs) > 1:
        table.add_column("organisation")
    for col in ("score", "±", "fail", "error", "waived", "gaps", "b/i/c"):
        table.add_column(col, justify="right", no_wrap=True)
    previous = None
    for r in runs:
        change = "" if previous is None else f"{r.score - previous.score:+d}"
        previous = r
        org = [plain(r.organisation)] if len(orgs) > 1 else []
        table.add_row(
            str(r.id), r.recorded_at.strftime("%Y-%m-%d %H:%M"), *org,
            str(r.score), change, str(r.by_status.get("fail", 0)),
            str(r.by_status.get("error", 0)), str(r.by_status.get("waived", 0)), str(r.gaps),
            "/".join(str(r.by_domain.get(d.value, {}).get("fail", 0)) for d in Domain),
        )
    return table


def diff_as_dict(a: RunRecord, b: RunRecord, diff: StatusDiff) -> dict:
    def rows(items):
        return [{"check_id": c, "asset_id": asset, "before": then.value if then else None,
                 "after": now.value if now else None} for (c, asset), then, now in items]

    return {
        "run_a": a.as_dict(), "run_b": b.as_dict(), "score_change": b.score - a.score,
        "new": rows(diff.new), "fixed": rows(diff.fixed), "changed": rows(diff.changed),
    }


def diff_renderable(a: RunRecord, b: RunRecord, diff: StatusDiff) -> Group:
    parts: list = [Text(
        f"Run {a.id} ({a.recorded_at:%Y-%m-%d %H:%M}) -> run {b.id} ({b.recorded_at:%Y-%m-%d %H:%M}):"
        f" score {a.score} -> {b.score} ({b.score - a.score:+d}); {len(diff.new)} new, "
        f"{len(diff.fixed)} fixed, {len(diff.changed)} changed.", style="bold")]
    for title, items in (("New problems", diff.new), ("Fixed", diff.fixed),
                         ("Changed status", diff.changed)):
        if not items:
            continue
        table = Table(title=title, title_justify="left")
        for col in ("check", "asset", "before", "after"):
            table.add_column(col, overflow="fold")
        for (check, asset), then, now in first_rows(items, table, "--format json lists them all"):
            table.add_row(check, plain(asset), then.value if then else "-",
                          now.value if now else "pass or gone")
        parts.append(table)
    return Group(*parts)
