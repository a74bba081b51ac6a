"""Benchmark: `resilience check --aws` on 2,000 IAM users and 2,000 buckets (run on demand).

Starts moto_server on 127.0.0.1, seeds the estate over HTTP, runs the CLI as a subprocess with
AWS_ENDPOINT_URL, and reports its wall time and peak memory (the child's max RSS). moto answers
every call itself, so the wall time includes moto's own work (it is one GIL-bound process).

    .venv/bin/python bench/aws_scale.py [--users 2000] [--buckets 2000] [--region eu-west-2 ...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.aws_fanout import start_server  # noqa: E402

SEED_REGIONS = ["eu-west-2", "eu-west-1", "us-east-1", "eu-central-1"]


def seed(url: str, users: int, buckets: int) -> None:
    import boto3
    from botocore.config import Config

    kw = {"endpoint_url": url, "aws_access_key_id": "testing",
          "aws_secret_access_key": "testing",
          "config": Config(retries={"max_attempts": 2}, max_pool_connections=16)}
    iam = boto3.client("iam", region_name="us-east-1", **kw)
    s3 = {r: boto3.client("s3", region_name=r, **kw) for r in SEED_REGIONS}

    def user(i: int) -> None:
        name = f"user-{i:05d}"
        iam.create_user(UserName=name, Tags=[{"Key": "team", "Value": f"t{i % 40}"}])
        if i % 3 == 0:
            iam.create_login_profile(UserName=name, Password="Bench-Password-1!")
        if i % 5 == 0:
            iam.create_access_key(UserName=name)

    def bucket(i: int) -> None:
        region = SEED_REGIONS[i % len(SEED_REGIONS)]
        name = f"bench-bucket-{i:05d}"
        if region == "us-east-1":
            s3[region].create_bucket(Bucket=name)
        else:
            s3[region].create_bucket(Bucket=name,
                                     CreateBucketConfiguration={"LocationConstraint": region})
        if i % 2 == 0:
            s3[region].put_bucket_versioning(Bucket=name,
                                             VersioningConfiguration={"Status": "Enabled"})
        s3[region].put_bucket_tagging(Bucket=name, Tagging={"TagSet": [
            {"Key": "resilience:tier", "Value": str(1 + i % 3)},
            {"Key": "resilience:service", "Value": f"service-{i % 25}"}]})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(user, range(users)))
        list(pool.map(bucket, range(buckets)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--buckets", type=int, default=2000)
    parser.add_argument("--region", action="append", default=[],
                        help="Pass --region to the CLI (default: all enabled regions).")
    args = parser.parse_args()
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    proc, url = start_server(out / "moto_server_scale.log")
    try:
        t0 = time.perf_counter()
        seed(url, args.users, args.buckets)
        print(f"seeded {args.users} users and {args.buckets} buckets in "
              f"{time.perf_counter() - t0:.0f} s")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "testing",
                    "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                    "AWS_MAX_ATTEMPTS": "1", "AWS_CONFIG_FILE": "/dev/null",
                    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "CI": "1",
                    "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
                    "NO_PROXY": "127.0.0.1,localhost"})
        report = out / "aws_scale_report.json"
        cmd = [sys.executable, "-m", "resilience", "check", "--aws", "--format", "json",
               "--output", str(report)]
        for region in args.region:
            cmd += ["--region", region]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, cwd=out, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1):
            print(done.stderr[-3000:])
            raise SystemExit(f"the CLI failed with exit code {done.returncode}")
        data = json.loads(report.read_text())
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(f"command            : {' '.join(cmd[1:])}")
        print(f"estate             : {data['estate']}")
        print(f"findings           : {len(data['findings'])}; gaps: {len(data['gaps'])}")
        print(f"wall time          : {wall:.1f} s (CLI CPU {cpu:.1f} s; the rest is moto)")
        print(f"peak memory (RSS)  : {after.ru_maxrss / 1024:.0f} MiB")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
