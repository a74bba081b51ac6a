"""Map AWS facts onto the estate model: tags to the business, protections to BackupCopy entries."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any

from resilience.config import TagKeys
from resilience.model import (
    BackupCopy,
    CopyKind,
    Hosting,
    Provider,
    System,
    SystemKind,
    TrustDomain,
)
from resilience.sources.aws.facts import (
    BackupPlan,
    DlmPolicy,
    Facts,
    RecoveryPoint,
    Resource,
    RestoreJob,
    Selection,
    Vault,
)
from resilience.sources.tags import business

FOREVER = timedelta(days=36500)
"""Retention for copies AWS keeps until someone deletes them (no expiry configured)."""
CONTINUOUS = timedelta(0)
"""Frequency of mechanisms that capture every change (versioning, replication)."""
PITR_INTERVAL = timedelta(minutes=5)
"""RDS and DynamoDB point-in-time recovery: restorable to within about five minutes."""
REPLICATION_INTERVAL = timedelta(minutes=15)
"""S3 replication: most objects within 15 minutes (the Replication Time Control target)."""
REPLICA_PREFIX = "s3-replication:"
EFS_DEFAULT_FREQUENCY = timedelta(days=1)
EFS_DEFAULT_RETENTION = timedelta(days=35)
LAG_VAULT = "LOGICALLY_AIR_GAPPED_BACKUP_VAULT"
RESTORE_ACCESS_VAULT = "RESTORE_ACCESS_BACKUP_VAULT"



def trust_domain_id(account: str) -> str:
    """The trust domain of an AWS account: whoever holds its admin credentials."""
    return f"aws:{account}"


def account_domain(account: str, name: str | None = None, **fields: Any) -> TrustDomain:
    label = f"AWS account {account}" + (f" ({name})" if name else "")
    return TrustDomain(id=trust_domain_id(account), name=label, kind="aws-account",
                       provider=Provider.AWS, **fields)


def tag_dict(tags: list[dict[str, str]] | dict[str, str] | None) -> dict[str, str]:
    """AWS tag lists (``Key``/``Value``, or ``key``/``value``) as a plain dict."""
    if not tags:
        return {}
    if isinstance(tags, dict):
        return {str(k): str(v) for k, v in tags.items()}
    out: dict[str, str] = {}
    for t in tags:
        key = t.get("Key", t.get("key"))
        if key is not None:
            out[str(key)] = str(t.get("Value", t.get("value", "")))
    return out


def make_system(*, arn: str, name: str, kind: SystemKind, resource_type: str, account: str,
                region: str | None, tags: dict[str, str], keys: TagKeys,
                zones: list[str] | None = None, **fields: Any) -> System:
    tier, services, owner = business(tags, keys)
    zones = [z for z in (zones or []) if z]
    return System(id=arn, name=name or arn, kind=kind, hosting=Hosting.AWS,
                  resource_type=resource_type, account=account, region=region, site=region,
                  zones=zones, tier=tier, owner=owner, services=services,
                  identity_domain=trust_domain_id(account), tags=tags, **fields)


def arn_region(arn: str | None) -> str | None:
    parts = (arn or "").split(":")
    return parts[3] or None if len(parts) > 5 else None


def arn_account(arn: str | None) -> str | None:
    parts = (arn or "").split(":")
    return parts[4] or None if len(parts) > 5 else None


def copy_id(system_id: str, suffix: str) -> str:
    return re.sub(r"\s+", "_", f"{system_id}#{suffix}")[:512]


def native_copy(system: System, suffix: str, **fields: Any) -> BackupCopy:
    """A protection that lives with the resource itself, in its own account and region."""
    base: dict[str, Any] = dict(region=system.region, site=system.region, account=system.account,
                                trust_domain=trust_domain_id(system.account or ""), offline=False,
                                offsite=False, logically_air_gapped=False)
    base.update(fields)
    return BackupCopy(id=copy_id(system.id, suffix), system=system.id, **base)


def vault_protection(vault: Vault | None, now: datetime) -> dict[str, Any]:
    """Immutability of copies in ``vault``. Only a lock nobody can lift counts as immutable."""
    if vault is None:
        return {"immutable": None, "immutability": None, "logically_air_gapped": None}
    key: dict[str, Any] = {}
    if vault.encryption_key_type == "AWS_OWNED_KMS_KEY":
        key = {"key_recoverable": True}  # no customer can delete or lock out an AWS-owned key
    if vault.vault_type in (LAG_VAULT, RESTORE_ACCESS_VAULT):
        return {**key, "immutable": True, "logically_air_gapped": True,
                "immutability": "logically air-gapped vault (always compliance-locked)",
                "deletion_approval": True if vault.mpa_team else None}
    out: dict[str, Any] = {**key, "logically_air_gapped": False}
    if vault.locked is None:
        out.update(immutable=None, immutability=None)
    elif not vault.locked:
        out.update(immutable=False, immutability=None)
    elif vault.lock_date is None:
        out.update(immutable=False, immutability="Vault Lock governance mode (removable by anyone "
                   "allowed backup:DeleteBackupVaultLockConfiguration)")
    elif vault.lock_date > now:
        out.update(immutable=False, immutability=f"Vault Lock compliance mode, still in its grace "
                   f"period until {vault.lock_date:%Y-%m-%d %H:%M} UTC")
    else:
        out.update(immutable=True, immutability="Vault Lock compliance mode")
    return out


def vault_arn(partition: str, region: str, account: str, name: str) -> str:
    return f"arn:{partition}:backup:{region}:{account}:backup-vault:{name}"


def _partition(arn: str) -> str:
    parts = arn.split(":")
    return parts[1] if len(parts) > 1 and parts[1] else "aws"


def _condition(op: str, actual: str | None, wanted: str) -> bool:
    if op == "StringEquals":
        return actual == wanted
    if op == "StringNotEquals":
        return actual != wanted
    if op == "StringLike":
        return actual is not None and fnmatchcase(actual, wanted)
    if op == "StringNotLike":
        return actual is None or not fnmatchcase(actual, wanted)
    return False


def _members(res: Resource) -> list[tuple[str, dict[str, str]]]:
    """The resources AWS would judge one by one: the system itself and its parts (volumes)."""
    out = []
    for arn in res.arns:
        part = arn.rsplit("/", 1)[-1]
        out.append((arn, res.volume_tags.get(part, {}) if part in res.volume_ids and
                    arn != res.system.id else res.tags))
    return out


def _selected(sel: Selection, arn: str, tags: dict[str, str]) -> bool:
    by_arn = any(fnmatchcase(arn, pat) for pat in sel.resources)
    by_tag = any(tags.get(k) == v for k, v in sel.tags_any)
    if not (by_arn or by_tag):
        return False
    if any(fnmatchcase(arn, pat) for pat in sel.not_resources):
        return False
    return all(_condition(op, tags.get(key), value) for op, key, value in sel.conditions)


def selects(sel: Selection, res: Resource) -> bool:
    """Whether an AWS Backup selection picks ``res`` or one of its parts: (an ARN pattern or any
    listed tag) and every condition, and not NotResources."""
    return any(_selected(sel, arn, tags) for arn, tags in _members(res))


def _dlm_targets(policy: DlmPolicy, res: Resource) -> bool:
    if not res.volume_ids:
        return False
    if "INSTANCE" in policy.resource_types and res.system.resource_type == "AWS::EC2::Instance":
        tag_sets = [res.tags]
    else:
        tag_sets = list(res.volume_tags.values())
    if policy.default_policy:
        return not any(t.get(k) == v for k, v in policy.exclude_tags for t in tag_sets)
    return any(t.get(k) == v for k, v in policy.target_tags for t in tag_sets)


class _Index:
    """Lookups the join needs, built once."""

    def __init__(self, facts: Facts):
        self.system_of: dict[str, str] = {}
        self.resources: dict[str, Resource] = {}
        for res in facts.resources:
            self.resources[res.system.id] = res
            for arn in res.arns:
                self.system_of[arn] = res.system.id
        self.vaults = {v.arn: v for v in facts.vaults}
        self.plans = {(p.account, p.region, p.plan_id): p for p in facts.plans}
        self.points: dict[tuple[str, str], list[RecoveryPoint]] = defaultdict(list)
        for rp in facts.recovery_points:
            sid = self.system_of.get(rp.resource_arn)
            if sid is not None:
                self.points[(sid, rp.vault_arn)].append(rp)
        self.point_by_arn = {rp.arn: rp for rp in facts.recovery_points}
        self.by_scope: dict[tuple[str | None, str | None], list[Resource]] = defaultdict(list)
        for res in facts.resources:
            self.by_scope[(res.system.account, res.system.region)].append(res)


def _latest(points: list[RecoveryPoint]) -> RecoveryPoint | None:
    done = [p for p in points if (p.status or "").upper() == "COMPLETED" and p.created]
    return max(done, key=lambda p: p.created) if done else None


def _vault_copy(system: System, suffix: str, vault_arn_: str, idx: _Index, now: datetime,
                **fields: Any) -> BackupCopy:
    vault = idx.vaults.get(vault_arn_)
    account = arn_account(vault_arn_)
    region = arn_region(vault_arn_)
    latest = _latest(idx.points.get((system.id, vault_arn_), []))
    res = idx.resources.get(system.id)
    encrypted = latest.encrypted if latest and latest.encrypted is not None else (
        res.encrypted if res else None)
    data: dict[str, Any] = dict(
        tool="AWS Backup", kind=CopyKind.BACKUP, region=region, site=region, account=account,
        trust_domain=trust_domain_id(account) if account else None, offline=False,
        offsite=(region != system.region) if region and system.region else None,
        encrypted=encrypted, last_success=latest.created if latest else None,
    )
    data.update(vault_protection(vault, now))
    data.update(fields)
    return BackupCopy(id=copy_id(system.id, suffix), system=system.id, **data)


def _plan_copies(plan: BackupPlan, res: Resource, idx: _Index,
                 now: datetime) -> list[tuple[BackupCopy, str]]:
    system = res.system
    partition = _partition(system.id) if system.id.startswith("arn:") else "aws"
    out = []
    for rule in plan.rules:
        primary = vault_arn(partition, plan.region, plan.account, rule.vault_name)
        base = f"aws-backup:{plan.plan_id}:{rule.name}"
        kind = CopyKind.POINT_IN_TIME if rule.continuous else CopyKind.BACKUP
        freq = PITR_INTERVAL if rule.continuous else rule.frequency
        out.append((_vault_copy(system, base, primary, idx, now, kind=kind, frequency=freq,
                                retention=rule.retention), primary))
        for action in rule.copies:
            dest = action.destination_vault_arn
            suffix = f"{base}:copy:{arn_account(dest)}:{arn_region(dest)}:{dest.split(':')[-1]}"
            out.append((_vault_copy(system, suffix, dest, idx, now, frequency=freq, kind=kind,
                                    retention=action.retention), dest))
    return out


def _placed_replica(copy: BackupCopy, idx: _Index) -> BackupCopy:
    """An S3 replica's region, from the destination bucket when this run saw it."""
    suffix = copy.id.split("#", 1)[-1]
    if not suffix.startswith(REPLICA_PREFIX) or copy.region is not None:
        return copy
    dest = idx.resources.get(f"arn:{_partition(copy.system)}:s3:::{suffix.rsplit(':', 1)[-1]}")
    if dest is None or dest.system.account != copy.account:
        return copy
    source = idx.resources[copy.system].system if copy.system in idx.resources else None
    region = dest.system.region
    return copy.model_copy(update={"region": region, "site": region,
                                   "offsite": region != source.region if source else None})


