r"""Exact small-force engagements: the Markov (stochastic) Lanchester square law.

Side A has :math:`a` units and side B :math:`b`. Casualties come one at a time: in state
:math:`(i, j)` with :math:`i, j \ge 1`, B loses one unit at rate :math:`\alpha i` and A loses
one unit at rate :math:`\beta j` (:math:`\alpha` is the per-capita kill rate of A against
B, :math:`\beta` the reverse, per unit of time). The process stops when one side reaches
zero. The total rate is :math:`R(i, j) = \alpha i + \beta j`, the waiting time to the next
casualty is exponential with rate :math:`R`, and the embedded jump chain moves to
:math:`(i, j-1)` with probability :math:`w = \alpha i / R` and to :math:`(i-1, j)` otherwise.

**Win probability.** :math:`P(i, j)`, the probability that A annihilates B from
:math:`(i, j)`, satisfies

.. math::

    P(i, j) = \frac{\alpha i\,P(i, j-1) + \beta j\,P(i-1, j)}{\alpha i + \beta j},
    \qquad P(i, 0) = 1 \;(i \ge 1), \qquad P(0, j) = 0 \;(j \ge 1).

Expected survivors obey the same recursion with boundaries :math:`E_A(i, 0) = i`,
:math:`E_A(0, j) = 0` and :math:`E_B(i, 0) = 0`, :math:`E_B(0, j) = j`.
:func:`win_probability`, :func:`win_probability_table` and :func:`expected_survivors` solve
these backward, one anti-diagonal :math:`i + j = k` at a time (each diagonal depends only on
the previous one, so a diagonal is one numpy expression). :func:`exact_outcome` pushes the
probability mass forward from :math:`(a, b)` instead. It gives the distribution of the
final state, and the expected duration
:math:`E[T] = \sum_{(i,j)} \Pr[\text{visit }(i,j)] / R(i,j)` (each transient state is
visited at most once).

**Precision.** When both rates are rationals (``int`` or :class:`fractions.Fraction`) and
:math:`a \cdot b \le` :data:`RATIONAL_MAX_CELLS`, the recursions run in rational
arithmetic and the result is exact until its final rounding to ``float`` (about 0.3 s at
100 x 100). Otherwise they run in float64. Every step is then a convex combination of
values already computed, so errors do not grow: the absolute error stays below about
:math:`4(a+b)` units of :math:`2^{-53}` for the probability (measured: under 5 units in
every cell up to 100 x 90), and the same relative to :math:`\max(a, b)` for the
survivors. :func:`win_probability_rational` always returns the
exact :class:`~fractions.Fraction`. A float rate is converted exactly, so 0.1 stands for
its binary value.

**Simulation.** :func:`simulate_engagement` runs Gillespie's direct method on ``n``
replications together. Each event draws an exponential waiting time with rate
:math:`R`, then which side loses one unit (B with probability :math:`\alpha A / R`). The
loop is over events, at most :math:`a + b - 1` of them, never over replications. Exactly
one unit dies per event, so **both sides can never be annihilated at the same time**. The
gamma-loss daily step of :mod:`~scenario.models.kernels.lanchester` removes a continuous
amount from both sides at once, every day. When a few units fight to the end within a
day or two, it lets both sides reach zero on the same day and lets a fraction of a unit
keep fighting, and its win probabilities are wrong (measured in
``tests/test_markov_lanchester.py``; see ``examples/small_force.py``). As the forces grow,
the chain's mean survivors approach the deterministic square law.

References
----------
Kingman, J. F. C. (2002). Stochastic aspects of Lanchester's theory of warfare. *Journal
of Applied Probability* 39(3), 455-465.
Gillespie, D. T. (1977). Exact stochastic simulation of coupled chemical reactions.
*Journal of Physical Chemistry* 81(25), 2340-2361.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from scenario.errors import EngineError

__all__ = [
    "A_WINS",
    "B_WINS",
    "NO_WINNER",
    "RATIONAL_MAX_CELLS",
    "Engagement",
    "ExactOutcome",
    "exact_outcome",
    "expected_survivors",
    "simulate_engagement",
    "win_frequency",
    "win_probability",
    "win_probability_rational",
    "win_probability_table",
]

A_WINS = 1
"""Code in :attr:`Engagement.winner`: side A annihilated side B."""
B_WINS = 2
"""Code in :attr:`Engagement.winner`: side B annihilated side A."""
NO_WINNER = 0
"""Code in :attr:`Engagement.winner`: both sides still stood at the horizon."""

RATIONAL_MAX_CELLS = 10_000
"""Largest :math:`a \\cdot b` computed in rational arithmetic when the rates are rational."""

Rate = int | float | Fraction
_Quantity = Literal["win", "a_left", "b_left"]


def _check_units(name: str, value: object) -> int:
    """``value`` as a positive whole number of units, or an EngineError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 1:
        raise EngineError(f"{name}: must be a whole number of units >= 1 (got {value!r})")
    return int(value)


