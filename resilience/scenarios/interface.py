"""The scenario interface: the scenario file model, the simulation result and the base error."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator

from resilience.durations import Duration
from resilience.errors import ScenarioError
from resilience.model.enums import Word
from resilience.model.estate import Strict
from resilience.model.timeutil import Timestamp

__all__ = [
    "BackupField", "BackupFlag", "BackupRule", "CopyOutcome", "Gap", "GapCode", "Parameter",
    "ParameterKind", "PlaybookStep", "PlaybookText", "Recovery", "RestoreStep", "Scenario",
    "ScenarioError", "ServiceOutcome", "ServiceRule", "ServiceStatus", "Simulation",
    "SystemEffect", "SystemField", "SystemFlag", "SystemOutcome", "SystemRule", "SystemState",
    "Unknown",
]

PARAM_REF = r"^\$[a-z][a-z0-9_]*$"
ID = r"^[a-z0-9][a-z0-9-]*$"

Value = str | list[str]


class ParameterKind(StrEnum):
    """What a scenario parameter names in the estate; it decides its default and validation."""

    TRUST_DOMAIN = "trust-domain"
    DIRECTORY = "directory"
    SITE = "site"
    REGION = "region"
    CLOUD_ACCOUNT = "cloud-account"
    SUPPLIER = "supplier"


class Parameter(Strict):
    """One thing a scenario can be pointed at: which directory, site, region, account, supplier."""

    kind: ParameterKind
    description: str
    default: str | None = Field(
        None, description="A fixed default; when unset the estate's most used one is chosen."
    )


class SystemField(StrEnum):
    """System fields a rule can match on."""

    ID = "id"
    HOSTING = "hosting"
    KIND = "kind"
    SITE = "site"
    REGION = "region"
    ACCOUNT = "account"
    IDENTITY_DOMAIN = "identity_domain"
    SUPPLIER = "supplier"


class BackupField(StrEnum):
    """Backup-copy fields a rule can match on (site, region and account default to the system's)."""

    ID = "id"
    SYSTEM = "system"
    TOOL = "tool"
    KIND = "kind"
    SITE = "site"
    REGION = "region"
    ACCOUNT = "account"
    TRUST_DOMAIN = "trust_domain"


class SystemFlag(StrEnum):
    """What spares a system a rule would otherwise hit."""

    FAILOVER = "failover"  # a failover site the rule's site/region conditions do not reach


class BackupFlag(StrEnum):
    """What spares a backup copy a rule would otherwise hit. Unknown (None) never spares."""

    IMMUTABLE = "immutable"
    OFFLINE = "offline"
    AIR_GAPPED = "air_gapped"
    DELETION_APPROVAL = "deletion_approval"


class SystemEffect(StrEnum):
    """What a scenario does to a system it hits."""

    DESTROYED = "destroyed"      # encrypted, deleted or burnt: only a surviving copy brings it back
    UNAVAILABLE = "unavailable"  # unreachable, data intact: back when the provider recovers


class Unknown(StrEnum):
    """How a rule treats an asset whose matched field is not recorded."""

    LOST = "lost"      # fail closed: assume the worst, and say it was assumed
    SPARED = "spared"


class _Rule(Strict):
    because: str = Field(description="Plain words for the output: why this is lost.")
    if_unknown: Unknown = Unknown.LOST

    @staticmethod
    def _check_values(when: dict) -> dict:
        for field, value in when.items():
            values = value if isinstance(value, list) else [value]
            if not values:
                raise ValueError(f"'{field}' needs at least one value")
            for v in values:
                if not isinstance(v, str) or not v.strip():
                    raise ValueError(f"'{field}' values must be non-empty text")
        return when


class SystemRule(_Rule):
    """Systems matching every condition in ``when`` are hit, unless a flag spares them."""

    when: dict[SystemField, Value] = Field(min_length=1)
    unless: list[SystemFlag] = Field(default_factory=list)
    effect: SystemEffect = SystemEffect.DESTROYED

    _values = field_validator("when")(lambda v: _Rule._check_values(v))


class BackupRule(_Rule):
    """Backup copies matching every condition in ``when`` are lost, unless a flag spares them."""

    when: dict[BackupField, Value] = Field(min_length=1)
    unless: list[BackupFlag] = Field(default_factory=list)

    _values = field_validator("when")(lambda v: _Rule._check_values(v))


class ServiceRule(_Rule):
    """Services hit directly (e.g. a supplier that runs them is down)."""

    when: dict[Literal["id", "supplier"], Value] = Field(min_length=1)

    _values = field_validator("when")(lambda v: _Rule._check_values(v))


class PlaybookStep(Strict):
    """One instruction, in plain imperative words, with the lessons that teach it."""

    text: str = Field(min_length=1)
    lessons: list[str] = Field(min_length=1)
    attack_only: bool = Field(False, description="Only for scenarios with an attacker.")


class PlaybookText(Strict):
    """The scenario's own playbook words; the shared steps in ``playbooks/common.yaml`` follow."""

    situation: str = ""
    first_hours: list[PlaybookStep] = Field(default_factory=list)
    isolate: list[PlaybookStep] = Field(default_factory=list)
    do_not: list[PlaybookStep] = Field(default_factory=list)
    restore: list[PlaybookStep] = Field(default_factory=list)
    communications: list[PlaybookStep] = Field(default_factory=list)
    return_to_normal: list[PlaybookStep] = Field(default_factory=list)


class Scenario(Strict):
    """A disruption, declared as rules over the estate (``docs/scenarios.md``)."""

    id: str = Field(pattern=ID)
    title: str
    summary: str
    lessons: list[str] = Field(min_length=1, description="Lesson ids this scenario is drawn from.")
    attack: bool = Field(True, description="An attacker is involved (evidence, ransom, police); "
                         "false for fires, floods and outages.")
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    systems: list[SystemRule] = Field(default_factory=list)
    backups: list[BackupRule] = Field(default_factory=list)
    services: list[ServiceRule] = Field(default_factory=list)
    playbook: PlaybookText = Field(default_factory=PlaybookText)
    source: str | None = Field(None, exclude=True, description="Where it was read from.")

    @field_validator("parameters")
    @classmethod
    def _param_names(cls, v: dict[str, Parameter]) -> dict[str, Parameter]:
        import re

        for name in v:
            if not re.match(r"^[a-z][a-z0-9_]*$", name):
                raise ValueError(f"parameter name '{name}' must be lower_case letters and digits")
        return v


# ---- the simulation result -------------------------------------------------------------------


class ServiceStatus(Word):
    """Where a business service stands in the scenario."""

    RUNNING = "running"
    DOWN_RECOVERABLE = "down-recoverable"      # a restore path exists from surviving copies
    DOWN_WAITING = "down-waiting"              # data intact elsewhere; back when the provider is
    DOWN_UNRECOVERABLE = "down-unrecoverable"  # no viable restore path


STATUS_RANK = {ServiceStatus.RUNNING: 0, ServiceStatus.DOWN_RECOVERABLE: 1,
               ServiceStatus.DOWN_WAITING: 2, ServiceStatus.DOWN_UNRECOVERABLE: 3}


class SystemState(Word):
    """What the scenario does to one system."""

    RUNNING = "running"
    FAILED_OVER = "failed-over"    # hit, but its failover site is outside the scenario's reach
    DESTROYED = "destroyed"
    UNAVAILABLE = "unavailable"
    DEPENDENCY_DOWN = "dependency-down"  # intact, but a system it needs is down


class Recovery(Word):
    """How a system comes back."""

    NOT_NEEDED = "not-needed"
    RESTORE = "restore"                  # from a surviving copy
    REBUILD = "rebuild"                  # no data copies declared; documented rebuild
    AFTER_DEPENDENCIES = "after-dependencies"
    WAIT_FOR_PROVIDER = "wait-for-provider"
    NO_VIABLE_PATH = "no-viable-path"
    BLOCKED = "blocked"                  # needs a system that has no viable path


class CopyOutcome(Strict):
    """One backup copy and whether it survives the scenario, with the reason."""

    id: str
    system: str
    survives: bool
    reason: str
    code: str = Field(description="Machine reason, e.g. same-trust-domain, immutable.")
    assumed: bool = Field(False, description="Decided on missing data (assumed the worst).")
    where: str
    tool: str | None = None
    trust_domain: str | None = None
    last_success: Timestamp | None = None
    restore_test_duration: Duration | None = None
    restore_test_passed: bool | None = None


class SystemOutcome(Strict):
    """One system in the scenario."""

    id: str
    name: str
    kind: str
    hosting: str
    tier: int | None = None
    state: SystemState
    reasons: list[str] = Field(default_factory=list)
    assumed: bool = False
    recovery: Recovery
    copy_id: str | None = Field(None, description="The surviving copy to restore from.")
    copies: list[CopyOutcome] = Field(default_factory=list)
    waits_for: list[str] = Field(default_factory=list, description="Down systems it needs.")
    blocked_by: list[str] = Field(default_factory=list)
    services: list[str] = Field(default_factory=list)


class RestoreStep(Strict):
    """One system in the restore sequence, with its timing from the start of the incident."""

    order: int
    system: str
    name: str
    action: Recovery
    copy_id: str | None = None
    where: str | None = None
    who: list[str] = Field(default_factory=list, description="Who can reach the copy.")
    caution: str | None = None
    trust_domain: str | None = None
    duration: Duration
    duration_source: Literal["measured", "estimated"]
    duration_basis: str
    start: Duration
    finish: Duration
    after: list[str] = Field(default_factory=list, description="Systems restored before it.")
    in_cycle: bool = False
    services: list[str] = Field(default_factory=list)


class ServiceOutcome(Strict):
    """One business service in the scenario."""

    id: str
    name: str
    tier: int | None = None
    owner: str | None = None
    status: ServiceStatus
    reasons: list[str] = Field(default_factory=list)
    systems_lost: list[str] = Field(default_factory=list)
    systems_down: list[str] = Field(default_factory=list)
    on_fallback: bool = False
    fallback: str | None = None
    reentry_plan: str | None = None
    rto: Duration | None = None
    rto_source: str | None = None
    back_after: Duration | None = Field(None, description="Estimated time from the incident.")
    meets_rto: bool | None = None
    late_by: Duration | None = None


class GapCode(Word):
    """Why recovery would be impossible or late; each maps to the checks that find it."""

    SAME_TRUST_DOMAIN = "same-trust-domain"
    SAME_SITE = "same-site"
    SAME_REGION = "same-region"
    SAME_ACCOUNT = "same-account"
    SAME_SYSTEM = "same-system"
    NOT_ISOLATED = "not-isolated"      # hit by a rule on the tool, kind or id
    UNKNOWN_DATA = "unknown-data"      # decided on data the estate does not record
    NO_COPY = "no-copy"
    NO_REBUILD = "no-rebuild"
    UNTESTED_RESTORE = "untested-restore"
    RTO_MISSED = "rto-missed"
    NO_RTO = "no-rto"
    NO_FALLBACK = "no-fallback"
    DEPENDENCY_CYCLE = "dependency-cycle"
    SINGLE_SUPPLIER = "single-supplier"
    SINGLE_LOCATION = "single-location"


class Gap(Strict):
    """Something that makes recovery impossible or late, linked to the checks that find it."""

    code: GapCode
    subject: str = Field(description="The system, copy or service id it is about.")
    message: str
    checks: list[str] = Field(default_factory=list)


class Simulation(Strict):
    """What survives a scenario, what can be restored, in which order and how long it takes."""

    schema_version: int = 1
    scenario: str
    title: str
    summary: str
    organisation: str
    parameters: dict[str, str]
    as_of: datetime | None = None
    mobilisation: Duration = Field(description="Time before restores start (containment, "
                                   "clean environment).")
    parallel_streams: int
    services: list[ServiceOutcome]
    systems: list[SystemOutcome]
    restore_plan: list[RestoreStep]
    cycles: list[list[str]] = Field(default_factory=list)
    gaps: list[Gap] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    lessons: list[str] = Field(default_factory=list)

    def service(self, service_id: str) -> ServiceOutcome:
        for s in self.services:
            if s.id == service_id:
                return s
        raise KeyError(service_id)

    def system(self, system_id: str) -> SystemOutcome:
        for s in self.systems:
            if s.id == system_id:
                return s
        raise KeyError(system_id)

    def count(self, status: ServiceStatus) -> int:
        return sum(1 for s in self.services if s.status == status)

