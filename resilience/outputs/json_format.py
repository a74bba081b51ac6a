"""The JSON report: the stable machine contract (``schema_version`` 1)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import TypeAdapter

from resilience.engine.interface import Finding
from resilience.engine.report import Report
from resilience.outputs.interface import (
    OutputFormat,
    RenderContext,
    StreamedFormatter,
    with_newline,
)
from resilience.outputs.jsonstream import Part, spliced


class JsonFormatter(StreamedFormatter):
    format = OutputFormat.JSON
    extension = "json"
    divisible = True

    def parts(self, report: Report, context: RenderContext,
              cuts: Sequence[float] = ()) -> list[Part]:
        """The report indented, each finding compact on a line of its own, in batches."""
        head = report.model_copy(update={"findings": []}).model_dump_json(indent=2).encode()
        adapter = TypeAdapter(list[Finding])
        return with_newline(spliced(head, "findings", 1, report.findings,
                                    adapter.dump_json, cuts))


def report_json_schema() -> dict:
    """The JSON Schema of the report, generated from the model."""
    return Report.model_json_schema(mode="serialization")
