"""Closed vocabularies shared by every layer."""

from __future__ import annotations

import operator
from enum import StrEnum


class Word(StrEnum):
    """A closed vocabulary of words. Its ``value`` is read without Enum's Python-level
    descriptor: encoders read it for every member they write, millions in a large report."""

    value = property(operator.attrgetter("_value_"))  # type: ignore[assignment]


class Hosting(Word):
    """Where a system runs."""

    ONPREM = "onprem"
    AWS = "aws"
    AZURE = "azure"
    SAAS = "saas"


class Provider(Word):
    """Where a piece of the estate was read from."""

    ONPREM = "onprem"
    AD = "ad"
    AWS = "aws"
    AZURE = "azure"
    SNAPSHOT = "snapshot"


class Domain(Word):
    """The three areas the checks cover."""

    BACKUP = "backup"
    IDENTITY = "identity"
    CONTINUITY = "continuity"


class Severity(Word):
    """How bad a failed check is; ordered from least to most severe."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def __ge__(self, other: object) -> bool:  # type: ignore[override]
        if isinstance(other, Severity):
            return self.rank >= other.rank
        return NotImplemented

    def __gt__(self, other: object) -> bool:  # type: ignore[override]
        if isinstance(other, Severity):
            return self.rank > other.rank
        return NotImplemented

    def __le__(self, other: object) -> bool:  # type: ignore[override]
        if isinstance(other, Severity):
            return self.rank <= other.rank
        return NotImplemented

    def __lt__(self, other: object) -> bool:  # type: ignore[override]
        if isinstance(other, Severity):
            return self.rank < other.rank
        return NotImplemented


_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}


class Status(Word):
    """The outcome of one check on one asset."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    WAIVED = "waived"


class SystemKind(Word):
    """What a system is, as far as recovery cares."""

    APPLICATION = "application"
    DATABASE = "database"
    SERVER = "server"
    VM = "vm"
    FILE_SHARE = "file-share"
    STORAGE = "storage"
    BUCKET = "bucket"
    DIRECTORY = "directory"
    NETWORK = "network"
    BACKUP_SERVER = "backup-server"
    SAAS = "saas"
    ENDPOINT = "endpoint"
    TELEPHONY = "telephony"
    OTHER = "other"


class AccountKind(Word):
    """Who or what uses an account."""

    HUMAN = "human"
    SERVICE = "service"
    BREAK_GLASS = "break-glass"
    SUPPLIER = "supplier"
    ROOT = "root"


class DataKind(Word):
    """Kinds of estate data a source provides and a check needs (gaps are recorded per kind)."""

    SERVICES = "services"
    SYSTEMS = "systems"
    BACKUPS = "backups"
    ACCOUNTS = "accounts"
    IDENTITY_SETTINGS = "identity-settings"
    PLANS = "plans"
    SUPPLIERS = "suppliers"


class CopyKind(Word):
    """How a backup copy is made."""

    BACKUP = "backup"
    SNAPSHOT = "snapshot"
    REPLICA = "replica"
    EXPORT = "export"
    POINT_IN_TIME = "point-in-time"
