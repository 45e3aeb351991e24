r"""PRIM (patient rule induction method) on plain arrays: peeling, box choice, pasting.

The steps of Friedman and Fisher (1999), "Bump hunting in high-dimensional data",
Statistics and Computing 9, for a binary response (a case of interest or not), as used in
scenario discovery (Bryant and Lempert 2010). :mod:`scenario.analysis.discovery` states the
equations and builds the user-facing objects on top of these functions.

A box is a pair of arrays ``(lo, hi)`` with one entry per input (column of ``x``); it holds
the rows with ``lo <= x <= hi`` in every column. The full box is the sample's range,
``(x.min(axis=0), x.max(axis=0))``, so an input is *restricted* when its ``lo`` is above the
sample minimum or its ``hi`` below the sample maximum. Every bound is a sampled value.

* :func:`peel`: the peeling trajectory, full box first;
* :func:`choose_box`: the step to keep (within :data:`BAND` standard errors of the best
  density among boxes with enough coverage, or the first to reach a density threshold);
* :func:`paste` and :func:`prune`: enlarge the chosen box, then drop restrictions that do
  not raise its density by :data:`BAND` standard errors;
* :func:`restriction_stats`: per restricted input, the density drop when it is removed and
  the quasi-p-value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from scenario.errors import ResultsError

__all__ = [
    "BAND",
    "RestrictionStats",
    "box_stats",
    "choose_box",
    "in_box",
    "paste",
    "peel",
    "prune",
    "restriction_stats",
]

BAND = 2.0
"""Standard errors of density within which a larger or simpler box is preferred."""


class RestrictionStats(NamedTuple):
    """One restricted input of a box: its column, bounds, density drop and quasi-p-value."""

    column: int
    low: float
    high: float
    density_drop: float
    p_value: float


def in_box(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Rows of ``x`` (shape ``(n, k)``) inside the box ``lo <= x <= hi``.

    Parameters
    ----------
    x : array of shape (n, k)
        Inputs, one column per input.
    lo, hi : arrays of shape (k,)
        The box's bounds.

    Returns
    -------
    array of bool, shape (n,)
    """
    inside: np.ndarray = np.all((x >= lo) & (x <= hi), axis=1)
    return inside