def _restore_tests(copies: list[BackupCopy], vault_of: dict[str, str], jobs: list[RestoreJob],
                   idx: _Index) -> None:
    """Attach the latest restore job per (system, vault) to the copies in that vault."""
    latest: dict[tuple[str, str | None], RestoreJob] = {}
    for job in jobs:
        rp = idx.point_by_arn.get(job.recovery_point_arn or "")
        resource = job.source_resource_arn or (rp.resource_arn if rp else None)
        sid = idx.system_of.get(resource or "")
        if sid is None or job.created is None:
            continue
        vault = job.vault_arn or (rp.vault_arn if rp else None)
        key = (sid, vault)
        if (job.status or "").upper() not in ("COMPLETED", "FAILED", "ABORTED"):
            continue
        prior = latest.get(key)
        if prior is None or (prior.created or job.created) < job.created:
            latest[key] = job
    for i, copy in enumerate(copies):
        if copy.tool != "AWS Backup":
            continue
        vault = vault_of.get(copy.id)
        job = latest.get((copy.system, vault))
        if job is None:
            continue
        passed = (job.status or "").upper() == "COMPLETED" and (job.validation or "").upper() \
            not in ("FAILED", "TIMED_OUT")
        duration = (job.completed - job.created) if job.completed and job.created else None
        copies[i] = copy.model_copy(update={"last_restore_test": job.completed or job.created,
                                            "restore_test_duration": duration,
                                            "restore_test_passed": passed})


