"""Held-out validation: the prior baseline against the calibrated one, on months the
calibration never saw.

The calibrated baseline (``configs/calibrated/baseline.yaml``) draws the ground war's
parameters jointly from the posterior that ``scenario calibrate`` fitted to the record's
points up to 31 January 2025. This script runs both baselines on the same seed (the ground
war alone: the record's quantities are its outputs) and prints, for every record point,
each run's 90 % band, whether it covers the observation, its width, the interval score and
the CRPS (lower is better), then the share of replications that match every point at once.

Run from the repository root::

    python examples/validate_calibration.py            # 10,000 replications each
    python examples/validate_calibration.py -n 2000
"""

from __future__ import annotations

import argparse
from pathlib import Path

import scenario
from scenario.analysis.validation import check_points, match_fraction
from scenario.config.record import load_record

ROOT = Path(__file__).resolve().parents[1]
RUNS = {
    "prior": ROOT / "configs" / "baseline.yaml",
    "calibrated": ROOT / "configs" / "calibrated" / "baseline.yaml",
}


def main(argv: list[str] | None = None) -> int:
    """Run both baselines and print the held-out table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--replications", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    n = args.replications
    record = load_record(ROOT / "configs" / "record" / "kursk_2024_2025.yaml")
    over = [f"run.series_replications={n}", f"run.block_size={n}"]
    runs = {
        name: scenario.run(
            scenario.load_config(path, overrides=over), replications=n, seed=args.seed
        )
        for name, path in RUNS.items()
    }
    print(f"{n:,} replications each, seed {args.seed}; record {record.name} v{record.version}")
    print(
        f"{'point':30s} {'use':7s} {'run':10s} {'obs':>6s} {'p5':>7s} {'p95':>7s} "
        f"{'cov':>3s} {'width':>7s} {'IS':>7s} {'CRPS':>7s}"
    )
    for row in check_points(runs, record.points):
        print(
            f"{row.point:30s} {row.use:7s} {row.run:10s} {row.observed:6.0f} {row.p5:7.0f} "
            f"{row.p95:7.0f} {'yes' if row.covered else 'no':>3s} {row.width:7.0f} "
            f"{row.interval_score:7.0f} {row.crps:7.1f}"
        )
    for name, res in runs.items():
        fit = match_fraction(res, record.fit_points())
        every = match_fraction(res, record.points)
        print(f"{name}: match every fit point {fit:.1%}, every point {every:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
