r"""Lanchester square-law attrition kernel, exact per step, deterministic or stochastic.

Two forces :math:`X` and :math:`Y` under aimed fire:

.. math::

    \frac{dX}{dt} = -b\,Y, \qquad \frac{dY}{dt} = -a\,X,

with :math:`a` the casualties one unit of :math:`X` inflicts on :math:`Y` per day and
:math:`b` the reverse. With :math:`\gamma = \sqrt{ab}` the solution over a step of length
:math:`t` at constant coefficients is

.. math::

    X(t) = X_0\cosh\gamma t - \sqrt{b/a}\,Y_0\sinh\gamma t, \qquad
    Y(t) = Y_0\cosh\gamma t - \sqrt{a/b}\,X_0\sinh\gamma t .

:math:`aX^2 - bY^2` is invariant (the square law). If :math:`aX_0^2 > bY_0^2`, :math:`X`
wins with :math:`X_f = \sqrt{X_0^2 - (b/a)Y_0^2}` at
:math:`t^* = \operatorname{artanh}\!\big(\sqrt{b/a}\,Y_0/X_0\big)/\gamma` (symmetrically for
:math:`Y`). :func:`square_law_step` applies this exactly, so stepping day by day with
constant coefficients reproduces the closed form to rounding error; annihilation inside a
step is located exactly.

Stochastic variant: the expected losses of a step, :math:`\ell_X = X_0 - X(t)` and
:math:`\ell_Y`, become realised losses drawn from a gamma law with mean :math:`\ell` and
variance :math:`\ell + \ell^2/k` (the continuous analogue of a negative binomial with
over-dispersion :math:`k`; :math:`k=\infty` gives Poisson-like variance :math:`\ell`),
capped at the force present.

When to use which kernel: this daily kernel is for the attrition of large forces over many
steps, where neither side is wiped out within a step. It removes a continuous amount from
both sides every step. When a few units fight to the end within a step or two, it lets both
sides reach zero on the same day, lets fractions of a unit keep fighting, and misstates who
wins. With rates per day and (8, 5) units fighting for about a day, the favourite wins
0.82 (k = inf) or 0.73 (k = 5) of the time instead of the exact 0.63. For such
engagements use :mod:`~scenario.models.kernels.markov_lanchester`: the exact win
probability by recursion, or Gillespie simulation, with one casualty per event.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "AttritionPath",
    "overdispersed_losses",
    "simulate_square_law",
    "square_law_closed_form",
    "square_law_step",
]


def square_law_closed_form(x0: float, y0: float, a: float, b: float) -> tuple[str, float, float]:
    """Winner, surviving strength and time to annihilation of the loser (closed form).

    Parameters
    ----------
    x0, y0 : float
        Initial strengths, > 0.
    a : float
        Casualties per day that one unit of X inflicts on Y, > 0.
    b : float
        Casualties per day that one unit of Y inflicts on X, > 0.

    Returns
    -------
    (winner, survivors, t_end) : tuple
        ``winner`` is ``"x"``, ``"y"`` or ``"draw"`` (``t_end`` infinite for a draw).
    """
    if min(x0, y0, a, b) <= 0:
        raise ValueError(f"x0, y0, a, b must be > 0 (got {x0}, {y0}, {a}, {b})")
    gamma = np.sqrt(a * b)
    lhs, rhs = a * x0 * x0, b * y0 * y0
    if np.isclose(lhs, rhs, rtol=1e-15, atol=0.0):
        return "draw", 0.0, float("inf")
    if lhs > rhs:
        return (
            "x",
            float(np.sqrt(x0 * x0 - (b / a) * y0 * y0)),
            float(np.arctanh(np.sqrt(b / a) * y0 / x0) / gamma),
        )
    return (
        "y",
        float(np.sqrt(y0 * y0 - (a / b) * x0 * x0)),
        float(np.arctanh(np.sqrt(a / b) * x0 / y0) / gamma),
    )


def square_law_step(
    x: np.ndarray, y: np.ndarray, a: np.ndarray, b: np.ndarray, dt: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Advance the square law exactly by ``dt`` (vectorised).

    Returns ``(x_new, y_new, t_used)`` where ``t_used < dt`` marks a step in which one side
    was annihilated at time ``t_used`` into the step (the other keeps its strength then).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    a = np.broadcast_to(np.asarray(a, dtype=np.float64), x.shape)
    b = np.broadcast_to(np.asarray(b, dtype=np.float64), x.shape)
    gamma = np.sqrt(a * b)
    with np.errstate(divide="ignore", invalid="ignore"):
        pos_a, pos_b = a > 0, b > 0
        all_a, all_b = bool(pos_a.all()), bool(pos_b.all())
        # Fast paths (all kill rates positive, dt == 1) give the same values, bit for bit.
        rba = (
            np.sqrt(b / a) if all_a else np.where(pos_a, np.sqrt(b / np.where(pos_a, a, 1.0)), 0.0)
        )
        rab = (
            np.sqrt(a / b) if all_b else np.where(pos_b, np.sqrt(a / np.where(pos_b, b, 1.0)), 0.0)
        )
        g_dt = gamma if dt == 1.0 else gamma * dt
        ch, sh = np.cosh(g_dt), np.sinh(g_dt)
        # gamma == 0: one side does not fire; the linear limit sinh(gt)/g -> t.
        lin = gamma == 0
        xn = x * ch - rba * y * sh
        yn = y * ch - rab * x * sh
        if lin.any():
            xn = np.where(lin, x - b * y * dt, xn)
            yn = np.where(lin, y - a * x * dt, yn)
        t_used = np.full(x.shape, float(dt))
        hit_y = (yn < 0) & (y > 0)
        hit_x = (xn < 0) & (x > 0)
        if hit_y.any() or hit_x.any():
            xn, yn, t_used = _annihilation(x, y, a, b, xn, yn, t_used, hit_x, hit_y)
    # A side already at zero neither fires nor is fired on: the engagement is over.
    over = (x <= 0) | (y <= 0)
    if over.any():
        xn = np.where(over, x, xn)
        yn = np.where(over, y, yn)
        t_used = np.where(over, 0.0, t_used)
    return np.maximum(xn, 0.0, out=xn), np.maximum(yn, 0.0, out=yn), t_used


def _annihilation(
    x: np.ndarray,
    y: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    xn: np.ndarray,
    yn: np.ndarray,
    t_used: np.ndarray,
    hit_x: np.ndarray,
    hit_y: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact annihilation time inside the step, and the survivor's strength then."""
    gamma = np.sqrt(a * b)
    lin = gamma == 0
    rba = np.where(a > 0, np.sqrt(b / np.where(a > 0, a, 1.0)), 0.0)
    rab = np.where(b > 0, np.sqrt(a / np.where(b > 0, b, 1.0)), 0.0)
    ty = np.where(
        lin,
        y / np.where(a * x > 0, a * x, 1.0),
        np.arctanh(np.clip(rba * y / np.where(x > 0, x, 1.0), 0, 1 - 1e-16))
        / np.where(gamma > 0, gamma, 1.0),
    )
    tx = np.where(
        lin,
        x / np.where(b * y > 0, b * y, 1.0),
        np.arctanh(np.clip(rab * x / np.where(y > 0, y, 1.0), 0, 1 - 1e-16))
        / np.where(gamma > 0, gamma, 1.0),
    )
    xs = np.where(
        lin,
        x - b * y * ty,
        np.sqrt(np.maximum(x * x - (b / np.where(a > 0, a, 1.0)) * y * y, 0.0)),
    )
    ys = np.where(
        lin,
        y - a * x * tx,
        np.sqrt(np.maximum(y * y - (a / np.where(b > 0, b, 1.0)) * x * x, 0.0)),
    )
    xn = np.where(hit_y, xs, xn)
    yn = np.where(hit_y, 0.0, yn)
    t_used = np.where(hit_y, ty, t_used)
    xn = np.where(hit_x & ~hit_y, 0.0, xn)
    yn = np.where(hit_x & ~hit_y, ys, yn)
    t_used = np.where(hit_x & ~hit_y, tx, t_used)
    return xn, yn, t_used


