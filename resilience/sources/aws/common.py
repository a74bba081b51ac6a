"""What every collector shares: the scope it runs in, paging, and error-code tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from resilience.config import TagKeys
from resilience.model import DataKind
from resilience.sources.aws.session import AccountSession

SYSTEM_KINDS = (DataKind.SYSTEMS, DataKind.BACKUPS)
BACKUP_KINDS = (DataKind.BACKUPS,)
IDENTITY_KINDS = (DataKind.ACCOUNTS, DataKind.IDENTITY_SETTINGS)


@dataclass(frozen=True)
class Scope:
    """One account (and region, for regional services) a collector reads."""

    session: AccountSession
    region: str | None
    keys: TagKeys
    regions: tuple[str, ...] = ()

    @property
    def account(self) -> str:
        return self.session.account_id

    @property
    def partition(self) -> str:
        return self.session.partition

    def client(self, service: str) -> Any:
        return self.session.client(service, self.region)


def pages(client: Any, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every item under ``key`` of every page of ``operation``."""
    if client.can_paginate(operation):
        for page in client.get_paginator(operation).paginate(**params):
            yield from page.get(key) or []
    else:
        yield from client.__getattribute__(operation)(**params).get(key) or []


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
