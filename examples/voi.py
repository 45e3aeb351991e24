"""Value of information on the M-SAM decision: which uncertainty is worth resolving first.

The choice between no action and transferring two M-SAM batteries is made by the weighted
objective ``msam_value`` declared in ``configs/baseline.yaml`` (leakers at the defended area
valued at an illustrative damage each, minus the cost: a value judgement to change). The
two options run on the same seed; EVPI is what perfect knowledge of every parameter would
be worth, EVPPI what resolving one parameter group (then one parameter) would be worth.

Run from the repository root::

    python examples/voi.py            # 4,000 paired replications
    python examples/voi.py -n 1000
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import scenario
from scenario.analysis.voi import voi

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    """Run the two options and print EVPI and the most valuable uncertainties."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--replications", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)

    base = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    msam = scenario.load_config(ROOT / "configs" / "options" / "msam.yaml")
    n, seed = args.replications, args.seed
    by_group = voi(base, msam, objective="msam_value", replications=n, seed=seed, groups=True)
    print(f"objective msam_value ({by_group.unit}), {by_group.replications:,} paired runs")
    for name, mean in zip(by_group.options, by_group.means, strict=True):
        print(f"  {name:10s} mean {mean:12,.1f}")
    if math.isfinite(by_group.evpi):
        evpi = f"EVPI {by_group.evpi:,.1f} (s.e. {by_group.evpi_se:,.1f})"
    else:  # one regression on every input at once needs more replications than inputs
        evpi = f"EVPI not estimable at n={n:,}; at most {by_group.evpi_upper:,.1f}"
    print(f"  best on average: {by_group.best}; {evpi}")
    print("EVPPI by parameter group:")
    for row in by_group.rows[:4]:
        share = f"({row.share_of_evpi:.0%} of EVPI)" if math.isfinite(row.share_of_evpi) else ""
        print(f"  {row.factor:24s} {row.evppi:10,.1f}  {share}")
    top = by_group.rows[0].factor
    inside = [  # fixed parameters do not vary, so they carry no information
        k
        for k, spec in base.flat_parameters().items()
        if k.startswith(top + ".") and spec.dist != "fixed"
    ]
    by_param = voi(
        base, msam, objective="msam_value", replications=n, seed=seed, parameters=inside
    )
    print(f"EVPPI within {top}:")
    for row in by_param.rows[:5]:
        print(f"  {row.factor:40s} {row.evppi:10,.1f}")
    print(f"most valuable uncertainty: {by_param.rows[0].factor}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
