"""The Active Directory source: CSV exports of ``Get-ADUser`` (and privileged group members).

Export the users on a domain-joined machine with the ActiveDirectory module, for example::

    Get-ADUser -Filter * -Properties SamAccountName,UserPrincipalName,Name,DisplayName,Enabled,
        LastLogonDate,lastLogonTimestamp,PasswordLastSet,PasswordNeverExpires,MemberOf,
        whenCreated,Description,adminCount,Manager,ServicePrincipalNames |
      Select-Object SamAccountName,UserPrincipalName,Name,DisplayName,Enabled,LastLogonDate,
        lastLogonTimestamp,PasswordLastSet,PasswordNeverExpires,whenCreated,Description,
        adminCount,DistinguishedName,
        @{n='Manager';e={$_.Manager}},
        @{n='MemberOf';e={$_.MemberOf -join ';'}},
        @{n='ServicePrincipalNames';e={$_.ServicePrincipalNames -join ';'}} |
      Export-Csv ad-users.csv -NoTypeInformation -Encoding UTF8

What is read, and how:

- Required columns: ``SamAccountName``; ``Enabled`` or ``userAccountControl``; and at least
  one of ``LastLogonDate``, ``lastLogonTimestamp`` or ``lastLogon``. Headers are matched
  without regard to case or order; every other column is ignored and never copied into the
  estate (so password hashes, SIDs and anything secret-like in an export stay out of it).
- Files may start with PowerShell's ``#TYPE`` line, carry a UTF-8 or UTF-16 byte-order mark,
  or be in the Windows ANSI code page; ``-UseCulture`` exports separated by ``;`` or tabs work.
- Dates may be ISO 8601, ``10/14/2020 09:12:33`` (US), ``14/10/2020 09:12`` (UK),
  ``14.10.2020 09:12:33``, or Windows FILETIME integers (``lastLogonTimestamp``,
  ``pwdLastSet``). Whether ``03/04/2020`` is March or April is decided once per file from
  the dates that can only be read one way (or from an AM/PM suffix, which only US-style
  exports write); when every date is ambiguous, set ``date_order`` on the export in
  ``resilience.yaml``. Dates without a zone are taken as UTC. A FILETIME of 0 means
  "never": ``last_used`` is then unknown (``None``) and ``created`` says how old the account is.
- ``MemberOf`` holds distinguished names separated by ``;``, ``|`` or new lines (``-join``),
  or plain group names. PowerShell's placeholder ``Microsoft.ADPropertyValueCollection``
  (MemberOf exported without ``-join``) is refused unless ``group_members`` supplies the
  memberships. MemberOf lists direct memberships only; nested membership of a privileged group
  shows up through ``adminCount`` or a recursive ``group_members`` export.
- **privileged**: a member of one of the export's ``privileged_groups`` (by group name,
  ignoring case), or ``adminCount`` = 1 (which AD sets for members of protected groups and
  leaves set after removal: such orphans keep hardened ACLs and deserve review anyway).
  Unknown (``None``) when neither memberships nor ``adminCount`` were exported.
- **kind**, first rule that matches: an optional ``Kind`` column (human, service,
  break-glass, supplier, root); *root* for the built-in domain Administrator (named
  ``Administrator``, or still carrying its default description "Built-in account for
  administering ..." after a rename); *break-glass* when the SamAccountName or Description says
  "break-glass", "breakglass", "break glass" or "emergency access"; *service* when the
  SamAccountName starts with ``svc``, ``srv_``/``srv-``/``srv.``, ``sa_``/``sa-`` or
  Entra Connect's ``MSOL_``/``AAD_``, ends in
  ``_svc``/``-svc`` or ``$``, the account has service principal names, it sits in an OU named
  "Service Accounts", or the Description says "service account"; *supplier* when the
  SamAccountName starts with ``ext``, ``supplier``, ``vendor`` or ``3p`` followed by ``_``,
  ``-`` or ``.``, it sits in an OU named "Suppliers", "Third Party" or "External", or the
  Description mentions a supplier, vendor or third party; otherwise *human*.
- **remote_access** is true for members of a group whose name mentions VPN, Remote Desktop,
  Citrix, RDS or remote access; **backup_admin** for members of Backup Operators or a group
  whose name mentions backup admins or Veeam. Otherwise both stay unknown: AD alone cannot
  prove an account has no remote path.
- **mfa**: AD does not know about MFA, so it stays unknown unless the export has an optional
  ``MFA`` column (true/false, yes/no, 1/0), e.g. joined from the MFA provider's registration
  report.
- **owner** is the common name of ``Manager`` when exported.

The optional ``group_members`` CSV lists members of privileged groups, e.g.::

    foreach ($g in 'Domain Admins','Enterprise Admins','Schema Admins','Administrators',
                   'Backup Operators','Account Operators','Server Operators') {
      Get-ADGroupMember $g -Recursive |
        Select-Object @{n='Group';e={$g}},SamAccountName,objectClass }
    } | Export-Csv ad-privileged-members.csv -NoTypeInformation -Encoding UTF8

It needs ``Group`` (or ``GroupName``) and ``SamAccountName`` columns; rows whose
``objectClass`` is not ``user`` are skipped.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import ValidationError

from resilience.config import AdExport
from resilience.errors import InputError
from resilience.model import (
    Account,
    AccountKind,
    DataKind,
    Estate,
    Provider,
    SourceRef,
    SourceRun,
    TrustDomain,
)
from resilience.model.estate import ID_PATTERN
from resilience.model.timeutil import utcnow
from resilience.sources.interface import Progress, Source

# Columns read from a Get-ADUser export (lower case); everything else is dropped unread.
REQUIRED_USER_COLUMNS = ("SamAccountName", "Enabled or userAccountControl",
                         "LastLogonDate, lastLogonTimestamp or lastLogon")
_KNOWN_COLUMNS = frozenset({
    "samaccountname", "enabled", "useraccountcontrol", "lastlogondate", "lastlogontimestamp",
    "lastlogon", "name", "displayname", "passwordlastset", "pwdlastset", "passwordneverexpires",
    "memberof", "whencreated", "created", "description", "admincount", "mfa", "kind", "manager",
    "serviceprincipalname", "serviceprincipalnames", "distinguishedname",
})
_LAST_USE_COLUMNS = ("lastlogondate", "lastlogontimestamp", "lastlogon")
_PLACEHOLDER = re.compile(r"^\s*(Microsoft\.ADPropertyValueCollection|System\.Object\[\])\s*$",
                          re.IGNORECASE)
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)
_FILETIME_NEVER = 0x7FFFFFFFFFFFFFFF
_UAC_DISABLED = 0x2
_UAC_DONT_EXPIRE = 0x10000
_TRUE = frozenset({"true", "yes", "y", "1", "enabled", "on"})
_FALSE = frozenset({"false", "no", "n", "0", "disabled", "off"})

_SLASH_DATE = re.compile(
    r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp][Mm])?)?$"
)
_BREAK_GLASS = re.compile(r"break[-_ ]?glass|emergency[-_ ]access", re.IGNORECASE)
_SERVICE_NAME = re.compile(r"^(svc|srv[-_.]|sa[-_]|msol_|aad_)|[-_.]svc$|\$$", re.IGNORECASE)
_BUILT_IN_ADMIN = re.compile(r"^built-in account for administering", re.IGNORECASE)
_SERVICE_OU = re.compile(r"OU=\s*service\s*accounts?\b", re.IGNORECASE)
_SERVICE_TEXT = re.compile(r"\bservice\s+account\b", re.IGNORECASE)
_SUPPLIER_NAME = re.compile(r"^(ext|supplier|vendor|3p)[-_.]", re.IGNORECASE)
_SUPPLIER_OU = re.compile(r"OU=\s*(suppliers?|third[- ]?part(y|ies)|external)\b", re.IGNORECASE)
_SUPPLIER_TEXT = re.compile(r"\b(supplier|vendor|third[- ]party)\b", re.IGNORECASE)
_REMOTE_GROUP = re.compile(r"vpn|remote\s*desktop|citrix|\brds\b|remote[-_ ]?access",
                           re.IGNORECASE)
_BACKUP_GROUP = re.compile(r"backup\s*operators|backup[-_ ]?admin|veeam", re.IGNORECASE)
_KINDS = {"human": AccountKind.HUMAN, "service": AccountKind.SERVICE,
          "break-glass": AccountKind.BREAK_GLASS, "breakglass": AccountKind.BREAK_GLASS,
          "break glass": AccountKind.BREAK_GLASS, "supplier": AccountKind.SUPPLIER,
          "root": AccountKind.ROOT}
_ID_RE = re.compile(ID_PATTERN)


@dataclass
class _Row:
    """One CSV record: its first physical line and its known columns (lower-case keys)."""

    line: int
    values: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def header(self, column: str) -> str:
        """The column's name as the file spells it, for messages."""
        return self.headers.get(column, column)


