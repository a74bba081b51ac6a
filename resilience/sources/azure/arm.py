"""The per-subscription ARM listing: the fallback where Resource Graph is not permitted."""

from __future__ import annotations

from typing import Any

from resilience.sources.azure.records import MODELLED_TYPES, Inventory, arm_id_part, as_rest_dict

_MODELLED = frozenset(MODELLED_TYPES)


def arm_inventory(client, subscription: str) -> Inventory:
    """Resources (tags, location, zones, SKU; no properties) and resource groups of one
    subscription, following ``nextLink``. Properties that only Resource Graph returns stay
    unknown (``None``) in the mapping."""
    inv = Inventory(via="arm")
    for res in client.resources.list():
        row: dict[str, Any] = as_rest_dict(res)
        rtype = str(row.get("type") or "").lower()
        if rtype not in _MODELLED:
            continue
        row["type"] = rtype
        row["subscriptionId"] = subscription
        row["resourceGroup"] = arm_id_part(str(row.get("id") or ""), "resourceGroups")
        row.setdefault("properties", None)
        inv.resources.append(row)
    for group in client.resource_groups.list():
        g = as_rest_dict(group)
        if g.get("name"):
            key = (subscription.lower(), str(g["name"]).lower())
            inv.group_tags[key] = dict(g.get("tags") or {})
    return inv
