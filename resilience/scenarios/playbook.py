"""Recovery playbooks: the simulation and the scenario's words, rendered as Markdown and as
self-contained HTML for printing and keeping offline."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources

import jinja2
from markupsafe import Markup, escape
from pydantic import Field

from resilience.catalogues import Lesson, lessons
from resilience.config import Config, Regulator
from resilience.durations import format_duration
from resilience.errors import InputError
from resilience.model import Estate
from resilience.model.estate import Strict
from resilience.outputs.view import finalize_printable, md_escape
from resilience.scenarios.interface import (
    CopyOutcome,
    PlaybookStep,
    Recovery,
    Scenario,
    ServiceStatus,
    Simulation,
)
from resilience.scenarios.timeline import clock
from resilience.yamlfile import parse_yaml, validate_document

_REF = re.compile(r"\$([a-z][a-z0-9_]*)")
UNASSIGNED = "Not assigned: name someone now"


class Role(Strict):
    id: str
    title: str
    does: str
    plan_kind: str | None = Field(None, description="Plan whose owner fills the role by default.")


class Audience(Strict):
    who: str
    what: str
    lessons: list[str] = Field(min_length=1)


class DecisionEntry(Strict):
    text: str
    attack_only: bool = False


class CommonText(Strict):
    """``playbooks/common.yaml``: the steps every playbook carries."""

    roles: list[Role]
    first_hours: list[PlaybookStep]
    out_of_band: list[PlaybookStep]
    isolate: list[PlaybookStep]
    do_not: list[PlaybookStep]
    verify_before_reconnect: list[PlaybookStep]
    restore: list[PlaybookStep]
    audiences: list[Audience]
    decision_log: list[DecisionEntry]
    return_to_normal: list[PlaybookStep]


class ReportingDefaults(Strict):
    """``playbooks/reporting.yaml``: default reporting duties per jurisdiction."""

    jurisdictions: dict[str, list[Regulator]]


def _builtin(name: str):
    return resources.files("resilience.playbooks").joinpath(name).read_text(encoding="utf-8")


@cache
def common_text() -> CommonText:
    doc = parse_yaml(_builtin("common.yaml"), "<built-in playbooks/common.yaml>")
    return validate_document(CommonText, doc, what="the shared playbook text")


@cache
def reporting_defaults() -> ReportingDefaults:
    doc = parse_yaml(_builtin("reporting.yaml"), "<built-in playbooks/reporting.yaml>")
    return validate_document(ReportingDefaults, doc, what="reporting defaults by jurisdiction")


def regulators_for(config: Config, jurisdiction: str) -> tuple[list[Regulator], str | None]:
    """The configured reporting duties, else the jurisdiction's defaults, with a warning when
    neither exists (an empty list would read as 'nobody to tell')."""
    if config.playbook.regulators is not None:
        return config.playbook.regulators, None
    defaults = reporting_defaults().jurisdictions
    if jurisdiction in defaults:
        return defaults[jurisdiction], None
    return [], (f"No reporting duties are configured for jurisdiction '{jurisdiction}'. Add them "
                "under playbook.regulators in resilience.yaml; until then, find out who you must "
                "tell and by when before you need to.")


SECTIONS = ("first_hours", "out_of_band", "isolate", "do_not", "restore",
            "verify_before_reconnect", "communications", "return_to_normal")


def section_steps(scenario: Scenario, section: str) -> list[PlaybookStep]:
    """The scenario's own steps for a section, then the shared ones; steps about an attacker
    are left out of scenarios without one."""
    own = getattr(scenario.playbook, section, [])
    shared = getattr(common_text(), section, [])
    return [s for s in [*own, *shared] if scenario.attack or not s.attack_only]


def cited_lessons(scenario: Scenario, regulators: list[Regulator]) -> list[str]:
    """Every lesson id the playbook cites, in first-cited order."""
    common = common_text()
    ids: list[str] = list(scenario.lessons)
    for section in SECTIONS:
        for step in section_steps(scenario, section):
            ids.extend(step.lessons)
    for a in common.audiences:
        ids.extend(a.lessons)
    for r in regulators:
        ids.extend(r.lessons)
    seen: dict[str, None] = {}
    for i in ids:
        seen.setdefault(i, None)
    return list(seen)


@dataclass
class PlaybookView:
    """Everything the templates read; built once, rendered twice."""

    scenario: Scenario
    sim: Simulation
    prepared: str
    params: dict[str, str]
    roles: list[dict[str, str]]
    common: CommonText
    regulators: list[Regulator]
    lessons: list[Lesson]
    warnings: list[str] = field(default_factory=list)
    service_names: dict[str, str] = field(default_factory=dict)

    def names(self, service_ids: list[str]) -> list[str]:
        return [self.service_names.get(s, s) for s in service_ids]

    def steps(self, section: str) -> list[PlaybookStep]:
        return section_steps(self.scenario, section)

    @property
    def decisions(self) -> list[str]:
        return [d.text for d in self.common.decision_log
                if self.scenario.attack or not d.attack_only]

    @property
    def down(self):
        return [s for s in self.sim.services if s.status is not ServiceStatus.RUNNING]

    @property
    def running(self):
        return [s for s in self.sim.services if s.status is ServiceStatus.RUNNING]

    @property
    def reentry(self):
        return [s for s in self.down if s.fallback]


def _roles(estate: Estate, config: Config) -> list[dict[str, str]]:
    out = []
    for role in common_text().roles:
        contact = config.playbook.contacts.get(role.id)
        if contact is not None:
            name, phone, alt = contact.name, contact.phone or "", contact.alternate or ""
            source = "resilience.yaml"
        else:
            owners = [p.owner for p in estate.plans if role.plan_kind and p.kind == role.plan_kind
                      and p.owner]
            name = owners[0] if owners else UNASSIGNED
            phone, alt = "", ""
            source = f"owner of the {role.plan_kind} plan" if owners else ""
        out.append({"title": role.title, "does": role.does, "name": name, "phone": phone,
                    "alternate": alt, "source": source})
    for role_id, contact in sorted(config.playbook.contacts.items()):
        if role_id not in {r.id for r in common_text().roles}:
            out.append({"title": role_id.replace("-", " ").capitalize(), "does": "",
                        "name": contact.name, "phone": contact.phone or "",
                        "alternate": contact.alternate or "", "source": "resilience.yaml"})
    return out


def build_view(estate: Estate, scenario: Scenario, sim: Simulation, config: Config,
               prepared: datetime) -> PlaybookView:
    """Assemble the playbook's content from the estate, the scenario and the simulation."""
    jurisdiction = estate.organisation.jurisdiction or config.organisation.jurisdiction
    regulators, warning = regulators_for(config, jurisdiction)
    regulators = [r for r in regulators if scenario.attack or not r.attack_only]
    known = lessons()
    ids = cited_lessons(scenario, regulators)
    missing = [i for i in ids if i not in known]
    if missing:
        raise InputError(f"the playbook cites unknown lesson(s): {', '.join(missing)}; lessons are "
                         "listed in resilience/data/lessons/")
    params = dict(sim.parameters)
    params["organisation"] = sim.organisation
    return PlaybookView(
        scenario=scenario, sim=sim, prepared=prepared.strftime("%Y-%m-%d %H:%M UTC"),
        params=params, roles=_roles(estate, config), common=common_text(),
        regulators=regulators, lessons=[known[i] for i in ids],
        warnings=([warning] if warning else []) + list(sim.warnings),
        service_names={s.id: s.name for s in estate.services},
    )


