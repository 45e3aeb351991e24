"""Kill-chain latency against Erlang / hypoexponential closed forms; BICES effects."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import scenario
from scenario.models.intel import p_present, sample_latency

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("k", "mean"), [(2, 10.0), (4, 7.5)])
def test_equal_stages_give_an_erlang_latency(k: int, mean: float) -> None:
    n = 100_000
    lat = sample_latency(np.full(k, mean), n, rng=np.random.default_rng(1))
    assert abs(lat.mean() - k * mean) < 4 * math.sqrt(k) * mean / math.sqrt(n)
    for t in (0.5 * k * mean, k * mean, 2 * k * mean):
        exact = stats.gamma.cdf(t, a=k, scale=mean)  # Erlang(k, 1/mean)
        est = float(np.mean(lat <= t))
        assert abs(est - exact) < 4 * math.sqrt(exact * (1 - exact) / n)


def test_probability_target_present_is_the_laplace_transform() -> None:
    n = 200_000
    means = np.array([15.0, 12.0, 8.0, 5.0])
    tau = 45.0
    lat = sample_latency(means, n, rng=np.random.default_rng(2))
    draws = np.exp(-lat / tau)
    exact = float(p_present(means, tau))
    assert abs(draws.mean() - exact) < 4 * draws.std(ddof=1) / math.sqrt(n)
    # Erlang special case: (1 + m/tau)^-k
    assert float(p_present(np.full(3, 10.0), 30.0)) == pytest.approx((1 + 10 / 30) ** -3)


def test_bices_shortens_the_chain_and_raises_fire_and_warning() -> None:
    base_cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    bices_cfg = scenario.load_config(ROOT / "configs" / "options" / "bices.yaml")
    base = scenario.run(base_cfg, replications=500, seed=2)
    opt = scenario.run(bices_cfg, replications=500, seed=2)
    assert np.all(base.outcomes["intel_fire_multiplier"] == 1.0)
    assert np.all(opt.outcomes["kill_chain_min"] <= base.outcomes["kill_chain_min"] + 1e-12)
    assert np.all(opt.outcomes["p_target_present"] >= base.outcomes["p_target_present"] - 1e-12)
    assert opt.outcomes["intel_fire_multiplier"].mean() > 1.0
    # More warning and detection: no more air-defence leakers on the same threats.
    d = opt.outcomes["ad_leakers"] - base.outcomes["ad_leakers"]
    assert d.mean() < 0
