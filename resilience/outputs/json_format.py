"""The JSON report: the stable machine contract (``schema_version`` 1)."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import TypeAdapter

from resilience.engine.interface import Finding
from resilience.engine.report import Report
from resilience.outputs.interface import Formatter, OutputFormat, RenderContext, with_newline
from resilience.outputs.jsonstream import Part, spliced


class JsonFormatter(Formatter):
    format = OutputFormat.JSON
    extension = "json"

    def render(self, report: Report, context: RenderContext) -> str:
        return b"".join(self.chunks(report, context)).decode("utf-8")

    def chunks(self, report: Report, context: RenderContext) -> Iterator[bytes]:
        """The same bytes as ``report.model_dump_json(indent=2)``, findings in batches."""
        for part in self.parts(report, context, 1):
            yield from part()

    def parts(self, report: Report, context: RenderContext, count: int) -> list[Part]:
        head = report.model_copy(update={"findings": []}).model_dump_json(indent=2).encode()
        adapter = TypeAdapter(list[Finding])
        return with_newline(spliced(head, "findings", 1, report.findings,
                                    lambda batch: adapter.dump_json(batch, indent=2), count))


def report_json_schema() -> dict:
    """The JSON Schema of the report, generated from the model."""
    return Report.model_json_schema(mode="serialization")
