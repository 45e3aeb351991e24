r"""Plots of the analyses: tornado, Sobol, Morris, PRIM trade-off, value of information.

Re-exported by :mod:`scenario.report.plots` (import them from there). Each returns a
:class:`matplotlib.figure.Figure` (object-oriented API, no pyplot) that holds the data:

* :func:`tornado` — a bar per factor from the mean at the low quantile to the mean at the
  high one, :math:`[\bar Y(q_{lo}), \bar Y(q_{lo}) + \bar d_j]`, so its length is the swing
  :math:`\bar d_j`, with the swing's 95 % interval at the bar's end.
* :func:`sobol` — bars of :math:`S_1` and :math:`S_T` with their bootstrap intervals, the
  share of the model's own randomness :math:`S_\varepsilon`, and :math:`S_T` net of it.
* :func:`morris` — bars of :math:`\mu^*` with their intervals, and :math:`\sigma` against
  :math:`\mu^*` with the line :math:`\sigma = \mu^*` (above it: interactions or
  non-linearity dominate the factor's effect).
* :func:`prim_tradeoff` — the PRIM peeling trajectory, density against coverage, coloured
  by the number of restricted inputs, the chosen step and the pasted box marked.
* :func:`value_of_information` — EVPPI bars with :math:`\pm 1.96` s.e. and the EVPI line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from scenario.report.style import FONT, PALETTE, axis_label, finish, new_figure, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from numpy.typing import ArrayLike

    from scenario.analysis.discovery import Discovery, TrajectoryStep
    from scenario.analysis.global_sensitivity import MorrisResult, SobolResult
    from scenario.analysis.sensitivity import Tornado
    from scenario.analysis.voi import ValueOfInformation

__all__ = ["morris", "prim_tradeoff", "sobol", "tornado", "value_of_information"]

_Z95 = 1.959963984540054


def _bar_err(est: ArrayLike, lo: ArrayLike, hi: ArrayLike) -> np.ndarray:
    """Asymmetric error-bar lengths ``[est - lo, hi - est]`` (NaN and negatives as 0)."""
    e, a, b = (np.asarray(v, dtype=np.float64) for v in (est, lo, hi))
    return np.clip(np.nan_to_num(np.vstack([e - a, b - e])), 0.0, None)


def _factor_axes(ax: Axes, names: Sequence[str]) -> np.ndarray:
    """Y positions (first name on top) with the names as tick labels."""
    y = np.arange(len(names))[::-1].astype(np.float64)
    ax.set_yticks(y, list(names))
    return y


def _shown(total: int, top: int | None) -> tuple[int, str]:
    k = total if top is None else min(top, total)
    return k, (f"; top {k} of {total} factors" if k < total else "")


def tornado(result: Tornado, *, top: int | None = 20) -> Figure:
    """Tornado chart: per factor, the outcome's mean as the factor goes from low to high.

    Parameters
    ----------
    result : Tornado
        From :func:`scenario.analysis.sensitivity.tornado`.
    top : int or None
        Largest swings shown (all if None).

    Returns
    -------
    matplotlib.figure.Figure
        One bar per factor, largest swing on top; bar ``i`` starts at ``mean_low`` and has
        width ``swing`` (solid where the outcome rises with the factor, hatched where it
        falls), with the swing's 95 % interval at its end.
    """
    k, more = _shown(len(result.rows), top)
    rows = result.rows[:k]
    fig = new_figure(7.5, 1.8 + 0.34 * max(k, 2))
    ax = fig.add_subplot()
    y = _factor_axes(ax, [r.factor for r in rows])
    swing = np.array([r.swing for r in rows])
    rises = swing >= 0
    for mask, color, hatch, label in (
        (rises, PALETTE[0], "", "rises with the factor"),
        (~rises, PALETTE[1], "//", "falls with the factor"),
    ):
        if mask.any():
            ax.barh(
                y[mask],
                swing[mask],
                left=np.array([r.mean_low for r in rows])[mask],
                height=0.6,
                color=color,
                alpha=0.85,
                hatch=hatch,
                edgecolor="black",
                lw=0.6,
                label=label,
            )
    ends = np.array([r.mean_low + r.swing for r in rows])
    err = _bar_err(swing, [r.swing_lo for r in rows], [r.swing_hi for r in rows])
    ax.errorbar(
        ends,
        y,
        xerr=err,
        fmt="none",
        ecolor="black",
        capsize=3,
        lw=1.0,
        label="95% CI of the swing",
    )
    ax.axvline(result.base_mean, color="#6e6e6e", ls="--", lw=1.0, label="base mean")
    lo, hi = (f"p{100 * q:g}" for q in result.quantiles)
    title = (
        f"Tornado: mean {result.outcome} with each factor at {lo}, then {hi} "
        f"({result.replications:,} paired replications each{more})"
    )
    finish(ax, wrap(title, 72), axis_label(f"mean {result.outcome}", result.unit), "factor")
    return fig


def sobol(result: SobolResult, *, top: int | None = 20) -> Figure:
    """First-order and total Sobol indices with their intervals, and the noise share.

    Parameters
    ----------
    result : SobolResult
        From :func:`scenario.analysis.global_sensitivity.sobol`.
    top : int or None
        Factors shown, by decreasing total index (all if None).

    Returns
    -------
    matplotlib.figure.Figure
        Horizontal bar containers labelled ``total ST`` (widths = ``st``), ``first-order
        S1`` (widths = ``s1``) and ``model's own randomness``; diamonds mark ``st_net``.
    """
    k, more = _shown(len(result.rows), top)
    rows = result.rows[:k]
    fig = new_figure(7.5, 2.2 + 0.42 * max(k, 2))
    ax = fig.add_subplot()
    names = [r.factor for r in rows]
    y = _factor_axes(ax, [*names, "model's own randomness"]) + 0.0
    yf, yn = y[:-1], y[-1:]
    h = 0.38
    st = [r.st for r in rows]
    s1 = [r.s1 for r in rows]
    ekw = {"ecolor": "black", "capsize": 3, "lw": 1.0}
    ax.barh(
        yf + h / 2,
        st,
        height=h,
        color=PALETTE[0],
        label="total ST",
        xerr=_bar_err(st, [r.st_lo for r in rows], [r.st_hi for r in rows]),
        error_kw=ekw,
    )
    ax.barh(
        yf - h / 2,
        s1,
        height=h,
        color="white",
        edgecolor=PALETTE[1],
        hatch="///",
        label="first-order S1",
        xerr=_bar_err(s1, [r.s1_lo for r in rows], [r.s1_hi for r in rows]),
        error_kw=ekw,
    )
    ax.barh(
        yn,
        [result.noise_share],
        height=h,
        color="#bbbbbb",
        hatch="..",
        edgecolor="black",
        label="model's own randomness",
        xerr=_bar_err([result.noise_share], [result.noise_lo], [result.noise_hi]),
        error_kw=ekw,
    )
    ax.plot(
        [r.st_net for r in rows],
        yf + h / 2,
        ls="none",
        marker="D",
        ms=5,
        color="black",
        label="ST net of own randomness",
    )
    ax.axvline(0.0, color="black", lw=0.8)
    title = (
        f"Sobol indices of {result.outcome} ({result.runs:,} runs, "
        f"{result.conf_level:.0%} bootstrap intervals{more})"
    )
    finish(ax, wrap(title, 72), f"share of the variance of {result.outcome} (fraction)", "factor")
    return fig


def morris(result: MorrisResult, *, top: int | None = 20, names: int = 8) -> Figure:
    """Morris screening: bars of mu* with intervals, and sigma against mu*.

    Parameters
    ----------
    result : MorrisResult
        From :func:`scenario.analysis.global_sensitivity.morris`.
    top : int or None
        Factors in the bar panel, by decreasing mu* (all if None).
    names : int
        Factors named in the scatter panel (largest mu*).

    Returns
    -------
    matplotlib.figure.Figure
        Left axes: bar container ``mu*`` (widths = ``mu_star``) with its interval. Right
        axes: errorbar ``factor`` at (``mu_star``, ``sigma``) with the mu* interval, and
        the dashed line sigma = mu*.
    """
    k, more = _shown(len(result.rows), top)
    rows = result.rows[:k]
    fig = new_figure(11.0, 2.0 + 0.34 * max(k, 6))
    bars, scat = fig.subplots(1, 2, width_ratios=[1.1, 1.0])
    y = _factor_axes(bars, [r.factor for r in rows])
    mu = [r.mu_star for r in rows]
    bars.barh(
        y,
        mu,
        height=0.6,
        color=PALETTE[0],
        label="mu*",
        xerr=_bar_err(mu, [r.mu_star_lo for r in rows], [r.mu_star_hi for r in rows]),
        error_kw={"ecolor": "black", "capsize": 3, "lw": 1.0},
    )
    unit = f"{result.unit or 'outcome units'} per quantile range"
    finish(
        bars,
        f"mu* = E|elementary effect|, with interval{more}",
        f"mu* of {result.outcome} ({unit})",
        "factor",
        legend=False,
    )
    every = result.rows
    xs = np.array([r.mu_star for r in every])
    ss = np.array([r.sigma for r in every])
    err = _bar_err(xs, [r.mu_star_lo for r in every], [r.mu_star_hi for r in every])
    scat.errorbar(
        xs,
        ss,
        xerr=err,
        fmt="o",
        ms=5,
        color=PALETTE[0],
        ecolor="#888888",
        capsize=2,
        lw=0.8,
        label="factor",
    )
    lim = float(np.nanmax(np.concatenate([xs, ss, [1e-12]])))
    scat.plot([0.0, lim], [0.0, lim], ls="--", color="#6e6e6e", lw=1.0, label="sigma = mu*")
    for r in every[:names]:
        scat.annotate(
            r.factor,
            (r.mu_star, r.sigma),
            fontsize=FONT["note"],
            xytext=(4, 3),
            textcoords="offset points",
        )
    finish(
        scat,
        "sigma above the line: interactions or non-linearity",
        f"mu* ({unit})",
        f"sigma ({unit})",
    )
    fig.suptitle(
        f"Morris screening of {result.outcome}: {result.trajectories} trajectories, "
        f"{result.levels} levels, {result.runs:,} runs",
        fontsize=FONT["title"],
    )
    return fig


def _peeling(fig: Figure, ax: Axes, steps: Sequence[TrajectoryStep]) -> None:
    """The trajectory as a line and as points coloured by the number of restricted inputs."""
    import matplotlib as mpl

    cov = np.array([s.coverage for s in steps])
    den = np.array([s.density for s in steps])
    nres = np.array([s.n_restricted for s in steps])
    top = int(nres.max())
    ax.plot(cov, den, color="#bbbbbb", lw=1.0, zorder=1, label="_trajectory")
    cmap = mpl.colormaps["viridis"].resampled(top + 1)
    sc = ax.scatter(
        cov,
        den,
        c=nres,
        cmap=cmap,
        vmin=-0.5,
        vmax=top + 0.5,
        s=24,
        zorder=2,
        label="peeling steps",
    )
    bar = fig.colorbar(sc, ax=ax, ticks=range(top + 1))
    bar.set_label("restricted inputs (count)", fontsize=FONT["label"])
    bar.ax.tick_params(labelsize=FONT["tick"])


def prim_tradeoff(result: Discovery) -> Figure:
    """PRIM peeling trajectory: density against coverage, the chosen box marked.

    Parameters
    ----------
    result : Discovery
        From :func:`scenario.analysis.discovery.discover`.

    Returns
    -------
    matplotlib.figure.Figure
        A scatter labelled ``peeling steps`` at (coverage, density) of every step, coloured
        by the number of restricted inputs; ``chosen step`` at the chosen step; ``final
        box`` at the pasted box; the dotted line is the share of cases in all replications.
    """
    steps = result.trajectory
    fig = new_figure(6.8, 4.8)
    ax = fig.add_subplot()
    _peeling(fig, ax, steps)
    chosen = next(s for s in steps if s.step == result.chosen)
    ax.scatter(
        [chosen.coverage],
        [chosen.density],
        s=170,
        facecolors="none",
        edgecolors="black",
        lw=1.6,
        zorder=3,
        label=f"chosen step ({result.chosen})",
    )
    box = result.box
    ax.scatter(
        [box.coverage],
        [box.density],
        marker="*",
        s=190,
        color=PALETTE[1],
        edgecolors="black",
        lw=0.6,
        zorder=4,
        label="final box (pasted)",
    )
    ax.axhline(
        steps[0].density,
        color="#6e6e6e",
        ls=":",
        lw=1.0,
        label="share of cases in all replications",
    )
    ax.set_xlim(0.0, 1.02)
    ax.set_ylim(0.0, 1.02)
    title = (
        f"PRIM: {result.outcome} {result.side} {result.threshold:,.4g}; "
        f"{result.n_cases:,} cases in {result.n:,} replications; box: coverage "
        f"{result.box.coverage:.0%}, density {result.box.density:.0%}"
    )
    finish(
        ax,
        wrap(title, 80),
        "coverage (share of all cases inside the box)",
        "density (share of the box that are cases)",
    )
    return fig


def value_of_information(result: ValueOfInformation, *, top: int | None = 15) -> Figure:
    """EVPPI per factor with ``±1.96`` s.e., and the EVPI as a line.

    Parameters
    ----------
    result : ValueOfInformation
        From :func:`scenario.analysis.voi.voi`.
    top : int or None
        Factors shown, most valuable first (all if None).

    Returns
    -------
    matplotlib.figure.Figure
        Bar container ``EVPPI`` (widths = ``evppi``); a vertical line ``EVPI`` at
        ``evpi`` (or, when EVPI was not estimable, ``EVPI upper bound`` at ``evpi_upper``).
    """
    k, more = _shown(len(result.rows), top)
    rows = result.rows[:k]
    fig = new_figure(7.5, 1.9 + 0.34 * max(k, 2))
    ax = fig.add_subplot()
    y = _factor_axes(ax, [r.factor for r in rows])
    ev = [r.evppi for r in rows]
    half = [_Z95 * r.se for r in rows]
    ax.barh(
        y,
        ev,
        height=0.6,
        color=PALETTE[2],
        label="EVPPI",
        edgecolor="black",
        lw=0.5,
        xerr=_bar_err(ev, np.subtract(ev, half), np.add(ev, half)),
        error_kw={"ecolor": "black", "capsize": 3, "lw": 1.0},
    )
    if math.isfinite(result.evpi):
        ax.axvline(result.evpi, color="black", ls="--", lw=1.2, label="EVPI")
    else:
        ax.axvline(
            max(result.evpi_upper, 0.0), color="black", ls=":", lw=1.2, label="EVPI upper bound"
        )
    title = (
        f"Value of information for choosing by {result.objective} ({result.direction}) "
        f"among {', '.join(result.options)}; best on average: {result.best} "
        f"({result.replications:,} paired replications{more})"
    )
    if not math.isfinite(result.evpi):
        title += "; EVPI not estimable at this number of replications (dotted: its upper bound)"

    xlabel = axis_label(f"expected value of information on {result.objective}", result.unit)
    finish(ax, wrap(title, 72), xlabel, "uncertainty resolved")
    return fig
