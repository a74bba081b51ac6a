"""Merge partial estates from several sources into one, and check cross-references."""

from __future__ import annotations

from collections.abc import Iterable

from resilience.errors import InputError
from resilience.model import Estate, Organisation, Service, TrustDomain
from resilience.model.estate import ASSET_LISTS as _LISTS
from resilience.model.timeutil import utcnow


def merge(parts: Iterable[Estate], organisation: Organisation | None = None) -> Estate:
    """Combine partial estates. Ids must be unique per list, except that a trust domain seen by
    two sources is combined; systems that name a service they belong to (from cloud tags) are
    attached to it, creating the service if nobody declared it."""
    parts = list(parts)
    data: dict[str, list] = {name: [] for name in _LISTS}
    seen: dict[str, dict[str, object]] = {name: {} for name in _LISTS}
    from_part: dict[str, int] = {}
    sources, gaps = [], []
    for index, part in enumerate(parts):
        sources.extend(part.sources)
        gaps.extend(part.gaps)
        for name in _LISTS:
            for item in getattr(part, name):
                prior = seen[name].get(item.id)
                if (prior is not None and name == "trust_domains"
                        and from_part[item.id] != index):
                    combined = _combine_trust_domains(prior, item)
                    seen[name][item.id] = combined
                    data[name][data[name].index(prior)] = combined
                    continue
                if prior is not None:
                    where = getattr(item, "declared_at", None)
                    raise InputError(
                        f"{name[:-1].replace('_', ' ')} id '{item.id}' is declared twice",
                        path=where.file if where else None, line=where.line if where else None,
                    )
                seen[name][item.id] = item
                data[name].append(item)
                if name == "trust_domains":
                    from_part[item.id] = index
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
    named = [p.organisation for p in parts if "name" in p.organisation.model_fields_set]
    org = organisation or next(iter(named), Organisation())
    return Estate(
        organisation=org,
        collected_at=utcnow(),
        sources=sources,
        gaps=gaps,
        **data,
    )


def _combine_trust_domains(first: TrustDomain, second: TrustDomain) -> TrustDomain:
    """One directory described by two sources (e.g. an AD export and the estate file that adds
    its password policy): fields known to one are kept; fields both know must agree. A name
    that is just the id (all an export knows) gives way to a written one."""
    merged = first.model_dump()
    other = second.model_dump()
    for key, value in other.items():
        if key == "declared_at" or value is None:
            continue
        mine = merged.get(key)
        if key == "name" and value != mine:
            if mine == first.id:
                merged[key] = value
                continue
            if value == second.id:
                continue
        if mine is None:
            merged[key] = value
        elif mine != value:
            where = second.declared_at or first.declared_at
            raise InputError(
                f"trust domain '{first.id}' is declared twice with different {key} "
                f"({mine!r} and {value!r})",
                path=where.file if where else None, line=where.line if where else None)
    if first.declared_at is None or (first.name == first.id and second.name != second.id):
        merged["declared_at"] = other["declared_at"] or merged["declared_at"]
    return TrustDomain.model_validate(merged)