def _check_rate(name: str, value: object) -> None:
    """Raise an EngineError unless ``value`` is a finite real number > 0."""
    x = float(value) if isinstance(value, numbers.Real) and not isinstance(value, bool) else 0.0
    if not (math.isfinite(x) and x > 0):
        raise EngineError(f"{name}: must be a finite kill rate > 0 (got {value!r})")


def _rational(alpha: Rate, beta: Rate, a: int, b: int) -> bool:
    """Whether to use rational arithmetic: both rates rational and the table small enough."""
    exact = all(isinstance(r, numbers.Rational) and not isinstance(r, bool) for r in (alpha, beta))
    return exact and a * b <= RATIONAL_MAX_CELLS


def _prepare(
    a: int, b: int, alpha: Rate, beta: Rate, rational: bool | None = None
) -> tuple[int, int, np.ndarray, np.ndarray]:
    """Checked forces, and the rates as 0-d arrays of Fractions (object dtype) or floats."""
    a, b = _check_units("a", a), _check_units("b", b)
    _check_rate("alpha", alpha)
    _check_rate("beta", beta)
    if rational is None:
        rational = _rational(alpha, beta, a, b)
    if rational:
        return (
            a,
            b,
            np.array(Fraction(alpha), dtype=object),
            np.array(Fraction(beta), dtype=object),
        )
    return a, b, np.asarray(float(alpha)), np.asarray(float(beta))


def _sweep(
    a: int, b: int, alpha: np.ndarray, beta: np.ndarray, what: _Quantity, table: np.ndarray | None
) -> np.ndarray:
    """Backward recursion over anti-diagonals; the last diagonal (indexed by i).

    ``prev[i]`` holds the value at ``(i, k - 1 - i)``, so for an interior cell ``(i, j)`` on
    diagonal ``k`` the values at ``(i, j - 1)`` and ``(i - 1, j)`` are ``prev[i]`` and
    ``prev[i - 1]``. If ``table`` is given, every cell is written into it as well.
    """
    dtype = alpha.dtype
    prev = np.zeros(a + 1, dtype=dtype)
    for k in range(1, a + b + 1):
        cur = np.zeros(a + 1, dtype=dtype)
        i = np.arange(max(1, k - b), min(a, k - 1) + 1)
        if i.size:
            ra, rb = i * alpha, (k - i) * beta
            cur[i] = (ra * prev[i] + rb * prev[i - 1]) / (ra + rb)
        if k <= a:  # (k, 0): B annihilated, A has k left
            cur[k] = {"win": 1, "a_left": k, "b_left": 0}[what]
        if k <= b:  # (0, k): A annihilated, B has k left
            cur[0] = k if what == "b_left" else 0
        if table is not None:
            cells = np.arange(max(0, k - b), min(a, k) + 1)
            table[cells, k - cells] = cur[cells]
        prev = cur
    return prev


def win_probability(a: int, b: int, alpha: Rate, beta: Rate) -> float:
    """Exact probability that side A annihilates side B in the Markov square law.

    Parameters
    ----------
    a, b : int
        Initial units of A and B, >= 1.
    alpha : int, Fraction or float
        Per-capita kill rate of A against B (B loses one at rate ``alpha * A``), > 0.
    beta : int, Fraction or float
        Per-capita kill rate of B against A, > 0.

    Returns
    -------
    float
        :math:`P(a, b)`. It is computed in rational arithmetic when both rates are
        rational and ``a * b <= RATIONAL_MAX_CELLS``, in float64 otherwise (see the module
        docstring for the error bound).

    Raises
    ------
    EngineError
        If a force is not a whole number >= 1 or a rate is not finite and > 0.
    """
    a, b, al, be = _prepare(a, b, alpha, beta)
    return float(_sweep(a, b, al, be, "win", None)[a])


def win_probability_rational(a: int, b: int, alpha: Rate, beta: Rate) -> Fraction:
    """:func:`win_probability` as an exact :class:`~fractions.Fraction`, at any size.

    Float rates are converted exactly (their binary value). The cost grows quickly:
    about 0.3 s at 100 x 100 and 2 s at 200 x 200.
    """
    a, b, al, be = _prepare(a, b, alpha, beta, rational=True)
    return Fraction(_sweep(a, b, al, be, "win", None)[a])


