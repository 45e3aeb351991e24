"""The attrition kernel against the Lanchester square-law closed form."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenario.models.kernels.lanchester import (
    overdispersed_losses,
    simulate_square_law,
    square_law_closed_form,
    square_law_step,
)

CASES = [
    (10_000.0, 8_000.0, 0.02, 0.025),  # X wins
    (5_000.0, 9_000.0, 0.05, 0.01),  # Y wins
    (59_000.0, 15_000.0, 0.003, 0.032),  # sector-like magnitudes
]


@pytest.mark.parametrize(("x0", "y0", "a", "b"), CASES)
def test_deterministic_kernel_matches_closed_form(
    x0: float, y0: float, a: float, b: float
) -> None:
    winner, survivors, t_end = square_law_closed_form(x0, y0, a, b)
    days = math.ceil(t_end) + 5
    path = simulate_square_law(x0, y0, a, b, days)
    final = path.x[0, -1] if winner == "x" else path.y[0, -1]
    loser = path.y[0, -1] if winner == "x" else path.x[0, -1]
    assert loser == 0.0
    assert abs(final - survivors) / survivors < 1e-6
    assert abs(path.t_end[0] - t_end) / t_end < 1e-6


@pytest.mark.parametrize(("x0", "y0", "a", "b"), CASES)
def test_daily_path_matches_cosh_sinh_solution(x0: float, y0: float, a: float, b: float) -> None:
    _, _, t_end = square_law_closed_form(x0, y0, a, b)
    days = int(t_end)  # before annihilation
    path = simulate_square_law(x0, y0, a, b, days)
    g = math.sqrt(a * b)
    t = np.arange(days + 1)
    x = x0 * np.cosh(g * t) - math.sqrt(b / a) * y0 * np.sinh(g * t)
    y = y0 * np.cosh(g * t) - math.sqrt(a / b) * x0 * np.sinh(g * t)
    np.testing.assert_allclose(path.x[0], x, rtol=1e-9)
    np.testing.assert_allclose(path.y[0], y, rtol=1e-9)


@given(
    x0=st.floats(100, 1e5),
    y0=st.floats(100, 1e5),
    a=st.floats(1e-4, 0.1),
    b=st.floats(1e-4, 0.1),
)
def test_square_law_invariant_and_non_negative(x0: float, y0: float, a: float, b: float) -> None:
    x, y, _ = square_law_step(np.array([x0]), np.array([y0]), np.array([a]), np.array([b]))
    assert x[0] >= 0 and y[0] >= 0
    if x[0] > 0 and y[0] > 0:
        inv0 = a * x0 * x0 - b * y0 * y0
        inv1 = a * x[0] ** 2 - b * y[0] ** 2
        assert abs(inv1 - inv0) <= 1e-9 * max(a * x0 * x0, b * y0 * y0)


def test_annihilated_side_stays_at_zero() -> None:
    path = simulate_square_law(10_000, 8_000, 0.02, 0.025, 200)
    assert path.y[0, -1] == 0.0
    assert np.all(np.diff(path.x[0]) <= 0)  # survivor never grows


def test_stochastic_losses_have_the_stated_mean_and_variance() -> None:
    n, ell, k = 400_000, 120.0, 5.0
    x = overdispersed_losses(np.full(n, ell), np.full(n, 1e9), k, rng=np.random.default_rng(3))
    se_mean = math.sqrt(ell + ell * ell / k) / math.sqrt(n)
    assert abs(x.mean() - ell) < 4 * se_mean
    var = ell + ell * ell / k
    # se of the sample variance ~ var * sqrt(2/(n-1)) * sqrt(1 + excess kurtosis/2); the
    # gamma's excess kurtosis is 6/shape.
    shape = ell / (1 + ell / k)
    se_var = var * math.sqrt((2 + 6 / shape) / (n - 1))
    assert abs(x.var(ddof=1) - var) < 4 * se_var


def test_stochastic_kernel_one_step_mean_equals_deterministic() -> None:
    n = 200_000
    det = simulate_square_law(10_000, 8_000, 0.02, 0.025, 1)
    sto = simulate_square_law(
        np.full(n, 10_000.0),
        8_000,
        0.02,
        0.025,
        1,
        stochastic=True,
        dispersion=10.0,
        rng=np.random.default_rng(5),
    )
    loss_det = 10_000 - det.x[0, 1]
    losses = 10_000 - sto.x[:, 1]
    se = losses.std(ddof=1) / math.sqrt(n)
    assert abs(losses.mean() - loss_det) < 4 * se


def test_stochastic_requires_rng() -> None:
    with pytest.raises(ValueError, match="rng"):
        simulate_square_law(1, 1, 0.1, 0.1, 3, stochastic=True)


def test_closed_form_validates_inputs() -> None:
    with pytest.raises(ValueError, match="must be > 0"):
        square_law_closed_form(0, 1, 1, 1)
