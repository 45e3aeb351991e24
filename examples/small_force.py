"""Small-force engagement: which attrition kernel to trust when a few units fight.

An illustrative raid: 12 North Korean special forces against 8 Ukrainian defenders. The
per-capita kill rates are ASSUMPTIONs chosen for illustration, not estimates: each attacker
puts 1.2 defenders per day out of action, and each defender 2.4 attackers per day
(prepared positions). Under the deterministic square law the attackers are the favourite
(1.2 x 12^2 = 172.8 > 2.4 x 8^2 = 153.6). The example prints:

* the exact probability that the raid succeeds, from the Markov square law
  (:mod:`scenario.models.kernels.markov_lanchester`), with expected survivors and duration;
* a Gillespie estimate of the same probability, with its 95 % interval;
* what the campaign's gamma-loss daily kernel (:mod:`scenario.models.kernels.lanchester`)
  says, with Poisson-like (k = inf) and over-dispersed (k = 5) daily losses;
* the same comparison with both forces scaled up.

Run from the repository root::

    python examples/small_force.py            # 100,000 replications
    python examples/small_force.py -n 2000
"""

from __future__ import annotations

import argparse
from fractions import Fraction

import numpy as np

from scenario.models.kernels.lanchester import simulate_square_law, square_law_closed_form
from scenario.models.kernels.markov_lanchester import (
    exact_outcome,
    simulate_engagement,
    win_frequency,
    win_probability,
)

ATTACKERS, DEFENDERS = 12, 8
ALPHA = Fraction("1.2")  # ASSUMPTION: defenders hit per attacker per day
BETA = Fraction("2.4")  # ASSUMPTION: attackers hit per defender per day
DAYS = 100  # horizon of the daily kernel; the raid itself lasts under a day on average


def gamma_kernel(a: int, b: int, k: float, n: int, seed: int) -> tuple[float, float, float]:
    """Shares of A wins, same-day mutual annihilation and still-open fights (daily kernel)."""
    path = simulate_square_law(
        np.full(n, float(a)),
        float(b),
        float(ALPHA),
        float(BETA),
        DAYS,
        stochastic=True,
        dispersion=k,
        rng=np.random.default_rng(seed),
    )
    x, y = path.x[:, -1], path.y[:, -1]
    return (
        float(np.mean((x > 0) & (y <= 0))),
        float(np.mean((x <= 0) & (y <= 0))),
        float(np.mean((x > 0) & (y > 0))),
    )


def main(argv: list[str] | None = None) -> int:
    """Print the exact, simulated and daily-kernel answers for the raid, then scaled up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--replications", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    n, seed = args.replications, args.seed

    a, b = ATTACKERS, DEFENDERS
    exact = exact_outcome(a, b, ALPHA, BETA)
    print(f"raid: {a} attackers v {b} defenders")
    print(
        f"  kill rates per capita per day: attackers {float(ALPHA):g}, defenders "
        f"{float(BETA):g} (ASSUMPTION)"
    )
    winner, left, t_end = square_law_closed_form(a, b, float(ALPHA), float(BETA))
    side = "attackers" if winner == "x" else "defenders"
    print(f"{'deterministic square law':26s}{side} win, {left:.1f} left after {t_end:.2f} days")
    print(f"{'exact Markov chain':26s}P(raid succeeds) = {exact.p_a_wins:.4f}")
    print(
        f"  expected survivors {exact.mean_a_survivors:.2f} attackers, "
        f"{exact.mean_b_survivors:.2f} defenders; mean duration {exact.mean_duration:.2f} days"
    )
    sim = simulate_engagement(
        a, b, float(ALPHA), float(BETA), n=n, rng=np.random.default_rng(seed)
    )
    share, low, high = win_frequency(sim)
    label = f"Gillespie, {n:,} runs"
    print(f"{label:26s}{share:.4f}  (95 % interval {low:.4f} to {high:.4f})")
    for k in (float("inf"), 5.0):
        won, both, still = gamma_kernel(a, b, k, n, seed)
        label = f"gamma daily kernel k={k:g}"
        print(f"{label:26s}{won:.4f}")
        print(
            f"  both sides wiped out the same day {both:.1%}, open after {DAYS} days {still:.1%}"
        )
    print("P(attackers win) with both forces scaled by m (same rates):")
    print("   m   forces     exact  gamma k=inf  gamma k=5")
    for m in (1, 4, 16):
        p = win_probability(a * m, b * m, float(ALPHA), float(BETA))
        g_inf = gamma_kernel(a * m, b * m, float("inf"), n, seed)[0]
        g_5 = gamma_kernel(a * m, b * m, 5.0, n, seed)[0]
        print(f"  {m:2d}  {a * m:3d} v {b * m:3d}  {p:.4f}  {g_inf:11.4f}  {g_5:9.4f}")
    print("which kernel: the Markov chain (exact recursion; Gillespie when rates vary")
    print("  per run) when a few units fight to the end; the daily gamma-loss kernel for")
    print("  the attrition of large forces over many days, with no side wiped out in a day.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
