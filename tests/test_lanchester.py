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


def _square_law_reference(
    x: np.ndarray, y: np.ndarray, a: np.ndarray, b: np.ndarray, dt: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The step as written before its fast paths (every branch through np.where)."""
    gamma = np.sqrt(a * b)
    with np.errstate(divide="ignore", invalid="ignore"):
        rba = np.where(a > 0, np.sqrt(b / np.where(a > 0, a, 1.0)), 0.0)
        rab = np.where(b > 0, np.sqrt(a / np.where(b > 0, b, 1.0)), 0.0)
        ch, sh = np.cosh(gamma * dt), np.sinh(gamma * dt)
        lin = gamma == 0
        xn = np.where(lin, x - b * y * dt, x * ch - rba * y * sh)
        yn = np.where(lin, y - a * x * dt, y * ch - rab * x * sh)
        t_used = np.full(x.shape, float(dt))
        hit_y = (yn < 0) & (y > 0)
        hit_x = (xn < 0) & (x > 0)
        ty = np.where(
            lin,
            y / np.where(a * x > 0, a * x, 1.0),
            np.arctanh(np.clip(rba * y / np.where(x > 0, x, 1.0), 0, 1 - 1e-16))
            / np.where(gamma > 0, gamma, 1.0),
        )
        tx = np.where(
            lin,
            x / np.where(b * y > 0, b * y, 1.0),
            np.arctanh(np.clip(rab * x / np.where(y > 0, y, 1.0), 0, 1 - 1e-16))
            / np.where(gamma > 0, gamma, 1.0),
        )
        xs = np.where(
            lin,
            x - b * y * ty,
            np.sqrt(np.maximum(x * x - (b / np.where(a > 0, a, 1.0)) * y * y, 0)),
        )
        ys = np.where(
            lin,
            y - a * x * tx,
            np.sqrt(np.maximum(y * y - (a / np.where(b > 0, b, 1.0)) * x * x, 0)),
        )
        xn = np.where(hit_y, xs, xn)
        yn = np.where(hit_y, 0.0, yn)
        t_used = np.where(hit_y, ty, t_used)
        xn = np.where(hit_x & ~hit_y, 0.0, xn)
        yn = np.where(hit_x & ~hit_y, ys, yn)
        t_used = np.where(hit_x & ~hit_y, tx, t_used)
    over = (x <= 0) | (y <= 0)
    xn = np.where(over, x, xn)
    yn = np.where(over, y, yn)
    t_used = np.where(over, 0.0, t_used)
    return np.maximum(xn, 0.0), np.maximum(yn, 0.0), t_used


@pytest.mark.parametrize("dt", [1.0, 0.5])
@pytest.mark.parametrize("zeros", [False, True])
def test_square_law_step_fast_paths_give_the_same_bits(dt: float, zeros: bool) -> None:
    """All-positive rates and dt == 1 take shortcuts; values must not move by one ulp."""
    rng = np.random.default_rng(7)
    n = 5_000
    x = rng.uniform(0, 60_000, n)
    y = rng.uniform(0, 20_000, n)
    a = rng.uniform(1e-4, 0.5, n)  # large enough for some annihilations inside the step
    b = rng.uniform(1e-4, 0.5, n)
    if zeros:
        x[::7] = 0.0
        a[::5] = 0.0
        b[::11] = 0.0
    got = square_law_step(x, y, a, b, dt)
    ref = _square_law_reference(x, y, a, b, dt)
    assert any(r.size for r in ref)
    for g, r in zip(got, ref, strict=True):
        np.testing.assert_array_equal(g, r)


def test_overdispersed_losses_in_place_gives_the_same_draws() -> None:
    """The in-place arithmetic draws the same gamma variates as the plain expressions,
    for arrays and for a scalar expectation broadcast against per-replication dispersion."""
    expected = np.random.default_rng(1).uniform(-5, 500, 1_000)
    present = np.full(1_000, 300.0)
    k = np.random.default_rng(2).uniform(0.5, 20, 1_000)
    for e, kk in ((expected, k), (np.float64(40.0), k), (expected, 3.0)):
        lam = np.maximum(np.asarray(e, dtype=np.float64), 0.0)
        scale = 1.0 + lam / np.asarray(kk)
        want = np.minimum(
            np.random.default_rng(3).gamma(lam / scale, scale), np.maximum(present, 0.0)
        )
        got = overdispersed_losses(e, present, kk, rng=np.random.default_rng(3))
        np.testing.assert_array_equal(got, want)
