"""The organisation's own recovery, identity and continuity rules, with shipped defaults."""

from __future__ import annotations

from datetime import timedelta
from importlib import resources
from pathlib import Path

from pydantic import Field, model_validator

from resilience.durations import Duration
from resilience.model.estate import Strict
from resilience.yamlfile import load_model, parse_yaml, validate_document


class TierPolicy(Strict):
    """What a recovery tier requires of every system and service in it."""

    name: str
    rpo: Duration = Field(description="Most data you can afford to lose: backups at least this often.")
    rto: Duration = Field(description="Longest the service can be down.")
    immutable_copy: bool = Field(True, description="A copy production or domain credentials cannot delete.")
    offsite_copy: bool = True
    offline_copy: bool = False
    isolated_copy: bool = Field(
        True, description="A copy in a trust domain other than the system's own (separate credentials)."
    )
    min_retention: Duration = Field(default_factory=lambda: timedelta(days=35))
    restore_test_max_age: Duration = Field(default_factory=lambda: timedelta(days=180))
    dwell_retention: Duration | None = Field(
        None, description="Keep one copy at least this long, to predate an unnoticed intrusion."
    )
    manual_fallback: bool = False
    single_site_allowed: bool = True
    zone_redundancy: bool = False
    cross_region_copy: bool = False


class IdentityPolicy(Strict):
    """Rules for accounts across the directory and the clouds."""

    dormant_after: Duration = Field(default_factory=lambda: timedelta(days=45))
    mfa_required_for: list[str] = Field(
        default_factory=lambda: ["privileged", "remote", "console", "supplier", "backup-admin"],
        description="privileged, remote, console, supplier, backup-admin, all",
    )
    key_max_age: Duration = Field(default_factory=lambda: timedelta(days=90))
    password_min_length: int = 14
    password_max_age_privileged: Duration = Field(default_factory=lambda: timedelta(days=365))
    break_glass_min: int = 1
    break_glass_max: int = 4
    root_use_max_age: Duration = Field(default_factory=lambda: timedelta(days=90))
    privileged_max_share: float = Field(
        0.1, description="Warn when more than this share of enabled human accounts is privileged."
    )


class ContinuityPolicy(Strict):
    """Rules for keeping services going and plans current."""

    plan_review_max_age: Duration = Field(default_factory=lambda: timedelta(days=365))
    plan_exercise_max_age: Duration = Field(default_factory=lambda: timedelta(days=365))
    fallback_exercise_max_age: Duration = Field(default_factory=lambda: timedelta(days=365))
    supplier_review_max_age: Duration = Field(default_factory=lambda: timedelta(days=365))
    dependency_tier_inversion: bool = True
    end_of_support_warning: Duration = Field(default_factory=lambda: timedelta(days=180))
    backup_max_age_factor: float = Field(
        2.0, description="The last good backup may be at most this many RPOs old."
    )


class Policy(Strict):
    """The whole policy."""

    tiers: dict[int, TierPolicy]
    default_tier: int | None = Field(
        None, description="Tier assumed for systems with none; unset means 'untiered' (checked)."
    )
    identity: IdentityPolicy = Field(default_factory=IdentityPolicy)
    continuity: ContinuityPolicy = Field(default_factory=ContinuityPolicy)

    @model_validator(mode="after")
    def _default_tier_exists(self) -> Policy:
        if not self.tiers:
            raise ValueError("at least one tier is needed")
        if self.default_tier is not None and self.default_tier not in self.tiers:
            raise ValueError(f"default_tier {self.default_tier} is not one of the tiers")
        return self

    def tier(self, number: int | None) -> TierPolicy | None:
        """The tier policy for ``number`` (or the default tier), or None when untiered."""
        if number is None:
            number = self.default_tier
        if number is None:
            return None
        if number in self.tiers:
            return self.tiers[number]
        # An estate tier beyond the policy's list is held to the least critical tier.
        return self.tiers[max(self.tiers)]


def default_policy_text() -> str:
    """The shipped default policy, as commented YAML."""
    return resources.files("resilience.data").joinpath("policy.yaml").read_text(encoding="utf-8")


def default_policy() -> Policy:
    """The shipped default policy."""
    doc = parse_yaml(default_policy_text(), "<built-in policy>")
    return validate_document(Policy, doc, what="a policy")


def load_policy(path: Path | str) -> Policy:
    """Load a policy file."""
    return load_model(Policy, path, what="a policy (tiers, identity, continuity)")
