"""Compare every option in configs/options/ with the baseline, on the same seed.

    python examples/compare_options.py            # 5,000 replications each
    python examples/compare_options.py -n 1000 --workers 2

Every option runs with the baseline's seed, so replication i of every option sees the same
uncertain parameters and the same random events as replication i of the baseline (common
random numbers). A config with a ``sweep:`` block (configs/options/msam_sweep.yaml) stands
for its points. The output shows, per outcome, the ranking of the options by mean, and per
option the mean paired difference from the baseline with its 95 % interval and the shares
of replications in which it does better, ties or does worse; then, for a declared weighted
objective and a threshold, the option with the least regret, the satisficing probability and
the expected shortfall.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scenario.analysis import compare_options

ROOT = Path(__file__).resolve().parents[1]
OUTCOMES = [
    "nk_casualties",
    "ground_held_end_km2",
    "ua_casualties",
    "ad_leakers",
    "esc_reached_2",
    "cost_total_usd_m",
]
OBJECTIVES = {
    "thresholds": {"ad_leakers": {"at_most": 900}},
    "weighted": {
        "net_effect": {
            "unit": "NK casualties equivalent",
            "weights": {"nk_casualties": 1.0, "ua_casualties": -0.2, "cost_total_usd_m": -2.0},
            "description": "ILLUSTRATIVE weights: NK casualties, less Ukrainian losses and cost",
        }
    },
}


def main(argv: list[str] | None = None) -> int:
    """Compare the options with the baseline and print rankings, differences, robustness."""
    parser = argparse.ArgumentParser(description="Compare the options on common random numbers.")
    parser.add_argument("-n", "--replications", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20241101)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)

    paths = [
        ROOT / "configs" / "baseline.yaml",
        *sorted((ROOT / "configs" / "options").glob("*.yaml")),
    ]
    comparison = compare_options(
        *paths,
        replications=args.replications,
        seed=args.seed,
        workers=args.workers,
        outcomes=[*OUTCOMES, "net_effect"],
        objectives=OBJECTIVES,
    )
    print(
        f"{comparison.replications:,} replications, seed {comparison.seed}: option - "
        f"{comparison.base} (mean [95% CI]; shares of replications better/tie/worse)"
    )
    for oc in comparison.outcomes:
        ranking = " > ".join(oc.ranking) if oc.ranking else "not ranked"
        print(f"\n{oc.outcome} [{oc.unit}], {oc.direction}; by mean: {ranking}")
        for row in oc.options:
            d = row.diff
            if d is None:
                print(f"  {row.option:26s} mean {row.mean:12.2f} (base)")
                continue
            print(
                f"  {row.option:26s} {d.diff_mean:+12.2f} [{d.diff_lo:+.2f}, {d.diff_hi:+.2f}]"
                f"  {d.p_better:.2f}/{d.p_tie:.2f}/{d.p_worse:.2f}"
            )
    rob = comparison.robustness
    net = "net_effect"
    best = rob.least_regret(net)
    r = rob.row(best, net)
    print(
        f"\nleast mean regret on {net}: {best} (mean regret {r.regret_mean:.1f}, best in "
        f"{r.share_best:.0%} of replications, CVaR{rob.cvar_level:.0%} {r.cvar:.1f})"
    )
    for s in rob.satisficing:
        print(
            f"  P({s.objective} {s.threshold}) {s.option:26s} "
            f"{s.p:.2f} [{s.p_lo:.2f}, {s.p_hi:.2f}]"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
