r"""Holding a run against the record: coverage, band width, proper scores, joint match.

For a record point with observed value :math:`x` and the run's predictive sample
:math:`X_1..X_n` of the same quantity:

* the 90 % band :math:`[l, u]` = the sample's 5th and 95th percentiles, its width
  :math:`u - l`, and whether it covers :math:`x`;
* the interval score (Gneiting & Raftery 2007, JASA 102, eq. 43) at :math:`\alpha = 0.1`,
  :math:`IS = (u - l) + \frac{2}{\alpha}(l - x)\,[x < l] + \frac{2}{\alpha}(x - u)\,[x > u]`;
* the continuous ranked probability score of the sample,
  :math:`CRPS = \frac1n\sum_i |X_i - x| - \frac{1}{2n^2}\sum_{i,j} |X_i - X_j|`, computed
  from the sorted sample in :math:`O(n \log n)`.

Lower scores are better. A replication *matches* a point when its value lies within the
point's observation interval (the 90 % interval, or value :math:`\pm 1.645` sd); the joint
match fraction is the share of replications that match every point at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from scenario.analysis.calibration import observe

if TYPE_CHECKING:
    from scenario.config.record import RecordPoint
    from scenario.results import Results

__all__ = ["PointCheck", "check_points", "crps", "interval_score", "match_fraction"]

_Z90 = 1.6448536269514722


def interval_score(low: float, high: float, x: float, alpha: float = 0.1) -> float:
    """Interval score of the central ``1 - alpha`` interval ``[low, high]`` at ``x``."""
    penalty = (2.0 / alpha) * (max(low - x, 0.0) + max(x - high, 0.0))
    return float(high - low + penalty)


def crps(sample: np.ndarray, x: float) -> float:
    """CRPS of a predictive sample at the observation ``x`` (module docstring)."""
    s = np.sort(np.asarray(sample, dtype=np.float64))
    s = s[np.isfinite(s)]
    n = s.size
    if n == 0:
        return float("nan")
    first = float(np.abs(s - x).mean())
    # sum_{i,j} |X_i - X_j| = 2 sum_i (2i - n - 1) X_(i), i = 1..n
    i = np.arange(1, n + 1)
    second = float(2.0 * np.sum((2 * i - n - 1) * s)) / (2.0 * n * n)
    return first - second


def _bounds(point: RecordPoint) -> tuple[float, float]:
    if point.interval is not None:
        return float(point.interval[0]), float(point.interval[1])
    half = _Z90 * point.scale
    return point.value - half, point.value + half


@dataclass(frozen=True)
class PointCheck:
    """A run against one record point."""

    run: str
    point: str
    use: str
    observed: float
    p5: float
    p50: float
    p95: float
    covered: bool
    width: float
    interval_score: float
    crps: float
    match: float  # share of replications within the observation interval


def check_points(runs: Mapping[str, Results], points: Sequence[RecordPoint]) -> list[PointCheck]:
    """One :class:`PointCheck` per run and point."""
    out = []
    for name, res in runs.items():
        for p in points:
            x = observe(res, p)
            x = x[np.isfinite(x)]
            p5, p50, p95 = (float(v) for v in np.quantile(x, [0.05, 0.5, 0.95]))
            lo, hi = _bounds(p)
            out.append(
                PointCheck(
                    run=name,
                    point=p.label,
                    use=p.use,
                    observed=p.value,
                    p5=p5,
                    p50=p50,
                    p95=p95,
                    covered=p5 <= p.value <= p95,
                    width=p95 - p5,
                    interval_score=interval_score(p5, p95, p.value),
                    crps=crps(x, p.value),
                    match=float(np.mean((x >= lo) & (x <= hi))),
                )
            )
    return out


def match_fraction(results: Results, points: Sequence[RecordPoint]) -> float:
    """Share of replications whose values lie within every point's observation interval."""
    ok = np.ones(results.replications, dtype=bool)
    for p in points:
        lo, hi = _bounds(p)
        x = observe(results, p)
        ok &= (x >= lo) & (x <= hi)
    return float(ok.mean())
