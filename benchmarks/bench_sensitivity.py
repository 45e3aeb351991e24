"""Sensitivity benchmarks (not timed tests): a Sobol analysis of the full campaign.

    python benchmarks/bench_sensitivity.py            # all 8 parameter groups, N = 1,024
    python benchmarks/bench_sensitivity.py --quick    # N = 64, to check the script runs

Prints, for one run on this machine: the wall time of :func:`sobol` on the full campaign
with every parameter group as a factor (``N (k + 2) + N`` campaign replications), the time
of a plain run of the same number of replications in the same process, and their ratio
(the analysis' own overhead: SALib's Sobol' sampling and its bootstrap, the quantile
mapping, and one more block for the noise runs), with SALib's two steps timed alone.
Importing SALib (which loads pandas and matplotlib) is timed apart: it is paid once.
There is no target on the ratio: SALib's fixed cost (about a second at this size) weighs
less as the model gets heavier. Absolute times do not transfer between machines.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import scenario
from scenario.analysis.global_sensitivity import sobol

ROOT = Path(__file__).resolve().parents[1]


def _salib_time(n: int) -> float:
    """Seconds SALib takes to sample and analyse this problem (8 groups, 114 inputs)."""
    import numpy as np
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    names = [f"x{i}" for i in range(114)]
    problem = {
        "num_vars": 114,
        "names": names,
        "bounds": [[0.0, 1.0]] * 114,
        "groups": [f"g{i % 8}" for i in range(114)],
    }
    t0 = time.perf_counter()
    u = sample.sample(problem, n, calc_second_order=False, seed=1)
    y = np.random.default_rng(0).normal(size=u.shape[0])
    analyze.analyze(problem, y, calc_second_order=False, num_resamples=1000, seed=1)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    """Time the Sobol analysis and a plain run of the same size; print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="N = 64")
    parser.add_argument("--outcome", default="ad_leakers")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    n = 64 if args.quick else 1024
    cfg = scenario.load_config(
        ROOT / "configs" / "baseline.yaml", overrides=["run.series_replications=0"]
    )
    t0 = time.perf_counter()
    import SALib.analyze.sobol
    import SALib.sample.sobol  # noqa: F401  (imported once per process; timed apart)

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = sobol(cfg, outcome=args.outcome, n=n, groups=True, seed=1, workers=args.workers)
    t_sobol = time.perf_counter() - t0
    t0 = time.perf_counter()
    scenario.run(cfg, replications=res.runs, seed=1, workers=args.workers)
    t_plain = time.perf_counter() - t0
    print(f"Sobol of {args.outcome}, full campaign, 8 groups, N = {n}: {res.runs:,} runs")
    print(f"  sobol(): {t_sobol:8.1f} s   plain run of {res.runs:,}: {t_plain:8.1f} s")
    print(f"  (importing SALib, once per process: {t_import:.1f} s, not included)")
    print(f"  ratio {t_sobol / t_plain:.2f}; of which SALib alone: {_salib_time(n):.1f} s")
    print(
        f"  model randomness {res.noise_share:.3f}; top group {res.rows[0].factor} "
        f"(total {res.rows[0].st:.3f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
