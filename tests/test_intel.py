"""Kill-chain latency against Erlang / hypoexponential closed forms; BICES effects."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import scenario
from scenario.engine.harness import run_submodel
from scenario.models.campaign import AirDefenceSubmodel, IntelSubmodel
from scenario.models.campaign.intel import p_present, sample_latency

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
    subs = [IntelSubmodel(), AirDefenceSubmodel()]
    base = run_submodel(subs, base_cfg, n=500, seed=2)
    opt = run_submodel(subs, bices_cfg, n=500, seed=2)
    b, o = base.output.outcomes, opt.output.outcomes
    assert np.all(b["intel_fire_multiplier"] == 1.0)
    assert np.all(base.signals["ua_fire_multiplier"] == 0)  # never written without BICES
    assert np.all(o["kill_chain_min"] <= b["kill_chain_min"] + 1e-12)
    assert np.all(o["p_target_present"] >= b["p_target_present"] - 1e-12)
    assert o["intel_fire_multiplier"].mean() > 1.0
    # Not written before BICES starts anywhere in the block (day 20): the reader sees 1.
    written = opt.signals["ua_fire_multiplier"]
    assert np.all(written[:20] == 0) and np.all(written[20:] >= 1.0)
    seen = np.where(written == 0, 1.0, written)
    np.testing.assert_allclose(seen.mean(axis=0), o["intel_fire_multiplier"], rtol=1e-12)
    # More warning and detection: fewer air-defence leakers on the same threats.
    assert np.array_equal(b["ad_threats"], o["ad_threats"])
    d = o["ad_leakers"] - b["ad_leakers"]
    assert d.mean() < -4 * d.std(ddof=1) / math.sqrt(d.size)
