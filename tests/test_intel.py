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


def _intel_fixed(name: str, value: float) -> str:
    return f"parameters.intel.{name}={{dist: fixed, value: {value}, source: t, as_of: 2025-03-05, confidence: high}}"


PAUSE = [
    "adversary.us_intel_pause=true",
    _intel_fixed("us_pause_start_day", 100),
    _intel_fixed("us_pause_days", 7),
    _intel_fixed("us_fire_loss", 0.2),
    _intel_fixed("us_detect_loss", 0.1),
    _intel_fixed("bices_substitution", 0.5),
]


def test_a_us_intelligence_pause_cuts_fire_and_detection_for_its_days_only() -> None:
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml", overrides=PAUSE)
    res = run_submodel(IntelSubmodel(), cfg, n=50, seed=1)
    fire, bonus = res.signals["ua_fire_multiplier"], res.signals["ad_detect_bonus"]
    paused = slice(100, 107)
    np.testing.assert_allclose(fire[paused], 0.8)  # no BICES: the whole loss
    np.testing.assert_allclose(bonus[paused], -0.1)
    # Nothing is written before the pause (readers see the defaults); after it the
    # signals are back at their no-effect values, not stuck at the pause's.
    np.testing.assert_array_equal(fire[107:], 1.0)
    np.testing.assert_array_equal(bonus[107:], 0.0)
    # Without the adversary setting the parameters do nothing.
    off = scenario.load_config(ROOT / "configs" / "baseline.yaml", overrides=PAUSE[1:])
    never = run_submodel(IntelSubmodel(), off, n=50, seed=1).signals["ua_fire_multiplier"]
    assert np.all(never == 0)  # the harness's record of a signal never written


def test_bices_makes_good_its_share_of_the_pause() -> None:
    """With BICES at integration level l on a day of the pause, the loss is
    u (1 - sigma l) = 0.2 (1 - 0.5 l): the fire multiplier is BICES's own times that."""
    bices = ["policy.bices.deploy=true", "policy.bices.start_day=0"]
    with_b = scenario.load_config(ROOT / "configs" / "baseline.yaml", overrides=PAUSE + bices)
    only_b = scenario.load_config(ROOT / "configs" / "baseline.yaml", overrides=bices)
    res = run_submodel(IntelSubmodel(), with_b, n=50, seed=1)
    a = res.signals["ua_fire_multiplier"]
    b = run_submodel(IntelSubmodel(), only_b, n=50, seed=1).signals["ua_fire_multiplier"]
    ramp = np.maximum(res.inputs["intel.bices_integration_days"], 1.0)
    level = np.clip((np.arange(100, 107)[:, None] + 1) / ramp, 0.0, 1.0)
    np.testing.assert_allclose(a[100:107], b[100:107] * (1 - 0.2 * (1 - 0.5 * level)), rtol=1e-12)
    np.testing.assert_array_equal(a[110:], b[110:])
