"""The Markdown report: readable in a browser, a wiki or printed."""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

import jinja2

from resilience.durations import format_duration
from resilience.engine.report import Report
from resilience.outputs.interface import OutputFormat, RenderContext, TemplateFormatter
from resilience.outputs.view import (
    count,
    headline,
    md_escape,
    service_listing,
    service_views,
    worst_first,
)


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
    env.globals["count"] = count
    return env


class MarkdownFormatter(TemplateFormatter):
    format = OutputFormat.MARKDOWN
    extension = "md"
    cost = 0.8

    def template(self) -> jinja2.Template:
        return environment().get_template("report.md.j2")

    def variables(self, report: Report, context: RenderContext) -> dict[str, Any]:
        return dict(
            report=report,
            headline=headline(report),
            worst=worst_first(report.findings, 15),
            # Only the services with problems (passes are not listed here), each with all of
            # its problems as long as the whole stays within view.SERVICE_PROBLEMS_SHOWN.
            services=service_listing([v for v in service_views(report, context.estate)
                                      if v.problems], per_service=sys.maxsize),
        )
