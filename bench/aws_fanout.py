"""Benchmark: does the AWS fan-out overlap accounts x regions? (run on demand, not in tests)

Starts moto_server on 127.0.0.1, seeds 3 accounts (an Organization with two members reached
through an assumed role) x 4 regions, records every answer once, then replays them with 50 ms
of latency per call from a botocore ``before-send`` hook (moto out of the timed path), and times:

- the whole collection with the default concurrency, and
- each single account/region chain alone (that account's global services plus one region),

and prints the ratio whole / slowest chain (target: at most 1.5). It also times the whole
collection with no latency: the CPU it needs under the GIL, below which no concurrency or
scheduling can bring it.

    .venv/bin/python bench/aws_fanout.py [--latency 0.05] [--repeat 3] [--concurrency N]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

REGIONS = ["eu-west-2", "eu-west-1", "us-east-1", "eu-central-1"]
ROLE = "ResilienceAudit"
MANAGEMENT = "123456789012"
# moto lacks these; answered empty (after the same injected latency) so every chain is whole
MISSING = {
    ("backup", "ListBackupSelections"): {"BackupSelectionsList": []},
    ("backup", "ListRecoveryPointsByBackupVault"): {"RecoveryPoints": []},
    ("backup", "ListProtectedResources"): {"Results": []},
    ("backup", "ListRestoreJobs"): {"RestoreJobs": []},
    ("dlm", "GetLifecyclePolicies"): {"Policies": []},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, MOTO_EC2_LOAD_DEFAULT_AMIS="false")
    exe = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen([str(exe), "-H", "127.0.0.1", "-p", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=log.open("w"))
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=0.5)
            return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"moto_server did not start; see {log}") from None
            time.sleep(0.05)


def seed(url: str) -> dict[str, dict[str, str]]:
    """Three accounts, four regions: a little of everything in each. Returns credentials."""
    import boto3
    from botocore.config import Config

    base = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    cfg = Config(retries={"max_attempts": 1})

    def client(service: str, region: str, creds: dict[str, str]):
        return boto3.client(service, region_name=region, endpoint_url=url, config=cfg, **creds)

    org = client("organizations", "us-east-1", base)
    org.create_organization(FeatureSet="ALL")
    accounts = {MANAGEMENT: dict(base)}
    for name in ("housing", "social-care"):
        acct = org.create_account(AccountName=name, Email=f"{name}@example.invalid")[
            "CreateAccountStatus"]["AccountId"]
        c = client("sts", "us-east-1", base).assume_role(
            RoleArn=f"arn:aws:iam::{acct}:role/{ROLE}", RoleSessionName="seed")["Credentials"]
        accounts[acct] = {"aws_access_key_id": c["AccessKeyId"],
                          "aws_secret_access_key": c["SecretAccessKey"],
                          "aws_session_token": c["SessionToken"]}
    for acct, creds in accounts.items():
        iam = client("iam", "us-east-1", creds)
        for i in range(3):
            iam.create_user(UserName=f"user-{i}")
        for region in REGIONS:
            ec2 = client("ec2", region, creds)
            ec2.run_instances(ImageId="ami-12c6146b", MinCount=2, MaxCount=2,
                              TagSpecifications=[{"ResourceType": "instance", "Tags": [
                                  {"Key": "resilience:tier", "Value": "1"}]}])
            ec2.create_volume(AvailabilityZone=f"{region}a", Size=5)
            client("dynamodb", region, creds).create_table(
                TableName=f"table-{region}", BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
            backup = client("backup", region, creds)
            backup.create_backup_vault(BackupVaultName="vault")
            backup.create_backup_plan(BackupPlan={"BackupPlanName": "daily", "Rules": [
                {"RuleName": "daily", "TargetBackupVaultName": "vault",
                 "ScheduleExpression": "cron(0 5 ? * * *)"}]})
            s3 = client("s3", region, creds)
            for i in range(2):
                name = f"b-{acct[-4:]}-{region}-{i}"
                if region == "us-east-1":
                    s3.create_bucket(Bucket=name)
                else:
                    s3.create_bucket(Bucket=name,
                                     CreateBucketConfiguration={"LocationConstraint": region})
    return accounts


class Replay:
    """Record moto's answers once, then replay them with ``latency`` per call (testing.md §5.3).

    moto_server is one GIL-bound process (20-30 ms of CPU per EC2 call): timed against it, the
    benchmark would measure moto. Recording takes it out of the timed runs; what remains is the
    injected latency and botocore's own work, as against real AWS. Requests are keyed by method,
    URL, body and signing scope (key id and region); the last answer wins (the
    credential report says STARTED before COMPLETE). Canned answers for APIs moto lacks cost
    the same latency.
    """

    def __init__(self) -> None:
        self.cache: dict[tuple, tuple[int, dict, bytes]] = {}
        self.recording = True
        self.latency = 0.0
        self.calls = 0
        self._lock = threading.Lock()
        self._local = threading.local()

    @staticmethod
    def _key(request) -> tuple:
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        auth = request.headers.get("Authorization", b"")
        auth = auth.decode() if isinstance(auth, bytes) else str(auth)
        # key id, date, region, service: one endpoint serves every account and region here
        scope = auth.split("Credential=", 1)[-1].split(",", 1)[0]
        target = request.headers.get("X-Amz-Target", b"")  # JSON APIs name the operation here
        return request.method, request.url, body, scope, target

    def _count_and_wait(self) -> None:
        with self._lock:
            self.calls += 1
        if self.latency:
            time.sleep(self.latency)

    def hook(self, session) -> None:
        from botocore.awsrequest import AWSResponse

        from tests.aws.conftest import respond

        def send(request, **_):
            self._count_and_wait()
            key = self._key(request)
            hit = self.cache.get(key)
            if hit is not None and not self.recording:
                status, headers, raw = hit
                return AWSResponse(request.url, status, headers, _Body(raw))
            if not self.recording:
                raise RuntimeError(f"not recorded: {request.method} {request.url}")
            self._local.key = key
            return None

        def capture(response_dict, **_):
            key, self._local.key = getattr(self._local, "key", None), None
            if key is not None and self.recording:  # errors such as NoSuchTagSet are answers too
                with self._lock:
                    self.cache[key] = (response_dict["status_code"],
                                       dict(response_dict["headers"]), response_dict["body"])

        def canned(model, **_):
            body = MISSING.get((model.service_model.service_name, model.name))
            if body is None:
                return None
            self._count_and_wait()
            return respond(model, body)

        session.events.register_first("before-send", send)
        session.events.register("before-parse", capture)
        session.events.register_first("before-call", canned)


class _Body:
    def __init__(self, raw: bytes):
        self.raw = raw

    def stream(self, **_):
        yield self.raw


REPLAY = Replay()
CPU: list[float] = []  # process CPU seconds of each timed run


def collect(url: str, creds: dict[str, str], latency: float, **settings) -> tuple[float, int, int]:
    from resilience.config import AwsSettings, TagKeys
    from resilience.sources.aws import AwsSource
    from resilience.sources.interface import NullProgress

    os.environ.update({"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": creds["aws_access_key_id"],
                       "AWS_SECRET_ACCESS_KEY": creds["aws_secret_access_key"]})
    if "aws_session_token" in creds:
        os.environ["AWS_SESSION_TOKEN"] = creds["aws_session_token"]
    else:
        os.environ.pop("AWS_SESSION_TOKEN", None)
    REPLAY.latency = latency
    REPLAY.calls = 0
    cpu0 = time.process_time()
    start = time.perf_counter()
    estate = AwsSource(AwsSettings(max_attempts=1, **settings), TagKeys(),
                       session_hook=REPLAY.hook).collect(NullProgress())
    elapsed = time.perf_counter() - start
    CPU.append(time.process_time() - cpu0)
    if estate.gaps:
        raise RuntimeError(f"unexpected gaps: {[g.scope + ' ' + g.reason for g in estate.gaps]}")
    return elapsed, REPLAY.calls, len(estate.systems)


def main() -> None:
    from resilience.config import AwsSettings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=AwsSettings().concurrency)
    args = parser.parse_args()
    for name in ("AWS_PROFILE", "AWS_REGION", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE"):
        os.environ.pop(name, None)
    os.environ.update({"AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": "/dev/null",
                       "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
                       "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
                       "NO_PROXY": "127.0.0.1,localhost"})
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    proc, url = start_server(out / "moto_server.log")
    try:
        accounts = seed(url)
        management = accounts[MANAGEMENT]
        # record every configuration once through moto, then time only replays
        whole_args = dict(regions=REGIONS, organization=True, assume_role=ROLE,
                          concurrency=args.concurrency)
        collect(url, management, 0.0, **whole_args)
        for creds in accounts.values():
            for region in REGIONS:
                collect(url, creds, 0.0, regions=[region], concurrency=args.concurrency)
        REPLAY.recording = False
        whole = []
        CPU.clear()
        for _ in range(args.repeat):
            t, calls, systems = collect(url, management, args.latency, **whole_args)
            whole.append(t)
        whole_cpu = statistics.median(CPU)
        # the same collection with no latency at all: what is left is botocore's and our CPU under
        # the GIL, a floor that no concurrency or scheduling can take the whole run below
        floor = statistics.median(collect(url, management, 0.0, **whole_args)[0]
                                  for _ in range(args.repeat))
        CPU.clear()
        chains = {}
        for acct, creds in accounts.items():
            for region in REGIONS:
                runs = [collect(url, creds, args.latency, regions=[region],
                                concurrency=args.concurrency)[0] for _ in range(args.repeat)]
                chains[(acct, region)] = statistics.median(runs)
        t_all = statistics.median(whole)
        slowest_key, slowest = max(chains.items(), key=lambda kv: kv[1])
        print(f"accounts x regions      : {len(accounts)} x {len(REGIONS)}")
        print(f"latency per call        : {args.latency * 1000:.0f} ms")
        print(f"concurrency             : {args.concurrency}")
        print(f"API calls (whole run)   : {calls}; systems: {systems}")
        print(f"whole collection        : {t_all:.2f} s (median of {args.repeat}: "
              f"{', '.join(f'{t:.2f}' for t in whole)})")
        print(f"CPU of the whole run    : {whole_cpu:.2f} s (one core under the GIL; latency-bound "
              f"ideal {calls * args.latency / args.concurrency:.2f} s)")
        print(f"whole run, no latency   : {floor:.2f} s (CPU floor; floor / slowest chain "
              f"{floor / slowest:.2f})")
        print(f"slowest single chain    : {slowest:.2f} s ({slowest_key[0]} / {slowest_key[1]}); "
              f"CPU per chain {statistics.median(CPU):.2f} s")
        print(f"fastest single chain    : {min(chains.values()):.2f} s")
        print(f"sum of all chains       : {sum(chains.values()):.2f} s (sequential equivalent)")
        print(f"ratio whole / slowest   : {t_all / slowest:.2f} (target <= 1.5)")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
