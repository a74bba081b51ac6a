"""A small council-like AWS estate seeded into moto, plus canned answers for what moto lacks."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

ACCOUNT = "123456789012"
REGION = "eu-west-2"
DR_REGION = "us-east-1"
NOW = datetime.now(UTC).replace(microsecond=0)
DLM_POLICY = "policy-0123456789abcdef0"
ClientFactory = Callable[[str, str], Any]


def tags(**kv: str) -> list[dict[str, str]]:
    return [{"Key": k.replace("__", ":"), "Value": v} for k, v in kv.items()]


@dataclass
class Seeded:
    """ARNs of what was seeded, and overlay answers that complete it."""

    instance: str = ""
    volume: str = ""
    loose_volume: str = ""
    db: str = ""
    table: str = ""
    bucket: str = ""
    replica_bucket: str = ""
    efs: str = ""
    plan_id: str = ""
    vault: str = ""
    dr_vault: str = ""
    answers: dict[tuple[str, str], Any] = field(default_factory=dict)


def seed_estate(client: ClientFactory, account: str = ACCOUNT, region: str = REGION,
                with_overlay: bool = True, managed_policies: bool = True) -> Seeded:
    """Seed one account: a tier-1 web server, a database, a table, buckets, EFS, AWS Backup, IAM."""
    out = Seeded()
    ec2 = client("ec2", region)
    inst = ec2.run_instances(
        ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
        TagSpecifications=[{"ResourceType": "instance", "Tags": tags(
            Name="revenues-web", resilience__tier="1", resilience__service="revenues",
            resilience__owner="Head of Revenues")}],
    )["Instances"][0]
    out.instance = f"arn:aws:ec2:{region}:{account}:instance/{inst['InstanceId']}"
    vol_id = inst["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    out.volume = f"arn:aws:ec2:{region}:{account}:volume/{vol_id}"
    ec2.create_tags(Resources=[vol_id], Tags=tags(snapshot="daily"))
    loose = ec2.create_volume(AvailabilityZone=f"{region}a", Size=10,
                              TagSpecifications=[{"ResourceType": "volume",
                                                  "Tags": tags(Name="scratch")}])
    out.loose_volume = f"arn:aws:ec2:{region}:{account}:volume/{loose['VolumeId']}"
    snap = ec2.create_snapshot(VolumeId=vol_id)
    ec2.create_tags(Resources=[snap["SnapshotId"]],
                    Tags=[{"Key": "aws:dlm:lifecycle-policy-id", "Value": DLM_POLICY}])

    rds = client("rds", region)
    db = rds.create_db_instance(
        DBInstanceIdentifier="benefits-db", Engine="postgres", DBInstanceClass="db.t3.micro",
        AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="not-a-real-password",
        BackupRetentionPeriod=14, MultiAZ=True, DeletionProtection=True, StorageEncrypted=True,
        Tags=tags(resilience__tier="1", resilience__service="benefits"),
    )["DBInstance"]
    out.db = db["DBInstanceArn"]

    ddb = client("dynamodb", region)
    table = ddb.create_table(
        TableName="social-care-cases", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        Tags=tags(resilience__tier="2", resilience__service="social-care"),
    )["TableDescription"]
    out.table = table["TableArn"]
    ddb.update_continuous_backups(TableName="social-care-cases",
                                  PointInTimeRecoverySpecification={
                                      "PointInTimeRecoveryEnabled": True})

    s3 = client("s3", region)
    out.bucket = "arn:aws:s3:::council-documents"
    s3.create_bucket(Bucket="council-documents", ObjectLockEnabledForBucket=True,
                     CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_versioning(Bucket="council-documents",
                             VersioningConfiguration={"Status": "Enabled"})
    s3.put_object_lock_configuration(Bucket="council-documents", ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 30}}})
    s3.put_bucket_tagging(Bucket="council-documents", Tagging={"TagSet": tags(
        resilience__tier="2", resilience__service="planning")})
    s3_dr = client("s3", DR_REGION)
    s3_dr.create_bucket(Bucket="council-documents-replica")
    out.replica_bucket = "arn:aws:s3:::council-documents-replica"
    s3_dr.put_bucket_versioning(Bucket="council-documents-replica",
                                VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_replication(Bucket="council-documents", ReplicationConfiguration={
        "Role": f"arn:aws:iam::{account}:role/replication",
        "Rules": [{"ID": "to-dr", "Status": "Enabled", "Priority": 1, "Filter": {"Prefix": ""},
                   "DeleteMarkerReplication": {"Status": "Disabled"},
                   "Destination": {"Bucket": out.replica_bucket}}]})

    efs = client("efs", region)
    fs = efs.create_file_system(CreationToken="shares", Backup=True,
                                Tags=tags(Name="housing-shares", resilience__tier="2",
                                          resilience__service="housing"))
    out.efs = fs.get("FileSystemArn") or \
        f"arn:aws:elasticfilesystem:{region}:{account}:file-system/{fs['FileSystemId']}"

    backup = client("backup", region)
    out.vault = backup.create_backup_vault(BackupVaultName="prod-vault")["BackupVaultArn"]
    backup.put_backup_vault_lock_configuration(BackupVaultName="prod-vault", MinRetentionDays=7,
                                               MaxRetentionDays=365, ChangeableForDays=3)
    out.dr_vault = client("backup", DR_REGION).create_backup_vault(
        BackupVaultName="dr-vault")["BackupVaultArn"]
    out.plan_id = backup.create_backup_plan(BackupPlan={
        "BackupPlanName": "daily",
        "Rules": [{"RuleName": "daily-35d", "TargetBackupVaultName": "prod-vault",
                   "ScheduleExpression": "cron(0 5 ? * * *)", "Lifecycle": {"DeleteAfterDays": 35},
                   "CopyActions": [{"DestinationBackupVaultArn": out.dr_vault,
                                    "Lifecycle": {"DeleteAfterDays": 90}}]}],
    })["BackupPlanId"]

    iam = client("iam", region)
    iam.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True,
                                       RequireNumbers=True, RequireUppercaseCharacters=True,
                                       RequireLowercaseCharacters=True, MaxPasswordAge=90,
                                       PasswordReusePrevention=24)
    iam.create_user(UserName="alice.admin")
    iam.create_login_profile(UserName="alice.admin", Password="Correct-Horse-9!")
    if managed_policies:
        admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    else:  # moto's server loads no AWS-managed policies: an equivalent customer policy
        admin = iam.create_policy(PolicyName="council-admin", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))["Policy"]["Arn"]
    iam.attach_user_policy(UserName="alice.admin", PolicyArn=admin)
    iam.create_user(UserName="bob.backup")
    iam.create_login_profile(UserName="bob.backup", Password="Correct-Horse-9!")
    mfa = iam.create_virtual_mfa_device(VirtualMFADeviceName="bob")["VirtualMFADevice"]
    iam.enable_mfa_device(UserName="bob.backup", SerialNumber=mfa["SerialNumber"],
                          AuthenticationCode1="123456", AuthenticationCode2="654321")
    policy = iam.create_policy(PolicyName="backup-deleter", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "backup:Delete*", "Resource": "*"}]}))
    iam.create_group(GroupName="backup-admins")
    iam.attach_group_policy(GroupName="backup-admins", PolicyArn=policy["Policy"]["Arn"])
    iam.add_user_to_group(GroupName="backup-admins", UserName="bob.backup")
    iam.create_user(UserName="etl-service", Tags=tags(resilience__owner="Data team"))
    iam.create_access_key(UserName="etl-service")

    if with_overlay:
        out.answers = overlay_answers(out, region)
    return out


def overlay_answers(s: Seeded, region: str = REGION) -> dict[tuple[str, str], Any]:
    """Canned answers for the AWS Backup and DLM calls moto does not implement."""
    sel_id = "sel-tier1"
    day = NOW - timedelta(hours=20)

    def points(params: dict[str, Any]) -> dict[str, Any]:
        name = params.get("BackupVaultName")
        vault = {"prod-vault": s.vault, "dr-vault": s.dr_vault}.get(name)
        if vault is None:
            return {"RecoveryPoints": []}
        rps = [{"RecoveryPointArn": f"{vault}:rp-{name}-1", "BackupVaultName": name,
                "BackupVaultArn": vault, "ResourceArn": s.instance, "ResourceType": "EC2",
                "Status": "COMPLETED", "CreationDate": day, "IsEncrypted": True,
                "CalculatedLifecycle": {"DeleteAt": day + timedelta(days=35)}},
               {"RecoveryPointArn": f"{vault}:rp-{name}-0", "BackupVaultName": name,
                "BackupVaultArn": vault, "ResourceArn": s.instance, "ResourceType": "EC2",
                "Status": "COMPLETED", "CreationDate": day - timedelta(days=1),
                "IsEncrypted": True}]
        return {"RecoveryPoints": rps}

    def selections(params: dict[str, Any]) -> dict[str, Any]:
        if params.get("BackupPlanId") != s.plan_id:
            return {"BackupSelectionsList": []}
        return {"BackupSelectionsList": [{"SelectionId": sel_id, "SelectionName": "tier-1",
                                          "BackupPlanId": s.plan_id}]}

    return {
        ("backup", "ListBackupSelections"): selections,
        ("backup", "GetBackupSelection"): {
            "BackupPlanId": s.plan_id, "SelectionId": sel_id,
            "BackupSelection": {
                "SelectionName": "tier-1", "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
                "Resources": [],
                "ListOfTags": [{"ConditionType": "STRINGEQUALS",
                                "ConditionKey": "resilience:tier", "ConditionValue": "1"}],
                "NotResources": [s.db]}},
        ("backup", "ListRecoveryPointsByBackupVault"): points,
        ("backup", "ListProtectedResources"): {"Results": [
            {"ResourceArn": s.instance, "ResourceType": "EC2", "LastBackupTime": day,
             "LastBackupVaultArn": s.vault}]},
        ("backup", "ListRestoreJobs"): {"RestoreJobs": [
            {"RestoreJobId": "rj-1", "RecoveryPointArn": f"{s.vault}:rp-prod-vault-1",
             "SourceResourceArn": s.instance, "BackupVaultArn": s.vault,
             "CreationDate": NOW - timedelta(days=10, hours=3),
             "CompletionDate": NOW - timedelta(days=10), "Status": "COMPLETED",
             "ValidationStatus": "SUCCESSFUL",
             "CreatedBy": {"RestoreTestingPlanArn": "arn:aws:backup:eu-west-2:123456789012:"
                                                    "restore-testing-plan:monthly"}}]},
        ("dlm", "GetLifecyclePolicies"): {"Policies": [
            {"PolicyId": DLM_POLICY, "State": "ENABLED",
             "PolicyType": "EBS_SNAPSHOT_MANAGEMENT"}]},
        ("dlm", "GetLifecyclePolicy"): {"Policy": {
            "PolicyId": DLM_POLICY, "State": "ENABLED",
            "PolicyDetails": {
                "PolicyType": "EBS_SNAPSHOT_MANAGEMENT", "ResourceTypes": ["VOLUME"],
                "TargetTags": [{"Key": "snapshot", "Value": "daily"}],
                "Schedules": [{"Name": "daily", "CreateRule": {"Interval": 24,
                                                                "IntervalUnit": "HOURS"},
                               "RetainRule": {"Count": 7},
                               "CrossRegionCopyRules": [{"TargetRegion": DR_REGION,
                                                         "Encrypted": True,
                                                         "RetainRule": {"Interval": 30,
                                                                        "IntervalUnit": "DAYS"}}]}],
            }}},
    }
