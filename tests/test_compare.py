"""Paired comparison on common random numbers."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import scenario
from scenario.analysis import compare
from scenario.errors import ResultsError

ROOT = Path(__file__).resolve().parents[1]


def _run(path: Path, seed: int = 3, n: int = 800) -> scenario.Results:
    return scenario.run(scenario.load_config(path), replications=n, seed=seed)


def test_paired_difference_statistics() -> None:
    base = _run(ROOT / "configs" / "baseline.yaml")
    opt = _run(ROOT / "configs" / "options" / "offensive_aid.yaml")
    rows = {r.outcome: r for r in compare(opt, base, ["ground_held_end_km2", "ua_expelled"])}
    r = rows["ground_held_end_km2"]
    d = opt.outcomes["ground_held_end_km2"] - base.outcomes["ground_held_end_km2"]
    assert r.diff_mean == pytest.approx(d.mean())
    half = 1.959963984540054 * d.std(ddof=1) / math.sqrt(d.size)
    assert r.diff_lo == pytest.approx(d.mean() - half)
    assert r.p_better == pytest.approx(np.mean(d > 0))  # maximize
    assert r.p_tie == pytest.approx(np.mean(d == 0))
    assert r.p_better_lo <= r.p_better <= r.p_better_hi
    e = rows["ua_expelled"]  # minimize: better means fewer expulsions
    de = opt.outcomes["ua_expelled"] - base.outcomes["ua_expelled"]
    assert e.p_better == pytest.approx(np.mean(de < 0))
    # Paired intervals are much tighter than unpaired ones here.
    unpaired = 1.96 * math.sqrt(
        opt.outcomes["ground_held_end_km2"].var(ddof=1) / d.size
        + base.outcomes["ground_held_end_km2"].var(ddof=1) / d.size
    )
    assert half < unpaired


def test_unpaired_runs_are_refused() -> None:
    a = _run(ROOT / "configs" / "baseline.yaml", seed=1, n=100)
    b = _run(ROOT / "configs" / "baseline.yaml", seed=2, n=100)
    with pytest.raises(ResultsError, match="not paired: seed"):
        compare(a, b)
