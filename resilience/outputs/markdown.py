"""The Markdown report: readable in a browser, a wiki or printed."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from resilience.durations import format_duration
from resilience.engine.report import Report
from resilience.outputs.interface import OutputFormat, RenderContext, TemplateFormatter
from resilience.outputs.view import by_service, headline, md_escape, worst_first


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment for Markdown templates: strict, with Markdown escaping."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("resilience", "data"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["duration"] = format_duration
    return env


class MarkdownFormatter(TemplateFormatter):
    format = OutputFormat.MARKDOWN
    extension = "md"
    cost = 4.0

    def template(self) -> jinja2.Template:
        return environment().get_template("report.md.j2")

    def variables(self, report: Report, context: RenderContext) -> dict[str, Any]:
        return dict(
            report=report,
            headline=headline(report),
            worst=worst_first(report.findings)[:15],
            services=by_service([f for f in report.findings if f.status != "pass"]),
            service_names={s.id: s.name for s in context.estate.services} if context.estate else {},
        )
