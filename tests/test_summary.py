"""Summary intervals: coverage of the order-statistic quantile interval and the mean CI."""

from __future__ import annotations

import numpy as np
from scipy import stats

import scenario
from scenario import analysis
from scenario.analysis.summary import (
    exceedance,
    quantile_ci,
    summarize_arrays,
    summarize_outcome,
    summarize_results,
)


def test_quantile_interval_covers_the_true_quantile_at_its_level() -> None:
    rng = np.random.default_rng(11)
    trials, n = 2000, 400
    true = stats.expon.ppf(0.95)
    hits = 0
    for _ in range(trials):
        s = np.sort(rng.exponential(size=n))
        lo, hi = quantile_ci(s, 0.95)
        hits += lo <= true <= hi
    cover = hits / trials
    se = np.sqrt(0.95 * 0.05 / trials)
    # Order-statistic intervals are conservative: coverage >= 95 % up to sampling error.
    assert cover > 0.95 - 4 * se


def test_mean_interval_covers_at_its_level() -> None:
    rng = np.random.default_rng(12)
    trials = 2000
    hits = 0
    for _ in range(trials):
        s = summarize_outcome("x", rng.normal(3.0, 2.0, size=200))
        hits += s.mean_lo <= 3.0 <= s.mean_hi
    se = np.sqrt(0.95 * 0.05 / trials)
    assert abs(hits / trials - 0.95) < 4 * se


def test_all_failed_outcome_summarises_to_nan() -> None:
    s = summarize_outcome("x", np.array([np.nan, np.nan]))
    assert s.n == 0 and s.failed == 2 and np.isnan(s.mean)


def test_exceedance_with_wilson_interval() -> None:
    p, lo, hi = exceedance(np.arange(100.0), 89.5)
    assert p == 0.1 and lo < 0.1 < hi


def test_summarize_arrays_takes_units_and_directions_by_name() -> None:
    rows = summarize_arrays(
        {"a": np.arange(10.0), "b": np.array([1.0, np.nan])}, [("b", "km2", "maximize")]
    )
    assert [(r.name, r.unit, r.direction) for r in rows] == [
        ("a", "", "info"),
        ("b", "km2", "maximize"),
    ]
    assert rows[1].failed == 1 and rows[0].p50 == 4.5


def test_summarize_is_exported_at_the_top_and_from_analysis() -> None:
    assert scenario.summarize is summarize_results
    assert analysis.summarize_results is summarize_results
    assert analysis.summarize_arrays is summarize_arrays
