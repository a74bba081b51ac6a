"""Rich tables of an estate for ``resilience inventory``."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from resilience.durations import format_duration
from resilience.model import Estate
from resilience.outputs.view import plain


def _yn(value: bool | None) -> Text:
    if value is None:
        return Text("unknown", style="magenta")
    return Text("yes", style="green") if value else Text("no", style="red")


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else "never/unknown"


# Rows a table shows at most: a large estate has hundreds of thousands of systems, which take
# minutes to lay out and nobody reads on a screen (the snapshot holds them all).
ROWS = 1000


def _first(items: list, table: Table, limit: int | None) -> list:
    """The items a table shows, with a caption when some are left out."""
    if limit is None or len(items) <= limit:
        return items
    table.caption = (f"The first {limit:,} of {len(items):,}; a snapshot (--output FILE) "
                     "holds them all.")
    table.caption_justify = "left"
    return items[:limit]


def estate_tables(estate: Estate, limit: int | None = ROWS) -> Group:
    """Services, systems, backups, accounts and gaps as tables (untrusted text as plain Text),
    each showing at most ``limit`` rows."""
    c = estate.summary()
    services = Table(title=f"Services ({c['services']})", title_justify="left")
    for col in ("id", "name", "tier", "owner", "systems", "manual fallback"):
        services.add_column(col, overflow="fold")
    for s in _first(estate.services, services, limit):
        services.add_row(plain(s.id), plain(s.name), str(s.tier or "-"), plain(s.owner or "-"),
                         str(len(s.systems)), _yn(s.manual_fallback is not None))
    systems = Table(title=f"Systems ({c['systems']})", title_justify="left")
    for col in ("id", "name", "kind", "hosting", "site", "tier", "backups"):
        systems.add_column(col, overflow="fold")
    for s in _first(estate.systems, systems, limit):
        systems.add_row(plain(s.id), plain(s.name), s.kind.value, s.hosting.value,
                        plain(s.site or s.region or "-"), str(estate.system_tier(s) or "-"),
                        str(len(estate.backups_by_system.get(s.id, []))))
    backups = Table(title=f"Backup copies ({c['backups']})", title_justify="left")
    for col in ("id", "system", "every", "kept", "immutable", "offline", "offsite",
                "deletable by", "last restore test"):
        backups.add_column(col, overflow="fold")
    for b in _first(estate.backups, backups, limit):
        backups.add_row(plain(b.id), plain(b.system), format_duration(b.frequency),
                        format_duration(b.retention), _yn(b.immutable), _yn(b.offline),
                        _yn(b.offsite), plain(b.trust_domain or "unknown"),
                        _date(b.last_restore_test))
    accounts = Table(title=f"Accounts ({c['accounts']})", title_justify="left")
    for col in ("id", "source", "kind", "privileged", "MFA", "enabled", "last used"):
        accounts.add_column(col, overflow="fold")
    for a in _first(estate.accounts, accounts, limit):
        accounts.add_row(plain(a.id), a.source.value, a.kind.value, _yn(a.privileged), _yn(a.mfa),
                         _yn(a.enabled), _date(a.last_used))
    parts = [services, systems, backups, accounts]
    if estate.gaps:
        gaps = Table(title=f"Collection gaps ({c['gaps']})", title_justify="left")
        for col in ("source", "scope", "data", "reason"):
            gaps.add_column(col, overflow="fold")
        for g in _first(estate.gaps, gaps, limit):
            gaps.add_row(g.source.value, plain(g.scope), ", ".join(g.kinds), plain(g.reason))
        parts.append(gaps)
    return Group(*parts)
