"""Turn an AWS failure into a CollectionGap: what could not be read, where, and why."""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from resilience.model import CollectionGap, DataKind, Provider

_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
           "UnauthorizedAccess", "Forbidden", "403"}
_REGION = {"UnrecognizedClientException", "AuthFailure", "OptInRequired", "InvalidClientTokenId",
           "SubscriptionRequiredException", "UnsupportedOperation"}
_UNIMPLEMENTED = {"NotImplemented", "NotImplementedException", "501", "404", "NotFound",
                  "UnknownOperationException", "InvalidAction"}
_THROTTLED = {"Throttling", "ThrottlingException", "TooManyRequestsException",
              "RequestLimitExceeded", "SlowDown", "ProvisionedThroughputExceededException"}


def classify(exc: BaseException) -> tuple[str, str]:
    """A short code and a user-facing reason for a failed call (never the credentials)."""
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = str(err.get("Code") or "Unknown")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        op = getattr(exc, "operation_name", "the call")
        message = str(err.get("Message") or "").strip()[:200]
        if code in _DENIED:
            return code, f"access denied to {op}" + (f" ({message})" if message else "")
        if code in _THROTTLED:
            return code, f"{op} was still throttled after its retries"
        if code in _REGION:
            return code, f"{op} is not available: the region is not enabled for this account " \
                         f"or the service is not offered there ({code})"
        if code in _UNIMPLEMENTED or status in (404, 501):
            return "NotImplemented", f"the endpoint does not implement {op} ({code})"
        if status is not None and status >= 500:
            return code, f"{op} kept failing with a server error (HTTP {status}) after its retries"
        return code, f"{op} failed: {code}" + (f": {message}" if message else "")
    if isinstance(exc, NotImplementedError):
        return "NotImplemented", f"the endpoint does not implement this API ({exc})"[:300]
    if isinstance(exc, ConnectTimeoutError | ReadTimeoutError):
        return "Timeout", f"the API timed out ({type(exc).__name__})"
    if isinstance(exc, EndpointConnectionError):
        return "EndpointUnreachable", "the endpoint could not be reached; the service may not be " \
                                      "offered in this region"
    if isinstance(exc, BotoCoreError):
        return type(exc).__name__, f"the AWS SDK failed: {exc}"[:300]
    name = type(exc).__name__
    return name, f"unexpected failure while collecting ({name}: {exc})"[:300]


def scope_of(account: str, region: str | None, service: str) -> str:
    return f"aws:{account}:{region or 'global'}:{service}"


def gap_for(exc: BaseException, *, account: str, region: str | None, service: str,
            kinds: tuple[DataKind, ...] | list[DataKind],
            detail: str | None = None) -> CollectionGap:
    """The gap recorded when ``service`` could not be read in ``account``/``region``."""
    code, reason = classify(exc)
    if detail:
        reason = f"{detail}: {reason}"
    return CollectionGap(source=Provider.AWS, scope=scope_of(account, region, service),
                         service=service, kinds=list(kinds), reason=reason, code=code,
                         account=account, region=region)