def box_stats(x: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[int, int]:
    """Number of points and of cases of interest (``y`` True) in a box.

    Parameters
    ----------
    x : array of shape (n, k)
        Inputs.
    y : array of bool, shape (n,)
        Cases of interest.
    lo, hi : arrays of shape (k,)
        The box's bounds.

    Returns
    -------
    tuple of int
        ``(points, cases)``.
    """
    inside = in_box(x, lo, hi)
    return int(inside.sum()), int(y[inside].sum())


def _best_peel(
    xb: np.ndarray, yb: np.ndarray, discrete: np.ndarray, alpha: float, min_points: int
) -> tuple[int, bool, float] | None:
    """The best peel of the box holding ``xb``: ``(column, upper face, new bound)``."""
    m, k = xb.shape
    qlo = np.quantile(xb, alpha, axis=0)
    qhi = np.quantile(xb, 1.0 - alpha, axis=0)
    bmin, bmax = xb.min(axis=0), xb.max(axis=0)
    keep_lo = np.where(discrete | (qlo <= bmin), xb > bmin, xb >= qlo)
    keep_hi = np.where(discrete | (qhi >= bmax), xb < bmax, xb <= qhi)
    keep = np.concatenate([keep_lo, keep_hi], axis=1)
    kept = keep.sum(axis=0)
    cases = (keep & yb[:, None]).sum(axis=0)
    removed = m - kept
    allowed = (removed > 0) & (kept >= min_points)
    if not allowed.any():
        return None
    gain = (cases / np.maximum(kept, 1) - yb.mean()) / np.maximum(removed, 1)
    best = int(np.argmax(np.where(allowed, gain, -np.inf)))
    col, upper = best % k, best >= k
    values = xb[keep[:, best], col]
    return col, upper, float(values.max() if upper else values.min())


def peel(
    x: np.ndarray, y: np.ndarray, discrete: np.ndarray, *, alpha: float, mass_min: float
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The peeling trajectory, from the full box to the last allowed peel.

    Parameters
    ----------
    x : array of shape (n, k)
        Inputs.
    y : array of bool, shape (n,)
        Cases of interest.
    discrete : array of bool, shape (k,)
        Inputs peeled a whole value at a time.
    alpha : float
        Share of the box's points one peel removes.
    mass_min : float
        No box on the trajectory holds fewer than ``ceil(mass_min * n)`` points.

    Returns
    -------
    tuple of lists
        ``(los, his)``: the bounds of each box, the full box first.
    """
    n = y.size
    min_points = max(1, math.ceil(mass_min * n))
    lo, hi = x.min(axis=0), x.max(axis=0)
    los, his = [lo], [hi]
    inside = np.ones(n, dtype=bool)
    while not y[inside].all():
        found = _best_peel(x[inside], y[inside], discrete, alpha, min_points)
        if found is None:
            break
        col, upper, bound = found
        lo, hi = lo.copy(), hi.copy()
        if upper:
            hi[col] = bound
            inside &= x[:, col] <= bound
        else:
            lo[col] = bound
            inside &= x[:, col] >= bound
        los.append(lo)
        his.append(hi)
    return los, his


def _se(density: float, points: int) -> float:
    """Binomial standard error of a density, with the rule-of-succession estimate
    ``(cases + 1) / (points + 2)`` so that a density of 0 or 1 still has an error."""
    p = (density * points + 1.0) / (points + 2.0)
    return math.sqrt(p * (1.0 - p) / points)


def _first(coverage: np.ndarray, density: np.ndarray, steps: np.ndarray) -> int:
    """Among ``steps``, the one with the highest coverage, then the highest density."""
    order = np.lexsort((-density[steps], -coverage[steps]))
    return int(steps[order[0]])


def choose_box(
    coverage: Sequence[float],
    density: Sequence[float],
    n_points: Sequence[int],
    *,
    threshold_density: float | None = None,
    floor: float = 0.5,
) -> tuple[int, str]:
    """Pick a step of the peeling trajectory (see the module docstring for the rules).

    Parameters
    ----------
    coverage, density : sequences of float
        Of each box on the trajectory.
    n_points : sequence of int
        Points in each box (for the standard error of its density).
    threshold_density : float, optional
        If given, the box with the highest coverage whose density reaches it.
    floor : float
        The default rule only considers boxes with at least this coverage.

    Returns
    -------
    tuple
        ``(step, rule)``: the chosen step and the rule in words.

    Raises
    ------
    ResultsError
        No box reaches ``threshold_density``.
    """
    cov, den = np.asarray(coverage, dtype=float), np.asarray(density, dtype=float)
    if threshold_density is not None:
        ok = np.flatnonzero(den >= threshold_density)
        if ok.size == 0:
            raise ResultsError(
                f"threshold_density: no box on the peeling trajectory reaches density "
                f"{threshold_density:g} (got at most {den.max():.3f})"
            )
        return (
            _first(cov, den, ok),
            f"the highest coverage among boxes with density >= {threshold_density:g}",
        )
    ok = np.flatnonzero(cov >= floor)
    best = int(ok[np.argmax(den[ok])])
    d = float(den[best])
    se = _se(d, int(n_points[best]))
    near = ok[den[ok] >= d - BAND * se]
    return (
        _first(cov, den, near),
        f"the highest coverage among boxes with coverage >= {floor:g} and density >= "
        f"{d - BAND * se:.3f}, the best density {d:.3f} less {BAND:g} standard errors",
    )


def _paste_bound(values: np.ndarray, upper: bool, discrete: bool, need: int) -> float:
    """The new bound taking in the ``need`` values nearest the face (or the next value)."""
    if discrete:
        return float(values.min() if upper else values.max())
    k = min(need, values.size)
    if upper:
        return float(np.partition(values, k - 1)[k - 1])
    return float(-np.partition(-values, k - 1)[k - 1])


def paste(
    x: np.ndarray,
    y: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    discrete: np.ndarray,
    *,
    alpha: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Enlarge the box one face at a time while its density does not fall.

    Parameters
    ----------
    x : array of shape (n, k)
        Inputs.
    y : array of bool, shape (n,)
        Cases of interest.
    lo, hi : arrays of shape (k,)
        The box to start from (not modified).
    discrete : array of bool, shape (k,)
        Inputs pasted a whole value at a time.
    alpha : float
        A paste takes in ``ceil(alpha * |B|)`` points (at least one).

    Returns
    -------
    tuple of arrays
        ``(lo, hi)`` of the pasted box.
    """
    smin, smax = x.min(axis=0), x.max(axis=0)
    lo, hi = lo.copy(), hi.copy()
    while True:
        below, above = x < lo, x > hi
        n_out = (below | above).sum(axis=1)
        m = int(np.sum(n_out == 0))
        c = int(y[n_out == 0].sum())
        need = max(1, math.ceil(alpha * m))
        best: tuple[float, int, bool, float] = (c / m, -1, False, 0.0)
        for j in np.flatnonzero((lo > smin) | (hi < smax)):
            for upper in (False, True):
                cand = (n_out == 1) & (above[:, j] if upper else below[:, j])
                if not cand.any():
                    continue
                bound = _paste_bound(x[cand, j], upper, bool(discrete[j]), need)
                add = cand & ((x[:, j] <= bound) if upper else (x[:, j] >= bound))
                d = (c + int(y[add].sum())) / (m + int(add.sum()))
                if d >= best[0] and (best[1] < 0 or d > best[0]):
                    best = (d, int(j), upper, bound)
        _, col, upper, bound = best
        if col < 0:
            return lo, hi
        if upper:
            hi[col] = bound
        else:
            lo[col] = bound


def prune(
    x: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray, *, min_density: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Drop restrictions that lower the density by less than :data:`BAND` standard errors.

    Parameters
    ----------
    x : array of shape (n, k)
        Inputs.
    y : array of bool, shape (n,)
        Cases of interest.
    lo, hi : arrays of shape (k,)
        The box (not modified).
    min_density : float
        Never drop a restriction if the density would fall below this.

    Returns
    -------
    tuple of arrays
        ``(lo, hi)`` of the box without those restrictions, dropped one at a time (the one
        whose removal costs the least density first).
    """
    smin, smax = x.min(axis=0), x.max(axis=0)
    lo, hi = lo.copy(), hi.copy()
    while True:
        m, c = box_stats(x, y, lo, hi)
        d = c / m
        floor = max(d - BAND * _se(d, m), min_density)
        best: tuple[float, int] = (-1.0, -1)
        for col in np.flatnonzero((lo > smin) | (hi < smax)):
            lo2, hi2 = lo.copy(), hi.copy()
            lo2[col], hi2[col] = smin[col], smax[col]
            m2, c2 = box_stats(x, y, lo2, hi2)
            if c2 / m2 >= floor and c2 / m2 > best[0]:
                best = (c2 / m2, int(col))
        if best[1] < 0:
            return lo, hi
        lo[best[1]], hi[best[1]] = smin[best[1]], smax[best[1]]


def restriction_stats(
    x: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> list[RestrictionStats]:
    """Each restricted input of a box with its density drop and quasi-p-value.

    Parameters
    ----------
    x : array of shape (n, k)
        Inputs.
    y : array of bool, shape (n,)
        Cases of interest.
    lo, hi : arrays of shape (k,)
        The box.

    Returns
    -------
    list of RestrictionStats
        Largest density drop first.
    """
    from scipy.stats import binom

    smin, smax = x.min(axis=0), x.max(axis=0)
    m, c = box_stats(x, y, lo, hi)
    rows: list[RestrictionStats] = []
    for col in np.flatnonzero((lo > smin) | (hi < smax)):
        lo2, hi2 = lo.copy(), hi.copy()
        lo2[col], hi2[col] = smin[col], smax[col]
        m2, c2 = box_stats(x, y, lo2, hi2)
        p = float(binom.sf(c - 1, m, c2 / m2))
        rows.append(RestrictionStats(int(col), float(lo[col]), float(hi[col]), c / m - c2 / m2, p))
    rows.sort(key=lambda r: -r.density_drop)
    return rows
