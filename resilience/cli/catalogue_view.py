"""Rendering of the check catalogue and the lessons for ``resilience checks`` and ``lessons``."""

from __future__ import annotations

import json

from rich.table import Table
from rich.text import Text

from resilience.cli.console import stdout
from resilience.cli.run import parse_enum
from resilience.errors import UsageError
from resilience.model import Domain

_FORMATS = ("table", "json")


def _check_format(fmt: str) -> str:
    value = fmt.strip().lower()
    if value not in _FORMATS:
        raise UsageError(f"--format: '{fmt}' is not one of {', '.join(_FORMATS)}")
    return value


def print_list(domain: str | None, fmt: str, provider: str | None = None,
               framework: str | None = None, lesson: str | None = None) -> None:
    from resilience.catalogue_doc import select_checks
    from resilience.engine.registry import load_catalogue

    fmt = _check_format(fmt)
    wanted = parse_enum(Domain, domain, "--domain") if domain else None
    checks = select_checks(load_catalogue(), domain=wanted, provider=provider,
                           framework=framework, lesson=lesson)
    if fmt == "json":
        print(json.dumps([m.model_dump(mode="json") for m in checks], indent=2))
        return
    table = Table(title=f"{len(checks)} checks")
    table.add_column("id", overflow="fold")
    for col in ("domain", "severity", "title"):
        table.add_column(col)
    for m in checks:
        table.add_row(m.id, m.domain.value, m.severity.value, Text(m.title))
    stdout().print(table)


def print_lessons(fmt: str, lesson: str | None = None) -> None:
    from resilience.catalogue_doc import lessons_with_checks

    fmt = _check_format(fmt)
    entries = lessons_with_checks()
    if lesson is not None:
        entries = [e for e in entries if e.lesson.id == lesson]
        if not entries:
            raise UsageError(f"unknown lesson '{lesson}'; `resilience lessons` lists them")
    if fmt == "json":
        print(json.dumps([e.model_dump(mode="json") for e in entries], indent=2))
        return
    out = stdout()
    if lesson is None:
        table = Table(title=f"{len(entries)} lessons")
        for col in ("id", "date", "incident", "checks"):
            table.add_column(col)
        for e in entries:
            table.add_row(e.lesson.id, e.lesson.date, Text(e.lesson.incident), str(len(e.checks)))
        out.print(table)
        return
    e = entries[0]
    out.print(Text(f"{e.lesson.id}: {e.lesson.incident} ({e.lesson.date})", style="bold"))
    out.print(Text(e.lesson.what_happened))
    out.print(Text("\nWhat it teaches", style="bold"))
    for item in e.lesson.teaches:
        out.print(Text(f"  - {item}"))
    out.print(Text("\nChecks that guard against it", style="bold"))
    out.print(Text("  " + (", ".join(e.checks) or "none yet")))
    out.print(Text("\nSources", style="bold"))
    for url in e.lesson.sources:
        out.print(Text(f"  {url}", style="dim"))


def print_check(check_id: str) -> None:
    from resilience.catalogue_doc import FRAMEWORK_LABELS
    from resilience.catalogues import lessons
    from resilience.engine.registry import load_catalogue

    meta = load_catalogue().get(check_id).meta
    known = lessons()
    out = stdout()
    out.print(Text(f"{meta.id}: {meta.title}", style="bold"))
    out.print(f"domain: {meta.domain.value}   severity: {meta.severity.value}   "
              f"needs: {', '.join(k.value for k in meta.needs)}   "
              f"applies to: {', '.join(h.value for h in meta.applies_to)}")
    out.print(Text("\nWhy it matters", style="bold"))
    out.print(Text(meta.rationale))
    out.print(Text("\nWhat to do", style="bold"))
    out.print(Text(meta.remediation))
    for hosting, step in meta.remediation_steps.items():
        out.print(Text(f"  {hosting.value}: {step}"))
    out.print(Text("\nLessons", style="bold"))
    for lid in meta.lessons:
        lesson = known[lid]
        out.print(Text(f"  {lid}: {lesson.incident} ({lesson.date})"))
        out.print(Text(f"    {lesson.sources[0]}", style="dim"))
    out.print(Text("\nFramework references", style="bold"))
    for key, refs in meta.frameworks.model_dump().items():
        if refs:
            out.print(f"  {FRAMEWORK_LABELS[key]}: {', '.join(refs)}")