@dataclass
class _Table:
    path: str
    columns: set[str]
    rows: list[_Row] = field(default_factory=list)
    header_line: int = 1


# ---------------------------------------------------------------------------------------------
# Reading the CSV text


def decode_export(data: bytes, path: str) -> str:
    """Decode an export: UTF-8 or UTF-16 with a byte-order mark, UTF-8, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.lstrip("\ufeff")
    raise InputError("cannot decode the file: save the export as UTF-8 "
                     "(Export-Csv -Encoding UTF8)", path=path)


def _choose_delimiter(header: str) -> str:
    for delimiter in (",", ";", "\t", "|"):
        cells = next(csv.reader([header], delimiter=delimiter), [])
        if any(c.strip().lower() == "samaccountname" for c in cells):
            return delimiter
    return ","


def read_table(text: str, path: str, *, keep: frozenset[str] | None) -> _Table:
    """Parse CSV text into rows of the ``keep`` columns, with the line each row starts on."""
    if "\x00" in text:
        raise InputError("contains NUL bytes: not a CSV text file (UTF-16 without a byte-order "
                         "mark?); save the export with Export-Csv -Encoding UTF8", path=path)
    # Split only where csv sees line breaks too (str.splitlines also breaks on \x0c, \x85, ...).
    lines = io.StringIO(text, newline="").readlines()
    offset = 0
    # PowerShell's Export-Csv (5.1 without -NoTypeInformation) writes '#TYPE ...' first.
    while offset < len(lines) and (not lines[offset].strip()
                                   or lines[offset].lstrip().upper().startswith("#TYPE")):
        offset += 1
    if offset >= len(lines):
        raise InputError("the file is empty; expected a CSV export with a header row", path=path)
    body = "".join(lines[offset:])
    reader = csv.reader(io.StringIO(body, newline=""),
                        delimiter=_choose_delimiter(lines[offset]), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise InputError(f"the header row is not valid CSV ({exc})", path=path,
                         line=offset + 1) from None
    names = [h.strip().lstrip("\ufeff").strip('"').strip().lower() for h in header]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise InputError(f"column '{name}' appears twice in the header", path=path,
                             line=offset + 1)
        seen.add(name)
    table = _Table(path=path, columns={n for n in names if n}, header_line=offset + 1)
    spelled = {n: h.strip().lstrip("\ufeff").strip('"').strip() for n, h in zip(names, header,
                                                                                 strict=True)}
    previous_end = reader.line_num
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"not valid CSV ({exc})", path=path,
                             line=offset + previous_end + 1) from None
        start = offset + previous_end + 1
        previous_end = reader.line_num
        if not record or all(not cell.strip() for cell in record):
            continue
        if len(record) != len(names):
            raise InputError(f"this row has {len(record)} values but the header has "
                             f"{len(names)} columns", path=path, line=start)
        values = {name: cell for name, cell in zip(names, record, strict=True)
                  if name and (keep is None or name in keep)}
        table.rows.append(_Row(start, values, spelled))
    return table


# ---------------------------------------------------------------------------------------------
# Values


def _parse_bool(row: _Row, column: str, path: str) -> bool | None:
    text = row.get(column).lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(f"column {row.header(column)}: '{row.get(column)}' is not true or false",
                     path=path, line=row.line)


def _parse_int(row: _Row, column: str, path: str) -> int | None:
    text = row.get(column)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InputError(f"column {row.header(column)}: '{text}' is not a whole number",
                         path=path, line=row.line) from None


def _filetime(value: int) -> datetime | None:
    if value in (0, _FILETIME_NEVER):
        return None  # "never"
    if value < 0 or value > _FILETIME_NEVER:
        raise ValueError("not a FILETIME")
    return _FILETIME_EPOCH + timedelta(microseconds=value // 10)


class _DateReader:
    """Reads one file's dates, deciding once whether ``a/b/yyyy`` is day-first or month-first."""

    def __init__(self, path: str, order: str | None):
        self.path = path
        self.day_first: bool | None = None if order is None else order == "dmy"

    def settle(self, table: _Table, columns: tuple[str, ...]) -> None:
        """Decide the day order from the dates that can only be read one way."""
        if self.day_first is not None:
            return
        day_first_at = month_first_at = ampm_at = None
        for row in table.rows:
            for column in columns:
                m = _SLASH_DATE.match(row.get(column))
                if not m or m.group(2) != "/":
                    continue
                first, second = int(m.group(1)), int(m.group(3))
                if first > 12 and second <= 12:
                    day_first_at = day_first_at or row.line
                elif second > 12 and first <= 12:
                    month_first_at = month_first_at or row.line
                if m.group(8):
                    ampm_at = ampm_at or row.line
        if day_first_at and month_first_at:
            raise InputError(
                f"dates are written day-first on line {day_first_at} but month-first on line "
                f"{month_first_at}; export again with one format (ISO dates are safest)",
                path=self.path, line=max(day_first_at, month_first_at))
        if day_first_at:
            self.day_first = True
        elif month_first_at or ampm_at:
            self.day_first = False

    def parse(self, row: _Row, column: str) -> datetime | None:
        text = row.get(column)
        if not text:
            return None
        try:
            if text.isdigit():
                return _filetime(int(text))
            m = _SLASH_DATE.match(text)
            if m:
                return self._parse_numeric(m, row, column)
            iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
            parsed = datetime.fromisoformat(iso)
            if parsed.tzinfo is None:
                return parsed.replace(tzinfo=UTC)
            return parsed.astimezone(UTC)
        except InputError:
            raise
        except (ValueError, OverflowError):
            raise InputError(
                f"column {row.header(column)}: '{text}' is not a date this tool can read "
                "(expected e.g. "
                "2020-10-14 09:12:33, 14/10/2020 09:12, 10/14/2020 9:12:33 AM or a FILETIME "
                "number)", path=self.path, line=row.line) from None

    def _parse_numeric(self, m: re.Match[str], row: _Row, column: str) -> datetime:
        a, sep, b, year = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
        if sep != "/":
            day, month = a, b  # 14.10.2020 and 14-10-2020 are day-first everywhere
        elif self.day_first is None:
            if a <= 12 and b <= 12 and a != b:
                raise InputError(
                    f"column {row.header(column)}: '{row.get(column)}' could be day-first or "
                    "month-first "
                    "and no date in the file settles it; set date_order: dmy (or mdy) on this "
                    "export in resilience.yaml, or export ISO dates", path=self.path,
                    line=row.line)
            day, month = (a, b) if a > 12 else (b, a)
        else:
            day, month = (a, b) if self.day_first else (b, a)
        hour = int(m.group(5) or 0)
        minute = int(m.group(6) or 0)
        second = int(m.group(7) or 0)
        if m.group(8):
            if not 1 <= hour <= 12:
                raise ValueError("hour out of range for AM/PM")
            hour = hour % 12 + (12 if m.group(8).lower() == "pm" else 0)
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# ---------------------------------------------------------------------------------------------
# Group memberships


