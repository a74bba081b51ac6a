"""``resilience.yaml``: which sources to read, how cloud tags map to the business, which policy."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from resilience.durations import Duration, parse_duration
from resilience.errors import InputError, UsageError
from resilience.model import Organisation, SystemKind
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
    concurrency: int = Field(64, ge=1, le=256)
    max_attempts: int | None = Field(
        None, ge=1, le=20,
        description="Attempts per API call, retries included (adaptive mode); unset honours "
        "AWS_MAX_ATTEMPTS, else botocore's default.")
    connect_timeout: float = Field(10, gt=0, le=300, description="Seconds to connect.")
    read_timeout: float = Field(60, gt=0, le=900, description="Seconds to wait for a response.")
    # The length as bounds, not {2,64}: Rust's regex engine compiles a bounded repetition of a
    # Unicode class into a large automaton (~40 ms at every start-up), the same rule otherwise.
    session_name: str = Field("resilience-inventory", pattern=r"^[\w+=,.@-]+$",
                              min_length=2, max_length=64,
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


# Planning estimates for restoring one system of each kind when no restore test measured it.
# Deliberately conservative; replace them with your own measured times (docs/scenarios.md).
DEFAULT_RESTORE_ESTIMATES = {
    SystemKind.DIRECTORY: "12h", SystemKind.NETWORK: "8h", SystemKind.DATABASE: "8h",
    SystemKind.SERVER: "6h", SystemKind.VM: "4h", SystemKind.FILE_SHARE: "12h",
    SystemKind.STORAGE: "8h", SystemKind.BUCKET: "4h", SystemKind.APPLICATION: "6h",
    SystemKind.BACKUP_SERVER: "8h", SystemKind.SAAS: "4h", SystemKind.ENDPOINT: "2h",
    SystemKind.TELEPHONY: "8h", SystemKind.OTHER: "8h",
}


class Contact(Strict):
    """Who fills a role in an incident, and how to reach them when email and phones are down."""

    name: str
    phone: str | None = None
    email: str | None = None
    alternate: str | None = Field(None, description="A deputy, with a way to reach them.")


class Regulator(Strict):
    """A body you must or should tell, and by when."""

    name: str
    when: str = Field(description="What triggers the duty, in plain words.")
    deadline: Duration | None = Field(None, description="From the time you became aware.")
    deadline_note: str | None = None
    how: str = Field(description="How to report: web form, phone, email.")
    lessons: list[str] = Field(min_length=1)
    attack_only: bool = Field(False, description="Only when an attacker is involved.")


class RestoreSettings(Strict):
    """How the simulation times restores that no restore test has measured."""

    estimates: dict[SystemKind, Duration] = Field(
        default_factory=lambda: {k: parse_duration(v)
                                 for k, v in DEFAULT_RESTORE_ESTIMATES.items()},
        description="Time to restore one system of each kind when it has no measured restore test.",
    )
    default_estimate: Duration = Field(default_factory=lambda: parse_duration("8h"))
    parallel_streams: int = Field(1, ge=1, le=64, description="Restores run at the same time.")
    mobilisation: Duration = Field(
        default_factory=lambda: parse_duration("24h"),
        description="Time from the incident to the first restore: contain, get a clean "
        "environment, reach the copies.",
    )

    @field_validator("estimates", mode="after")
    @classmethod
    def _fill_estimates(cls, v):
        defaults = {k: parse_duration(t) for k, t in DEFAULT_RESTORE_ESTIMATES.items()}
        return {**defaults, **v}


class PlaybookSettings(Strict):
    """Contacts, reporting duties and restore estimates for simulations and playbooks."""

    contacts: dict[str, Contact] = Field(
        default_factory=dict, description="Role id (incident-lead, it-recovery-lead, "
        "communications-lead, data-protection-officer, ...) to who fills it.")
    regulators: list[Regulator] | None = Field(
        None, description="Who to tell and by when; unset means the defaults for the "
        "organisation's jurisdiction (UK: ICO, NCSC, Action Fraud, insurer).")
    restore: RestoreSettings = Field(default_factory=RestoreSettings)


class Config(Strict):
    """The whole ``resilience.yaml``."""

    organisation: Organisation = Field(default_factory=Organisation)
    policy: str | None = Field(None, description="Policy file; the built-in defaults when unset.")
    sources: Sources = Field(default_factory=Sources)
    tags: TagKeys = Field(default_factory=TagKeys)
    checks: ChecksSettings = Field(default_factory=ChecksSettings)
    waivers: str | None = None
    history: str | None = None
    history_keep: int | None = Field(
        None, ge=1, description="After each check, keep only the newest N runs of the "
        "organisation in the history database (unset: keep every run).")
    playbook: PlaybookSettings = Field(default_factory=PlaybookSettings)

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
