"""Which assumptions drive the answer: tornado and Sobol indices for North Korean casualties.

The ground war alone (``submodels: [ground]``) decides North Korean casualties, so the
analysis runs on it: a one-at-a-time tornado (each parameter at its p10 and p90, on common
random numbers) and Sobol indices (first-order and total, with the model's own randomness
as its own share of the variance), per parameter and per parameter group of the campaign.

Run from the repository root::

    python examples/sensitivity.py            # tornado 1,000 replications a run, Sobol N = 512
    python examples/sensitivity.py -n 200 --sobol-n 128
"""

from __future__ import annotations

import argparse
from pathlib import Path

import scenario
from scenario.analysis.global_sensitivity import sobol
from scenario.analysis.sensitivity import tornado

ROOT = Path(__file__).resolve().parents[1]
OUTCOME = "nk_casualties"


def main(argv: list[str] | None = None) -> int:
    """Run the tornado and the Sobol analysis and print the top drivers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--replications", type=int, default=1000)
    parser.add_argument("--sobol-n", type=int, default=512, help="Sobol base sample (2^k)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    cfg = scenario.load_config(
        ROOT / "configs" / "baseline.yaml",
        overrides=["submodels=[ground]", "run.series_replications=0"],
    )
    torn = tornado(cfg, outcome=OUTCOME, replications=args.replications, seed=args.seed)
    print(f"tornado of {OUTCOME} (mean {torn.base_mean:,.0f} {torn.unit}): p10 -> p90 swing")
    for row in torn.rows[:6]:
        print(
            f"  {row.factor:34s} {row.swing:+10,.0f}  [{row.swing_lo:+,.0f}, {row.swing_hi:+,.0f}]"
        )
    sob = sobol(cfg, outcome=OUTCOME, n=args.sobol_n, seed=args.seed)
    print(
        f"\nSobol indices ({sob.runs:,} runs); the model's own randomness: "
        f"{sob.noise_share:.3f} [{sob.noise_lo:.3f}, {sob.noise_hi:.3f}] of the variance"
    )
    for s in sob.rows[:6]:
        print(
            f"  {s.factor:34s} first {s.s1:6.3f} [{s.s1_lo:.3f}, {s.s1_hi:.3f}]"
            f"  total {s.st:6.3f} [{s.st_lo:.3f}, {s.st_hi:.3f}]"
        )
    agree = "agree" if torn.rows[0].factor == sob.rows[0].factor else "disagree"
    print(f"\ntop driver: tornado {torn.rows[0].factor}, Sobol {sob.rows[0].factor} ({agree})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