def _split_escaped(text: str, separators: str) -> list[str]:
    """Split on unescaped separator characters (DNs escape commas as ``\\,``)."""
    if "\\" not in text:
        return re.split(f"[{re.escape(separators)}]", text)
    parts, current, escaped = [], [], False
    for ch in text:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            current.append(ch)
            escaped = True
        elif ch in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _unescape_dn_value(value: str) -> str:
    if "\\" not in value:
        return value.strip()
    return re.sub(r"\\(.)", r"\1", value).strip()


def common_name(dn_or_name: str) -> str:
    """``CN=Domain Admins,CN=Users,DC=corp`` -> ``Domain Admins``; plain names are kept."""
    text = dn_or_name.strip()
    first = _split_escaped(text, ",")[0].strip()
    if first[:3].upper() == "CN=":
        return _unescape_dn_value(first[3:])
    return text


def parse_member_of(value: str) -> list[str]:
    """Group names from a MemberOf cell, in order, without duplicates."""
    text = value.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    names: list[str] = []
    if "cn=" not in text.lower():
        names = [p.strip() for p in re.split(r"[;|\r\n,]", text)]
    else:
        for chunk in _split_escaped(text, ";|\r\n"):
            expect_group = True
            for rdn in _split_escaped(chunk, ","):
                rdn = rdn.strip()
                upper = rdn[:3].upper()
                if upper == "DC=":
                    expect_group = True  # the next CN starts another DN (a ','-joined list)
                elif upper == "CN=" and expect_group:
                    names.append(_unescape_dn_value(rdn[3:]))
                    expect_group = False
                elif "=" not in rdn and rdn and expect_group:
                    names.append(rdn)
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        if name and name.lower() not in seen:
            seen.add(name.lower())
            out.append(name)
    return out


