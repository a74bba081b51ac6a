"""The on-premises source: one or more human-edited YAML estate files kept in git."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from resilience.errors import InputError
from resilience.model import (
    Account,
    BackupCopy,
    DataKind,
    Estate,
    Hosting,
    Organisation,
    Plan,
    Provider,
    Service,
    SourceRef,
    SourceRun,
    Supplier,
    System,
    TrustDomain,
)
from resilience.model.estate import Strict
from resilience.model.timeutil import utcnow
from resilience.sources.interface import Progress, Source
from resilience.yamlfile import YamlDocument, load_yaml, validation_error

FILE_VERSION = 1


class BackupEntry(BackupCopy):
    """A backup copy written under its system: ``system`` is implied."""

    system: str = ""


class SystemEntry(System):
    """A system as written in the estate file: backups may be nested under it."""

    hosting: Hosting = Hosting.ONPREM  # on-prem files default to onprem
    backups: list[BackupEntry] = Field(default_factory=list)


class EstateFile(Strict):
    """The on-prem estate file format (``resilience schema estate`` prints its JSON Schema)."""

    version: int = Field(FILE_VERSION, description="File format version.")
    organisation: Organisation | None = None
    services: list[Service] | None = None
    systems: list[SystemEntry] | None = None
    backups: list[BackupCopy] | None = None
    accounts: list[Account] | None = None
    trust_domains: list[TrustDomain] | None = None
    plans: list[Plan] | None = None
    suppliers: list[Supplier] | None = None


_SECTION_KINDS = {
    "services": [DataKind.SERVICES],
    "systems": [DataKind.SYSTEMS],
    "backups": [DataKind.BACKUPS],
    "accounts": [DataKind.ACCOUNTS],
    "trust_domains": [DataKind.IDENTITY_SETTINGS],
    "plans": [DataKind.PLANS],
    "suppliers": [DataKind.SUPPLIERS],
}


def parse_estate_document(doc: YamlDocument) -> Estate:
    """Validate one estate document and return it as a partial Estate with source locations."""
    if doc.data is None:
        raise InputError("the file is empty; expected an estate (services, systems, backups, ...)",
                         path=doc.path)
    if not isinstance(doc.data, dict):
        raise InputError("expected an estate file: a mapping with services, systems, backups, ...",
                         path=doc.path, line=1)
    try:
        parsed = EstateFile.model_validate(doc.data)
    except ValidationError as exc:
        raise validation_error(exc, doc) from None
    if parsed.version != FILE_VERSION:
        raise InputError(f"estate file version {parsed.version} is not supported (expected "
                         f"{FILE_VERSION})", path=doc.path, line=doc.line_of(("version",)))

    def ref(*loc: Any) -> SourceRef:
        return SourceRef(file=doc.path, line=doc.line_of(loc))

    systems: list[System] = []
    backups: list[BackupCopy] = []
    for i, entry in enumerate(parsed.systems or []):
        data = entry.model_dump(exclude={"backups"})
        data["declared_at"] = ref("systems", i)
        try:
            systems.append(System.model_validate(data))
        except ValidationError as exc:
            raise validation_error(exc, doc, prefix=("systems", i)) from None
        for j, b in enumerate(entry.backups):
            if b.system and b.system != entry.id:
                raise InputError(
                    f"backup '{b.id}' is nested under system '{entry.id}' but names system "
                    f"'{b.system}'", path=doc.path, line=doc.line_of(("systems", i, "backups", j)))
            backups.append(b.model_copy(update={"system": entry.id,
                                                "declared_at": ref("systems", i, "backups", j)}))
    for j, b in enumerate(parsed.backups or []):
        backups.append(b.model_copy(update={"declared_at": ref("backups", j)}))

    def located(section: str) -> list:
        return [item.model_copy(update={"declared_at": ref(section, i)})
                for i, item in enumerate(getattr(parsed, section) or [])]

    provided = sorted({k for section, kinds in _SECTION_KINDS.items() for k in kinds
                       if getattr(parsed, section) is not None
                       or (section == "backups" and parsed.systems is not None)})
    return Estate(
        organisation=parsed.organisation or Organisation(),
        collected_at=utcnow(),
        sources=[SourceRun(provider=Provider.ONPREM, scope=doc.path, collected_at=utcnow(),
                           kinds=provided)],
        services=located("services"),
        systems=systems,
        backups=backups,
        accounts=located("accounts"),
        trust_domains=located("trust_domains"),
        plans=located("plans"),
        suppliers=located("suppliers"),
    )


class OnPremSource(Source):
    """Reads on-prem estate YAML files."""

    provider = Provider.ONPREM

    def __init__(self, paths: list[Path]):
        self.paths = paths

    def collect(self, progress: Progress) -> Estate:
        from resilience.sources.merge import merge

        task = progress.task("on-prem estate files", total=len(self.paths))
        parts = []
        for path in self.paths:
            parts.append(parse_estate_document(load_yaml(path)))
            progress.advance(task)
        return merge(parts)
