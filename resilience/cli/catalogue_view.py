"""Rendering of the check catalogue for ``resilience checks``."""

from __future__ import annotations

import json

from rich.table import Table
from rich.text import Text

from resilience.cli.console import stdout
from resilience.cli.run import parse_enum
from resilience.errors import UsageError
from resilience.model import Domain


def print_list(domain: str | None, fmt: str) -> None:
    from resilience.engine.registry import load_catalogue

    catalogue = load_catalogue()
    wanted = parse_enum(Domain, domain, "--domain") if domain else None
    checks = [c.meta for c in catalogue if wanted is None or c.meta.domain == wanted]
    if fmt == "json":
        print(json.dumps([m.model_dump(mode="json") for m in checks], indent=2))
        return
    if fmt != "table":
        raise UsageError(f"--format: '{fmt}' is not one of table, json")
    table = Table(title=f"{len(checks)} checks")
    for col in ("id", "domain", "severity", "title"):
        table.add_column(col)
    for m in checks:
        table.add_row(m.id, m.domain.value, m.severity.value, Text(m.title))
    stdout().print(table)


def print_check(check_id: str) -> None:
    from resilience.catalogues import lessons
    from resilience.engine.registry import load_catalogue

    meta = load_catalogue().get(check_id).meta
    known = lessons()
    out = stdout()
    out.print(Text(f"{meta.id}: {meta.title}", style="bold"))
    out.print(f"domain: {meta.domain.value}   severity: {meta.severity.value}   "
              f"needs: {', '.join(k.value for k in meta.needs)}")
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
    names = {"caf": "NCSC CAF 4.0", "nist_csf": "NIST CSF 2.0", "cis": "CIS Controls v8",
             "iso27001": "ISO/IEC 27001:2022"}
    for key, refs in meta.frameworks.model_dump().items():
        if refs:
            out.print(f"  {names[key]}: {', '.join(refs)}")