def read_group_members(data: bytes, path: str) -> dict[str, list[str]]:
    """Lower-case SamAccountName -> group names, from a Get-ADGroupMember export."""
    table = read_table(decode_export(data, path), path,
                       keep=frozenset({"group", "groupname", "samaccountname", "objectclass"}))
    group_col = next((c for c in ("group", "groupname") if c in table.columns), None)
    if group_col is None or "samaccountname" not in table.columns:
        raise InputError("a group-members export needs the columns Group (or GroupName) and "
                         f"SamAccountName; found {_shown_columns(table)}", path=path,
                         line=table.header_line)
    members: dict[str, list[str]] = {}
    for row in table.rows:
        object_class = row.get("objectclass").lower()
        if object_class and object_class != "user":
            continue
        sam, group = row.get("samaccountname"), common_name(row.get(group_col))
        if not sam or not group:
            raise InputError("empty Group or SamAccountName", path=path, line=row.line)
        groups = members.setdefault(sam.lower(), [])
        if group.lower() not in {g.lower() for g in groups}:
            groups.append(group)
    return members


def _shown_columns(table: _Table) -> str:
    shown = sorted(table.columns)
    return ", ".join(shown[:20]) + (", ..." if len(shown) > 20 else "") if shown else "none"


# ---------------------------------------------------------------------------------------------
# Accounts


