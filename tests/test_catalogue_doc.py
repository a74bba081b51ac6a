"""The generated catalogue document is current, and the lesson index matches the checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilience.catalogue_doc import catalogue_markdown, lessons_with_checks, select_checks
from resilience.catalogues import lessons
from resilience.engine.registry import load_catalogue
from resilience.errors import UsageError
from resilience.model import Domain, Hosting

DOC = Path(__file__).resolve().parent.parent / "docs" / "catalogue.md"
CATALOGUE = load_catalogue()


def test_docs_catalogue_is_current():
    assert DOC.exists() and DOC.read_text(encoding="utf-8") == catalogue_markdown(CATALOGUE), (
        "docs/catalogue.md is out of date; regenerate it with: "
        "python -m resilience.catalogue_doc > docs/catalogue.md")


def test_document_names_every_check_and_lesson():
    text = catalogue_markdown(CATALOGUE)
    for check in CATALOGUE:
        assert f'<a id="{check.meta.id}"></a>' in text
    for lid in lessons():
        assert f'<a id="lesson-{lid}"></a>' in text


def test_lesson_index_lists_exactly_the_checks_that_cite_each_lesson():
    entries = {e.lesson.id: set(e.checks) for e in lessons_with_checks(CATALOGUE)}
    assert set(entries) == set(lessons())
    for check in CATALOGUE:
        for lid in check.meta.lessons:
            assert check.meta.id in entries[lid]
    for lid, ids in entries.items():
        for cid in ids:
            assert lid in CATALOGUE.get(cid).meta.lessons


def test_select_checks_filters_combine():
    ids = {m.id for m in select_checks(CATALOGUE, domain=Domain.CONTINUITY, provider="aws",
                                       framework="nist-csf:PR.IR-03")}
    assert "continuity_zone_redundancy" in ids
    assert all(i.startswith("continuity_") for i in ids)
    assert all(Hosting.AWS in CATALOGUE.get(i).meta.applies_to for i in ids)
    onprem = {m.id for m in select_checks(CATALOGUE, provider="onprem")}
    assert "continuity_zone_redundancy" not in onprem
    sepa = {m.id for m in select_checks(CATALOGUE, lesson="sepa-2020")}
    assert "continuity_plan_offline" in sepa and "identity_root_mfa" not in sepa
    cis = select_checks(CATALOGUE, framework="cis")
    assert cis and all(m.frameworks.cis for m in cis)


@pytest.mark.parametrize("kwargs,needle", [
    ({"provider": "moon"}, "--provider"),
    ({"framework": "cobit"}, "--framework"),
    ({"framework": "cis:99.9"}, "99.9"),
    ({"lesson": "nowhere-1999"}, "nowhere-1999"),
])
def test_select_checks_rejects_unknown_values(kwargs, needle):
    with pytest.raises(UsageError, match=needle.replace(".", r"\.")):
        select_checks(CATALOGUE, **kwargs)