def backup_copies(facts: Facts, now: datetime) -> list[BackupCopy]:
    """Every BackupCopy: native ones from the collectors, plus AWS Backup, DLM and EFS defaults."""
    idx = _Index(facts)
    copies: dict[str, BackupCopy] = {}
    vault_of: dict[str, str] = {}

    def add(copy: BackupCopy, vault: str | None = None) -> None:
        if copy.system in idx.resources and copy.id not in copies:
            copies[copy.id] = copy
            if vault:
                vault_of[copy.id] = vault

    for copy in facts.copies:
        add(_placed_replica(copy, idx))
    covered: set[tuple[str, str]] = set()
    for sel in facts.selections:
        plan = idx.plans.get((sel.account, sel.region, sel.plan_id))
        if plan is None:
            continue
        for res in idx.by_scope.get((sel.account, sel.region), []):
            if not selects(sel, res):
                continue
            for copy, vault in _plan_copies(plan, res, idx, now):
                add(copy, vault)
                covered.add((res.system.id, vault))
    # Recovery points no plan explains: on-demand backups, or plans since deleted.
    for (sid, vault), points in idx.points.items():
        if (sid, vault) in covered:
            continue
        latest = _latest(points)
        retention = max((p.retention for p in points if p.retention), default=None)
        system = idx.resources[sid].system
        add(_vault_copy(system, f"aws-backup:recovery-points:{vault.split(':')[-1]}:"
                        f"{arn_account(vault)}:{arn_region(vault)}", vault, idx, now,
                        frequency=None, retention=retention if latest else None), vault)
    # Protected resources whose recovery points could not be listed.
    have_backup = {c.system for c in copies.values() if c.tool == "AWS Backup"}
    for pr in facts.protected:
        sid = idx.system_of.get(pr.resource_arn)
        if sid is None or sid in have_backup or not pr.vault_arn:
            continue
        system = idx.resources[sid].system
        suffix = f"aws-backup:protected:{pr.vault_arn.split(':')[-1]}"
        copy = _vault_copy(system, suffix, pr.vault_arn, idx, now, frequency=None,
                           retention=None, last_success=pr.last_backup)
        add(copy, pr.vault_arn)
        have_backup.add(sid)
    _dlm_copies(facts, idx, add)
    _efs_defaults(facts, idx, now, add, have_backup | {c.system for c in copies.values()
                                                       if c.tool == "AWS Backup"})
    result = list(copies.values())
    _restore_tests(result, vault_of, facts.restore_jobs, idx)
    return result