# ---- rendering -------------------------------------------------------------------------------


def _fill_md(text: str, params: dict[str, str]) -> str:
    """Scenario text may use Markdown emphasis but never raw HTML (a user's scenario file could
    carry it); parameter values come from the estate and are escaped in full."""
    text = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _REF.sub(lambda m: md_escape(params[m.group(1)]) if m.group(1) in params
                    else m.group(0), text)


def _fill_html(text: str, params: dict[str, str]) -> Markup:
    parts = []
    last = 0
    text = " ".join(text.split())
    for m in _REF.finditer(text):
        parts.append(escape(text[last:m.start()]))
        value = params.get(m.group(1))
        parts.append(Markup("<code>{}</code>").format(value) if value is not None
                     else escape(m.group(0)))
        last = m.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def _load_template(name: str) -> str:
    return _builtin(name)


def _status_words(status: ServiceStatus) -> str:
    return {
        ServiceStatus.RUNNING: "running",
        ServiceStatus.DOWN_RECOVERABLE: "down, recoverable",
        ServiceStatus.DOWN_WAITING: "down, waiting on provider",
        ServiceStatus.DOWN_UNRECOVERABLE: "down, NO viable restore path",
    }[status]


def _action_words(action: Recovery) -> str:
    return {
        Recovery.RESTORE: "Restore from a surviving copy",
        Recovery.REBUILD: "Rebuild from scratch (no copy to restore from)",
        Recovery.AFTER_DEPENDENCIES: "Bring back online once what it needs is back",
    }.get(action, action.value)