@functools.lru_cache(maxsize=4096)
def _is_remote_group(name: str) -> bool:
    return bool(_REMOTE_GROUP.search(name))


@functools.lru_cache(maxsize=4096)
def _is_backup_group(name: str) -> bool:
    return bool(_BACKUP_GROUP.search(name))


def account_id(domain: str, sam: str) -> str:
    """The estate id of an AD account: ``<domain>/<SamAccountName>`` (whitespace escaped)."""
    return f"{domain}/" + re.sub(r"\s", lambda m: f"%{ord(m.group()):02X}", sam)


def _kind(row: _Row, sam: str, spn: bool, path: str) -> AccountKind:
    explicit = row.get("kind").lower()
    if explicit:
        if explicit not in _KINDS:
            raise InputError(f"column {row.header('kind')}: '{row.get('kind')}' is not one of "
                             "human, service, "
                             "break-glass, supplier, root", path=path, line=row.line)
        return _KINDS[explicit]
    description, dn = row.get("description"), row.get("distinguishedname")
    if sam.lower() == "administrator" or _BUILT_IN_ADMIN.match(description):
        return AccountKind.ROOT
    if _BREAK_GLASS.search(sam) or _BREAK_GLASS.search(description):
        return AccountKind.BREAK_GLASS
    if (_SERVICE_NAME.search(sam) or spn or _SERVICE_OU.search(dn)
            or _SERVICE_TEXT.search(description)):
        return AccountKind.SERVICE
    if _SUPPLIER_NAME.search(sam) or _SUPPLIER_OU.search(dn) or _SUPPLIER_TEXT.search(description):
        return AccountKind.SUPPLIER
    return AccountKind.HUMAN


