"""The catalogue as data and as a document: checks, the lessons behind them, framework coverage.

``python -m resilience.catalogue_doc > docs/catalogue.md`` regenerates the published document.
"""

from __future__ import annotations

from pydantic import Field

from resilience.catalogues import Lesson, frameworks, lessons
from resilience.engine.interface import CheckMeta
from resilience.engine.registry import Catalogue, load_catalogue
from resilience.errors import UsageError
from resilience.model import Domain
from resilience.model.estate import Strict

FRAMEWORK_LABELS = {"caf": "NCSC CAF 4.0", "nist_csf": "NIST CSF 2.0", "cis": "CIS Controls v8",
                    "iso27001": "ISO/IEC 27001:2022"}


class LessonEntry(Strict):
    """A lesson with the checks in the catalogue that guard against it."""

    lesson: Lesson
    checks: list[str] = Field(default_factory=list)


def lessons_with_checks(catalogue: Catalogue | None = None) -> list[LessonEntry]:
    """Every lesson, with the ids of the checks that cite it (sorted by lesson date, then id)."""
    catalogue = catalogue or load_catalogue()
    cited: dict[str, list[str]] = {}
    for check in catalogue:
        for lid in check.meta.lessons:
            cited.setdefault(lid, []).append(check.meta.id)
    return [LessonEntry(lesson=lesson, checks=sorted(cited.get(lesson.id, [])))
            for lesson in sorted(lessons().values(), key=lambda item: (item.date, item.id))]


def select_checks(catalogue: Catalogue, *, domain: Domain | None = None,
                  provider: str | None = None, framework: str | None = None,
                  lesson: str | None = None) -> list[CheckMeta]:
    """Checks matching every given filter.

    ``framework`` is a framework id (``caf``, ``nist-csf``, ...) or ``id:control`` such as
    ``cis:5.3``; ``provider`` a hosting (``onprem``, ``aws``, ``azure``, ``saas``).
    """
    from resilience.frameworks_view import framework_id
    from resilience.model import Hosting

    hosting = None
    if provider is not None:
        try:
            hosting = Hosting(provider.strip().lower())
        except ValueError:
            choices = ", ".join(h.value for h in Hosting)
            raise UsageError(f"--provider: '{provider}' is not one of {choices}") from None
    fid = control = None
    if framework is not None:
        name, _, control = framework.partition(":")
        fid = framework_id(name)
        control = control.strip() or None
        known_controls = {c.id for c in frameworks()[fid].controls}
        if control is not None and control not in known_controls:
            raise UsageError(f"--framework: '{control}' is not a {fid} control in the catalogue")
    if lesson is not None and lesson not in lessons():
        raise UsageError(f"--lesson: unknown lesson '{lesson}'; `resilience lessons` lists them")
    out = []
    for check in catalogue:
        m = check.meta
        refs = getattr(m.frameworks, fid) if fid else None
        if ((domain is None or m.domain == domain)
                and (hosting is None or hosting in m.applies_to)
                and (fid is None or (control in refs if control else bool(refs)))
                and (lesson is None or lesson in m.lessons)):
            out.append(m)
    return out


def _cell(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|").replace("\n", " "))


def _check_section(meta: CheckMeta, known: dict[str, Lesson]) -> list[str]:
    lines = [
        f"### `{meta.id}`: {_cell(meta.title)}",
        "",
        f"- **Domain:** {meta.domain.value}; **severity:** {meta.severity.value}",
        f"- **Needs:** {', '.join(k.value for k in meta.needs)}; "
        f"**applies to:** {', '.join(h.value for h in meta.applies_to)}",
        "",
        f"**Why it matters.** {_cell(meta.rationale)}",
        "",
        f"**What to do.** {_cell(meta.remediation)}",
        "",
    ]
    for hosting, step in meta.remediation_steps.items():
        lines.append(f"- *{hosting.value}:* {_cell(step)}")
    if meta.remediation_steps:
        lines.append("")
    lessons_text = ", ".join(f"[{known[lid].incident}](#lesson-{lid})" for lid in meta.lessons)
    lines += [f"**Lessons:** {lessons_text}", ""]
    refs = [f"{FRAMEWORK_LABELS[fw]} {', '.join(ids)}"
            for fw, ids in meta.frameworks.model_dump().items() if ids]
    lines += [f"**Frameworks:** {'; '.join(refs)}", ""]
    return lines


def catalogue_markdown(catalogue: Catalogue | None = None) -> str:
    """The whole catalogue as a Markdown document (deterministic: no dates, stable order)."""
    catalogue = catalogue or load_catalogue()
    metas = [c.meta for c in catalogue]
    known = lessons()
    lines = [
        "# Check catalogue",
        "",
        "Generated from the built-in checks, lessons and framework references by "
        "`python -m resilience.catalogue_doc > docs/catalogue.md`; do not edit by hand.",
        "",
        f"{len(metas)} checks, {len(known)} lessons.",
        "",
    ]
    for domain in Domain:
        in_domain = [m for m in metas if m.domain == domain]
        lines += [f"## {domain.value.capitalize()} checks ({len(in_domain)})", "",
                  "| Check | Severity | Title |", "|---|---|---|"]
        lines += [f"| [`{m.id}`](#{m.id}) | {m.severity.value} | {_cell(m.title)} |"
                  for m in in_domain]
        lines.append("")
        for m in in_domain:
            lines += [f'<a id="{m.id}"></a>', ""] + _check_section(m, known)
    lines += ["## Lessons", ""]
    for entry in lessons_with_checks(catalogue):
        lesson = entry.lesson
        lines += [f'<a id="lesson-{lesson.id}"></a>', "",
                  f"### {_cell(lesson.incident)} ({lesson.date})", "",
                  _cell(lesson.what_happened), "", "What it teaches:", ""]
        lines += [f"- {_cell(t)}" for t in lesson.teaches]
        checks = ", ".join(f"[`{c}`](#{c})" for c in entry.checks) or "none yet"
        lines += ["", f"Checks that guard against it: {checks}", "", "Sources:", ""]
        lines += [f"- <{url}>" for url in lesson.sources]
        lines.append("")
    lines += ["## Framework coverage", ""]
    for fid, fw in frameworks().items():
        lines += [f"### {fw.name}", "", "| Control | Title | Checks |", "|---|---|---|"]
        for control in fw.controls:
            ids = [m.id for m in metas if control.id in getattr(m.frameworks, fid)]
            cell = ", ".join(f"[`{i}`](#{i})" for i in ids) or "none"
            lines.append(f"| {_cell(control.id)} | {_cell(control.title)} | {cell} |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> None:
    """Print the catalogue document to standard output."""
    import sys

    sys.stdout.write(catalogue_markdown())


if __name__ == "__main__":
    main()