def _deadline(value) -> str:
    """Reporting deadlines read as people say them: "72 hours", not "3d"."""
    hours = value.total_seconds() / 3600
    if hours <= 96 and hours == int(hours):
        return f"{int(hours)} hours"
    return format_duration(value)


def _common_filters(env: jinja2.Environment) -> None:
    env.filters["duration"] = format_duration
    env.filters["deadline"] = _deadline
    env.filters["clock"] = clock
    env.filters["status_words"] = _status_words
    env.filters["action_words"] = _action_words


@cache
def environment(kind: str) -> jinja2.Environment:
    """Strict Jinja2 environments: Markdown (escaping by filter) and HTML (autoescape)."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load_template),
        undefined=jinja2.StrictUndefined,
        autoescape=kind == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=finalize_printable if kind == "html" else None,
    )
    _common_filters(env)
    if kind == "md":
        env.filters["md"] = md_escape
        env.filters["fill"] = _fill_md
    else:
        env.filters["fill"] = _fill_html
    return env


def render_markdown(view: PlaybookView) -> str:
    return environment("md").get_template("playbook.md.j2").render(v=view)


def render_html(view: PlaybookView) -> str:
    return environment("html").get_template("playbook.html.j2").render(v=view)


# Backup copies the simulation's Markdown lists at most: a 100,000-system estate has over
# 126,000, which made 87% of a 16 MB summary. The JSON lists every one.
COPIES_SHOWN = 2000


@dataclass
class CopyListing:
    """The copies a summary lists (lost ones first when not all fit), and what is left out."""

    rows: list[tuple[str, CopyOutcome]]  # (system name, copy)
    total: int
    lost: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def copy_listing(sim: Simulation, limit: int | None = None) -> CopyListing:
    """Every copy, in the simulation's order, or when there are more than ``limit``
    (``COPIES_SHOWN``), the lost ones first and then the surviving ones, up to ``limit``."""
    limit = COPIES_SHOWN if limit is None else limit
    rows = [(s.name, c) for s in sim.systems for c in s.copies]
    lost = [r for r in rows if not r[1].survives]
    if len(rows) > limit:
        shown = lost[:limit] + [r for r in rows if r[1].survives][:max(0, limit - len(lost))]
        return CopyListing(shown, len(rows), len(lost))
    return CopyListing(rows, len(rows), len(lost))


def render_simulation_markdown(sim: Simulation) -> str:
    """A short Markdown summary of a simulation (``resilience simulate --format markdown``)."""
    return environment("md").get_template("simulation.md.j2").render(sim=sim,
                                                                     copies=copy_listing(sim))
