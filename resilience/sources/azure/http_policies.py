"""Pipeline policies for every Azure client: a read-only guard and Resource Graph's quota."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

from azure.core.exceptions import AzureError
from azure.core.pipeline.policies import SansIOHTTPPolicy

_GRAPH_QUERY = re.compile(r"/providers/microsoft\.resourcegraph/resources/?$", re.I)
_REGISTER = re.compile(r"/subscriptions/[^/]+/providers/([^/]+)/register/?$", re.I)
_READ_METHODS = frozenset({"GET", "HEAD"})


class ReadOnlyViolation(AzureError):
    """A request that would change something was about to be sent; it never is."""


class ProviderNotRegistered(AzureError):
    """ARM answered that a resource provider is not registered in a subscription.

    azure-mgmt-core would then register it (a POST, i.e. a change); the guard stops that. A
    provider that is not registered has no resources in that subscription.
    """

    def __init__(self, provider: str):
        self.provider = provider
        super().__init__(f"resource provider {provider} is not registered in this subscription")


def is_allowed(method: str, path: str) -> bool:
    """Only reads, plus Resource Graph queries (a POST that reads)."""
    method = method.upper()
    return method in _READ_METHODS or (method == "POST" and bool(_GRAPH_QUERY.search(path)))


def _parse_resets_after(value: str) -> float | None:
    """``x-ms-user-quota-resets-after`` is ``hh:mm:ss`` (fractions allowed)."""
    parts = value.strip().split(":")
    try:
        if len(parts) == 3:
            return int(parts[0]) * 3600 + int(parts[1]) * 60 + float(parts[2])
        return float(value)
    except ValueError:
        return None


class CollectorPolicy(SansIOHTTPPolicy):
    """Runs on every attempt of every request (after the SDK's retry policy).

    - Refuses anything but reads and Resource Graph queries, whatever asked for it (this is
      what stops azure-mgmt-core's automatic resource provider registration).
    - Honours Resource Graph's per-user quota: when ``x-ms-user-quota-remaining`` reaches 0,
      further queries wait until ``x-ms-user-quota-resets-after`` has passed. 429s with
      ``Retry-After`` and 5xx answers are retried by azure-core's RetryPolicy.
    """

    def __init__(self, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self._budget: int | None = None   # queries left in this quota window, as last told
        self._reset_at = 0.0
        self._in_flight = 0
        self.graph_waits = 0

    def on_request(self, request) -> None:
        http = request.http_request
        path = http.url.split("?", 1)[0]
        if not is_allowed(http.method, path):
            registering = _REGISTER.search(path)
            if http.method.upper() == "POST" and registering:
                raise ProviderNotRegistered(registering.group(1))
            raise ReadOnlyViolation(f"refused to send {http.method} {path}: resilience only reads")
        if _GRAPH_QUERY.search(path):
            self._take_graph_quota()
            with self._lock:
                self._in_flight += 1
            request.context["graph_in_flight"] = True

    def _landed(self, request) -> None:
        if request.context.get("graph_in_flight"):
            request.context["graph_in_flight"] = False
            with self._lock:
                self._in_flight -= 1

    def on_exception(self, request) -> None:
        self._landed(request)

    def _take_graph_quota(self) -> None:
        """Spend one query of the quota; when none is left, wait for the window to reset.
        Queries run side by side, so the budget is counted down locally as well as read back
        from each answer."""
        while True:
            with self._lock:
                now = self._clock()
                if self._budget is None or now >= self._reset_at:
                    self._budget = None
                    return
                if self._budget > 0:
                    self._budget -= 1
                    return
                wait = self._reset_at - now
                self.graph_waits += 1
            self._sleep(wait)

    def on_response(self, request, response) -> None:
        http = request.http_request
        if not _GRAPH_QUERY.search(http.url.split("?", 1)[0]):
            return
        self._landed(request)
        headers = response.http_response.headers
        remaining = headers.get("x-ms-user-quota-remaining")
        resets = headers.get("x-ms-user-quota-resets-after")
        if remaining is None or resets is None:
            return
        try:
            left = int(remaining)
        except ValueError:
            return
        delay = _parse_resets_after(resets)
        if delay is None:
            return
        with self._lock:
            now = self._clock()
            # Queries still in flight were sent but not yet counted by the service.
            left -= self._in_flight
            if self._budget is None or now >= self._reset_at:
                self._budget, self._reset_at = left, now + delay
            else:  # answers can arrive out of order: the lowest count is the latest
                self._budget = min(self._budget, left)
