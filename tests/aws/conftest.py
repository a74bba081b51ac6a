"""Fixtures for the AWS source tests: moto in-process, a botocore overlay for what moto lacks,
a call recorder, and fault injection."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-2",
    "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
}
_OK = {"HTTPStatusCode": 200, "HTTPHeaders": {}, "RetryAttempts": 0}


def apply_env(setter: Callable[[str, str], None], unsetter: Callable[[str], None]) -> None:
    for name, value in FAKE_ENV.items():
        setter(name, value)
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_REGION", "AWS_MAX_ATTEMPTS",
                 "AWS_RETRY_MODE"):
        unsetter(name)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    apply_env(monkeypatch.setenv, lambda n: monkeypatch.delenv(n, raising=False))


@pytest.fixture
def moto(aws_env) -> Iterator[None]:
    """moto without AWS-managed IAM policies (loading them costs seconds per account)."""
    from moto import mock_aws

    with mock_aws(config={"iam": {"load_aws_managed_policies": False}}):
        yield


def client_error(code: str, status: int, message: str = "injected") -> dict[str, Any]:
    """A canned error answer for the overlay."""
    return {"__error__": status, "Error": {"Code": code, "Message": message}}


class Overlay:
    """Answers operations moto lacks (or injects errors) through botocore's ``before-call``.

    ``answers`` maps (service name, operation) to a response dict or to a callable taking the
    call's API parameters and returning one (or None to let moto answer). Canned responses are
    validated against the operation's output shape. ``calls`` records every operation made.
    """

    def __init__(self, answers: dict[tuple[str, str], Any] | None = None):
        self.answers = dict(answers or {})
        self.calls: list[tuple[str, str]] = []
        self.sessions: list[Any] = []
        self._lock = threading.Lock()

    def hook(self, session: Any) -> None:
        self.sessions.append(session)

        def record(params, model, context, **_):
            with self._lock:
                self.calls.append((model.service_model.service_name, model.name))
            context["overlay_params"] = dict(params)

        def answer(model, context, **_):
            spec = self.answers.get((model.service_model.service_name, model.name))
            if spec is None:
                return None
            body = spec(context.get("overlay_params", {})) if callable(spec) else spec
            if body is None:
                return None
            return respond(model, body)

        session.events.register_first("provide-client-params", record)
        session.events.register_first("before-call", answer)


def respond(model: Any, body: dict[str, Any]):
    from botocore.awsrequest import AWSResponse
    from botocore.validate import validate_parameters

    body = dict(body)
    status = body.pop("__error__", 200)
    if status == 200:
        payload = {k: v for k, v in body.items() if k != "ResponseMetadata"}
        validate_parameters(payload, model.output_shape)
    body.setdefault("ResponseMetadata", dict(_OK, HTTPStatusCode=status))
    return AWSResponse(None, status, {}, None), body


class Faults:
    """Fails chosen operations at the HTTP layer (``before-send``), so botocore's retries apply.

    ``plan`` maps an operation name to a list of statuses to answer before letting calls through
    (an empty tail means the call then reaches moto); ``always`` maps a predicate on (operation,
    region) to a status answered forever.
    """

    def __init__(self, plan: dict[str, list[int]] | None = None,
                 always: Callable[[str, str], int | None] | None = None):
        self.plan = {k: list(v) for k, v in (plan or {}).items()}
        self.always = always
        self.injected: list[tuple[str, int]] = []
        self._lock = threading.Lock()

    def hook(self, session: Any) -> None:
        def send(request, event_name, **kwargs):
            from botocore.awsrequest import AWSResponse

            op = event_name.rsplit(".", 1)[-1]
            region = region_of(request.url)
            status = None
            with self._lock:
                if self.always is not None:
                    status = self.always(op, region)
                if status is None and self.plan.get(op):
                    status = self.plan[op].pop(0)
                if status is not None:
                    self.injected.append((op, status))
            if status is None:
                return None
            code = "ThrottlingException" if status in (400, 429) else "ServiceUnavailable"
            body = (f'<ErrorResponse><Error><Code>{code}</Code><Message>injected</Message>'
                    f'</Error></ErrorResponse>').encode()
            return AWSResponse(request.url, status, {"content-type": "text/xml"}, _Raw(body))

        session.events.register_first("before-send", send)


def region_of(url: str) -> str:
    host = url.split("/")[2]
    for part in host.split("."):
        if part.count("-") >= 2 and part[-1].isdigit():
            return part
    return "us-east-1"


class _Raw:
    def __init__(self, data: bytes):
        self.data = data

    def stream(self, **_):
        yield self.data

    def read(self, *_):
        return self.data


def hooks(*fns: Callable[[Any], None]) -> Callable[[Any], None]:
    def run(session: Any) -> None:
        for fn in fns:
            fn(session)
    return run
