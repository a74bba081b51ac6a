"""Every output format: the registry is exhaustive, each renders the same report, hostile text is inert."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from resilience.errors import UsageError
from resilience.outputs.interface import (
    FORMATTERS,
    OutputFormat,
    RenderContext,
    formatter,
    parse_formats,
)
from resilience.outputs.view import md_escape
from resilience.outputs.write import output_paths, write_report
from tests.report_fixtures import ARN, HOSTILE, IMG, SCRIPT, real_report, synthetic_report


def test_every_format_has_a_formatter():
    assert set(FORMATTERS) == set(OutputFormat)
    extensions = set()
    for fmt in OutputFormat:
        impl = formatter(fmt)
        assert impl.format == fmt
        assert impl.extension and impl.extension not in extensions
        extensions.add(impl.extension)


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_format_renders_the_same_report(fmt):
    report, estate = real_report()
    text = formatter(fmt).render(report, RenderContext(estate=estate))
    assert text.strip()
    assert "backup_system_has_copy" in text
    failing = [f for f in report.findings
               if f.status == "fail" and f.check_id == "backup_system_has_copy"]
    assert failing
    for f in failing:  # each failing backup is in every format, in some spelling
        spellings = {f.asset_id, f.asset_name or f.asset_id}
        spellings |= {html.escape(x, quote=False) for x in spellings} | {
            md_escape(x) for x in spellings}
        assert any(x in text for x in spellings), (fmt, f.asset_id)
    synthetic = formatter(fmt).render(synthetic_report(), RenderContext())
    assert "identity_example" in synthetic and "svc-backup" in synthetic


def test_parse_formats():
    assert parse_formats("json, SARIF,html,json") == [OutputFormat.JSON, OutputFormat.SARIF,
                                                      OutputFormat.HTML]
    with pytest.raises(UsageError, match="junit"):
        parse_formats("jnuit")


def test_output_paths(tmp_path):
    assert output_paths([OutputFormat.JSON], None) == {OutputFormat.JSON: None}
    assert output_paths([OutputFormat.HTML], tmp_path) == {
        OutputFormat.HTML: tmp_path / "resilience-report.html"}
    both = output_paths([OutputFormat.SARIF, OutputFormat.JUNIT], tmp_path / "out")
    assert both[OutputFormat.JUNIT].name == "resilience-report.junit.xml"
    with pytest.raises(UsageError, match="--output"):
        output_paths([OutputFormat.SARIF, OutputFormat.JUNIT], None)
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="folder"):
        output_paths([OutputFormat.SARIF, OutputFormat.JUNIT], tmp_path / "file")


def test_writes_are_atomic_and_complete(tmp_path):
    report, estate = real_report()
    fmts = list(OutputFormat)
    paths = output_paths(fmts, tmp_path / "out")
    written = write_report(report, paths, RenderContext(estate=estate))
    assert sorted(p.name for p in written) == sorted(p.name for p in paths.values())
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def html_elements(text: str) -> _Elements:
    parser = _Elements()
    parser.feed(text)
    parser.close()
    return parser


def assert_html_inert(text: str, *, shows_hostile: bool = True) -> None:
    """No script, no injected element, no event handler; the hostile strings shown as text."""
    parsed = html_elements(text)
    tags = {t for t, _ in parsed.tags}
    assert "script" not in tags and "img" not in tags and "iframe" not in tags
    for tag, attrs in parsed.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
    if shows_hostile:
        shown = "".join(parsed.text)
        for hostile in HOSTILE:
            assert hostile in shown


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_hostile_names_are_inert(fmt):
    report, estate = real_report()
    text = formatter(fmt).render(report, RenderContext(estate=estate))
    if fmt == OutputFormat.HTML:
        assert_html_inert(text)
    elif fmt == OutputFormat.MARKDOWN:
        assert "<script" not in text and "<img" not in text
        assert "&lt;script&gt;" in text
    elif fmt in (OutputFormat.JSON, OutputFormat.SARIF):
        data = json.loads(text)
        strings = json.dumps(data, ensure_ascii=False)
        assert SCRIPT in strings  # kept verbatim as data, and only as JSON strings
        if fmt == OutputFormat.SARIF:
            for result in data["runs"][0]["results"]:
                assert "markdown" not in result["message"]  # estate text is never Markdown
    elif fmt == OutputFormat.JUNIT:
        root = ET.fromstring(text)
        assert not [e for e in root.iter() if e.tag in ("script", "img")]
        names = [case.get("name") for case in root.iter("testcase")]
        assert any(SCRIPT in (n or "") for n in names)
        assert "<script>" not in text and '"><img' not in text
    else:
        assert SCRIPT in text or IMG in text or ARN in text


def test_written_reports_get_normal_permissions(tmp_path):
    import os
    import stat

    from resilience.atomic import write_text_atomic

    umask = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "new.html", "x")
        assert stat.S_IMODE((tmp_path / "new.html").stat().st_mode) == 0o644
        existing = tmp_path / "kept.html"
        existing.write_text("old")
        existing.chmod(0o600)
        write_text_atomic(existing, "new")
        assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    finally:
        os.umask(umask)


def _items_one_per_line(text: bytes, key: str, items: list) -> None:
    """``key``'s list holds each item compact on a line of its own, in order."""
    lines = text.decode().split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == f'"{key}": [')
    found = lines[start + 1:start + 1 + len(items)]
    assert [json.loads(line.strip().removesuffix(",")) for line in found] == items
    assert lines[start + 1 + len(items)].strip().startswith("]")


