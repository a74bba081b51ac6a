"""Small helpers for focused check tests: run one check on an estate dict, get statuses."""

from __future__ import annotations

from typing import Any

from resilience.model import CollectionGap, DataKind, Provider, Status
from tests.helpers import estate_from, policy_from, run_one


def findings(check_id: str, data: dict[str, Any], policy: dict[str, Any] | None = None,
             gaps: list[DataKind] | None = None):
    estate = estate_from(data)
    if gaps:
        gap = CollectionGap(source=Provider.AWS, scope="aws:111122223333/eu-west-2",
                            kinds=gaps, reason="AccessDenied")
        estate = estate.model_copy(update={"gaps": [gap]})
    return [f for f in run_one(check_id, estate, policy_from(policy))
            if f.asset_type != "collection-gap"]


def by_asset(check_id: str, data: dict[str, Any], **kw) -> dict[str, Status]:
    return {f.asset_id: f.status for f in findings(check_id, data, **kw)}
