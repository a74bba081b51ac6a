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
        self._graph_blocked_until = 0.0
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
            with self._lock:
                wait = self._graph_blocked_until - self._clock()
                if wait > 0:
                    self.graph_waits += 1
            if wait > 0:
                self._sleep(wait)

    def on_response(self, request, response) -> None:
        http = request.http_request
        if not _GRAPH_QUERY.search(http.url.split("?", 1)[0]):
            return
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
        if left <= 0 and delay:
            with self._lock:
                self._graph_blocked_until = max(self._graph_blocked_until, self._clock() + delay)
