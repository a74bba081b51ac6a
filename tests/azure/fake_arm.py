"""A local fake of Azure Resource Manager (and a token endpoint) over HTTPS on 127.0.0.1.

Serves subscriptions, resource groups and resources (``nextLink`` paging), Resource Graph
(``$skipToken`` paging and quota headers), Recovery Services and Backup vaults with their
items, policies and jobs, and Site Recovery items. It records every request and can answer
403 for chosen subscriptions, 429 with ``Retry-After``, and 5xx, on demand.
"""

from __future__ import annotations

import json
import re
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

SUB = r"/subscriptions/(?P<sub>[^/]+)"
GROUP = SUB + r"/resourceGroups/(?P<rg>[^/]+)/providers/"
VAULT = GROUP + r"Microsoft\.RecoveryServices/vaults/(?P<v>[^/]+)"
BVAULT = GROUP + r"Microsoft\.DataProtection/backupVaults/(?P<v>[^/]+)"


@dataclass
class FakeData:
    """What the fake serves; keys are lower-case subscription ids and vault ids."""

    tenant: str = "11111111-2222-3333-4444-555555555555"
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    resources: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    groups: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    recovery_vaults: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    protected_items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    vault_policies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    storage_configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    replicated_items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    backup_vaults: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    backup_instances: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    backup_policies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    backup_jobs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sql_retention_days: dict[str, int] = field(default_factory=dict)  # default: Azure's 7


@dataclass
class Fault:
    """Answer the next ``times`` requests matching ``method``/``path`` with ``status``."""

    method: str
    path: str
    status: int
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)
    code: str = "InjectedFault"
    message: str = "injected fault"


def _vault_key(sub: str, rg: str, name: str, provider: str, kind: str) -> str:
    return f"/subscriptions/{sub}/resourcegroups/{rg}/providers/{provider}/{kind}/{name}".lower()


