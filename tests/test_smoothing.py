"""The spline smoother behind EVPPI: it recovers a smooth conditional mean within the noise,
smooths pure noise to nearly a constant, and handles degenerate inputs."""

from __future__ import annotations

import numpy as np
import pytest

from scenario.analysis.smoothing import bspline_basis, fit_additive
from scenario.errors import ResultsError


def test_recovers_a_smooth_mean_within_the_noise() -> None:
    rng = np.random.default_rng(1)
    n = 8000
    x = rng.uniform(-3, 3, n)
    truth = np.sin(x) + 0.2 * x**2
    fit = fit_additive(x, truth + rng.normal(0, 1.0, n))
    # Error of the fit far below the noise (sd 1): about sqrt(edf / n).
    assert np.sqrt(np.mean((fit - truth) ** 2)) < 0.06


def test_pure_noise_is_smoothed_to_nearly_its_mean() -> None:
    rng = np.random.default_rng(2)
    x, y = rng.uniform(size=5000), rng.normal(size=5000)
    fit = fit_additive(x, y)
    assert np.std(fit) < 0.05  # GCV picks heavy smoothing
    assert fit.mean() == pytest.approx(y.mean())


def test_pairs_capture_an_interaction_and_groups_are_additive() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, size=(6000, 3))
    inter = x[:, 0] * x[:, 1]
    assert np.corrcoef(fit_additive(x[:, :2], inter), inter)[0, 1] > 0.99
    additive = x[:, 0] + x[:, 1] ** 2 + np.sin(3 * x[:, 2])
    assert np.corrcoef(fit_additive(x, additive), additive)[0, 1] > 0.99
    two = np.vstack([additive, -additive])
    fits = fit_additive(x, two)
    assert fits.shape == (2, 6000) and np.allclose(fits[0], -fits[1])


def test_degenerate_inputs() -> None:
    assert bspline_basis(np.ones(10)).shape == (10, 0)
    binary = np.array([0.0, 1.0] * 5)
    assert bspline_basis(binary).shape == (10, 1)
    y = np.arange(10.0)
    assert np.allclose(fit_additive(np.ones(10), y), y.mean())
    with pytest.raises(ResultsError, match="x has 10 rows but y has 9"):
        fit_additive(np.arange(10.0), np.arange(9.0))


def test_small_samples_do_not_fit_their_noise() -> None:
    """An exact fit through the noise would make every input look informative: with few
    replications the basis shrinks (fewer knots, then a line) and GCV keeps a residual."""
    rng = np.random.default_rng(4)
    for n in (12, 20, 60, 200):
        x, y = rng.uniform(size=n), rng.normal(size=n)
        fit = fit_additive(x, y)
        r2 = 1 - np.sum((y - fit) ** 2) / np.sum((y - y.mean()) ** 2)
        assert r2 < 0.5, (n, r2)
    with pytest.raises(ResultsError, match=r"too few replications \(30\) for a regression on 4"):
        fit_additive(rng.uniform(size=(30, 4)), rng.normal(size=30))
