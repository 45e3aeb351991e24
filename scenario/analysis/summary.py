r"""Summaries of outcome distributions, each statistic with its uncertainty.

For an outcome with :math:`n` finite replications :math:`x_i`:

* mean :math:`\bar x` with a 95 % normal interval :math:`\bar x \pm 1.96\,s/\sqrt{n}`;
* standard deviation :math:`s` (``ddof=1``);
* quantiles :math:`p_5, p_{50}, p_{95}` (``numpy.quantile``, linear) with distribution-free
  95 % intervals from order statistics: with :math:`K \sim \text{Binomial}(n, q)`, the
  interval is :math:`[x_{(l)}, x_{(u)}]`, :math:`l = F_K^{-1}(0.025)`,
  :math:`u = F_K^{-1}(0.975) + 1` (1-based ranks, clipped to :math:`[1, n]`);
* minimum, maximum, and the number of failed (non-finite) replications.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy import stats

__all__ = [
    "OutcomeSummary",
    "exceedance",
    "quantile_ci",
    "summarize",
    "summarize_outcome",
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
    """Distribution-free confidence interval of the ``q`` quantile from sorted data."""
    n = sorted_x.size
    if n == 0:
        return math.nan, math.nan
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


def summarize(
    outcomes: Mapping[str, np.ndarray],
    info: Sequence[tuple[str, str, str]] = (),
) -> list[OutcomeSummary]:
    """Summaries of every outcome, in order; ``info`` gives ``(name, unit, direction)``."""
    meta = {name: (unit, direction) for name, unit, direction in info}
    return [
        summarize_outcome(
            k, v, unit=meta.get(k, ("", "info"))[0], direction=meta.get(k, ("", "info"))[1]
        )
        for k, v in outcomes.items()
    ]


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
