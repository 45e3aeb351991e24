r"""Summaries of outcome distributions, each statistic with its uncertainty.

For an outcome with :math:`n` finite replications :math:`x_i`:

* mean :math:`\bar x` with a 95 % normal interval :math:`\bar x \pm 1.96\,s/\sqrt{n}`;
* standard deviation :math:`s` (``ddof=1``);
* quantiles :math:`p_5, p_{50}, p_{95}` (``numpy.quantile``, linear) with distribution-free
  95 % intervals from order statistics: with :math:`K \sim \text{Binomial}(n, q)`, the
  interval is :math:`[x_{(l)}, x_{(u)}]`, :math:`l = F_K^{-1}(0.025)`,
  :math:`u = F_K^{-1}(0.975) + 1` (1-based ranks, clipped to :math:`[1, n]`);
* minimum, maximum, and the number of failed (non-finite) replications.

:func:`summarize_results` summarises a :class:`~scenario.results.Results` (also
``scenario.summarize``); :func:`summarize_arrays` works on plain columns. SciPy is imported
only when a quantile interval is computed, so importing this module stays cheap.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from scenario.results import Results

__all__ = [
    "OutcomeSummary",
    "exceedance",
    "quantile_ci",
    "summarize_arrays",
    "summarize_outcome",
    "summarize_results",
    "wilson_interval",
]

_Z = 1.959963984540054


class OutcomeSummary(BaseModel):
    """Summary statistics of one outcome (see module docstring for the intervals)."""

    model_config = ConfigDict(frozen=True)

    name: str
    unit: str
    direction: str
    n: int
    failed: int
    mean: float
    mean_lo: float
    mean_hi: float
    sd: float
    p5: float
    p5_lo: float
    p5_hi: float
    p50: float
    p50_lo: float
    p50_hi: float
    p95: float
    p95_lo: float
    p95_hi: float
    min: float
    max: float


def quantile_ci(sorted_x: np.ndarray, q: float, level: float = 0.95) -> tuple[float, float]:
    """Distribution-free confidence interval of the ``q`` quantile from sorted data.

    Parameters
    ----------
    sorted_x : numpy.ndarray
        Finite values sorted ascending.
    q : float
        The quantile, in (0, 1).
    level : float
        Confidence level of the interval (default 0.95).

    Returns
    -------
    tuple of float
        ``(lo, hi)`` order statistics (see module docstring); NaNs for empty data.
    """
    n = sorted_x.size
    if n == 0:
        return math.nan, math.nan
    from scipy import stats  # deferred: scipy.stats costs about a second to import

    tail = (1 - level) / 2
    lo = int(stats.binom.ppf(tail, n, q))
    hi = int(stats.binom.ppf(1 - tail, n, q)) + 1
    lo = min(max(lo, 1), n)
    hi = min(max(hi, 1), n)
    return float(sorted_x[lo - 1]), float(sorted_x[hi - 1])


def summarize_outcome(
    name: str, values: np.ndarray, *, unit: str = "", direction: str = "info"
) -> OutcomeSummary:
    """Summarise one outcome column; non-finite values count as failed."""
    x = np.asarray(values, dtype=np.float64)
    ok = x[np.isfinite(x)]
    n = ok.size
    failed = int(x.size - n)
    if n == 0:
        nan = math.nan
        return OutcomeSummary(
            name=name,
            unit=unit,
            direction=direction,
            n=0,
            failed=failed,
            mean=nan,
            mean_lo=nan,
            mean_hi=nan,
            sd=nan,
            p5=nan,
            p5_lo=nan,
            p5_hi=nan,
            p50=nan,
            p50_lo=nan,
            p50_hi=nan,
            p95=nan,
            p95_lo=nan,
            p95_hi=nan,
            min=nan,
            max=nan,
        )
    s = np.sort(ok)
    mean = float(s.mean())
    sd = float(s.std(ddof=1)) if n > 1 else 0.0
    half = _Z * sd / math.sqrt(n)
    qs = np.quantile(s, [0.05, 0.5, 0.95])
    ci = [quantile_ci(s, q) for q in (0.05, 0.5, 0.95)]
    return OutcomeSummary(
        name=name,
        unit=unit,
        direction=direction,
        n=n,
        failed=failed,
        mean=mean,
        mean_lo=mean - half,
        mean_hi=mean + half,
        sd=sd,
        p5=float(qs[0]),
        p5_lo=ci[0][0],
        p5_hi=ci[0][1],
        p50=float(qs[1]),
        p50_lo=ci[1][0],
        p50_hi=ci[1][1],
        p95=float(qs[2]),
        p95_lo=ci[2][0],
        p95_hi=ci[2][1],
        min=float(s[0]),
        max=float(s[-1]),
    )


def summarize_arrays(
    outcomes: Mapping[str, np.ndarray],
    info: Sequence[tuple[str, str, str]] = (),
) -> list[OutcomeSummary]:
    """Summaries of every outcome column, in order.

    Parameters
    ----------
    outcomes : mapping of str to numpy.ndarray
        One column per outcome; non-finite values count as failed.
    info : sequence of (name, unit, direction)
        Units and directions by outcome name; outcomes not listed get ``""`` and ``"info"``.

    Returns
    -------
    list of OutcomeSummary
        One per column of ``outcomes``, in its order.
    """
    meta = {name: (unit, direction) for name, unit, direction in info}
    return [
        summarize_outcome(
            k, v, unit=meta.get(k, ("", "info"))[0], direction=meta.get(k, ("", "info"))[1]
        )
        for k, v in outcomes.items()
    ]


def summarize_results(
    results: Results, outcomes: Sequence[str] | None = None
) -> list[OutcomeSummary]:
    """Per outcome of a run: mean with 95 % CI, sd, p5/p50/p95 with CIs, min, max, failures.

    Also available as ``scenario.summarize``.

    Parameters
    ----------
    results : Results
        A run (:func:`scenario.run`) or saved results (:func:`scenario.load_results`).
    outcomes : sequence of str, optional
        Outcomes to summarise, in this order (a single name is also accepted); default
        every outcome, in column order.

    Returns
    -------
    list of OutcomeSummary
        One row per outcome, with the unit and direction from ``results.outcome_info``.

    Raises
    ------
    ResultsError
        An outcome in ``outcomes`` is not in the results.
    """
    meta = {o.name: o for o in results.outcome_info}
    if outcomes is None:
        names = list(results.outcomes)
    elif isinstance(outcomes, str):
        names = [outcomes]
    else:
        names = list(outcomes)
    rows: list[OutcomeSummary] = []
    for name in names:
        values = results.outcome(name)
        info = meta.get(name)
        rows.append(
            summarize_outcome(
                name,
                values,
                unit=info.unit if info is not None else "",
                direction=info.direction if info is not None else "info",
            )
        )
    return rows


def wilson_interval(k: int, n: int) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion ``k / n``."""
    if n == 0:
        return math.nan, math.nan
    p = k / n
    denom = 1 + _Z**2 / n
    centre = (p + _Z**2 / (2 * n)) / denom
    half = _Z * math.sqrt(p * (1 - p) / n + _Z**2 / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def exceedance(values: np.ndarray, threshold: float) -> tuple[float, float, float]:
    """``P(X > threshold)`` with a 95 % Wilson interval, over finite values."""
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return math.nan, math.nan, math.nan
    k = int(np.sum(x > threshold))
    lo, hi = wilson_interval(k, n)
    return k / n, lo, hi
