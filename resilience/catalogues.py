"""The lessons catalogue (real incidents) and the framework reference lists shipped with the tool."""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import Field, HttpUrl

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


class LessonCatalogue(Strict):
    lessons: list[Lesson]


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
    """All lessons by id."""
    cat = _load("lessons.yaml", LessonCatalogue, "the lessons catalogue")
    return {lesson.id: lesson for lesson in cat.lessons}


@cache
def frameworks() -> dict[str, Framework]:
    """All frameworks by id (caf, nist_csf, cis, iso27001)."""
    cat = _load("frameworks.yaml", FrameworkCatalogue, "the framework catalogue")
    return {fw.id: fw for fw in cat.frameworks}


@cache
def framework_control_ids(framework_id: str) -> frozenset[str]:
    fw = frameworks().get(framework_id)
    return frozenset(c.id for c in fw.controls) if fw else frozenset()
