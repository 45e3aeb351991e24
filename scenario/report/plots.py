r"""Plots of results and comparisons (matplotlib, object-oriented API, headless and in threads).

Every function returns a :class:`matplotlib.figure.Figure` that holds the data it shows:

* :func:`distributions` — per option, the empirical CDF :math:`\hat F(x) = \#\{x_i \le
  x\}/n` of an outcome's finite values (a step line from :math:`\min x` to :math:`\max x`,
  ending at 1) with markers at :math:`(q_p, p)` for :math:`p \in \{0.05, 0.5, 0.95\}`
  (``numpy.quantile``, linear interpolation, as in the summaries), and the histogram of the
  shares of replications per bin (common bins; unit bins for integer outcomes with a range
  of at most 30) with a p5–p95 strip and the p50 marker above it.
* :func:`fan_chart` — for each day :math:`t` the quantiles :math:`q_p(t)` of a daily series
  over the kept replications: bands :math:`[q_{.05}, q_{.95}]` and :math:`[q_{.25},
  q_{.75}]`, the median line; record points as points with their 90 % interval
  (``interval``, or :math:`\pm 1.645\,sd`) as error bars.
* :func:`paired_differences` — per option, the mean paired difference from the base with
  its 95 % interval (:mod:`scenario.analysis.compare`), the p5/p25/p50/p75/p95 of the
  differences :math:`d_i = x_i - y_i`, and P(better) with its Wilson interval, ties, worse.
* :func:`tornado`, :func:`sobol`, :func:`morris`, :func:`prim_tradeoff` and
  :func:`value_of_information` are defined in :mod:`scenario.report.plots_analysis`.

Colours, line styles and markers per option come from :func:`option_colors` /
:func:`~scenario.report.style.option_styles`; every axis label carries its unit.
:func:`save` writes PNG and SVG files and :func:`to_svg` an inline SVG element. Importing
this module does not import matplotlib; drawing does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

import numpy as np

from scenario.errors import ResultsError
from scenario.report.plots_analysis import (
    morris,
    prim_tradeoff,
    sobol,
    tornado,
    value_of_information,
)
from scenario.report.style import (
    FONT,
    OptionStyle,
    PlotError,
    axis_label,
    finish,
    new_figure,
    option_colors,
    option_styles,
    outcome_meta,
    save,
    series_meta,
    to_svg,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from scenario.analysis.compare import Comparison, OutcomeComparison, PairedDifference
    from scenario.config.record import Record
    from scenario.results import Results

__all__ = [
    "PlotError",
    "distributions",
    "fan_chart",
    "morris",
    "option_colors",
    "paired_differences",
    "prim_tradeoff",
    "save",
    "sobol",
    "to_svg",
    "tornado",
    "value_of_information",
]

QUANTILES = (0.05, 0.5, 0.95)
FAN = (0.05, 0.25, 0.5, 0.75, 0.95)
_Z90 = 1.6448536269514722


def _ecdf(ax: Axes, values: Mapping[str, np.ndarray], styles: Mapping[str, OptionStyle]) -> None:
    for name, x in values.items():
        if x.size == 0:
            continue
        st = styles[name]
        xs = np.sort(x)
        ys = np.arange(1, xs.size + 1) / xs.size
        ax.plot(
            xs, ys, drawstyle="steps-post", color=st.color, ls=st.linestyle, lw=1.8, label=name
        )
        qs = np.quantile(x, QUANTILES)
        ax.plot(
            qs,
            QUANTILES,
            ls="none",
            marker=st.marker,
            ms=7,
            color=st.color,
            mec="white",
            label=f"_p5/p50/p95 {name}",
        )
    ax.set_ylim(0.0, 1.02)


def _bins(pooled: np.ndarray) -> np.ndarray:
    lo, hi = float(pooled.min()), float(pooled.max())
    if lo == hi:
        return np.array([lo - 0.5, hi + 0.5])
    if hi - lo <= 30 and np.all(pooled == np.round(pooled)):
        return np.arange(lo - 0.5, hi + 1.0, 1.0)
    edges = np.histogram_bin_edges(pooled, bins="auto")
    return edges if edges.size <= 61 else np.linspace(lo, hi, 61)


def _hist(ax: Axes, values: Mapping[str, np.ndarray], styles: Mapping[str, OptionStyle]) -> None:
    shown = {n: x for n, x in values.items() if x.size}
    edges = _bins(np.concatenate(list(shown.values())))
    top = 0.0
    for name, x in shown.items():
        st = styles[name]
        heights, _, _ = ax.hist(
            x,
            bins=edges.tolist(),
            weights=np.full(x.size, 1.0 / x.size),
            histtype="step",
            color=st.color,
            ls=st.linestyle,
            lw=1.6,
            label=name,
        )
        top = max(top, float(np.max(heights)))
    for i, (name, x) in enumerate(shown.items()):
        st = styles[name]
        y = top * (1.06 + 0.07 * i)
        p5, p50, p95 = np.quantile(x, QUANTILES)
        ax.plot([p5, p95], [y, y], color=st.color, lw=2.0, label=f"_p5-p95 {name}")
        ax.plot(
            [p50], [y], marker=st.marker, ms=6, color=st.color, mec="white", label=f"_p50 {name}"
        )
    ax.set_ylim(0.0, top * (1.12 + 0.07 * len(shown)))


def distributions(
    results: Mapping[str, Results],
    outcome: str,
    *,
    kind: Literal["cdf", "hist", "both"] = "both",
) -> Figure:
    """Distributions of one outcome, one line per option, p5/p50/p95 marked.

    Parameters
    ----------
    results : mapping of str to Results
        Runs by option name (the base first, by convention).
    outcome : str
        Outcome name (every run must have it).
    kind : {"cdf", "hist", "both"}
        Empirical CDF, histogram of shares per bin, or both side by side.

    Returns
    -------
    matplotlib.figure.Figure
        Lines are labelled with the option name; quantile markers' labels start with ``_``.

    Raises
    ------
    ResultsError
        An unknown outcome (with the closest name) or no finite value in any run.
    PlotError
        No runs, or an unknown ``kind``.
    """
    if kind not in ("cdf", "hist", "both"):
        raise PlotError(f"kind: one of cdf, hist, both (got {kind!r})")
    if not results:
        raise PlotError("distributions: no results to plot")
    names = list(results)
    unit, description = outcome_meta(results[names[0]], outcome)
    values = {}
    for name in names:
        outcome_meta(results[name], outcome)
        x = results[name].outcome(outcome)
        values[name] = x[np.isfinite(x)]
    if not any(x.size for x in values.values()):
        raise ResultsError(f"outcome {outcome!r}: no finite value in any run")
    styles = option_styles(names)
    panels = ["cdf", "hist"] if kind == "both" else [kind]
    fig = new_figure(4.4 * len(panels) + 0.4, 4.0)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    xlabel = axis_label(outcome, unit)
    for ax, panel in zip(axes, panels, strict=True):
        if panel == "cdf":
            _ecdf(ax, values, styles)
            finish(ax, "cumulative distribution", xlabel, "share of replications ≤ x (fraction)")
        else:
            _hist(ax, values, styles)
            finish(
                ax,
                "histogram; p5–p95 and p50 above",
                xlabel,
                "share of replications per bin (fraction)",
                legend=kind == "hist",
            )
    head = f"{outcome}: {description}" if description else outcome
    horizon = results[names[0]].config.horizon_days
    if unit == "day" and any(np.any(x >= horizon) for x in values.values()):
        head += f" (day {horizon} = did not happen within the {horizon}-day horizon)"
    n = ", ".join(f"{k} {v.size:,}" for k, v in values.items())
    fig.suptitle(f"{wrap(head, 100)}\nreplications with a value: {n}", fontsize=FONT["title"])
    return fig


def _fan_quantiles(data: np.ndarray) -> np.ndarray:
    """``FAN`` quantiles per day over the rows of ``data`` (NaN where a day has none)."""
    q = np.full((len(FAN), data.shape[1]), np.nan)
    ok = np.isfinite(data).any(axis=0)
    if ok.any():
        q[:, ok] = np.nanquantile(data[:, ok], FAN, axis=0)
    return q


def _interval(point: object) -> tuple[float, float]:
    from scenario.config.record import RecordPoint

    if not isinstance(point, RecordPoint):  # pragma: no cover - typed callers
        raise PlotError("record points must be scenario.config.record.RecordPoint")
    if point.interval is not None:
        return float(point.interval[0]), float(point.interval[1])
    return point.value - _Z90 * point.scale, point.value + _Z90 * point.scale


def _record(ax: Axes, record: Record, series: str, dates: np.ndarray) -> int:
    """Draw the record points of ``series`` inside the horizon; return how many lie outside."""
    points = [p for p in record.points if p.quantity == series and p.date is not None]
    day = [np.datetime64(p.date, "D") for p in points]
    inside = [p for p, d in zip(points, day, strict=True) if dates[0] <= d <= dates[-1]]
    looks = (
        ("fit", "o", "black", "record, fitted"),
        ("holdout", "s", "white", "record, held out"),
    )
    for use, marker, face, label in looks:
        sel = [p for p in inside if p.use == use]
        if not sel:
            continue
        x = np.array([np.datetime64(p.date, "D") for p in sel])
        v = np.array([p.value for p in sel])
        lo, hi = (np.array(b) for b in zip(*(_interval(p) for p in sel), strict=True))
        ax.errorbar(
            x,
            v,
            yerr=[v - lo, hi - v],
            fmt=marker,
            color="black",
            mfc=face,
            ms=6,
            capsize=3,
            lw=1.2,
            zorder=5,
            label=f"{label} (90% interval)",
            gid=f"record-{use}",
        )
    return len(points) - len(inside)


def fan_chart(results: Results, series: str, *, record: Record | None = None) -> Figure:
    """Fan chart of one daily series of one run, with the record's points for it.

    Parameters
    ----------
    results : Results
        A run that kept daily series (``run.series_replications``).
    series : str
        Series name.
    record : Record, optional
        Observed points; those of ``series`` dated within the horizon are drawn (filled
        circles: fitted; open squares: held out) with their 90 % intervals.

    Returns
    -------
    matplotlib.figure.Figure
        Collections labelled ``p5–p95`` and ``p25–p75``, line ``median``; x axis in dates.

    Raises
    ------
    ResultsError
        An unknown series (with the closest name), no kept series, or no finite value.
    """
    unit, description = series_meta(results, series)
    data = results.series[series].astype(np.float64)
    data = data[np.isfinite(data).any(axis=1)]
    if data.shape[0] == 0:
        raise ResultsError(f"series {series!r}: no finite value in any kept replication")
    q = _fan_quantiles(data)
    x = results.dates
    style = option_styles([results.config.name])[results.config.name]
    fig = new_figure(7.5, 4.2)
    import matplotlib.dates as mdates

    ax = fig.add_subplot()
    ax.fill_between(x, q[0], q[4], color=style.color, alpha=0.18, lw=0, label="p5–p95")
    ax.fill_between(x, q[1], q[3], color=style.color, alpha=0.4, lw=0, label="p25–p75")
    ax.plot(x, q[2], color=style.color, lw=2.0, label="median")
    outside = _record(ax, record, series, x) if record is not None else 0
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(formatter)
    note = f"; {outside} record point(s) outside the horizon not shown" if outside else ""
    title = (
        f"{results.config.name}: {description or series}\n{data.shape[0]:,} kept "
        f"replications; bands p5–p95 and p25–p75, line median{note}"
    )
    finish(ax, title, f"date (day 0 = {x[0]})", axis_label(series, unit))
    return fig


def _comparison_outcome(comparison: Comparison, outcome: str) -> OutcomeComparison:
    names = [o.outcome for o in comparison.outcomes]
    if outcome not in names:
        import difflib

        close = difflib.get_close_matches(outcome, names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ResultsError(f"outcome {outcome!r} was not compared{hint}")
    return comparison.outcome(outcome)


def _differences(comparison: Comparison, outcome: str, option: str) -> np.ndarray | None:
    """Paired differences option - base on replications finite in both (None if unknown)."""
    from scenario.analysis.objectives import objective

    runs = comparison.results
    if option not in runs or comparison.base not in runs:
        return None
    try:
        x, y = (
            r.outcome(outcome) if outcome in r.outcomes else objective(r, outcome).values
            for r in (runs[option], runs[comparison.base])
        )
    except ResultsError:
        return None
    ok = np.isfinite(x) & np.isfinite(y)
    d: np.ndarray = x[ok] - y[ok]
    return d


def _shares(d: PairedDifference, direction: str) -> str:
    if d.p_tie == 1.0:
        return "tie in every replication"
    if direction == "info":
        return f"higher {d.p_better:.2f} · tie {d.p_tie:.2f} · lower {d.p_worse:.2f}"
    return (
        f"P(better) {d.p_better:.2f} [{d.p_better_lo:.2f}, {d.p_better_hi:.2f}]"
        f" · tie {d.p_tie:.2f} · worse {d.p_worse:.2f}"
    )


_BETTER = {"maximize": "higher is better", "minimize": "lower is better", "info": "not ranked"}


def _diff_legend(fig: Figure) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color="black", marker="o", ls="-", label="mean, 95% CI"),
        Line2D([], [], color="#888888", lw=5, alpha=0.6, label="p25–p75 of differences"),
        Line2D([], [], color="#888888", lw=1.2, label="p5–p95"),
        Line2D([], [], color="black", marker="|", ls="none", ms=10, label="median"),
    ]
    fig.legend(
        handles=handles,
        fontsize=FONT["legend"],
        frameon=False,
        ncols=4,
        loc="outside lower center",
    )


def paired_differences(comparison: Comparison, outcome: str) -> Figure:
    """Paired difference from the base of each option on one outcome.

    Parameters
    ----------
    comparison : Comparison
        From :func:`scenario.analysis.compare.compare_options`.
    outcome : str
        A compared outcome or objective.

    Returns
    -------
    matplotlib.figure.Figure
        One row per option (the first on top): the mean with its 95 % interval (an
        errorbar labelled ``_mean <option>``), the quantiles of the differences when the
        runs are in ``comparison.results``, and P(better), ties and worse as text.

    Raises
    ------
    ResultsError
        The outcome was not compared (with the closest name).
    PlotError
        The comparison has no option besides the base.
    """
    oc = _comparison_outcome(comparison, outcome)
    rows = [(r.option, r.diff) for r in oc.options if r.diff is not None]
    if not rows:
        raise PlotError("paired differences need at least one option besides the base")
    styles = option_styles(list(comparison.options))
    fig = new_figure(8.0, 1.9 + 0.62 * len(rows))
    ax = fig.add_subplot()
    for i, (name, d) in enumerate(rows):
        y = len(rows) - 1 - i
        st = styles[name]
        diffs = _differences(comparison, outcome, name)
        if diffs is not None and diffs.size:
            q = np.quantile(diffs, FAN)
            ax.plot([q[0], q[4]], [y - 0.2] * 2, color=st.color, lw=1.2, label=f"_p5-p95 {name}")
            ax.plot(
                [q[1], q[3]],
                [y - 0.2] * 2,
                color=st.color,
                lw=6,
                alpha=0.45,
                solid_capstyle="butt",
                label=f"_p25-p75 {name}",
            )
            ax.plot([q[2]], [y - 0.2], marker="|", ms=11, color="black", label=f"_p50 {name}")
        err = [[max(d.diff_mean - d.diff_lo, 0.0)], [max(d.diff_hi - d.diff_mean, 0.0)]]
        ax.errorbar(
            [d.diff_mean],
            [y + 0.15],
            xerr=np.nan_to_num(err),
            fmt=st.marker,
            color=st.color,
            ms=7,
            capsize=4,
            lw=1.6,
            label=f"_mean {name}",
        )
        ax.annotate(
            _shares(d, oc.direction),
            xy=(1.02, y),
            xycoords=("axes fraction", "data"),
            va="center",
            fontsize=FONT["note"],
        )
    ax.axvline(0.0, color="black", lw=0.8)
    ax.set_yticks(range(len(rows)), [n for n, _ in reversed(rows)])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    n = rows[0][1].n
    title = (
        f"{outcome}: each option minus {comparison.base}, paired on {n:,} replications "
        f"({_BETTER.get(oc.direction, oc.direction)})"
    )
    xlabel = axis_label(f"difference in {outcome} from {comparison.base}", oc.unit)
    finish(ax, wrap(title, 90), xlabel, "option", legend=False)
    _diff_legend(fig)
    return fig
