"""Merge partial estates from several sources into one, and check cross-references."""

from __future__ import annotations

from collections.abc import Iterable

from resilience.errors import InputError
from resilience.model import Estate, Organisation, Service
from resilience.model.timeutil import utcnow

_LISTS = ("services", "systems", "backups", "accounts", "trust_domains", "plans", "suppliers")


def merge(parts: Iterable[Estate], organisation: Organisation | None = None) -> Estate:
    """Combine partial estates. Ids must be unique per list; systems that name a service they
    belong to (from cloud tags) are attached to it, creating the service if nobody declared it."""
    parts = list(parts)
    data: dict[str, list] = {name: [] for name in _LISTS}
    seen: dict[str, dict[str, object]] = {name: {} for name in _LISTS}
    sources, gaps = [], []
    for part in parts:
        sources.extend(part.sources)
        gaps.extend(part.gaps)
        for name in _LISTS:
            for item in getattr(part, name):
                prior = seen[name].get(item.id)
                if prior is not None:
                    where = getattr(item, "declared_at", None)
                    raise InputError(
                        f"{name[:-1].replace('_', ' ')} id '{item.id}' is declared twice",
                        path=where.file if where else None, line=where.line if where else None,
                    )
                seen[name][item.id] = item
                data[name].append(item)
    services = {s.id: s for s in data["services"]}
    for system in data["systems"]:
        for sid in system.services:
            svc = services.get(sid)
            if svc is None:
                svc = Service(id=sid, name=sid, systems=[system.id])
                services[sid] = svc
                data["services"].append(svc)
            elif system.id not in svc.systems:
                svc.systems.append(system.id)
    org = organisation or next((p.organisation for p in parts), Organisation())
    return Estate(
        organisation=org,
        collected_at=utcnow(),
        sources=sources,
        gaps=gaps,
        **data,
    )
