"""EC2 instances, EBS volumes and EBS snapshots (the last success of DLM policies)."""

from __future__ import annotations

from resilience.model import SystemKind
from resilience.sources.aws.common import Scope, pages
from resilience.sources.aws.facts import Facts, Resource, Snapshot
from resilience.sources.aws.fanout import Result
from resilience.sources.aws.mapping import make_system, tag_dict

_GONE = {"terminated", "shutting-down"}


def collect_compute(scope: Scope) -> Result:
    """Instances (with their attached volumes folded in) and unattached volumes."""
    ec2 = scope.client("ec2")
    prefix = f"arn:{scope.partition}:ec2:{scope.region}:{scope.account}"
    volumes = {v["VolumeId"]: v for v in pages(ec2, "describe_volumes", "Volumes")}
    facts = Facts()
    attached: set[str] = set()
    for reservation in pages(ec2, "describe_instances", "Reservations"):
        for inst in reservation.get("Instances", []):
            if inst.get("State", {}).get("Name") in _GONE:
                continue
            iid = inst["InstanceId"]
            tags = tag_dict(inst.get("Tags"))
            vol_ids = tuple(m["Ebs"]["VolumeId"] for m in inst.get("BlockDeviceMappings", [])
                            if m.get("Ebs", {}).get("VolumeId"))
            attached.update(vol_ids)
            vols = [volumes[v] for v in vol_ids if v in volumes]
            system = make_system(
                arn=f"{prefix}:instance/{iid}", name=tags.get("Name") or iid, kind=SystemKind.VM,
                resource_type="AWS::EC2::Instance", account=scope.account, region=scope.region,
                tags=tags, keys=scope.keys,
                zones=[inst.get("Placement", {}).get("AvailabilityZone")],
                zone_redundant=False, os=inst.get("PlatformDetails") or inst.get("Platform"),
                internet_facing=bool(inst.get("PublicIpAddress")),
            )
            facts.resources.append(Resource(
                system=system, arns=(system.id, *(f"{prefix}:volume/{v}" for v in vol_ids)),
                tags=tags, volume_ids=vol_ids,
                volume_tags={v["VolumeId"]: tag_dict(v.get("Tags")) for v in vols},
                encrypted=all(v.get("Encrypted") for v in vols) if vols else None,
            ))
    for vid, vol in volumes.items():
        if vid in attached:
            continue
        tags = tag_dict(vol.get("Tags"))
        system = make_system(
            arn=f"{prefix}:volume/{vid}", name=tags.get("Name") or vid, kind=SystemKind.STORAGE,
            resource_type="AWS::EC2::Volume", account=scope.account, region=scope.region,
            tags=tags, keys=scope.keys, zones=[vol.get("AvailabilityZone")], zone_redundant=False,
        )
        facts.resources.append(Resource(system=system, arns=(system.id,), tags=tags,
                                        volume_ids=(vid,), volume_tags={vid: tags},
                                        encrypted=vol.get("Encrypted")))
    return Result(facts)


def collect_snapshots(scope: Scope) -> Result:
    """The account's own EBS snapshots: volume, time, state and the DLM policy that made them."""
    ec2 = scope.client("ec2")
    facts = Facts()
    for snap in pages(ec2, "describe_snapshots", "Snapshots", OwnerIds=["self"]):
        if snap.get("OwnerId") not in (None, scope.account):
            continue
        tags = tag_dict(snap.get("Tags"))
        facts.snapshots.append(Snapshot(
            volume_id=snap.get("VolumeId", ""), account=scope.account, region=scope.region or "",
            started=snap.get("StartTime"), state=snap.get("State"), encrypted=snap.get("Encrypted"),
            dlm_policy=tags.get("aws:dlm:lifecycle-policy-id"),
        ))
    return Result(facts)