def overdispersed_losses(
    expected: np.ndarray,
    present: np.ndarray,
    dispersion: np.ndarray | float,
    *,
    rng: np.random.Generator,
) -> np.ndarray:
    """Realised losses with mean ``expected`` and variance ``expected + expected**2 / k``.

    Drawn as a gamma variate with shape ``l / (1 + l/k)`` and scale ``1 + l/k`` (the
    continuous analogue of a negative binomial; ``k = inf`` gives Poisson-like variance
    ``l``), then capped at ``present``. Casualties are aggregate accounting quantities, so
    they are not rounded to whole persons.
    """
    lam = np.maximum(np.asarray(expected, dtype=np.float64), 0.0)
    k = np.asarray(dispersion, dtype=np.float64)
    scale = lam / k
    scale += 1.0
    same = lam.shape == scale.shape  # then work in place (same values, fewer temporaries)
    draws = rng.gamma(np.divide(lam, scale, out=lam) if same else lam / scale, scale)
    cap = np.maximum(present, 0.0)
    if np.shape(cap) == np.shape(draws) and isinstance(draws, np.ndarray):
        res: np.ndarray = np.minimum(draws, cap, out=draws)
        return res
    out: np.ndarray = np.minimum(draws, cap)
    return out


@dataclass(frozen=True)
class AttritionPath:
    """Daily strengths of a stand-alone square-law engagement.

    ``x`` and ``y`` have shape ``(n, days + 1)`` (day 0 first); ``t_end`` is the time of
    annihilation of either side (``inf`` if both survive the horizon).
    """

    x: np.ndarray
    y: np.ndarray
    t_end: np.ndarray


