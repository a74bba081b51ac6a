"""Find, read and validate scenario files, and resolve their parameters against an estate."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from resilience.catalogues import lessons
from resilience.errors import InputError, UsageError
from resilience.model import Estate, Hosting
from resilience.scenarios.interface import Parameter, ParameterKind, Scenario, ScenarioError
from resilience.yamlfile import YamlDocument, load_yaml, parse_yaml, validate_document

SCENARIO_FILE = "scenario.yaml"
_REF = re.compile(r"\$([a-z][a-z0-9_]*)")
_WHAT = "a scenario (id, title, summary, lessons, parameters, systems, backups, playbook)"


def _validate_references(scenario: Scenario, doc: YamlDocument) -> None:
    """Every cited lesson exists and every ``$name`` names a declared parameter."""
    known = lessons()

    def fail(message: str, *loc: Any) -> None:
        raise InputError(message, path=doc.path, line=doc.line_of(loc))

    for i, lesson in enumerate(scenario.lessons):
        if lesson not in known:
            fail(f"lessons[{i}]: unknown lesson '{lesson}'", "lessons", i)
    for section, steps in scenario.playbook:
        if not isinstance(steps, list):
            continue
        for i, step in enumerate(steps):
            for j, lesson in enumerate(step.lessons):
                if lesson not in known:
                    fail(f"playbook.{section}[{i}].lessons[{j}]: unknown lesson '{lesson}'",
                         "playbook", section, i, "lessons", j)
    for kind in ("systems", "backups", "services"):
        for i, rule in enumerate(getattr(scenario, kind)):
            for field, value in rule.when.items():
                for v in value if isinstance(value, list) else [value]:
                    for name in _REF.findall(v):
                        if name not in scenario.parameters:
                            declared = ", ".join(scenario.parameters) or "none"
                            fail(f"{kind}[{i}].when.{field}: '${name}' is not one of the "
                                 f"scenario's parameters ({declared})",
                                 kind, i, "when", str(field))


def scenario_from_document(doc: YamlDocument) -> Scenario:
    """Validate one parsed scenario document (errors name file, line and field)."""
    scenario = validate_document(Scenario, doc, what=_WHAT)
    _validate_references(scenario, doc)
    return scenario.model_copy(update={"source": doc.path})


def load_scenario_file(path: Path | str) -> Scenario:
    """Read one scenario YAML file."""
    return scenario_from_document(load_yaml(path))


def load_scenario_folder(folder: Path) -> list[Scenario]:
    """Every scenario in a folder: ``*.yaml`` files and ``*/scenario.yaml``."""
    if not folder.is_dir():
        raise InputError("scenario folder not found", path=str(folder))
    paths = sorted(folder.glob("*.yaml")) + sorted(folder.glob(f"*/{SCENARIO_FILE}"))
    if not paths:
        raise InputError("no scenario files (*.yaml or */scenario.yaml) in this folder",
                         path=str(folder))
    return [load_scenario_file(p) for p in paths]


@cache
def builtin_scenarios() -> dict[str, Scenario]:
    """The scenarios shipped in the top-level ``playbooks/`` folder, by id."""
    root = resources.files("resilience.playbooks")
    out: dict[str, Scenario] = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.is_dir() or entry.name.startswith(("_", ".")):
            continue
        file = entry.joinpath(SCENARIO_FILE)
        if not file.is_file():
            continue
        doc = parse_yaml(file.read_text(encoding="utf-8"), f"<built-in playbooks/{entry.name}/"
                         f"{SCENARIO_FILE}>")
        scenario = scenario_from_document(doc)
        if scenario.id != entry.name:
            raise ScenarioError(f"{doc.path}: scenario id '{scenario.id}' must match its folder")
        out[scenario.id] = scenario
    return out


def available_scenarios(extra: Path | None = None) -> dict[str, Scenario]:
    """Built-in scenarios plus those in a user file or folder (a user id may not shadow one)."""
    found = dict(builtin_scenarios())
    if extra is None:
        return found
    users = load_scenario_folder(extra) if extra.is_dir() else [load_scenario_file(extra)]
    for scenario in users:
        if scenario.id in found:
            owner = "a built-in scenario" if scenario.id in builtin_scenarios() else "another file"
            raise InputError(f"scenario id '{scenario.id}' is already used by {owner}; choose "
                             "another id", path=scenario.source)
        found[scenario.id] = scenario
    return found


def choose_scenario(scenario_id: str | None, extra: Path | None = None) -> Scenario:
    """The scenario to run: by id, or the only one in ``extra`` when no id is given."""
    found = available_scenarios(extra)
    if scenario_id is None:
        if extra is not None:
            users = [s for s in found.values() if s.id not in builtin_scenarios()]
            if len(users) == 1:
                return users[0]
        raise UsageError(f"name a scenario: {', '.join(sorted(found))}")
    if scenario_id not in found:
        raise UsageError(f"unknown scenario '{scenario_id}'; choose from {', '.join(sorted(found))}"
                         " or pass --scenario-file")
    return found[scenario_id]


# ---- parameters ------------------------------------------------------------------------------

_CLOUD = (Hosting.AWS, Hosting.AZURE)
# The value of a parameter the estate offers nothing for. It contains spaces, so it can never
# equal an id, a site or a region, and the scenario's rules then match nothing.
NOTHING = "(none in this estate)"


def _most_common(values: list[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def known_values(kind: ParameterKind, estate: Estate) -> set[str]:
    """Every value of this kind the estate mentions."""
    if kind in (ParameterKind.TRUST_DOMAIN, ParameterKind.DIRECTORY):
        return ({t.id for t in estate.trust_domains} | {s.identity_domain for s in estate.systems}
                | {b.trust_domain for b in estate.backups}
                | {a.trust_domain for a in estate.accounts}) - {None}
    if kind is ParameterKind.SITE:
        return ({s.site for s in estate.systems} | {s.failover_site for s in estate.systems}
                | {b.site for b in estate.backups}) - {None}
    if kind is ParameterKind.REGION:
        return ({s.region for s in estate.systems} | {b.region for b in estate.backups}) - {None}
    if kind is ParameterKind.CLOUD_ACCOUNT:
        return ({s.account for s in estate.systems if s.hosting in _CLOUD}
                | {b.account for b in estate.backups}) - {None}
    return {s.id for s in estate.suppliers} | ({s.supplier for s in estate.systems} - {None})


def default_value(kind: ParameterKind, estate: Estate) -> str | None:
    """The sensible default: the estate's most used directory, site, region, account, supplier."""
    systems = estate.systems
    if kind in (ParameterKind.TRUST_DOMAIN, ParameterKind.DIRECTORY):
        return (_most_common([s.identity_domain for s in systems if s.hosting is Hosting.ONPREM])
                or _most_common([s.identity_domain for s in systems]))
    if kind is ParameterKind.SITE:
        return (_most_common([s.site for s in systems if s.hosting is Hosting.ONPREM])
                or _most_common([s.site for s in systems]))
    if kind is ParameterKind.REGION:
        return _most_common([s.region for s in systems if s.hosting in _CLOUD])
    if kind is ParameterKind.CLOUD_ACCOUNT:
        return _most_common([s.account for s in systems if s.hosting in _CLOUD])
    # The supplier that runs the most critical business services: named by the service, by
    # one of its systems, or in the supplier's own list of services.
    score: Counter[str] = Counter()
    for svc in estate.services:
        names = set(svc.suppliers)
        for sid in svc.systems:
            system = estate.system_by_id.get(sid)
            if system is not None and system.supplier:
                names.add(system.supplier)
        names |= {sup.id for sup in estate.suppliers if svc.id in sup.provides}
        for name in names:
            score[name] += 10 - (svc.tier or 9)
    if score:
        return sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return (_most_common([s.supplier for s in estate.systems])
            or _most_common([s.id for s in estate.suppliers if s.provides]))


