"""Benchmark: ``resilience check --snapshot`` (full catalogue, JSON + SARIF) at growing sizes,
plus ``simulate ransomware``, ``--help`` and the demo estate check.

    python -m bench.check_scale --sizes 1000 10000 100000

Prints wall time and peak memory (max RSS of the child process) per run; the figures go into
the closing notes of performance work. Nothing here runs in the test suite. ``--help`` and the
demo check are short enough for a shared machine's noise to swamp one sample: they run
``--repeat`` times (default 5) and print the median wall time (issue 8 targets: under 0.3 s
and under 1 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synth import NOW, generate, to_snapshot

ROOT = Path(__file__).resolve().parent.parent
AS_OF = NOW.date().isoformat()  # the synthetic estate's facts are dated relative to this


def measure(args: list[str], cwd: Path) -> tuple[float, float, int]:
    """Run the CLI in a fresh process; returns (wall seconds, peak MiB, exit code)."""
    env = {**os.environ, "CI": "true", "NO_COLOR": "1"}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "resilience", *args], cwd=cwd, env=env,
                                stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            err.seek(0)
            print(err.read().decode(errors="replace"), file=sys.stderr)
    return wall, usage.ru_maxrss / 1024, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--skip-simulate", action="store_true")
    parser.add_argument("--repeat", type=int, default=5,
                        help="Runs of --help and of the demo check (the median is printed).")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="resilience-bench-"))
    print(f"{'what':40} {'wall s':>8} {'peak MiB':>10}")
    demo = ROOT / "resilience" / "data" / "demo" / "resilience.yaml"
    for label, cli in (("--help", ["--help"]),
                       ("check (demo estate)", ["check", "--config", str(demo), "--no-history"])):
        runs = [measure(cli, work) for _ in range(max(args.repeat, 1))]
        wall = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        print(f"{f'{label} (median of {len(runs)})':40} {wall:8.2f} {peak:10.0f}")
    for size in args.sizes:
        snap = work / f"estate-{size}.json"
        snap.write_text(to_snapshot(generate(size)))
        out = work / f"out-{size}"
        wall, peak, _ = measure(["check", "--snapshot", str(snap), "--format", "json,sarif",
                                 "--output", str(out), "--no-history",
                                 "--as-of", AS_OF], work)
        print(f"{f'check --snapshot {size:,} systems json+sarif':40} {wall:8.2f} {peak:10.0f}")
        if not args.skip_simulate:
            wall, peak, _ = measure(["simulate", "ransomware", "--snapshot", str(snap),
                                     "--format", "json", "--output", str(work / "sim.json")],
                                    work)
            print(f"{f'simulate ransomware {size:,} systems':40} {wall:8.2f} {peak:10.0f}")


if __name__ == "__main__":
    main()
