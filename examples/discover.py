"""Scenario discovery: under which conditions does M-SAM fail to keep air-defence leakers low?

    python examples/discover.py              # 5,000 replications
    python examples/discover.py -n 2000 --quantile 0.9

Runs the baseline and the M-SAM option (configs/options/msam.yaml) on the same seed. The
threshold is a quantile of the baseline's total leakers (``ad_leakers``, default its 75th
percentile): M-SAM "fails" in a replication where its leakers stay above what the baseline
reaches in three replications of four. PRIM (scenario.analysis.discovery) then looks for
the ranges of the sampled inputs that concentrate those failures, and prints the box as a
table and as one sentence.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import scenario
from scenario.analysis import discover

ROOT = Path(__file__).resolve().parents[1]
OUTCOME = "ad_leakers"


def main(argv: list[str] | None = None) -> int:
    """Run baseline and M-SAM, pick the threshold, print the PRIM box."""
    parser = argparse.ArgumentParser(description="When does M-SAM fail to keep leakers low?")
    parser.add_argument("-n", "--replications", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20241101)
    parser.add_argument(
        "--quantile", type=float, default=0.75, help="Baseline quantile used as threshold."
    )
    args = parser.parse_args(argv)

    def run(path: Path) -> scenario.Results:
        cfg = scenario.load_config(path, overrides=["run.series_replications=0"])
        return scenario.run(cfg, replications=args.replications, seed=args.seed)

    base = run(ROOT / "configs" / "baseline.yaml")
    msam = run(ROOT / "configs" / "options" / "msam.yaml")
    threshold = float(np.nanquantile(base.outcome(OUTCOME), args.quantile))
    share = float(np.nanmean(msam.outcome(OUTCOME) > threshold))
    print(
        f"{args.replications:,} replications, seed {args.seed}. Threshold: the baseline's "
        f"p{100 * args.quantile:g} of {OUTCOME}, {threshold:,.0f}. With M-SAM, {share:.0%} "
        "of the replications stay above it."
    )
    found = discover(msam, OUTCOME, above=threshold)
    box = found.box
    print(f"\nbox (coverage {box.coverage:.0%}, density {box.density:.0%}, mass {box.mass:.0%}):")
    for r in box.restrictions:
        low = f"{r.low:.4g}" if r.bounded_below else "-"
        high = f"{r.high:.4g}" if r.bounded_above else "-"
        print(f"  {r.input:40s} {low:>9s} .. {high:<9s} quasi-p {r.p_value:.2g}")
    print(f"\n{found.describe()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
