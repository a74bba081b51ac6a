"""``resilience.yaml``: which sources to read, how cloud tags map to the business, which policy."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from resilience.errors import InputError, UsageError
from resilience.model import Organisation
from resilience.model.estate import Strict
from resilience.policy import Policy, default_policy, load_policy
from resilience.yamlfile import load_yaml, validate_document

CONFIG_NAME = "resilience.yaml"


class TagKeys(Strict):
    """Cloud tag keys that put resources into tiers, services and owners."""

    tier: str = "resilience:tier"
    service: str = "resilience:service"
    owner: str = "resilience:owner"


class AdExport(Strict):
    """A CSV export of ``Get-ADUser`` (and optionally privileged group members)."""

    file: str
    domain: str = Field(description="The trust domain id these accounts belong to, e.g. corp.example.gov.uk.")
    privileged_groups: list[str] = Field(
        default_factory=lambda: ["Domain Admins", "Enterprise Admins", "Schema Admins",
                                 "Administrators", "Backup Operators", "Account Operators",
                                 "Server Operators"],
    )
    group_members: str | None = Field(None, description="Optional CSV of Get-ADGroupMember output.")
    date_order: Literal["dmy", "mdy"] | None = Field(
        None, description="How to read dates like 03/04/2020 when the export itself cannot tell: "
        "dmy (UK) or mdy (US).",
    )


class AwsSettings(Strict):
    """The AWS scope. Credentials come from the standard SDK chain and AWS_* variables."""

    enabled: bool = True
    profile: str | None = None
    regions: list[str] = Field(default_factory=list, description="Empty means all enabled regions.")
    accounts: list[str] = Field(default_factory=list, description="Member accounts to assume into.")
    organization: bool = Field(False, description="List member accounts through AWS Organizations.")
    assume_role: str | None = Field(None, description="Role name to assume in each member account.")
    external_id: str | None = None
    concurrency: int = Field(16, ge=1, le=256)
    max_attempts: int | None = Field(
        None, ge=1, le=20,
        description="Attempts per API call, retries included (adaptive mode); unset honours "
        "AWS_MAX_ATTEMPTS, else botocore's default.")
    connect_timeout: float = Field(10, gt=0, le=300, description="Seconds to connect.")
    read_timeout: float = Field(60, gt=0, le=900, description="Seconds to wait for a response.")
    session_name: str = Field("resilience-inventory", pattern=r"^[\w+=,.@-]{2,64}$",
                              description="RoleSessionName used when assuming roles.")


class AzureSettings(Strict):
    """The Azure scope. Credentials come from azure-identity's default chain."""

    enabled: bool = True
    cloud: str = Field("public", description="public, usgovernment, china, or custom.")
    arm_endpoint: str | None = None
    authority_host: str | None = None
    subscriptions: list[str] = Field(default_factory=list, description="Empty means all visible.")
    resource_graph: bool = True
    sql_retention: bool = Field(
        True, description="Read each SQL database's short-term backup retention (one request "
        "per database); off leaves it unknown.")
    concurrency: int = Field(8, ge=1, le=64)


class Sources(Strict):
    onprem: list[str] = Field(default_factory=list, description="On-prem estate YAML files.")
    ad: list[AdExport] = Field(default_factory=list)
    aws: AwsSettings | None = None
    azure: AzureSettings | None = None


class ChecksSettings(Strict):
    folders: list[str] = Field(default_factory=list, description="Folders of your own checks.")
    skip: list[str] = Field(default_factory=list)


class Config(Strict):
    """The whole ``resilience.yaml``."""

    organisation: Organisation = Field(default_factory=Organisation)
    policy: str | None = Field(None, description="Policy file; the built-in defaults when unset.")
    sources: Sources = Field(default_factory=Sources)
    tags: TagKeys = Field(default_factory=TagKeys)
    checks: ChecksSettings = Field(default_factory=ChecksSettings)
    waivers: str | None = None
    history: str | None = None

    @field_validator("policy", "waivers", "history")
    @classmethod
    def _no_empty(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError("must be a file path")
        return v


class LoadedConfig:
    """A config together with the folder its relative paths are resolved against."""

    def __init__(self, config: Config, base: Path, path: Path | None):
        self.config = config
        self.base = base
        self.path = path

    def resolve(self, relative: str) -> Path:
        """Resolve a path from the config; a relative path may not climb out of its folder."""
        p = Path(relative).expanduser()
        if p.is_absolute():
            return p
        resolved = (self.base / p).resolve()
        if not resolved.is_relative_to(self.base.resolve()):
            raise InputError(
                f"path '{relative}' leaves the configuration's folder; use an absolute path "
                "if you really mean it",
                path=str(self.path) if self.path else None,
            )
        return resolved

    def policy(self) -> Policy:
        if self.config.policy is None:
            return default_policy()
        return load_policy(self.resolve(self.config.policy))


def load_config(path: Path | None, *, required: bool = True) -> LoadedConfig:
    """Load ``path``, or ``./resilience.yaml``; with ``required=False`` fall back to defaults."""
    if path is None:
        candidate = Path.cwd() / CONFIG_NAME
        if not candidate.exists():
            if required:
                raise UsageError(
                    f"no {CONFIG_NAME} in {Path.cwd()}. Run `resilience init` to write a starter "
                    "configuration, `resilience demo` to see the tool on an example estate, or "
                    "pass --config FILE or --snapshot FILE."
                )
            return LoadedConfig(Config(), Path.cwd(), None)
        path = candidate
    doc = load_yaml(path)
    config = validate_document(Config, doc, what="a resilience configuration")
    return LoadedConfig(config, path.parent, path)