def test_streamed_json_and_sarif_equal_the_whole_document(monkeypatch):
    """Large reports are written in batches, an item per line; the document must be the
    same as one encoding of the whole."""
    from pydantic_core import to_json

    from resilience.outputs import jsonstream
    from resilience.outputs.sarif import sarif_document

    monkeypatch.setattr(jsonstream, "BATCH", 7)  # many batches, and a short last one
    report, estate = real_report(include_passes=True)
    context = RenderContext(estate=estate)
    assert len(report.findings) > 20
    for cuts in ((), (0.5,), (0.3, 0.7), (0.9,), (0.05,)):
        pieces = formatter(OutputFormat.JSON).parts(report, context, cuts)
        assert len(pieces) == len(cuts) + 1  # each piece holds at least a batch here
        json_bytes = b"".join(b"".join(p()) for p in pieces)
        assert json_bytes.endswith(b"}\n")
        assert json.loads(json_bytes) == json.loads(report.model_dump_json())
        _items_one_per_line(json_bytes, "findings", report.model_dump(mode="json")["findings"])
    assert len(formatter(OutputFormat.JSON).parts(report, context, (0.001,))) == 1  # too small
    sarif_bytes = b"".join(formatter(OutputFormat.SARIF).chunks(report, context))
    whole = json.loads(to_json(sarif_document(report, context)))
    assert json.loads(sarif_bytes) == whole
    _items_one_per_line(sarif_bytes, "results", whole["runs"][0]["results"])
    empty = report.model_copy(update={"findings": []})
    assert b"".join(formatter(OutputFormat.JSON).chunks(empty, context)) == (
        empty.model_dump_json(indent=2) + "\n").encode()


def test_items_with_different_first_keys_still_get_a_line_each():
    from pydantic_core import to_json

    from resilience.outputs.jsonstream import one_per_line

    for items in ([{"a": '},{"a":1'}, {"b": 2}, {"a": {"a": 3}}, {"a": "x\\"}],  # one by one
                  [{"a": '},{"a":1'}, {"a": "x\\"}, {"a": {"a": 3}}, {"a": '"},{"a":"'}]):
        body = one_per_line(items, to_json, b",\n")
        lines = body.decode().split("\n")
        assert [json.loads(line.removesuffix(",")) for line in lines] == items


def test_a_failing_format_leaves_no_file_at_all(tmp_path, monkeypatch):
    from resilience.outputs.sarif import SarifFormatter

    report, estate = real_report()
    paths = output_paths([OutputFormat.JSON, OutputFormat.SARIF], tmp_path / "out")

    def broken_part():
        yield b"{"
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(SarifFormatter, "parts", lambda self, report, context, count: [broken_part])
    with pytest.raises(RuntimeError):
        write_report(report, paths, RenderContext(estate=estate))
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("fmt", [OutputFormat.HTML, OutputFormat.MARKDOWN])
def test_template_formats_written_as_generated_equal_the_whole_render(fmt):
    """HTML and Markdown are written piece by piece as the template generates them; the
    document must be the same as the template rendered at once (hostile names included)."""
    report, estate = real_report()
    context = RenderContext(estate=estate)
    renderer = formatter(fmt)
    whole = renderer.template().render(**renderer.variables(report, context)).encode()
    small = list(renderer._generate(report, context, size=500))
    assert len(small) > 3 and b"".join(small) == whole
    assert b"".join(renderer.chunks(report, context)) == whole
    assert renderer.render(report, context).encode() == whole


def test_the_table_written_part_by_part_equals_the_whole_layout():
    import io

    from rich.console import Console, Group

    from resilience.outputs.table import report_parts

    report, estate = real_report(include_passes=True)
    context = RenderContext(estate=estate)
    buffer = io.StringIO()
    Console(file=buffer, width=140, no_color=True, force_terminal=False).print(
        Group(*report_parts(report, context)))
    assert formatter(OutputFormat.TABLE).render(report, context) == buffer.getvalue()