def win_probability_table(a: int, b: int, alpha: float, beta: float) -> np.ndarray:
    """:math:`P(i, j)` for every ``0 <= i <= a``, ``0 <= j <= b``, in float64.

    Returns
    -------
    numpy.ndarray
        Shape ``(a + 1, b + 1)``: row ``i`` is A's strength, column ``j`` B's. ``[i, 0]``
        is 1 and ``[0, j]`` is 0, except ``[0, 0]``, which is NaN (no engagement).
    """
    a, b, al, be = _prepare(a, b, alpha, beta, rational=False)
    table = np.full((a + 1, b + 1), np.nan)
    _sweep(a, b, al, be, "win", table)
    return table


def expected_survivors(a: int, b: int, alpha: Rate, beta: Rate) -> tuple[float, float]:
    """Expected surviving units of A and of B when the engagement ends.

    Both come from the backward recursion of the module docstring, with the boundaries
    :math:`E_A(i, 0) = i` and :math:`E_B(0, j) = j`. Each expectation includes the
    engagements the side loses, where it has 0 survivors. Arguments and precision are as in
    :func:`win_probability`.

    Returns
    -------
    (float, float)
        ``(E[A survivors], E[B survivors])``.
    """
    a, b, al, be = _prepare(a, b, alpha, beta)
    left_a = _sweep(a, b, al, be, "a_left", None)[a]
    left_b = _sweep(a, b, al, be, "b_left", None)[a]
    return float(left_a), float(left_b)


class ExactOutcome(BaseModel):
    """Distribution of the final state of a Markov square-law engagement."""

    model_config = ConfigDict(frozen=True)

    a: int
    b: int
    p_a_wins: float
    """Probability that A annihilates B."""
    mean_a_survivors: float
    """Expected A survivors (0 counted when A loses)."""
    mean_b_survivors: float
    """Expected B survivors (0 counted when B loses)."""
    mean_duration: float
    """Expected time until one side is annihilated, in the rates' time unit."""
    final_a: tuple[float, ...]
    """``final_a[i]``: probability that A ends with ``i`` units; ``final_a[0]`` = P(B wins)."""
    final_b: tuple[float, ...]
    """``final_b[j]``: probability that B ends with ``j`` units; ``final_b[0]`` = P(A wins)."""


def exact_outcome(a: int, b: int, alpha: Rate, beta: Rate) -> ExactOutcome:
    """Final-state distribution, expected survivors and expected duration, exactly.

    The probability mass starts at ``(a, b)`` and is pushed forward along the
    anti-diagonals of the embedded jump chain; what reaches ``(i, 0)`` or ``(0, j)`` stays
    there. This pass is independent of the backward recursion of :func:`win_probability`,
    and agrees with it exactly in rational arithmetic. Arguments and precision are as in
    :func:`win_probability`.
    """
    a, b, al, be = _prepare(a, b, alpha, beta)
    dtype = al.dtype
    mass = np.zeros(a + 1, dtype=dtype)
    mass[a] = 1
    final_a = np.zeros(a + 1, dtype=dtype)
    final_b = np.zeros(b + 1, dtype=dtype)
    duration: Rate = 0
    for k in range(a + b, 1, -1):
        i = np.arange(max(1, k - b), min(a, k - 1) + 1)
        ra, rb = i * al, (k - i) * be
        total = ra + rb
        duration = duration + (mass[i] / total).sum()
        new = np.zeros(a + 1, dtype=dtype)
        new[i] += mass[i] * ra / total
        new[i - 1] += mass[i] * rb / total
        if k - 1 <= a:
            final_a[k - 1] = new[k - 1]
            new[k - 1] = 0
        if k - 1 <= b:
            final_b[k - 1] = new[0]
            new[0] = 0
        mass = new
    final_a[0], final_b[0] = final_b[1:].sum(), final_a[1:].sum()
    return ExactOutcome(
        a=a,
        b=b,
        p_a_wins=float(final_b[0]),
        mean_a_survivors=float((np.arange(a + 1) * final_a).sum()),
        mean_b_survivors=float((np.arange(b + 1) * final_b).sum()),
        mean_duration=float(duration),
        final_a=tuple(float(p) for p in final_a),
        final_b=tuple(float(p) for p in final_b),
    )


@dataclass(frozen=True, eq=False)
class Engagement:
    """Replications of a Markov square-law engagement (see :func:`simulate_engagement`).

    Attributes
    ----------
    winner : numpy.ndarray of int8
        :data:`A_WINS`, :data:`B_WINS`, or :data:`NO_WINNER` when the horizon came first.
    a_survivors, b_survivors : numpy.ndarray of int64
        Units left at the end; at most one of the two is 0.
    t_end : numpy.ndarray of float64
        Time of the last casualty, or the horizon when there is no winner.
    events : numpy.ndarray of int64
        Casualties, one per event: ``(a - a_survivors) + (b - b_survivors)``.
    """

    winner: np.ndarray
    a_survivors: np.ndarray
    b_survivors: np.ndarray
    t_end: np.ndarray
    events: np.ndarray


