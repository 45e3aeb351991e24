"""What each South Korean option does beyond its own submodel: paired effects on the
ground war, Russian manpower, logistics and civilian harm, escalation and cost.

    python examples/option_effects.py                 # 20,000 replications, 2 workers
    python examples/option_effects.py -n 2000 --workers 1
    python examples/option_effects.py --censoring     # offensive aid's Ukrainian casualties

Every option runs on the baseline's seed (common random numbers), so each difference is
paired replication by replication. The table gives the mean paired difference from the
baseline with its 95 % interval and, in brackets, the share of replications where the
option does better / worse than the baseline (the rest are ties). This is the table of
README section "What each option does". Insight under the stated assumptions of
configs/baseline.yaml, not a prediction.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import scenario
from scenario.analysis import compare_options

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = (
    "msam",
    "offensive_aid",
    "advisors",
    "bices",
    "european_troops",
    "graduated_response",
    "full_package",
)
OUTCOMES = (
    "ad_leakers",
    "logistics_capacity_mean",
    "civilian_casualties",
    "ground_held_end_km2",
    "ua_exit_day",
    "ua_casualties",
    "ru_casualties",
    "nk_casualties",
    "ru_net_manpower_change",
    "esc_reached_3",
    "cost_total_usd_m",
)


SAME_INTENSITY = [
    f"parameters.ground.{k}={{dist: fixed, value: 1, source: 'what-if', as_of: 2025-04-30, "
    "confidence: none}"
    for k in ("post_exit_intensity", "nk_post_exit_engagement")
]
"""Fighting on the border after leaving the sector as intense as inside it."""


def censoring(replications: int, workers: int) -> str:
    """Offensive aid's effect on Ukrainian casualties counted three ways: only while in the
    sector (the old stopping rule), over the horizon, and over the horizon with the same
    intensity of fighting after leaving the sector."""
    rows = []
    for label, extra, outcome in (
        ("in the sector only (old stopping rule)", [], "ua_casualties_in_sector"),
        ("over the horizon", [], "ua_casualties"),
        ("over the horizon, same intensity after exit", SAME_INTENSITY, "ua_casualties"),
    ):
        base, aid = (
            scenario.run(
                scenario.load_config(ROOT / "configs" / path, overrides=extra),
                replications=replications,
                workers=workers,
            )
            for path in ("baseline.yaml", "options/offensive_aid.yaml")
        )
        d = aid.outcomes[outcome] - base.outcomes[outcome]
        half = 1.96 * float(d.std(ddof=1)) / d.size**0.5
        rows.append(
            f"{label:45s} {d.mean():+9,.0f} [{d.mean() - half:+,.0f}, {d.mean() + half:+,.0f}]"
        )
    text = "offensive aid - baseline, Ukrainian casualties:\n" + "\n".join(rows)
    print(text)
    return text


def main(argv: list[str] | None = None) -> str:
    """Print (and return) the markdown table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--replications", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--censoring", action="store_true", help="Only the casualty accounting.")
    args = ap.parse_args(argv)
    if args.censoring:
        return censoring(args.replications, args.workers)
    cmp = compare_options(
        ROOT / "configs" / "baseline.yaml",
        *(ROOT / "configs" / "options" / f"{o}.yaml" for o in OPTIONS),
        replications=args.replications,
        workers=args.workers,
        outcomes=list(OUTCOMES),
    )
    names = [o for o in cmp.options if o != cmp.base]
    lines = [
        f"Paired differences from the baseline, {cmp.replications:,} replications, "
        f"seed {cmp.seed}: mean [95 % interval] (share better / worse)",
        "",
        "| outcome | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for oc in cmp.outcomes:
        cells = []
        for opt in oc.options:
            d = opt.diff
            if d is None:
                continue
            cells.append(
                f"{d.diff_mean:+,.4g} [{d.diff_lo:+,.3g}, {d.diff_hi:+,.3g}] "
                f"({d.p_better:.0%}/{d.p_worse:.0%})"
            )
        lines.append(f"| {oc.outcome} ({oc.unit}, {oc.direction}) | " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    print(text)
    return text


if __name__ == "__main__":
    main()
