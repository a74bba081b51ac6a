"""The lessons catalogue (real incidents) and the framework reference lists shipped with the tool."""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import Field, HttpUrl

from resilience.errors import InputError
from resilience.model.estate import Strict
from resilience.yamlfile import parse_yaml, validate_document


class Lesson(Strict):
    """One real incident and what it teaches, in our own words, with sources."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    incident: str
    date: str
    what_happened: str
    teaches: list[str] = Field(min_length=1)
    sources: list[HttpUrl] = Field(min_length=1)


class FrameworkControl(Strict):
    """One outcome, subcategory, safeguard or control of a framework."""

    id: str
    title: str


class Framework(Strict):
    id: str
    name: str
    controls: list[FrameworkControl]


class FrameworkCatalogue(Strict):
    frameworks: list[Framework]


def _load(name: str, model: type, what: str):
    text = resources.files("resilience.data").joinpath(name).read_text(encoding="utf-8")
    return validate_document(model, parse_yaml(text, f"<built-in {name}>"), what=what)


@cache
def lessons() -> dict[str, Lesson]:
    """All lessons by id: one file per lesson in ``resilience/data/lessons/<id>.yaml``."""
    folder = resources.files("resilience.data").joinpath("lessons")
    out: dict[str, Lesson] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        doc = parse_yaml(entry.read_text(encoding="utf-8"), f"<built-in lessons/{entry.name}>")
        lesson = validate_document(Lesson, doc, what="a lesson")
        if f"{lesson.id}.yaml" != entry.name:
            raise InputError(f"lesson id '{lesson.id}' must match its file name", path=doc.path)
        out[lesson.id] = lesson
    return out


@cache
def frameworks() -> dict[str, Framework]:
    """All frameworks by id (caf, nist_csf, cis, iso27001)."""
    cat = _load("frameworks.yaml", FrameworkCatalogue, "the framework catalogue")
    return {fw.id: fw for fw in cat.frameworks}


@cache
def framework_control_ids(framework_id: str) -> frozenset[str]:
    fw = frameworks().get(framework_id)
    return frozenset(c.id for c in fw.controls) if fw else frozenset()
