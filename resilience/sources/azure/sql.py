"""Azure SQL databases: the short-term (point-in-time) backup retention of each database."""

from __future__ import annotations

# Not in the project's dependencies as a client: one GET through the resources client's
# pipeline (auth, retries, the read-only guard) per database.
SQL_API_VERSION = "2023-08-01"


def short_term_retention_days(client, database_id: str) -> int | None:
    """Days of point-in-time restore the database keeps (None when not reported)."""
    from azure.core.exceptions import HttpResponseError
    from azure.core.rest import HttpRequest
    from azure.mgmt.core.exceptions import ARMErrorFormat

    response = client.send_request(HttpRequest(
        "GET", f"{database_id}/backupShortTermRetentionPolicies/default",
        params={"api-version": SQL_API_VERSION}))
    if response.status_code != 200:
        raise HttpResponseError(response=response, error_format=ARMErrorFormat)
    days = (response.json().get("properties") or {}).get("retentionDays")
    return days if isinstance(days, int) and days > 0 else None
