"""Hostile names, tags and descriptions stay inert in every format, through the real CLI.

tests/test_outputs.py covers ``<script>`` and ``onerror`` in each formatter; this module adds
Markdown links, table-breaking pipes, Rich markup, terminal escape sequences and very long
names, read from an on-prem file and rendered by ``check`` and ``inventory`` as users run them:
HTML has no live element or link, Markdown renders (by markdown-it) to no live link and keeps
its tables' shape, the terminal shows markup and escapes as text, XML is well-formed.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
import yaml

from tests.cli_helpers import run_cli
from tests.report_fixtures import IMG, SCRIPT
from tests.test_outputs import assert_html_inert, html_elements

pytestmark = pytest.mark.slow

LINK = "[click](javascript:alert(1))"
AUTOLINK = "<javascript:alert(1)>"
PIPES = "| pipe | breaking |"
RICH = "[bold red]rich markup[/]"
RICH_LINK = "[link=https://evil.example]clickme[/link]"
ANSI = "\x1b[31mred\x1b[0m\x1b]0;owned-title\x07\x1b[2J"
LONG = "L" * 5000
HOSTILE = (SCRIPT, IMG, LINK, AUTOLINK, PIPES, RICH, RICH_LINK, ANSI)


def _estate() -> dict:
    return {
        "organisation": {"name": f"Council {RICH} {PIPES}"},
        "trust_domains": [{"id": "corp.example", "name": f"CORP {SCRIPT} {ANSI}",
                           "kind": "ad-domain"}],
        "services": [
            {"id": "revenues", "name": f"Revenues {LINK} {PIPES}", "tier": 1,
             "owner": f"{RICH} {ANSI}", "description": f"{SCRIPT} {AUTOLINK}",
             "systems": ["rev-app", "rev-db", "long-one", "[x](javascript:alert(2))"]},
        ],
        "systems": [
            {"id": "rev-app", "name": f"{RICH} {ANSI}", "kind": "server",
             "identity_domain": "corp.example",
             "backups": [{"id": f"nightly-{RICH}"[:30].replace(" ", "-"), "frequency": "24h",
                          "retention": "35d", "trust_domain": "corp.example"}],
             "tags": {"note": f"{IMG} {LINK}", RICH: PIPES}},
            {"id": "rev-db", "name": f"{PIPES} {LINK} {RICH_LINK}", "kind": "database",
             "owner": ANSI},
            {"id": "long-one", "name": LONG, "kind": "server"},
            {"id": "[x](javascript:alert(2))", "name": f"{AUTOLINK} {IMG}", "kind": "server"},
        ],
    }


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("hostile")
    (work / "estate.yaml").write_text(yaml.safe_dump(_estate(), sort_keys=False))
    (work / "resilience.yaml").write_text("sources:\n  onprem: [estate.yaml]\n")
    env = {"COLUMNS": "20000"}  # no wrapping, so a string is found whole in the terminal text
    got: dict[str, str] = {}
    proc = run_cli("check", "--format", "json,sarif,junit,html,markdown", "--output", "out",
                   "--show-passes", "--no-history", cwd=work, env=env)
    assert proc.returncode == 0, proc.stderr
    for path in (work / "out").iterdir():
        got[path.suffix] = path.read_text(encoding="utf-8")
    simulate = ("simulate", "ransomware", "--directory", "corp.example")
    for label, args in {"table": ("check", "--show-passes", "--no-history"),
                        "inventory": ("inventory",), "simulate": simulate,
                        "simulate.md": (*simulate, "-f", "markdown"),
                        "playbook": ("playbook", "ransomware", "--directory", "corp.example",
                                     "-o", "playbooks")}.items():
        proc = run_cli(*args, cwd=work, env=env)
        assert proc.returncode == 0, proc.stderr
        got[label], got[f"{label} stderr"] = proc.stdout, proc.stderr
    for path in (work / "playbooks").rglob("*"):
        if path.suffix in (".md", ".html"):
            got[f"playbook{path.suffix}"] = path.read_text(encoding="utf-8")
    return got


@pytest.mark.parametrize("label", [".html", "playbook.html"])
def test_html_has_no_live_element_or_link(rendered, label):
    text = rendered[label]
    assert_html_inert(text, shows_hostile=False)
    parsed = html_elements(text)
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
    shown = "".join(parsed.text)
    if label == ".html":
        for hostile in (IMG, LINK, PIPES, RICH, RICH_LINK):
            assert hostile in shown  # shown to the reader, as text
    assert "\x1b" not in text and "\\x1b]0;owned-title" in shown


@pytest.mark.parametrize("label", [".md", "simulate.md", "playbook.md"])
def test_markdown_renders_to_no_live_link_and_keeps_table_shape(rendered, label):
    from markdown_it import MarkdownIt

    text = rendered[label]
    assert "\x1b" not in text
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(text)
    html = md.render(text)
    assert_html_inert(html, shows_hostile=False)
    for tag, attrs in html_elements(html).tags:
        assert not (tag == "a" and "javascript" in (attrs.get("href") or "").lower()), attrs
    for token in tokens:
        if token.type == "link_open":
            assert not str(token.attrGet("href")).lower().startswith("javascript")
    # every row of every table has as many cells as its header: pipes in names broke nothing
    widths: list[int] = []
    cells = 0
    for token in tokens:
        if token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            widths.append(cells)
        elif token.type == "thead_open":
            widths = []
        elif token.type == "table_close":
            assert len(set(widths)) == 1, widths
    assert "rich markup" in html


@pytest.mark.parametrize("label", ["table", "inventory", "simulate"])
def test_terminal_shows_markup_and_escapes_as_text(rendered, label):
    out = rendered[label] + rendered[f"{label} stderr"]
    assert "\x1b" not in out and "\x07" not in out  # NO_COLOR: any escape would be the estate's
    assert RICH in out or RICH.replace("[", "\\[") in out
    assert "clickme" not in out or RICH_LINK in out  # a Rich link tag is shown, not followed
    assert "\\x1b[31mred" in out and "\\x07" in out  # the escapes are shown, as text


def test_json_and_sarif_keep_hostile_text_as_data(rendered):
    report = json.loads(rendered[".json"])
    sarif = json.loads(rendered[".sarif"])
    for data in (report, sarif):
        strings = json.dumps(data, ensure_ascii=False)
        assert RICH in strings and LINK in strings
    names = {f["asset_id"]: f.get("asset_name") for f in report["findings"]}
    assert names["long-one"] == LONG  # a long name is kept whole, not cut to mislead
    for result in sarif["runs"][0]["results"]:
        assert "markdown" not in result["message"]


def test_xml_is_well_formed_and_inert(rendered):
    root = ET.fromstring(rendered[".xml"])
    assert not [e for e in root.iter() if e.tag in ("script", "img", "a")]
    text = "".join(root.itertext()) + " ".join(v for e in root.iter() for v in e.attrib.values())
    assert LINK in text and RICH in text
