"""Worker scaling (not a timed test): two worker processes against one, in the same run.

    python benchmarks/bench_workers.py            # the campaign at 100,000 replications
    python benchmarks/bench_workers.py --quick    # 20,000, to check the script runs

Times, interleaved and best of ``--repeat``, the full campaign (``configs/baseline.yaml``)
at ``N`` replications in blocks of ``--block-size`` (default 5,000: 20 blocks):

1. serial (one process, the reference);
2. ``workers=2``, cold: the run starts its own pool of spawned processes, as
   ``scenario run --workers 2`` does;
3. ``workers=2``, warm: on a pool already started (``scenario.engine.executors.
   worker_pool``), as sweeps, comparisons, tornado and VOI reuse one pool for all their
   runs;

and the start-up of a pool of two (spawn, import, first task) alone. Prints each speed-up
as a ratio to serial. Target: 2 workers >= 1.8x one worker (on an idle 2-core machine).
Results are identical in every mode (checked).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

import scenario
from scenario.engine.executors import worker_pool

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--block-size", type=int, default=5000)
    args = parser.parse_args()
    n = 20_000 if args.quick else 100_000
    cfg = scenario.load_config(
        ROOT / "configs" / "baseline.yaml",
        overrides=[f"run.block_size={args.block_size}", "run.series_replications=0"],
    )
    scenario.run(cfg, replications=1000, seed=1)  # warm the imports
    best = {"serial": np.inf, "cold": np.inf, "warm": np.inf, "start": np.inf}
    ref = None
    with worker_pool(2) as pool:
        t = time.perf_counter()
        scenario.run(cfg, replications=2 * args.block_size, seed=1, executor=pool)
        first = time.perf_counter() - t
        for _ in range(args.repeat):
            for mode in ("serial", "cold", "warm"):
                kw = (
                    {"executor": pool}
                    if mode == "warm"
                    else {"workers": 1 if mode == "serial" else 2}
                )
                t = time.perf_counter()
                res = scenario.run(cfg, replications=n, seed=7, **kw)  # type: ignore[arg-type]
                best[mode] = min(best[mode], time.perf_counter() - t)
                y = res.outcomes["ua_casualties"]
                ref = y if ref is None else ref
                if not np.array_equal(y, ref):
                    raise SystemExit(f"{mode}: results differ from serial")
    t = time.perf_counter()
    with worker_pool(2) as fresh:
        list(fresh.pool.map(abs, [1, 2]))
        scenario.run(cfg, replications=2, seed=1, executor=fresh)
    best["start"] = time.perf_counter() - t
    serial = best["serial"]
    print(f"campaign, {n:,} replications in blocks of {args.block_size:,}, best of {args.repeat}")
    print(f"  serial                 {serial:7.2f} s   {n / serial:9,.0f} reps/s   1.00x")
    for mode, label in (("cold", "2 workers, own pool"), ("warm", "2 workers, warm pool")):
        s = best[mode]
        print(f"  {label:<22} {s:7.2f} s   {n / s:9,.0f} reps/s   {serial / s:.2f}x")
    start = best["start"]
    print(f"  pool of 2: start-up and a first tiny run {start:.2f} s (first use {first:.2f} s)")
    for mode in ("cold", "warm"):
        verdict = "met" if serial / best[mode] >= 1.8 else "NOT met"
        print(
            f"target 2 workers >= 1.8x one worker ({mode}): {serial / best[mode]:.2f}x {verdict}"
        )


if __name__ == "__main__":
    main()
