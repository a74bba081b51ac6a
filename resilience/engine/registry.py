"""Finds and validates checks: the built-in catalogue and any user folders of checks."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from pydantic import ValidationError

from resilience.catalogues import framework_control_ids, lessons
from resilience.engine.interface import Check
from resilience.errors import CheckError
from resilience.model import Domain

BUILTIN_PACKAGE = "resilience.checks"


@dataclass(frozen=True)
class Catalogue:
    """The checks available to a run, by id, in a stable order."""

    checks: dict[str, Check]

    def __iter__(self):
        return iter(self.checks.values())

    def __len__(self) -> int:
        return len(self.checks)

    def get(self, check_id: str) -> Check:
        try:
            return self.checks[check_id]
        except KeyError:
            raise CheckError(
                f"unknown check '{check_id}'; `resilience checks list` shows the catalogue"
            ) from None


def _check_class(module: ModuleType, where: str) -> type[Check]:
    found = [
        obj for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, Check) and obj is not Check
        and obj.__module__ == module.__name__
    ]
    if len(found) != 1:
        raise CheckError(f"{where}: a check module must define exactly one Check subclass")
    return found[0]


def validate_check(cls: type[Check], module_name: str, domain: str, where: str) -> Check:
    """Check the metadata against the module's location and the reference catalogues."""
    meta = getattr(cls, "meta", None)
    if meta is None:
        raise CheckError(f"{where}: the check class has no `meta`")
    try:
        meta = type(meta).model_validate(meta.model_dump())
    except ValidationError as exc:
        raise CheckError(f"{where}: invalid metadata: {exc.errors()[0]['msg']}") from None
    if meta.id != module_name:
        raise CheckError(f"{where}: check id '{meta.id}' must match its module name '{module_name}'")
    if meta.domain != Domain(domain):
        raise CheckError(f"{where}: check '{meta.id}' is in folder '{domain}' but says domain "
                         f"'{meta.domain.value}'")
    known = lessons()
    for lesson in meta.lessons:
        if lesson not in known:
            raise CheckError(f"{where}: check '{meta.id}' cites unknown lesson '{lesson}'")
    for fw, refs in meta.frameworks.model_dump().items():
        valid = framework_control_ids(fw)
        for ref in refs:
            if ref not in valid:
                raise CheckError(f"{where}: check '{meta.id}' cites unknown {fw} reference '{ref}'")
    if not any(meta.frameworks.model_dump().values()):
        raise CheckError(f"{where}: check '{meta.id}' has no framework references")
    return cls()


def _builtin_checks() -> list[Check]:
    package = importlib.import_module(BUILTIN_PACKAGE)
    out: list[Check] = []
    for domain in Domain:
        sub = importlib.import_module(f"{BUILTIN_PACKAGE}.{domain.value}")
        for info in sorted(pkgutil.iter_modules(sub.__path__), key=lambda i: i.name):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{sub.__name__}.{info.name}")
            where = f"{Path(package.__path__[0]).name}/{domain.value}/{info.name}.py"
            out.append(validate_check(_check_class(module, where), info.name, domain.value, where))
    return out


def _user_checks(folder: Path) -> list[Check]:
    if not folder.is_dir():
        raise CheckError(f"{folder}: checks folder not found")
    out: list[Check] = []
    for domain in Domain:
        for path in sorted((folder / domain.value).glob("*.py")):
            if path.name.startswith("_"):
                continue
            name = f"resilience_user_checks.{domain.value}.{path.stem}"
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None:
                raise CheckError(f"{path}: cannot load")
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
            except Exception as exc:  # a user's module may fail in any way; say where
                raise CheckError(f"{path}: failed to import: {exc}") from None
            out.append(validate_check(_check_class(module, str(path)), path.stem, domain.value,
                                      str(path)))
    return out


def load_catalogue(extra_folders: tuple[Path, ...] = ()) -> Catalogue:
    """The built-in checks plus those in ``extra_folders`` (``<folder>/<domain>/<id>.py``)."""
    checks: dict[str, Check] = {}
    for check in _builtin_checks() + [c for f in extra_folders for c in _user_checks(f)]:
        if check.meta.id in checks:
            raise CheckError(f"duplicate check id '{check.meta.id}'")
        checks[check.meta.id] = check
    return Catalogue(checks)