def _check_simulation(n: object, horizon: float, alpha: np.ndarray, beta: np.ndarray) -> int:
    """Validate the simulation-only arguments; return ``n``."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or int(n) < 1:
        raise EngineError(f"n: must be a whole number of replications >= 1 (got {n!r})")
    if not (isinstance(horizon, numbers.Real) and float(horizon) > 0):
        raise EngineError(f"horizon: must be > 0 (infinity for none) (got {horizon!r})")
    for name, rate in (("alpha", alpha), ("beta", beta)):
        if rate.shape not in ((), (int(n),)) or not (np.isfinite(rate).all() and (rate > 0).all()):
            bad = rate if rate.ndim == 0 else f"array of shape {rate.shape}"
            raise EngineError(
                f"{name}: must be finite kill rates > 0, a scalar or one per replication "
                f"(got {bad})"
            )
    return int(n)


def simulate_engagement(
    a: int,
    b: int,
    alpha: float | np.ndarray,
    beta: float | np.ndarray,
    *,
    n: int,
    rng: np.random.Generator,
    horizon: float = math.inf,
) -> Engagement:
    """Gillespie simulation of ``n`` independent engagements, advanced together.

    Each pass of the loop moves every engagement still running by one event: a waiting
    time drawn from an exponential law with rate :math:`\\alpha A + \\beta B`, then one
    casualty, on B with probability :math:`\\alpha A / (\\alpha A + \\beta B)` and on A
    otherwise. An engagement stops when a side reaches zero, or when the next event would
    fall after ``horizon``. The loop runs at most ``a + b - 1`` times.

    Parameters
    ----------
    a, b : int
        Initial units of A and B, >= 1.
    alpha, beta : float or numpy.ndarray
        Per-capita kill rates (A against B, B against A), > 0: scalars, or arrays of shape
        ``(n,)`` with one rate per replication (for example, rates drawn from a prior).
    n : int
        Number of replications.
    rng : numpy.random.Generator
        Source of randomness. Results are reproducible for a given generator state.
    horizon : float
        Time at which an unfinished engagement stops with no winner (default: none).

    Returns
    -------
    Engagement
        Winner, survivors, end time and number of events of each replication.

    Raises
    ------
    EngineError
        For a bad force, rate, ``n`` or ``horizon``.
    """
    a, b = _check_units("a", a), _check_units("b", b)
    al, be = np.asarray(alpha, dtype=np.float64), np.asarray(beta, dtype=np.float64)
    n = _check_simulation(n, horizon, al, be)
    al, be = np.broadcast_to(al, (n,)), np.broadcast_to(be, (n,))
    units_a, units_b = np.full(n, a, dtype=np.int64), np.full(n, b, dtype=np.int64)
    t_end, events = np.zeros(n), np.zeros(n, dtype=np.int64)
    live = np.arange(n)
    while live.size:
        rate_a, rate_b = al[live] * units_a[live], be[live] * units_b[live]
        total = rate_a + rate_b
        t_next = t_end[live] + rng.standard_exponential(live.size) / total
        late = t_next > horizon
        t_end[live] = np.where(late, horizon, t_next)
        fire = live[~late]
        hit_b = rng.random(fire.size) * total[~late] < rate_a[~late]
        units_b[fire[hit_b]] -= 1
        units_a[fire[~hit_b]] -= 1
        events[fire] += 1
        live = fire[(units_a[fire] > 0) & (units_b[fire] > 0)]
    winner = np.where(units_b == 0, A_WINS, np.where(units_a == 0, B_WINS, NO_WINNER)).astype(
        np.int8
    )
    return Engagement(winner, units_a, units_b, t_end, events)


def win_frequency(engagement: Engagement, *, z: float = 1.96) -> tuple[float, float, float]:
    """Share of replications A won, with a Wilson score interval.

    Parameters
    ----------
    engagement : Engagement
        Output of :func:`simulate_engagement`.
    z : float
        Normal quantile of the interval (1.96: 95 %).

    Returns
    -------
    (float, float, float)
        ``(share, low, high)``. Replications with no winner count as not won.
    """
    n = engagement.winner.size
    p = float(np.mean(engagement.winner == A_WINS))
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return p, max(0.0, centre - half), min(1.0, centre + half)
