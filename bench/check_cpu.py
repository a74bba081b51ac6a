"""Benchmark: CPU seconds of each check of the catalogue on one snapshot, in one process.

    python -m bench.check_cpu /tmp/b/e100000.json --rounds 3

Each round evaluates the whole catalogue, in catalogue order, on a fresh context (so shared
per-run facts are built again, by whichever check asks first), with passes counted but not
kept, as ``resilience check`` does. A check's figure is its least CPU time over the rounds:
on a machine shared with other work the least is the steadiest. Prints the checks by cost, the
total of each round and the total of the minima. Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import gc
import time

from bench.synth import NOW
from resilience.engine.interface import CheckContext
from resilience.engine.registry import load_catalogue
from resilience.engine.run import evaluate_check
from resilience.gcpause import gc_paused
from resilience.policy import default_policy
from resilience.snapshot import load_snapshot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=70, help="how many checks to list")
    args = parser.parse_args()
    with gc_paused():
        estate = load_snapshot(args.snapshot)
    gc.freeze()
    checks = list(load_catalogue())
    least: dict[str, float] = {}
    rounds: list[float] = []
    for _ in range(args.rounds):
        ctx = CheckContext(estate=estate, policy=default_policy(), now=NOW, keep_passes=False)
        total = 0.0
        with gc_paused():
            for check in checks:
                start = time.process_time()
                evaluate_check(check, ctx)
                spent = time.process_time() - start
                total += spent
                least[check.meta.id] = min(least.get(check.meta.id, spent), spent)
        rounds.append(total)
    for check_id, spent in sorted(least.items(), key=lambda kv: -kv[1])[:args.top]:
        print(f"{spent:7.3f} {check_id}")
    print("rounds", " ".join(f"{r:.2f}" for r in rounds))
    print("total of per-check minima", round(sum(least.values()), 2))


if __name__ == "__main__":
    main()
