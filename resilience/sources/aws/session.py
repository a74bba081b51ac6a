"""Sessions and clients: the caller's, assumed roles, adaptive retries, a client cache."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import boto3
import botocore.client
import botocore.hooks
import botocore.session
from botocore.config import Config
from botocore.credentials import RefreshableCredentials
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, ProfileNotFound

from resilience.config import AwsSettings
from resilience.errors import SourceError, UsageError

SessionHook = Callable[[boto3.Session], None]
"""Called with every session the source creates (tests register botocore event handlers)."""

# Global services (IAM, Organizations, S3's ListBuckets) are signed for one region per partition.
_PARTITION_HOME = {"aws": "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"}


def client_config(settings: AwsSettings) -> Config:
    """botocore settings for every client: adaptive retries and a pool as wide as the fan-out."""
    retries: dict[str, Any] = {"mode": "adaptive"}
    if settings.max_attempts is not None:
        retries["total_max_attempts"] = settings.max_attempts
    return Config(
        retries=retries,
        max_pool_connections=max(10, settings.concurrency),
        connect_timeout=settings.connect_timeout,
        read_timeout=settings.read_timeout,
        user_agent_extra="resilience-inventory",
    )


class AccountSession:
    """A boto3 session for one account, with clients cached per service and region.

    boto3 clients are thread-safe once made; making them is not, so creation is locked.
    """

    def __init__(self, session: boto3.Session, account_id: str, partition: str,
                 config: Config, alias_of: str | None = None):
        self.session = session
        self.account_id = account_id
        self.partition = partition
        self.config = config
        self.assumed_from = alias_of
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    @property
    def home_region(self) -> str:
        """The region global services are called in."""
        return _PARTITION_HOME.get(self.partition) or self.session.region_name or "us-east-1"

    def client(self, service: str, region: str | None = None) -> Any:
        region = region or self.home_region
        key = (service, region)
        # a client already made is returned without the lock: it is only ever added, never
        # replaced, and waiting here behind another thread that is making a different client
        # (a few ms, far longer under the GIL with many threads) queued every unit of the account
        made = self._clients.get(key)
        if made is not None:
            return made
        with self._lock:
            made = self._clients.get(key)
            if made is None:
                made = self.session.client(service, region_name=region, config=self.config)
                self._clients[key] = made
            return made


_loader_lock = threading.Lock()
_loader: Any = None
# Per service (and API version): one parsed ServiceModel and one client class for every client
# made with the shared loader. Keyed by ServiceModel identity for classes; models are kept alive
# here, so the ids stay valid.
_models: dict[tuple[str, str | None], Any] = {}
_classes: dict[int, type] = {}
_model_ids: set[int] = set()


class _SharedPartsCreator(botocore.client.ClientCreator):
    """botocore's ClientCreator, reusing the service model and client class per service.

    botocore builds a fresh ServiceModel and client class for every client, and each model
    re-resolves its shapes, operations and paginators on first use. This source makes a client
    per account x region x service (about 90 for 3 accounts x 4 regions), so that work was about
    half of a collection's CPU (bench/aws_fanout.py). Models and classes hold no credentials,
    region or endpoint; botocore already shares one model across threads within a client, and
    its lazy caches only ever fill in the same values. Only clients made with this module's
    shared loader (our sessions) are affected; any other caller gets botocore unchanged.
    """

    def _load_service_model(self, service_name, api_version=None):  # noqa: ANN001, ANN202
        if self._loader is not _loader:
            return super()._load_service_model(service_name, api_version)
        key = (service_name, api_version)
        model = _models.get(key)
        if model is None:
            made = super()._load_service_model(service_name, api_version)
            with _loader_lock:
                model = _models.setdefault(key, made)
                _model_ids.add(id(model))
        return model

    def _create_client_class(self, service_name, service_model):  # noqa: ANN001, ANN202
        if self._loader is not _loader or id(service_model) not in _model_ids:
            return super()._create_client_class(service_name, service_model)
        cls = _classes.get(id(service_model))
        if cls is None:
            made = super()._create_client_class(service_name, service_model)
            with _loader_lock:
                cls = _classes.setdefault(id(service_model), made)
        return cls

    def create_client(self, service_name, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        client = super().create_client(service_name, *args, **kwargs)
        if self._loader is _loader:
            _share_endpoint_provider(client)
        return client


# Per shared ServiceModel: the first client's EndpointProvider, used by every later client.
_providers: dict[int, Any] = {}


def _share_endpoint_provider(client: Any) -> None:
    """Resolve endpoints for every client of a service with one EndpointProvider.

    botocore evaluates the endpoint rule set on every call and caches the answer per provider,
    keyed by all the parameters (region, FIPS, endpoint override, bucket, account id, ...); each
    new client brings a new, empty cache, so each of our ~90 clients paid about 0.6 ms a call for
    answers another client had already worked out. Resolution is a pure function of those
    parameters and the rule set, and the rule set comes with the service model (one per service
    and API version, shared above), so one provider per model gives the same endpoints.
    """
    model = client.meta.service_model
    resolver = getattr(client, "_ruleset_resolver", None)
    provider = getattr(resolver, "_provider", None)
    if provider is None or id(model) not in _model_ids:
        return
    with _loader_lock:
        shared = _providers.setdefault(id(model), provider)
    resolver._provider = shared


# Event names as aliased by botocore's default EVENT_ALIASES, for every emitter that uses them.
_aliases: dict[str, str] = {}
_DEFAULT_ALIASES = getattr(botocore.hooks, "EVENT_ALIASES", None)


class _SharedAliasEmitter(botocore.hooks.EventAliaser):
    """botocore's EventAliaser, sharing one event-name alias cache across its copies.

    Every client gets a copy of its session's emitter, and a copy starts with an empty cache:
    each of our clients re-derived the same aliases for every event it registered or emitted
    (about 5,500 derivations, 14% of a collection's CPU). An alias depends only on the event
    name and the alias table, which is botocore's constant here.
    """

    def __copy__(self):  # noqa: ANN204
        made = super().__copy__()
        if made._event_aliases == _DEFAULT_ALIASES:
            made._alias_name_cache = self._alias_name_cache
        return made


def _share_aliases(session: boto3.Session) -> None:
    events = session._session.get_component("event_emitter")
    if _DEFAULT_ALIASES is not None and type(events) is botocore.hooks.EventAliaser and \
            getattr(events, "_event_aliases", None) is _DEFAULT_ALIASES and \
            isinstance(getattr(events, "_alias_name_cache", None), dict):
        events.__class__ = _SharedAliasEmitter
        events._alias_name_cache = _aliases


def _share_models(session: boto3.Session) -> None:
    """Give every session one process-wide model loader: each service's JSON is parsed once,
    not once per account (EC2's model alone takes about 100 ms to parse); and make clients
    through ``_SharedPartsCreator`` so each service's model and client class are built once."""
    global _loader
    with _loader_lock:
        if _loader is None:
            _loader = session._session.get_component("data_loader")
            if hasattr(botocore.client.ClientCreator, "_load_service_model") and hasattr(
                    botocore.client.ClientCreator, "_create_client_class"):
                botocore.client.ClientCreator = _SharedPartsCreator
        else:
            session._session.register_component("data_loader", _loader)
    _share_aliases(session)


def _partition_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[1] if len(parts) > 1 and parts[1] else "aws"


def caller_session(settings: AwsSettings, hook: SessionHook | None = None) -> AccountSession:
    """The session of the credentials in use (profile or SDK chain) and the account it is in."""
    try:
        session = boto3.Session(profile_name=settings.profile)
    except ProfileNotFound as exc:
        raise UsageError(f"AWS profile '{settings.profile}' was not found ({exc})") from None
    _share_models(session)
    if hook is not None:
        hook(session)
    config = client_config(settings)
    region = session.region_name or "us-east-1"
    try:
        ident = session.client("sts", region_name=region, config=config).get_caller_identity()
    except NoCredentialsError:
        raise SourceError("no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/"
                          "AWS_SECRET_ACCESS_KEY, run `aws sso login`, or pass --profile") from None
    except (ClientError, BotoCoreError) as exc:
        raise SourceError(f"AWS credentials could not be used (sts:GetCallerIdentity: "
                          f"{exc})") from None
    return AccountSession(session, ident["Account"], _partition_of(ident["Arn"]), config)


def assume_role(parent: AccountSession, account_id: str, settings: AwsSettings,
                hook: SessionHook | None = None) -> AccountSession:
    """A session in ``account_id`` through ``settings.assume_role``, refreshed before expiry."""
    role_arn = f"arn:{parent.partition}:iam::{account_id}:role/{settings.assume_role}"
    sts = parent.client("sts", parent.session.region_name or parent.home_region)
    params: dict[str, Any] = {"RoleArn": role_arn, "RoleSessionName": settings.session_name}
    if settings.external_id:
        params["ExternalId"] = settings.external_id

    def fetch() -> dict[str, str]:
        creds = sts.assume_role(**params)["Credentials"]
        return {"access_key": creds["AccessKeyId"], "secret_key": creds["SecretAccessKey"],
                "token": creds["SessionToken"], "expiry_time": creds["Expiration"].isoformat()}

    credentials = RefreshableCredentials.create_from_metadata(
        metadata=fetch(), refresh_using=fetch, method="sts-assume-role")
    core = botocore.session.get_session()
    core._credentials = credentials  # botocore has no public setter for refreshable credentials
    session = boto3.Session(botocore_session=core,
                            region_name=parent.session.region_name or parent.home_region)
    _share_models(session)
    if hook is not None:
        hook(session)
    return AccountSession(session, account_id, parent.partition, parent.config,
                          alias_of=parent.account_id)