class FakeArm:
    """Start with ``start(tmp_dir)``; ``base_url`` and ``ca_path`` are then set."""

    def __init__(self, data: FakeData, page_size: int = 3, latency: float = 0.0):
        self.data = data
        self.page_size = page_size
        self.latency = latency
        self.requests: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.forbidden: set[str] = set()
        self.graph_forbidden = False
        self.graph_page_size = 1000  # Resource Graph's own cap on $top
        self.graph_quota: tuple[int, float] | None = None  # (queries, window seconds)
        self._graph_window: tuple[float, int] = (0.0, 0)
        self.base_url = ""
        self.ca_path = ""
        self._lock = threading.Lock()
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., Any]]] = [
            ("GET", re.compile(r"^/subscriptions$", re.I), self._subscriptions),
            ("GET", re.compile(SUB + r"/resources$", re.I), self._resources),
            ("GET", re.compile(SUB + r"/resourcegroups$", re.I), self._groups),
            ("GET", re.compile(SUB + r"/providers/Microsoft\.RecoveryServices/vaults$", re.I),
             self._rsv),
            ("GET", re.compile(VAULT + r"/backupProtectedItems$", re.I), self._items),
            ("GET", re.compile(VAULT + r"/backupPolicies$", re.I), self._vault_policies),
            ("GET", re.compile(VAULT + r"/backupstorageconfig/vaultstorageconfig$", re.I),
             self._storage_config),
            ("GET", re.compile(VAULT + r"/replicationProtectedItems$", re.I), self._replicated),
            ("GET", re.compile(SUB + r"/providers/Microsoft\.DataProtection/backupVaults$", re.I),
             self._bv),
            ("GET", re.compile(BVAULT + r"/backupInstances$", re.I), self._instances),
            ("GET", re.compile(BVAULT + r"/backupPolicies$", re.I), self._bv_policies),
            ("GET", re.compile(BVAULT + r"/backupJobs$", re.I), self._jobs),
            ("GET", re.compile(GROUP + r"Microsoft\.Sql/servers/[^/]+/databases/[^/]+/"
                               r"backupShortTermRetentionPolicies/default$", re.I),
             self._sql_retention),
            ("POST", re.compile(r"^/providers/Microsoft\.ResourceGraph/resources$", re.I),
             self._graph),
        ]

    # -- server ---------------------------------------------------------------------------
    def start(self, ca_dir: str) -> FakeArm:
        import trustme

        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self):  # noqa: N802 - http.server's naming
                fake._handle(self, "GET")

            def do_POST(self):  # noqa: N802
                fake._handle(self, "POST")

            def do_PUT(self):  # noqa: N802
                fake._handle(self, "PUT")

            def do_PATCH(self):  # noqa: N802
                fake._handle(self, "PATCH")

            def do_DELETE(self):  # noqa: N802
                fake._handle(self, "DELETE")

            def log_message(self, *args):
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        ca = trustme.CA()
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(ctx)
        self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.ca_path = f"{ca_dir}/fake-arm-ca.pem"
        ca.cert_pem.write_to_path(self.ca_path)
        self.base_url = f"https://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- recording ------------------------------------------------------------------------
    def arm_requests(self) -> list[dict[str, Any]]:
        """Requests to ARM (not to the token authority)."""
        return [r for r in self.requests if r["target"] == "arm"]

    def count(self, pattern: str, method: str = "GET") -> int:
        rx = re.compile(pattern, re.I)
        return sum(1 for r in self.arm_requests() if r["method"] == method and rx.search(r["path"]))

    # -- handling -------------------------------------------------------------------------
    def _send(self, h, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        out = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(out)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(out)

    @staticmethod
    def _error(code: str, message: str) -> dict[str, Any]:
        return {"error": {"code": code, "message": message}}

    def _handle(self, h, method: str) -> None:
        if self.latency:
            time.sleep(self.latency)
        url = urlsplit(h.path)
        query = parse_qs(url.query, keep_blank_values=True)
        raw = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        path = url.path.rstrip("/") or "/"
        record = {"t": time.monotonic(), "method": method, "path": path, "query": url.query,
                  "body": raw.decode("utf-8", "replace") if method == "POST" else "",
                  "authorization": h.headers.get("Authorization"), "target": "arm",
                  "status": 200}
        with self._lock:
            self.requests.append(record)
        status, body, headers = self._answer(method, path, query, raw, record)
        record["status"] = status
        self._send(h, status, body, headers)

    def _answer(self, method, path, query, raw, record):
        token = self._token(method, path, record)
        if token is not None:
            return token
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and fault.method == method and re.search(fault.path, path, re.I):
                    fault.times -= 1
                    return fault.status, self._error(fault.code, fault.message), fault.headers
        if "api-version" not in query:
            return 400, self._error("MissingApiVersionParameter", "api-version is required"), {}
        if not (record["authorization"] or "").startswith("Bearer "):
            return 401, self._error("AuthenticationFailed", "no bearer token"), {}
        m = re.match(SUB, path, re.I)
        if m and m.group("sub").lower() in self.forbidden:
            return 403, self._error("AuthorizationFailed", "The client does not have "
                                    "authorization to perform action over scope "
                                    f"'/subscriptions/{m.group('sub')}'"), {}
        for verb, rx, fn in self._routes:
            match = rx.match(path)
            if match and verb == method:
                return fn(match, query, raw, path)
        return 404, self._error("ResourceNotFound", f"no fake route for {method} {path}"), {}

    def _token(self, method, path, record):
        """A minimal Entra ID authority: OpenID configuration and a client-credentials token."""
        m = re.match(r"^/(?P<tenant>[^/]+)/v2\.0/\.well-known/openid-configuration$", path)
        if method == "GET" and m:
            record["target"] = "authority"
            base = f"{self.base_url}/{m.group('tenant')}"
            return 200, {"token_endpoint": f"{base}/oauth2/v2.0/token",
                         "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                         "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                         "issuer": f"{base}/v2.0", "tenant_region_scope": None}, {}
        if method == "POST" and re.match(r"^/[^/]+/oauth2/v2\.0/token$", path):
            record["target"] = "authority"
            return 200, {"token_type": "Bearer", "expires_in": 3600, "ext_expires_in": 3600,
                         "access_token": "fake-token-from-authority"}, {}
        return None

    # -- paging ---------------------------------------------------------------------------
    def _page(self, path: str, query: dict[str, list[str]], items: list[Any]):
        start = int(query.get("$skiptoken", ["0"])[0])
        body: dict[str, Any] = {"value": items[start:start + self.page_size]}
        if start + self.page_size < len(items):
            q = {k: v[0] for k, v in query.items() if k != "$skiptoken"}
            q["$skiptoken"] = str(start + self.page_size)
            body["nextLink"] = f"{self.base_url}{path}?{urlencode(q)}"
        return 200, body, {}

    # -- routes ---------------------------------------------------------------------------
    def _subscriptions(self, m, query, raw, path):
        return self._page(path, query, self.data.subscriptions)

    def _resources(self, m, query, raw, path):
        # ARM's generic listing carries no properties (Resource Graph does).
        items = [{k: v for k, v in r.items() if k not in ("properties", "resourceGroup",
                                                           "subscriptionId")}
                 for r in self.data.resources.get(m.group("sub").lower(), [])]
        return self._page(path, query, items)

    def _groups(self, m, query, raw, path):
        return self._page(path, query, self.data.groups.get(m.group("sub").lower(), []))

    def _rsv(self, m, query, raw, path):
        return self._page(path, query, self.data.recovery_vaults.get(m.group("sub").lower(), []))

    def _rsv_key(self, m) -> str:
        return _vault_key(m.group("sub"), m.group("rg"), m.group("v"),
                          "microsoft.recoveryservices", "vaults")

    def _bv_key(self, m) -> str:
        return _vault_key(m.group("sub"), m.group("rg"), m.group("v"),
                          "microsoft.dataprotection", "backupvaults")

    def _items(self, m, query, raw, path):
        return self._page(path, query, self.data.protected_items.get(self._rsv_key(m), []))

    def _vault_policies(self, m, query, raw, path):
        return self._page(path, query, self.data.vault_policies.get(self._rsv_key(m), []))

    def _storage_config(self, m, query, raw, path):
        cfg = self.data.storage_configs.get(self._rsv_key(m))
        if cfg is None:
            return 404, self._error("ResourceNotFound", "no storage config"), {}
        return 200, cfg, {}

    def _replicated(self, m, query, raw, path):
        return self._page(path, query, self.data.replicated_items.get(self._rsv_key(m), []))

    def _bv(self, m, query, raw, path):
        return self._page(path, query, self.data.backup_vaults.get(m.group("sub").lower(), []))

    def _instances(self, m, query, raw, path):
        return self._page(path, query, self.data.backup_instances.get(self._bv_key(m), []))

    def _bv_policies(self, m, query, raw, path):
        return self._page(path, query, self.data.backup_policies.get(self._bv_key(m), []))

    def _jobs(self, m, query, raw, path):
        return self._page(path, query, self.data.backup_jobs.get(self._bv_key(m), []))

    def _sql_retention(self, m, query, raw, path):
        database = path.rsplit("/backupShortTermRetentionPolicies", 1)[0]
        days = self.data.sql_retention_days.get(database.lower(), 7)
        return 200, {"id": f"{database}/backupShortTermRetentionPolicies/default",
                     "name": "default", "properties": {"retentionDays": days,
                                                       "diffBackupIntervalInHours": 12}}, {}

    def _graph(self, m, query, raw, path):
        headers: dict[str, str] = {}
        if self.graph_forbidden:
            return 403, self._error("AuthorizationFailed", "Resource Graph is not permitted"), {}
        if self.graph_quota is not None:
            limit, window = self.graph_quota
            with self._lock:
                began, used = self._graph_window
                now = time.monotonic()
                if now - began >= window:
                    began, used = now, 0
                used += 1
                self._graph_window = (began, used)
                left = limit - used
                resets = max(0.0, window - (now - began))
            if left < 0:
                return 429, self._error("RateLimiting", "quota exceeded"), {
                    "Retry-After": str(max(1, round(resets)))}
            headers = {"x-ms-user-quota-remaining": str(left),
                       "x-ms-user-quota-resets-after": time.strftime(
                           "%H:%M:%S", time.gmtime(resets)) + f".{int(resets % 1 * 1000):03d}"}
        request = json.loads(raw or b"{}")
        subs = [s.lower() for s in request.get("subscriptions") or []]
        visible = [s for s in subs if s not in self.forbidden]
        text = str(request.get("query") or "")
        if text.lstrip().startswith("ResourceContainers"):
            rows = [{"id": g["id"], "name": g["name"], "subscriptionId": s,
                     "tags": g.get("tags") or {}}
                    for s in visible for g in self.data.groups.get(s, [])]
        else:
            rows = [{**{k: r.get(k) for k in ("id", "name", "location", "resourceGroup",
                                              "subscriptionId", "tags", "zones", "sku",
                                              "kind", "managedBy", "properties")},
                     "type": r["type"].lower()}
                    for s in visible for r in self.data.resources.get(s, [])]
        opts = request.get("options") or {}
        start = int(opts.get("$skipToken") or 0)
        top = min(int(opts.get("$top") or 1000), self.graph_page_size)
        page = rows[start:start + top]
        body: dict[str, Any] = {"totalRecords": len(rows), "count": len(page),
                                "resultTruncated": "false", "data": page, "facets": []}
        if start + top < len(rows):
            body["$skipToken"] = str(start + top)
        return 200, body, headers


class FakeCredential:
    """An azure-core TokenCredential that hands out a fixed token (no Entra ID involved)."""

    def __init__(self) -> None:
        self.calls = 0

    def get_token(self, *scopes: str, **kwargs: Any):
        from azure.core.credentials import AccessToken

        self.calls += 1
        return AccessToken("fake-token", int(time.time()) + 3600)
