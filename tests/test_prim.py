"""PRIM's steps on plain arrays: peeling, the box choice, pasting, pruning, restriction
statistics (scenario.analysis.prim)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binom

from scenario.analysis.prim import (
    BAND,
    box_stats,
    choose_box,
    in_box,
    paste,
    peel,
    prune,
    restriction_stats,
)
from scenario.errors import ResultsError


def _planted(seed: int, n: int = 2000, k: int = 4, noise: float = 0.05):  # type: ignore[no-untyped-def]
    """Uniform inputs; cases inside [0.2, 0.5] x [0.6, 1.0], labels flipped with ``noise``."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(size=(n, k))
    inside = (x[:, 0] >= 0.2) & (x[:, 0] <= 0.5) & (x[:, 1] >= 0.6)
    return x, inside ^ (rng.uniform(size=n) < noise)


def test_in_box_and_box_stats() -> None:
    x = np.array([[0.0, 0.0], [0.5, 0.5], [1.0, 1.0], [0.5, 2.0]])
    y = np.array([True, True, False, True])
    lo, hi = np.array([0.5, 0.0]), np.array([1.0, 1.0])
    assert in_box(x, lo, hi).tolist() == [False, True, True, False]
    assert box_stats(x, y, lo, hi) == (2, 1)


@given(
    seed=st.integers(0, 10_000),
    n=st.integers(50, 400),
    k=st.integers(1, 4),
    n_discrete=st.integers(0, 2),
    mass_min=st.floats(0.02, 0.5),
)
def test_the_trajectory_is_nested_and_respects_mass_min(
    seed: int, n: int, k: int, n_discrete: int, mass_min: float
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(size=(n, k))
    x[:, : min(n_discrete, k)] = rng.integers(0, 3, size=(n, min(n_discrete, k)))
    discrete = np.arange(k) < n_discrete
    y = rng.uniform(size=n) < 0.2 + 0.6 * (x[:, -1] > 0.5)
    if not y.any():
        y[0] = True
    los, his = peel(x, y, discrete, alpha=0.1, mass_min=mass_min)
    stats = [box_stats(x, y, lo, hi) for lo, hi in zip(los, his, strict=True)]
    points = np.array([m for m, _ in stats])
    cases = np.array([c for _, c in stats])
    assert points[0] == n and (np.diff(points) < 0).all()  # every peel removes a point
    assert (np.diff(cases) <= 0).all()  # coverage never increases
    assert points.min() >= math.ceil(mass_min * n)
    for a, b in itertools.pairwise(los):
        assert (b >= a).all()
    for a, b in itertools.pairwise(his):
        assert (b <= a).all()
    for lo, hi in zip(los, his, strict=True):  # bounds are sampled values
        for j in range(k):
            assert lo[j] in x[:, j] and hi[j] in x[:, j]


def test_a_continuous_peel_removes_the_share_alpha() -> None:
    x, y = _planted(1)
    los, his = peel(x, y, np.zeros(4, dtype=bool), alpha=0.05, mass_min=0.05)
    points = [box_stats(x, y, lo, hi)[0] for lo, hi in zip(los, his, strict=True)]
    for before, after in itertools.pairwise(points):
        assert abs((before - after) - 0.05 * before) <= 1.0


def test_peeling_stops_before_mass_min_and_at_density_one() -> None:
    x, y = _planted(2)
    los, his = peel(x, y, np.zeros(4, dtype=bool), alpha=0.05, mass_min=0.05)
    last = box_stats(x, y, los[-1], his[-1])[0]
    # the last box is too small for one more peel of about 5 % of its points
    assert math.ceil(0.05 * 2000) <= last < math.ceil(0.05 * 2000) / 0.95 + 2
    pure = x[:, 0] > 0.7
    los, his = peel(x, pure, np.zeros(4, dtype=bool), alpha=0.05, mass_min=0.01)
    m, c = box_stats(x, pure, los[-1], his[-1])
    m_before, c_before = box_stats(x, pure, los[-2], his[-2])
    assert m == c and c_before < m_before  # stops as soon as the density is 1
    assert m > 0.01 * 2000


def test_a_discrete_input_is_peeled_a_whole_value_at_a_time() -> None:
    rng = np.random.default_rng(3)
    n = 3000
    x = np.column_stack([rng.integers(0, 3, size=n), rng.uniform(size=n)]).astype(float)
    y = rng.uniform(size=n) < np.where(x[:, 0] == 2, 0.8, 0.1)
    los, his = peel(x, y, np.array([True, False]), alpha=0.05, mass_min=0.05)
    # the first peels take out value 0, then value 1, each in one step
    assert (los[1][0], his[1][0]) in {(1.0, 2.0), (0.0, 1.0)}
    assert los[2][0] == 2.0 and his[2][0] == 2.0
    m, _ = box_stats(x, y, los[2], his[2])
    assert m == int(np.sum(x[:, 0] == 2))


def test_choose_box_default_rule() -> None:
    coverage = [1.0, 0.9, 0.8, 0.7, 0.55, 0.4]
    density = [0.2, 0.5, 0.8, 0.82, 0.84, 0.99]
    points = [4000, 2000, 1200, 1000, 800, 500]
    step, rule = choose_box(coverage, density, points)
    # best density with coverage >= 0.5 is 0.84 (800 points); the band reaches down to
    # 0.84 - 2 * se, se with p = (0.84 * 800 + 1) / 802
    p = (0.84 * 800 + 1) / 802
    floor = 0.84 - BAND * math.sqrt(p * (1 - p) / 800)
    assert 0.80 < floor < 0.82  # so step 2 (0.80) is out and step 3 (0.82) is in
    assert step == 3 and "coverage >= 0.5" in rule and f"{floor:.3f}" in rule


def test_choose_box_prefers_the_denser_box_at_equal_coverage() -> None:
    step, _ = choose_box([1.0, 0.8, 0.8], [0.2, 0.9, 0.95], [1000, 200, 190])
    assert step == 2


def test_choose_box_with_a_density_threshold() -> None:
    coverage = [1.0, 0.9, 0.6, 0.3]
    density = [0.2, 0.5, 0.8, 0.95]
    assert choose_box(coverage, density, [9, 9, 9, 9], threshold_density=0.7)[0] == 2
    assert choose_box(coverage, density, [9, 9, 9, 9], threshold_density=0.9)[0] == 3
    with pytest.raises(ResultsError, match=r"reaches density 0.99 \(got at most 0.950\)"):
        choose_box(coverage, density, [9, 9, 9, 9], threshold_density=0.99)


def test_pasting_recovers_a_face_peeled_too_far() -> None:
    x, y = _planted(4, noise=0.0)
    lo, hi = np.array([0.2, 0.75, 0.0, 0.0]), np.array([0.5, 1.0, 1.0, 1.0])
    lo, hi = np.maximum(lo, x.min(axis=0)), np.minimum(hi, x.max(axis=0))
    plo, phi = paste(x, y, lo, hi, np.zeros(4, dtype=bool), alpha=0.05)
    # pasting adds only cases, and stops when the next ceil(0.05 m) points below the face
    # would reach past 0.6 (into non-cases)
    m, c = box_stats(x, y, plo, phi)
    assert m == c and plo[1] >= 0.6
    slab = (
        (x[:, 1] >= 0.6)
        & (x[:, 1] < plo[1])
        & in_box(x[:, [0, 2, 3]], lo[[0, 2, 3]], hi[[0, 2, 3]])
    )
    assert 0 <= slab.sum() < math.ceil(0.05 * m)
    assert (plo[[0, 2, 3]] == lo[[0, 2, 3]]).all() and (phi == hi).all()


def test_pasting_does_not_add_non_cases() -> None:
    x, y = _planted(5, noise=0.0)
    lo = np.array([0.2, 0.6, 0.0, 0.0])
    lo = np.maximum(lo, x.min(axis=0))
    hi = np.minimum(np.array([0.5, 1.0, 1.0, 1.0]), x.max(axis=0))
    lo[0], hi[0] = x[:, 0][x[:, 0] >= 0.2].min(), x[:, 0][x[:, 0] <= 0.5].max()
    lo[1] = x[:, 1][x[:, 1] >= 0.6].min()
    plo, phi = paste(x, y, lo, hi, np.zeros(4, dtype=bool), alpha=0.05)
    assert (plo == lo).all() and (phi == hi).all()


def test_prune_drops_a_restriction_that_does_not_matter() -> None:
    x, y = _planted(6, n=4000)
    lo, hi = x.min(axis=0), x.max(axis=0)
    lo[0], hi[0], lo[1] = 0.2, 0.5, 0.6
    lo[3] = np.quantile(x[:, 3], 0.1)  # a spurious restriction on an irrelevant input
    plo, phi = prune(x, y, lo, hi)
    assert plo[3] == x[:, 3].min()
    assert (plo[:2] == lo[:2]).all() and (phi == hi).all()  # the planted ones stay
    # with a density floor above what dropping it gives, it stays
    m3, c3 = box_stats(x, y, plo, phi)
    assert (prune(x, y, lo, hi, min_density=c3 / m3 + 1e-9)[0] == lo).all()


def test_restriction_stats_closed_form() -> None:
    x, y = _planted(7, n=3000)
    lo, hi = x.min(axis=0), x.max(axis=0)
    lo[0], hi[0], lo[1] = 0.2, 0.5, 0.6
    rows = restriction_stats(x, y, lo, hi)
    assert sorted(r.column for r in rows) == [0, 1]
    inside = in_box(x, lo, hi)
    m, c = int(inside.sum()), int(y[inside].sum())
    for r in rows:
        other = 1 - r.column
        keep = (x[:, other] >= lo[other]) & (x[:, other] <= hi[other])
        d_without = y[keep].mean()
        assert r.density_drop == pytest.approx(c / m - d_without)
        assert r.p_value == pytest.approx(binom.sf(c - 1, m, d_without))
        assert r.p_value < 1e-20  # both planted restrictions matter
    assert rows[0].density_drop >= rows[1].density_drop


def test_a_discrete_peel_takes_one_value_even_when_the_quantile_spans_two() -> None:
    rng = np.random.default_rng(8)
    n = 2000
    values = rng.choice(6, size=n, p=[0.02, 0.02, 0.24, 0.24, 0.24, 0.24]).astype(float)
    y = (values >= 2) & (rng.uniform(size=n) < 0.5)
    x = values[:, None]
    assert np.quantile(x, 0.05) == 2.0  # a quantile peel would take out values 0 and 1
    los, _ = peel(x, y, np.array([True]), alpha=0.05, mass_min=0.05)
    assert los[1][0] == 1.0 and los[2][0] == 2.0
    los, _ = peel(x, y, np.array([False]), alpha=0.05, mass_min=0.05)
    assert los[1][0] == 2.0


def test_the_quasi_p_value_of_a_weak_restriction() -> None:
    x, y = _planted(9, n=3000)
    lo, hi = x.min(axis=0), x.max(axis=0)
    lo[0], hi[0], lo[1] = 0.2, 0.5, 0.6
    lo[2] = np.quantile(x[:, 2], 0.2)  # an irrelevant input: the p-value is not small
    rows = {r.column: r for r in restriction_stats(x, y, lo, hi)}
    m, c = box_stats(x, y, lo, hi)
    lo2 = lo.copy()
    lo2[2] = x[:, 2].min()
    m2, c2 = box_stats(x, y, lo2, hi)
    assert rows[2].p_value == pytest.approx(binom.sf(c - 1, m, c2 / m2), rel=1e-12)
    assert 0.01 < rows[2].p_value < 0.99
    assert rows[2].density_drop == pytest.approx(c / m - c2 / m2)
