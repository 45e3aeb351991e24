"""Quickstart: run the baseline and two South Korean options on common random numbers.

Run from the repository root::

    python examples/quickstart.py            # 5,000 replications
    python examples/quickstart.py -n 500     # quicker

Because every option runs with the same seed, each replication sees the same uncertain
parameters and the same random events in every option, so the paired differences printed
below are the effect of the levers, not sampling noise.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

import scenario

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = {
    "baseline": ROOT / "configs" / "baseline.yaml",
    "advisors": ROOT / "configs" / "options" / "advisors.yaml",
    "offensive_aid": ROOT / "configs" / "options" / "offensive_aid.yaml",
}
SHOW = ("nk_casualties", "nk_casualties_per_combat_day", "ground_held_end_km2", "ua_expelled")


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--replications", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20241101)
    args = parser.parse_args(argv)

    results = {
        name: scenario.run(
            scenario.load_config(path), replications=args.replications, seed=args.seed
        )
        for name, path in OPTIONS.items()
    }
    base = results["baseline"]
    print(f"{args.replications:,} replications, seed {args.seed}; mean [95% CI]")
    for outcome in SHOW:
        row = scenario.summarize(base, [outcome])[0]
        print(f"\n{outcome} ({row.unit})")
        print(f"  {'baseline':14s} {row.mean:12.3f} [{row.mean_lo:.3f}, {row.mean_hi:.3f}]")
        for name in ("advisors", "offensive_aid"):
            diff = results[name].outcomes[outcome] - base.outcomes[outcome]
            ok = diff[np.isfinite(diff)]
            half = 1.96 * ok.std(ddof=1) / math.sqrt(ok.size)
            print(
                f"  {name:14s} change {ok.mean():+12.3f} [{ok.mean() - half:+.3f}, "
                f"{ok.mean() + half:+.3f}]  (paired)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