def parse_users(data: bytes, path: str, export: AdExport,
                group_members: dict[str, list[str]] | None = None) -> list[Account]:
    """Accounts from a Get-ADUser CSV export (bytes as read from disk)."""
    table = read_table(decode_export(data, path), path, keep=_KNOWN_COLUMNS)
    missing = []
    if "samaccountname" not in table.columns:
        missing.append("SamAccountName")
    if not table.columns & {"enabled", "useraccountcontrol"}:
        missing.append("Enabled (or userAccountControl)")
    if not table.columns & set(_LAST_USE_COLUMNS):
        missing.append("LastLogonDate (or lastLogonTimestamp)")
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}. A Get-ADUser export needs "
            f"{'; '.join(REQUIRED_USER_COLUMNS)}, and should have Name, PasswordLastSet, "
            f"PasswordNeverExpires, MemberOf, whenCreated, Description and adminCount; found "
            f"{_shown_columns(table)}", path=path, line=table.header_line)
    dates = _DateReader(path, export.date_order)
    dates.settle(table, ("lastlogondate", "lastlogontimestamp", "lastlogon", "passwordlastset",
                         "pwdlastset", "whencreated", "created"))
    privileged_names = {g.strip().lower() for g in export.privileged_groups}
    seen: dict[str, int] = {}
    accounts = []
    for row in table.rows:
        accounts.append(_account(row, path, export, dates, privileged_names, group_members))
        key = row.get("samaccountname").lower()
        if key in seen:
            raise InputError(f"SamAccountName '{row.get('samaccountname')}' appears twice "
                             f"(first on line {seen[key]})", path=path, line=row.line)
        seen[key] = row.line
    return accounts