def _dlm_copies(facts: Facts, idx: _Index, add) -> None:
    snaps: dict[tuple[str, str], list] = defaultdict(list)
    for snap in facts.snapshots:
        if snap.dlm_policy:
            snaps[(snap.volume_id, snap.dlm_policy)].append(snap)
    for policy in facts.dlm_policies:
        for res in idx.by_scope.get((policy.account, policy.region), []):
            if not _dlm_targets(policy, res):
                continue
            taken = [s for v in res.volume_ids for s in snaps.get((v, policy.policy_id), [])
                     if (s.state or "").lower() == "completed" and s.started]
            last = max((s.started for s in taken), default=None)
            encrypted = all(s.encrypted for s in taken) if taken else res.encrypted
            for sched in policy.schedules:
                suffix = f"dlm:{policy.policy_id}:{sched.name}"
                add(native_copy(res.system, suffix, tool="Amazon Data Lifecycle Manager",
                                kind=CopyKind.SNAPSHOT, frequency=sched.frequency,
                                retention=sched.retention, immutable=False, encrypted=encrypted,
                                last_success=last))
                for target, retention, enc in sched.copies:
                    add(native_copy(res.system, f"{suffix}:copy:{target}",
                                    tool="Amazon Data Lifecycle Manager", kind=CopyKind.SNAPSHOT,
                                    frequency=sched.frequency, retention=retention, immutable=False,
                                    region=target, site=target,
                                    offsite=target != res.system.region,
                                    encrypted=enc if enc is not None else encrypted))


def _efs_defaults(facts: Facts, idx: _Index, now: datetime, add, have_backup: set[str]) -> None:
    """EFS automatic backups, when no AWS Backup plan was seen covering the file system."""
    for res in facts.resources:
        system = res.system
        if not res.efs_backup_policy or system.id in have_backup:
            continue
        partition = _partition(system.id)
        vault = vault_arn(partition, system.region or "", system.account or "",
                          "aws/efs/automatic-backup-vault")
        add(_vault_copy(system, "efs-automatic-backups", vault, idx, now,
                        frequency=EFS_DEFAULT_FREQUENCY, retention=EFS_DEFAULT_RETENTION), vault)
