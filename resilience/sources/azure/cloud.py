"""Azure clouds, credentials and SDK clients: where ARM and Entra ID are, and how to reach them."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from resilience.config import AzureSettings
from resilience.errors import UsageError

# (ARM endpoint, authority host) of the clouds azure-identity and the SDKs know by name.
_CLOUDS = {
    "public": ("https://management.azure.com", "login.microsoftonline.com"),
    "usgovernment": ("https://management.usgovcloudapi.net", "login.microsoftonline.us"),
    "china": ("https://management.chinacloudapi.cn", "login.chinacloudapi.cn"),
}
_ALIASES = {"azurecloud": "public", "azureusgovernment": "usgovernment",
            "azurechinacloud": "china", "usgov": "usgovernment"}


@dataclass(frozen=True)
class CloudEndpoints:
    """Where ARM and the token authority are, and the scope tokens are asked for."""

    name: str
    arm_endpoint: str
    authority_host: str
    custom: bool = False  # the authority is not one of Microsoft's own

    @property
    def scope(self) -> str:
        return f"{self.arm_endpoint}/.default"


def _https(value: str, what: str) -> str:
    url = value.strip().rstrip("/")
    if "://" not in url:
        url = f"https://{url}"
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        raise UsageError(f"azure.{what}: '{value}' is not an https URL; Azure only accepts "
                         "bearer tokens over TLS")
    return url


def resolve_cloud(settings: AzureSettings) -> CloudEndpoints:
    """The endpoints for ``settings.cloud``, overridden by ``arm_endpoint``/``authority_host``."""
    name = settings.cloud.strip().lower()
    name = _ALIASES.get(name, name)
    if name not in _CLOUDS and name != "custom":
        raise UsageError(f"azure.cloud: '{settings.cloud}' is not one of public, usgovernment, "
                         "china, custom")
    if name == "custom" and not (settings.arm_endpoint and settings.authority_host):
        raise UsageError("azure.cloud is custom: set both azure.arm_endpoint and "
                         "azure.authority_host")
    arm, authority = _CLOUDS.get(name, ("", ""))
    if settings.arm_endpoint:
        arm = _https(settings.arm_endpoint, "arm_endpoint")
    if settings.authority_host:
        authority = _https(settings.authority_host, "authority_host")
    known = {host for _, host in _CLOUDS.values()}
    custom = authority.removeprefix("https://").rstrip("/") not in known
    return CloudEndpoints(name=name, arm_endpoint=arm, authority_host=authority, custom=custom)


def default_credential(cloud: CloudEndpoints):
    """azure-identity's standard chain (environment, workload identity, managed identity, CLI...)
    against the cloud's authority. A private authority skips Entra instance discovery, which
    would otherwise ask the public cloud to vouch for it (Azure Stack, tests)."""
    from azure.identity import DefaultAzureCredential

    kwargs: dict[str, Any] = {"authority": cloud.authority_host}
    if cloud.custom:
        kwargs["disable_instance_discovery"] = True
    return DefaultAzureCredential(**kwargs)


@dataclass
class ClientFactory:
    """Builds the management clients with one credential, endpoint and transport set-up.

    ``transport_options`` go to every client unchanged (e.g. ``connection_verify`` with a CA
    bundle, ``retry_backoff_factor``); ``policy`` is the read-only guard and throttle.
    """

    credential: Any
    cloud: CloudEndpoints
    policy: Any = None
    transport_options: dict[str, Any] = field(default_factory=dict)
    pool_size: int = 10
    _transport: Any = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def transport(self):
        """One HTTP session for every client: ARM is one host, so connections (and their TLS
        handshakes) are shared across subscriptions and services instead of one pool each."""
        with self._lock:
            if self._transport is None:
                import requests
                from azure.core.pipeline.transport import RequestsTransport
                from urllib3.util.retry import Retry

                session = requests.Session()
                # As azure-core sets up its own sessions: retries belong to its RetryPolicy
                # (which honours Retry-After), not to urllib3; only the pool is larger.
                adapter = requests.adapters.HTTPAdapter(
                    pool_connections=4, pool_maxsize=self.pool_size,
                    max_retries=Retry(total=False, redirect=False, raise_on_status=False))
                session.mount("https://", adapter)
                self._transport = RequestsTransport(session=session, session_owner=False,
                                                    **self.transport_options)
            return self._transport

    def _kwargs(self) -> dict[str, Any]:
        kw: dict[str, Any] = {"base_url": self.cloud.arm_endpoint,
                              "credential_scopes": [self.cloud.scope],
                              "transport": self.transport()}
        if self.policy is not None:
            kw["custom_hook_policy"] = self.policy
        kw.update(self.transport_options)
        return kw

    def subscriptions(self):
        from azure.mgmt.resource.subscriptions import SubscriptionClient

        return SubscriptionClient(self.credential, **self._kwargs())

    def resources(self, subscription: str):
        from azure.mgmt.resource.resources import ResourceManagementClient

        return ResourceManagementClient(self.credential, subscription, **self._kwargs())

    def graph(self):
        from azure.mgmt.resourcegraph import ResourceGraphClient

        return ResourceGraphClient(self.credential, **self._kwargs())

    def recovery_services(self, subscription: str):
        from azure.mgmt.recoveryservices import RecoveryServicesClient

        return RecoveryServicesClient(self.credential, subscription, **self._kwargs())

    def recovery_services_backup(self, subscription: str):
        from azure.mgmt.recoveryservicesbackup import RecoveryServicesBackupClient

        return RecoveryServicesBackupClient(self.credential, subscription, **self._kwargs())

    def data_protection(self, subscription: str):
        from azure.mgmt.dataprotection import DataProtectionMgmtClient

        return DataProtectionMgmtClient(self.credential, subscription, **self._kwargs())