def _account(row: _Row, path: str, export: AdExport, dates: _DateReader,
             privileged_names: set[str], group_members: dict[str, list[str]] | None) -> Account:
    sam = row.get("samaccountname")
    if not sam:
        raise InputError("empty SamAccountName", path=path, line=row.line)
    uac = _parse_int(row, "useraccountcontrol", path)
    enabled = _parse_bool(row, "enabled", path)
    if enabled is None and uac is not None:
        enabled = not uac & _UAC_DISABLED
    never_expires = _parse_bool(row, "passwordneverexpires", path)
    if never_expires is None and uac is not None:
        never_expires = bool(uac & _UAC_DONT_EXPIRE)

    last_uses = [d for d in (dates.parse(row, c) for c in _LAST_USE_COLUMNS) if d is not None]
    created = dates.parse(row, "whencreated") or dates.parse(row, "created")
    password_set = dates.parse(row, "passwordlastset") or dates.parse(row, "pwdlastset")

    member_of = row.get("memberof")
    groups: list[str] | None
    if _PLACEHOLDER.match(member_of):
        if group_members is None:
            raise InputError(
                f"MemberOf holds '{member_of}', not the groups: export it with "
                "@{n='MemberOf';e={$_.MemberOf -join ';'}}, or give group_members",
                path=path, line=row.line)
        groups = None
    elif "memberof" in row.values:
        groups = parse_member_of(member_of)
    else:
        groups = None
    all_groups = list(groups or [])
    extra = (group_members or {}).get(sam.lower(), [])
    if extra:
        known = {g.lower() for g in all_groups}
        all_groups += [g for g in extra if g.lower() not in known]

    admin_count = _parse_int(row, "admincount", path)
    in_privileged_group = any(g.lower() in privileged_names for g in all_groups)
    if in_privileged_group or admin_count == 1:
        privileged: bool | None = True
    elif groups is not None or group_members is not None:
        privileged = False
    else:
        privileged = None

    spns = row.get("serviceprincipalnames") or row.get("serviceprincipalname")
    has_spn = bool(spns) and not _PLACEHOLDER.match(spns)
    manager = row.get("manager")
    name = row.get("displayname") or row.get("name") or sam
    try:
        return Account(
            id=account_id(export.domain, sam),
            name=name,
            source=Provider.AD,
            trust_domain=export.domain,
            kind=_kind(row, sam, has_spn, path),
            privileged=privileged,
            mfa=_parse_bool(row, "mfa", path),
            enabled=enabled,
            remote_access=True if any(_is_remote_group(g) for g in all_groups) else None,
            backup_admin=True if any(_is_backup_group(g) for g in all_groups) else None,
            last_used=max(last_uses) if last_uses else None,
            created=created,
            password_last_set=password_set,
            password_never_expires=never_expires,
            owner=common_name(manager) if manager else None,
            groups=all_groups,
            declared_at=SourceRef(file=path, line=row.line),
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InputError(f"account '{sam}' cannot be read: {where}: {err['msg']}",
                         path=path, line=row.line) from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, expected a CSV file", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from None


def parse_export(export: AdExport, users: bytes, path: str,
                 group_members: bytes | None = None, group_members_path: str | None = None,
                 ) -> Estate:
    """One export as a partial estate: its accounts, its domain, and what it speaks for."""
    if not _ID_RE.match(export.domain):
        raise InputError(f"the AD domain '{export.domain}' is not a valid id (no spaces; e.g. "
                         "corp.example.gov.uk)", path=path)
    members = None
    if group_members is not None:
        members = read_group_members(group_members, group_members_path or "<group members>")
    accounts = parse_users(users, path, export, members)
    now = utcnow()
    domain = TrustDomain(id=export.domain, name=export.domain, kind="ad-domain",
                         provider=Provider.AD, declared_at=SourceRef(file=path))
    return Estate(
        collected_at=now,
        sources=[SourceRun(provider=Provider.AD, scope=path, collected_at=now,
                           kinds=[DataKind.ACCOUNTS])],
        accounts=accounts,
        trust_domains=[domain],
    )


class AdSource(Source):
    """Reads Get-ADUser CSV exports, one per domain (or per OU), read-only and offline."""

    provider = Provider.AD

    def __init__(self, exports: list[tuple[AdExport, Path]]):
        self.exports = exports

    def _parts(self, progress: Progress) -> Iterator[Estate]:
        task = progress.task("Active Directory exports", total=len(self.exports))
        for export, path in self.exports:
            members_bytes = members_path = None
            if export.group_members:
                members = Path(export.group_members).expanduser()
                if not members.is_absolute():
                    members = path.parent / members
                members_path = str(members)
                members_bytes = _read_bytes(members)
            yield parse_export(export, _read_bytes(path), str(path), members_bytes, members_path)
            progress.advance(task)

    def collect(self, progress: Progress) -> Estate:
        from resilience.sources.merge import merge

        return merge(list(self._parts(progress)))
