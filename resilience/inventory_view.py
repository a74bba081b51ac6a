"""Rich tables of an estate for ``resilience inventory``."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from resilience.durations import format_duration
from resilience.model import Estate
from resilience.outputs.view import TABLE_ROWS, first_rows, plain

_SNAPSHOT = "a snapshot (--output FILE) holds them all"


def _yn(value: bool | None) -> Text:
    if value is None:
        return Text("unknown", style="magenta")
    return Text("yes", style="green") if value else Text("no", style="red")


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else "never/unknown"


def estate_tables(estate: Estate, limit: int | None = TABLE_ROWS) -> Group:
    """Services, systems, backups, accounts and gaps as tables (untrusted text as plain Text),
    each showing at most ``limit`` rows."""
    c = estate.summary()
    services = Table(title=f"Services ({c['services']})", title_justify="left")
    for col in ("id", "name", "tier", "owner", "systems", "manual fallback"):
        services.add_column(col, overflow="fold")
    for s in first_rows(estate.services, services, _SNAPSHOT, limit):
        services.add_row(plain(s.id), plain(s.name), str(s.tier or "-"), plain(s.owner or "-"),
                         str(len(s.systems)), _yn(s.manual_fallback is not None))
    systems = Table(title=f"Systems ({c['systems']})", title_justify="left")
    for col in ("id", "name", "kind", "hosting", "site", "tier", "backups"):
        systems.add_column(col, overflow="fold")
    for s in first_rows(estate.systems, systems, _SNAPSHOT, limit):
        systems.add_row(plain(s.id), plain(s.name), s.kind.value, s.hosting.value,
                        plain(s.site or s.region or "-"), str(estate.system_tier(s) or "-"),
                        str(len(estate.backups_by_system.get(s.id, []))))
    backups = Table(title=f"Backup copies ({c['backups']})", title_justify="left")
    for col in ("id", "system", "every", "kept", "immutable", "offline", "offsite",
                "deletable by", "last restore test"):
        backups.add_column(col, overflow="fold")
    for b in first_rows(estate.backups, backups, _SNAPSHOT, limit):
        backups.add_row(plain(b.id), plain(b.system), format_duration(b.frequency),
                        format_duration(b.retention), _yn(b.immutable), _yn(b.offline),
                        _yn(b.offsite), plain(b.trust_domain or "unknown"),
                        _date(b.last_restore_test))
    accounts = Table(title=f"Accounts ({c['accounts']})", title_justify="left")
    for col in ("id", "source", "kind", "privileged", "MFA", "enabled", "last used"):
        accounts.add_column(col, overflow="fold")
    for a in first_rows(estate.accounts, accounts, _SNAPSHOT, limit):
        accounts.add_row(plain(a.id), a.source.value, a.kind.value, _yn(a.privileged), _yn(a.mfa),
                         _yn(a.enabled), _date(a.last_used))
    parts = [services, systems, backups, accounts]
    if estate.gaps:
        gaps = Table(title=f"Collection gaps ({c['gaps']})", title_justify="left")
        for col in ("source", "scope", "data", "reason"):
            gaps.add_column(col, overflow="fold")
        for g in first_rows(estate.gaps, gaps, _SNAPSHOT, limit):
            gaps.add_row(g.source.value, plain(g.scope), ", ".join(g.kinds), plain(g.reason))
        parts.append(gaps)
    return Group(*parts)
