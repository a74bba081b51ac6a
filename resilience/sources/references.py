"""Cross-reference validation: every id an estate names must exist (errors give file and line)."""

from __future__ import annotations

from resilience.errors import InputError
from resilience.model import Estate


def _fail(item, message: str) -> None:
    where = getattr(item, "declared_at", None)
    raise InputError(message, path=where.file if where else None, line=where.line if where else None)


def check_references(estate: Estate) -> None:
    """Raise InputError on the first reference to an id that nobody declared."""
    systems = estate.system_by_id
    services = estate.service_by_id
    suppliers = estate.supplier_by_id
    domains = estate.trust_domain_by_id
    for svc in estate.services:
        for sid in svc.systems:
            if sid not in systems:
                _fail(svc, f"service '{svc.id}' lists system '{sid}', which is not declared")
        for dep in svc.depends_on:
            if dep not in services:
                _fail(svc, f"service '{svc.id}' depends on service '{dep}', which is not declared")
        for sup in svc.suppliers:
            if sup not in suppliers:
                _fail(svc, f"service '{svc.id}' names supplier '{sup}', which is not declared")
    for system in estate.systems:
        for dep in system.depends_on:
            if dep not in systems:
                _fail(system, f"system '{system.id}' depends on '{dep}', which is not declared")
        if system.supplier and system.supplier not in suppliers:
            _fail(system, f"system '{system.id}' names supplier '{system.supplier}', which is not "
                          "declared")
        if system.identity_domain and domains and system.identity_domain not in domains:
            _fail(system, f"system '{system.id}' is joined to '{system.identity_domain}', which is "
                          "not a declared trust domain")
    for b in estate.backups:
        if b.system not in systems:
            _fail(b, f"backup '{b.id}' is for system '{b.system}', which is not declared")
        # A mistyped trust domain would make a copy look isolated from its system's
        # credentials (a false pass), so names written in files must match a declared one.
        if (b.declared_at and b.trust_domain and domains
                and b.trust_domain not in domains):
            _fail(b, f"backup '{b.id}' names trust domain '{b.trust_domain}', which is not "
                     "declared under trust_domains")
    for plan in estate.plans:
        for sid in plan.covers:
            if sid not in services:
                _fail(plan, f"plan '{plan.id}' covers service '{sid}', which is not declared")
    for sup in estate.suppliers:
        for pid in sup.provides:
            if pid not in services and pid not in systems:
                _fail(sup, f"supplier '{sup.id}' provides '{pid}', which is neither a declared "
                           "service nor a system")