def resolve_parameters(scenario: Scenario, estate: Estate,
                       given: dict[str, str] | None = None) -> dict[str, str]:
    """Each parameter's value: given on the command line, the scenario's default, or the
    estate's most used one. Values must exist in the estate, so a typo is not a silent no-op."""
    given = dict(given or {})
    unknown = sorted(set(given) - set(scenario.parameters))
    if unknown:
        takes = ", ".join(scenario.parameters) or "no parameters"
        raise UsageError(f"scenario '{scenario.id}' has no parameter '{unknown[0]}'; "
                         f"it takes {takes}")
    out: dict[str, str] = {}
    for name, param in scenario.parameters.items():
        out[name] = _resolve_one(scenario, name, param, estate, given.get(name))
    return out


def _resolve_one(scenario: Scenario, name: str, param: Parameter, estate: Estate,
                 value: str | None) -> str:
    known = known_values(param.kind, estate)
    if value is not None:
        if value not in known:
            shown = ", ".join(sorted(known)[:12]) or "none"
            raise UsageError(f"--param {name}={value}: the estate has no {param.kind.value} "
                             f"'{value}'; known: {shown}")
        return value
    if param.default is not None:
        return param.default
    chosen = default_value(param.kind, estate)
    return NOTHING if chosen is None else chosen


def parameter_warnings(scenario: Scenario, params: dict[str, str]) -> list[str]:
    """Say so when a parameter found nothing to point at: the scenario then reaches nothing."""
    return [f"The estate names no {scenario.parameters[name].kind.value} for '{name}', so nothing "
            f"is in this scenario's reach. Pass --param {name}=VALUE to choose one."
            for name, value in params.items() if value == NOTHING]


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``["site=dc1", "region=eu-west-2"]`` -> dict, with a clear error for a malformed pair."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UsageError(f"--param '{pair}': write it as name=value, e.g. --param site=dc1")
        out[key.strip()] = value.strip()
    return out


def substitute(text: str, params: dict[str, str]) -> str:
    """Replace ``$name`` in a rule value with the parameter's value."""
    return _REF.sub(lambda m: params.get(m.group(1), m.group(0)), text)
