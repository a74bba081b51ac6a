"""EFS file systems and their automatic-backup policy."""

from __future__ import annotations

from botocore.exceptions import ClientError

from resilience.model import SystemKind
from resilience.sources.aws.common import Scope, error_code, pages
from resilience.sources.aws.facts import Facts, Resource
from resilience.sources.aws.fanout import Result
from resilience.sources.aws.mapping import make_system, tag_dict


def collect_efs(scope: Scope) -> Result:
    efs = scope.client("efs")
    facts = Facts()
    for fs in pages(efs, "describe_file_systems", "FileSystems"):
        fid = fs["FileSystemId"]
        arn = fs.get("FileSystemArn") or \
            f"arn:{scope.partition}:elasticfilesystem:{scope.region}:{scope.account}:file-system/{fid}"
        tags = tag_dict(fs.get("Tags"))
        one_zone = fs.get("AvailabilityZoneName")
        system = make_system(
            arn=arn, name=fs.get("Name") or tags.get("Name") or fid, kind=SystemKind.FILE_SHARE,
            resource_type="AWS::EFS::FileSystem", account=scope.account, region=scope.region,
            tags=tags, keys=scope.keys, zones=[one_zone] if one_zone else [],
            zone_redundant=not one_zone,
        )
        try:
            status = efs.describe_backup_policy(FileSystemId=fid)["BackupPolicy"]["Status"]
        except ClientError as exc:
            if error_code(exc) != "PolicyNotFound":
                raise
            status = "DISABLED"
        facts.resources.append(Resource(system=system, arns=(arn,), tags=tags,
                                        encrypted=fs.get("Encrypted"),
                                        efs_backup_policy=status in ("ENABLED", "ENABLING")))
    return Result(facts)
