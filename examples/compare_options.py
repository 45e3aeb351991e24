"""Compare every option in configs/options/ with the baseline, on the same seed.

    python examples/compare_options.py            # 5,000 replications each
    python examples/compare_options.py -n 1000

Each option runs with the baseline's seed, so replication i of every option sees the same
uncertain parameters and the same random events as replication i of the baseline (common
random numbers). The table shows, per option and outcome, the mean paired difference with its
95 % interval and the probability that the option does better in a replication.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import scenario
from scenario.analysis import compare

ROOT = Path(__file__).resolve().parents[1]
OUTCOMES = [
    "nk_casualties",
    "ground_held_end_km2",
    "ua_casualties",
    "ad_leakers",
    "esc_reached_2",
    "cost_total_usd_m",
]


def main(argv: list[str] | None = None) -> int:
    """Run the baseline and each option, print paired differences."""
    parser = argparse.ArgumentParser(description="Compare the options on common random numbers.")
    parser.add_argument("-n", "--replications", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20241101)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)

    def run(path: Path) -> scenario.Results:
        cfg = scenario.load_config(path, overrides=["run.series_replications=0"])
        return scenario.run(
            cfg, replications=args.replications, seed=args.seed, workers=args.workers
        )

    base = run(ROOT / "configs" / "baseline.yaml")
    print(
        f"{args.replications:,} replications, seed {args.seed}: option - baseline "
        "(mean [95% CI]; P(better) in a replication)"
    )
    for path in sorted((ROOT / "configs" / "options").glob("*.yaml")):
        res = run(path)
        print(f"\n{path.stem}")
        for row in compare(res, base, OUTCOMES):
            better = "" if row.direction == "info" else f"  P(better) {row.p_better:.2f}"
            print(
                f"  {row.outcome:22s} {row.diff_mean:+12.2f} [{row.diff_lo:+.2f}, "
                f"{row.diff_hi:+.2f}] {row.unit}{better}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
