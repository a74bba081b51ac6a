"""Azure Resource Graph: every modelled resource across all visible subscriptions, paged."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from resilience.sources.azure.records import MODELLED_TYPES, Inventory

SUBSCRIPTION_BATCH = 1000  # the REST API's limit on subscriptions per query
PAGE_SIZE = 1000  # the largest $top Resource Graph accepts
GRAPH_CHAINS = 4  # skip-token chains run side by side

# Only the properties the mapping reads, so a page of 1,000 rows stays small.
RESOURCES_QUERY = (
    "Resources\n"
    f"| where type in~ ({', '.join(repr(t) for t in MODELLED_TYPES)})\n"
    "| project id, name, type, location, resourceGroup, subscriptionId, tags, zones, sku, kind,"
    " managedBy, properties = pack("
    "'zoneRedundant', properties.zoneRedundant,"
    " 'secondaryLocation', properties.secondaryLocation,"
    " 'highAvailability', properties.highAvailability,"
    " 'backup', properties.backup,"
    " 'currentBackupStorageRedundancy', properties.currentBackupStorageRedundancy,"
    " 'osType', properties.storageProfile.osDisk.osType)\n"
    "| order by id asc"
)
GROUPS_QUERY = (
    "ResourceContainers\n"
    "| where type =~ 'microsoft.resources/subscriptions/resourcegroups'\n"
    "| project id, name, subscriptionId, tags\n"
    "| order by id asc"
)


API_VERSION = "2021-03-01"
_RETRY_METHODS = frozenset({"GET", "HEAD", "POST"})


def _query_page(client, body: dict[str, Any]) -> dict[str, Any]:
    """One Resource Graph query through the SDK client's pipeline (credential, retries, the
    read-only guard), read as plain JSON: the SDK's msrest deserializer would walk every cell
    of every row, which costs more than the request at a thousand rows a page."""
    from azure.core.exceptions import HttpResponseError
    from azure.core.rest import HttpRequest
    from azure.mgmt.core.exceptions import ARMErrorFormat

    request = HttpRequest("POST", "/providers/Microsoft.ResourceGraph/resources",
                          params={"api-version": API_VERSION}, json=body)
    # A query is a read sent as POST: azure-core retries POSTs only on 500/503/504, so a 429
    # (Resource Graph's throttling) or a 502 would otherwise end Resource Graph for the run.
    response = client._send_request(request, retry_on_methods=_RETRY_METHODS)
    if response.status_code != 200:
        raise HttpResponseError(response=response, error_format=ARMErrorFormat)
    return response.json()


def query_all(client, query: str, subscriptions: list[str],
              on_page: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    """Run ``query`` over ``subscriptions`` in batches, following ``$skipToken`` to the end."""
    for start in range(0, len(subscriptions), SUBSCRIPTION_BATCH):
        batch = subscriptions[start:start + SUBSCRIPTION_BATCH]
        token: str | None = None
        while True:
            options: dict[str, Any] = {"$top": PAGE_SIZE, "resultFormat": "objectArray"}
            if token:
                options["$skipToken"] = token
            page = _query_page(client, {"subscriptions": batch, "query": query,
                                        "options": options})
            rows = page.get("data") or []
            if on_page:
                on_page(len(rows))
            yield from rows
            token = page.get("$skipToken")
            if not token:
                if str(page.get("resultTruncated", "false")).lower() == "true":
                    from azure.core.exceptions import AzureError

                    # Cut short with no way to page on: not an inventory to trust.
                    raise AzureError("Resource Graph truncated the result without a skip token")
                break


def _split(items: list[str], parts: int) -> list[list[str]]:
    size = -(-len(items) // max(1, parts))
    return [items[i:i + size] for i in range(0, len(items), size)] if items else []


def graph_inventory(client, subscriptions: list[str],
                    on_page: Callable[[int], None] | None = None,
                    chains: int = GRAPH_CHAINS) -> Inventory:
    """Resources and resource-group tags from Resource Graph.

    A ``$skipToken`` chain is sequential, so the subscriptions are split into up to ``chains``
    groups queried side by side (Microsoft's guidance for large scopes); that costs at most
    one partly filled page per group, and the quota policy keeps the pace within the user's
    Resource Graph quota.
    """
    from concurrent.futures import ThreadPoolExecutor

    inv = Inventory(via="resource-graph")
    groups = _split(subscriptions, chains)
    with ThreadPoolExecutor(max_workers=len(groups) + 1, thread_name_prefix="azure-graph") as pool:
        containers = pool.submit(lambda: list(query_all(client, GROUPS_QUERY, subscriptions,
                                                        on_page)))
        parts = [pool.submit(lambda g=g: list(query_all(client, RESOURCES_QUERY, g, on_page)))
                 for g in groups]
        for part in parts:
            inv.resources.extend(part.result())
        for row in containers.result():
            sub, name = row.get("subscriptionId"), row.get("name")
            if sub and name:
                inv.group_tags[(sub.lower(), name.lower())] = dict(row.get("tags") or {})
    return inv