def simulate_square_law(
    x0: np.ndarray | float,
    y0: np.ndarray | float,
    a: np.ndarray | float,
    b: np.ndarray | float,
    days: int,
    *,
    stochastic: bool = False,
    dispersion: float = float("inf"),
    rng: np.random.Generator | None = None,
) -> AttritionPath:
    """Run the square-law kernel alone, day by day, deterministic or stochastic.

    Parameters
    ----------
    x0, y0, a, b : float or array
        Initial strengths and kill rates (broadcast to a common shape ``(n,)``).
    days : int
        Days to simulate.
    stochastic : bool
        If True, each day's expected losses are realised with
        :func:`overdispersed_losses` (requires ``rng``).
    dispersion : float
        Over-dispersion ``k`` of daily losses (``inf``: Poisson).
    rng : numpy.random.Generator, optional
        Required when ``stochastic``.
    """
    if days < 0:
        raise ValueError(f"days must be >= 0 (got {days})")
    if stochastic and rng is None:
        raise ValueError("rng is required when stochastic=True")
    gen = rng if stochastic else None
    x, y, a_, b_ = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in (x0, y0, a, b))
    )
    x, y = x.copy(), y.copy()
    xs = np.empty((x.size, days + 1))
    ys = np.empty((x.size, days + 1))
    xs[:, 0], ys[:, 0] = x, y
    t_end = np.full(x.size, np.inf)
    for d in range(days):
        xn, yn, used = square_law_step(x, y, a_, b_)
        if gen is not None:
            lx = overdispersed_losses(x - xn, x, dispersion, rng=gen)
            ly = overdispersed_losses(y - yn, y, dispersion, rng=gen)
            xn, yn = x - lx, y - ly
            done = ((xn <= 0) | (yn <= 0)) & ~np.isfinite(t_end)
            t_end = np.where(done, d + 1.0, t_end)
        else:
            done = (used < 1.0) & ~np.isfinite(t_end)
            t_end = np.where(done, d + used, t_end)
        x, y = xn, yn
        xs[:, d + 1], ys[:, d + 1] = x, y
    return AttritionPath(xs, ys, t_end)
