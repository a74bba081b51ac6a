"""The simulation's Markdown summary stays short on a large estate, and whole on a small one."""

from __future__ import annotations

import re

from resilience.scenarios import playbook
from resilience.scenarios.playbook import copy_listing, render_simulation_markdown
from tests.scenarios.util import fixture_estate, run


def _copy_rows(text: str) -> list[str]:
    part = text[text.index("## Backup copies"):]
    part = part[:part.index("\n## ") if "\n## " in part else len(part)]
    return re.findall(r"^\| (?!Copy \||---).*$", part, re.M)


def test_a_small_estate_lists_every_copy_in_order():
    sim = run(fixture_estate(), "ransomware")
    copies = [c.id for s in sim.systems for c in s.copies]
    listing = copy_listing(sim)
    assert [c.id for _, c in listing.rows] == copies and listing.more == 0
    text = render_simulation_markdown(sim)
    assert len(_copy_rows(text)) == len(copies) and "lists every one" not in text


def test_when_not_all_fit_the_lost_copies_come_first(monkeypatch):
    sim = run(fixture_estate(), "ransomware")
    rows = [(s.name, c) for s in sim.systems for c in s.copies]
    lost = [c.id for _, c in rows if not c.survives]
    kept = [c.id for _, c in rows if c.survives]
    assert lost and kept
    limit = len(lost) + 1
    listing = copy_listing(sim, limit)
    assert [c.id for _, c in listing.rows] == lost + kept[:1]
    assert (listing.total, listing.lost, listing.more) == (len(rows), len(lost), len(rows) - limit)
    assert [c.id for _, c in copy_listing(sim, 1).rows] == lost[:1]

    monkeypatch.setattr(playbook, "COPIES_SHOWN", limit)
    text = render_simulation_markdown(sim)
    assert len(_copy_rows(text)) == limit
    assert (f"{len(kept)} of {len(rows)} copies survive. The first {limit} are listed, lost "
            "ones first; `--format json` lists every one.") in text
