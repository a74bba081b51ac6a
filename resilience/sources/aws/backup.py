"""AWS Backup: plans, rules, selections, vaults and locks, recovery points, restore jobs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from resilience.sources.aws.common import BACKUP_KINDS, Scope, pages
from resilience.sources.aws.facts import (
    BackupPlan,
    CopyAction,
    Facts,
    ProtectedResource,
    RecoveryPoint,
    RestoreJob,
    Rule,
    Selection,
    Vault,
)
from resilience.sources.aws.fanout import Result, Unit
from resilience.sources.aws.mapping import FOREVER
from resilience.sources.aws.schedule import schedule_interval

_TAG_PREFIX = "aws:ResourceTag/"


def _days(lifecycle: dict[str, Any] | None) -> timedelta:
    days = (lifecycle or {}).get("DeleteAfterDays")
    return timedelta(days=days) if days else FOREVER


def _tag_key(key: str) -> str:
    return key[len(_TAG_PREFIX):] if key.startswith(_TAG_PREFIX) else key


def collect_backup(scope: Scope) -> Result:
    """The region's plans and vaults; each plan and vault is read in its own follow-up unit."""
    backup = scope.client("backup")
    units = []
    for plan in pages(backup, "list_backup_plans", "BackupPlansList"):
        pid = plan["BackupPlanId"]
        units.append(Unit(scope.account, scope.region, "backup", BACKUP_KINDS,
                          (lambda pid=pid: _plan(scope, pid)), detail=f"backup plan {pid}"))
    facts = Facts()
    for v in pages(backup, "list_backup_vaults", "BackupVaultList"):
        vault = Vault(
            arn=v["BackupVaultArn"], name=v["BackupVaultName"], account=scope.account,
            region=scope.region or "", vault_type=v.get("VaultType"), locked=v.get("Locked"),
            lock_date=v.get("LockDate"), min_retention_days=v.get("MinRetentionDays"),
            max_retention_days=v.get("MaxRetentionDays"),
            encryption_key_arn=v.get("EncryptionKeyArn"),
            encryption_key_type=v.get("EncryptionKeyType"),
            mpa_team=bool(v.get("MpaApprovalTeamArn")) if "MpaApprovalTeamArn" in v else None,
        )
        facts.vaults.append(vault)
        units.append(Unit(scope.account, scope.region, "backup", BACKUP_KINDS,
                          (lambda vault=vault: _recovery_points(scope, vault)),
                          detail=f"recovery points in vault {vault.name}"))
    units.append(Unit(scope.account, scope.region, "backup", BACKUP_KINDS,
                      lambda: _protected(scope), detail="protected resources"))
    units.append(Unit(scope.account, scope.region, "backup", BACKUP_KINDS,
                      lambda: _restore_jobs(scope), detail="restore jobs"))
    return Result(facts, units)


def _plan(scope: Scope, plan_id: str) -> Result:
    backup = scope.client("backup")
    body = backup.get_backup_plan(BackupPlanId=plan_id)
    plan = body.get("BackupPlan") or {}
    rules = []
    for r in plan.get("Rules") or []:
        expr = r.get("ScheduleExpression")
        rules.append(Rule(
            name=r.get("RuleName", "rule"), vault_name=r.get("TargetBackupVaultName", ""),
            frequency=schedule_interval(expr), schedule=expr,
            continuous=bool(r.get("EnableContinuousBackup")), retention=_days(r.get("Lifecycle")),
            copies=[CopyAction(c["DestinationBackupVaultArn"], _days(c.get("Lifecycle")))
                    for c in r.get("CopyActions") or [] if c.get("DestinationBackupVaultArn")],
        ))
    facts = Facts(plans=[BackupPlan(plan_id, plan.get("BackupPlanName", plan_id), scope.account,
                                    scope.region or "", rules)])
    for item in pages(backup, "list_backup_selections", "BackupSelectionsList",
                      BackupPlanId=plan_id):
        sel = backup.get_backup_selection(BackupPlanId=plan_id,
                                          SelectionId=item["SelectionId"])["BackupSelection"]
        conditions = []
        for op, entries in (sel.get("Conditions") or {}).items():
            for e in entries or []:
                conditions.append((op, _tag_key(e.get("ConditionKey", "")),
                                   e.get("ConditionValue", "")))
        facts.selections.append(Selection(
            plan_id=plan_id, account=scope.account, region=scope.region or "",
            name=sel.get("SelectionName", ""), resources=list(sel.get("Resources") or []),
            not_resources=list(sel.get("NotResources") or []),
            tags_any=[(_tag_key(t.get("ConditionKey", "")), t.get("ConditionValue", ""))
                      for t in sel.get("ListOfTags") or []],
            conditions=conditions,
        ))
    return Result(facts)


def _recovery_points(scope: Scope, vault: Vault) -> Result:
    backup = scope.client("backup")
    facts = Facts()
    for rp in pages(backup, "list_recovery_points_by_backup_vault", "RecoveryPoints",
                    BackupVaultName=vault.name):
        created = rp.get("CreationDate")
        delete_at = (rp.get("CalculatedLifecycle") or {}).get("DeleteAt")
        retention = delete_at - created if delete_at and created else _days(rp.get("Lifecycle"))
        facts.recovery_points.append(RecoveryPoint(
            arn=rp.get("RecoveryPointArn", ""), resource_arn=rp.get("ResourceArn", ""),
            vault_arn=rp.get("BackupVaultArn") or vault.arn, account=scope.account,
            region=scope.region or "", status=rp.get("Status"), created=created,
            completed=rp.get("CompletionDate"), retention=retention,
            encrypted=rp.get("IsEncrypted"),
        ))
    return Result(facts)


def _protected(scope: Scope) -> Result:
    backup = scope.client("backup")
    return Result(Facts(protected=[
        ProtectedResource(p.get("ResourceArn", ""), p.get("LastBackupTime"),
                          p.get("LastBackupVaultArn"))
        for p in pages(backup, "list_protected_resources", "Results")
    ]))


def _restore_jobs(scope: Scope) -> Result:
    """Restore jobs (restore testing and manual restores): the proof that backups come back."""
    backup = scope.client("backup")
    return Result(Facts(restore_jobs=[
        RestoreJob(
            recovery_point_arn=j.get("RecoveryPointArn"),
            source_resource_arn=j.get("SourceResourceArn"),
            vault_arn=j.get("BackupVaultArn"), created=j.get("CreationDate"),
            completed=j.get("CompletionDate"), status=j.get("Status"),
            validation=j.get("ValidationStatus"),
            test_plan=(j.get("CreatedBy") or {}).get("RestoreTestingPlanArn"),
        )
        for j in pages(backup, "list_restore_jobs", "RestoreJobs")
    ]))
