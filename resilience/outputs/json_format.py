"""The JSON report: the stable machine contract (``schema_version`` 1)."""

from __future__ import annotations

from resilience.engine.report import Report
from resilience.outputs.interface import Formatter, OutputFormat, RenderContext


class JsonFormatter(Formatter):
    format = OutputFormat.JSON
    extension = "json"

    def render(self, report: Report, context: RenderContext) -> str:
        return report.model_dump_json(indent=2) + "\n"


def report_json_schema() -> dict:
    """The JSON Schema of the report, generated from the model."""
    return Report.model_json_schema(mode="serialization")
