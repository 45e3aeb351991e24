"""Logistics on the harness: capacity against the recursion of the module docstring
(computed here from the fed leakers and interdiction), its steady state under constant
damage, the zero-damage and interdiction limits, civilian casualties against their Poisson
law, and the direction of more leakers."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np

import scenario
from scenario.config.schema import ScenarioConfig
from scenario.engine.harness import HarnessResult, run_submodel
from scenario.models.campaign import LogisticsSubmodel
from scenario.models.campaign.signals import AD_LEAKERS_TODAY, SUPPLY_INTERDICTION, UA_LOGISTICS
from scenario.models.daily import Signal

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"
CLASSES = tuple(AD_LEAKERS_TODAY)
H = 90


def _fixed(name: str, value: float) -> str:
    return (
        f"parameters.logistics.{name}={{dist: fixed, value: {value}, source: t, "
        "as_of: 2024-12-01, confidence: high}"
    )


FIXED = (
    _fixed("damage_ballistic", 0.01),
    _fixed("damage_cruise", 0.004),
    _fixed("damage_aircraft", 0.002),
    _fixed("damage_drone", 0.0005),
    _fixed("repair_per_day", 0.05),
    _fixed("civilians_per_ballistic", 2.0),
    _fixed("civilians_per_cruise", 1.0),
    _fixed("civilians_per_aircraft", 1.5),
    _fixed("civilians_per_drone", 0.1),
)


@cache
def _config(overrides: tuple[str, ...]) -> ScenarioConfig:
    return scenario.load_config(BASE, overrides=[f"horizon_days={H}", *overrides])


def _run(
    signals: dict[Signal, float | np.ndarray] | None = None,
    *,
    fixed: bool = False,
    n: int = 500,
    seed: int = 0,
) -> HarnessResult:
    cfg = _config(FIXED if fixed else ())
    return run_submodel(LogisticsSubmodel(), cfg, n=n, seed=seed, signals=signals, keep_series=n)


def _expected(
    inputs: dict[str, np.ndarray], leakers: dict[str, np.ndarray], cut: np.ndarray
) -> np.ndarray:
    """Capacity (H, n) from the docstring's recursion, leakers and cut given as (H, n)."""
    r = inputs["logistics.repair_per_day"]
    L = np.ones_like(r)
    out = np.empty_like(cut)
    for t in range(cut.shape[0]):
        hit = sum(inputs[f"logistics.damage_{c}"] * leakers[c][t] for c in CLASSES)
        L = (L + r * (1.0 - L)) * np.exp(-hit) * (1.0 - cut[t])
        out[t] = L
    return out


def test_capacity_follows_the_recursion_with_daily_leakers_and_interdiction() -> None:
    n = 400
    rng = np.random.default_rng(11)
    scale = {"ballistic": 1.0, "cruise": 2.0, "aircraft": 3.0, "drone": 40.0}
    leakers = {c: rng.poisson(scale[c], size=(H, n)).astype(float) for c in CLASSES}
    cut = np.where(np.arange(H)[:, None] >= 50, rng.uniform(0.0, 0.08, size=(H, n)), 0.0)
    feeds: dict[Signal, float | np.ndarray] = {AD_LEAKERS_TODAY[c]: leakers[c] for c in CLASSES}
    feeds[SUPPLY_INTERDICTION] = cut
    res = _run(feeds, n=n, seed=3)  # parameters sampled from the baseline ranges
    exp = _expected(res.inputs, leakers, cut)
    np.testing.assert_allclose(res.signals[UA_LOGISTICS.name], exp, rtol=1e-12)
    o = res.output.outcomes
    np.testing.assert_allclose(o["logistics_capacity_mean"], exp.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(o["logistics_capacity_min"], exp.min(axis=0), rtol=1e-12)
    np.testing.assert_allclose(res.output.series["logistics_capacity"], exp.T, rtol=1e-6)
    assert np.all(exp[-1] < exp[49])  # interdiction from day 50 cut capacity further


def test_constant_leakers_converge_to_the_steady_state() -> None:
    # Per class k per day: L* = r e (1 - i) / (1 - (1 - r) e (1 - i)), e = exp(-sum d_c k_c)
    k = {"ballistic": 1.0, "cruise": 2.0, "aircraft": 1.0, "drone": 20.0}
    i = 0.02
    feeds: dict[Signal, float | np.ndarray] = {AD_LEAKERS_TODAY[c]: k[c] for c in CLASSES}
    feeds[SUPPLY_INTERDICTION] = i
    res = _run(feeds, fixed=True, n=10)
    e = math.exp(-(0.01 * 1 + 0.004 * 2 + 0.002 * 1 + 0.0005 * 20)) * (1 - i)
    r = 0.05
    L_day0 = e  # repair of an intact area restores nothing
    steady = r * e / (1 - (1 - r) * e)
    cap = res.signals[UA_LOGISTICS.name]
    np.testing.assert_allclose(cap[0], L_day0, rtol=1e-12)
    # L_t - L* = ((1 - r) e)^t (L_0 - L*)
    t = np.arange(H)
    np.testing.assert_allclose(
        cap[:, 0], steady + ((1 - r) * e) ** t * (L_day0 - steady), rtol=1e-10
    )


def test_no_damage_keeps_capacity_exactly_one_and_no_civilian_harm() -> None:
    res = _run(n=300)  # no leakers, no interdiction: the defaults
    assert np.all(res.signals[UA_LOGISTICS.name] == 1.0)
    o = res.output.outcomes
    assert np.all(o["logistics_capacity_mean"] == 1.0)
    assert np.all(o["logistics_capacity_min"] == 1.0)
    assert np.all(o["civilian_casualties"] == 0.0)


def test_interdiction_alone_and_its_clipping() -> None:
    n, i = 6, 0.03
    cut = np.full((H, n), i)
    cut[:, 1] = 1.5  # above 1: everything cut
    cut[:, 2] = -0.5  # below 0: nothing cut
    res = _run({SUPPLY_INTERDICTION: cut}, fixed=True, n=n)
    cap = res.signals[UA_LOGISTICS.name]
    exp = _expected(res.inputs, {c: np.zeros((H, n)) for c in CLASSES}, np.clip(cut, 0.0, 1.0))
    np.testing.assert_allclose(cap, exp, rtol=1e-12)
    assert np.all(cap[:, 1] == 0.0)
    assert np.all(cap[:, 2] == 1.0)
    # Interdiction i alone: steady state r (1 - i) / (1 - (1 - r)(1 - i))
    r = 0.05
    np.testing.assert_allclose(cap[-1, 0], r * (1 - i) / (1 - (1 - r) * (1 - i)), rtol=1e-3)


def test_civilian_casualties_are_poisson_with_the_summed_expectation() -> None:
    n = 4000
    rng = np.random.default_rng(5)
    leakers = {c: rng.integers(0, 3, size=(H, n)).astype(float) for c in CLASSES}
    feeds: dict[Signal, float | np.ndarray] = {AD_LEAKERS_TODAY[c]: leakers[c] for c in CLASSES}
    res = _run(feeds, n=n, seed=8)
    lam = sum(res.inputs[f"logistics.civilians_per_{c}"] * leakers[c].sum(axis=0) for c in CLASSES)
    cas = res.output.outcomes["civilian_casualties"]
    assert np.all(cas == np.round(cas)) and np.all(cas >= 0)
    # Sum of independent Poissons: Poisson(sum lambda).
    z = (cas.sum() - lam.sum()) / math.sqrt(lam.sum())
    assert abs(z) < 4, z
    # Dispersion: sum (H - lam)^2 / lam has mean n and variance about 2n (+ sum 1/lam).
    chi = float(np.sum((cas - lam) ** 2 / lam))
    assert abs(chi - n) < 4 * math.sqrt(2 * n + float(np.sum(1 / lam))), chi


def test_more_leakers_lower_capacity_and_raise_civilian_casualties() -> None:
    n = 2000
    few = _run({AD_LEAKERS_TODAY["drone"]: 10.0}, n=n, seed=9)
    many = _run({AD_LEAKERS_TODAY["drone"]: 30.0}, n=n, seed=9)
    a, b = few.output.outcomes, many.output.outcomes
    # Same sampled parameters: capacity lower in every replication.
    assert np.all(b["logistics_capacity_mean"] < a["logistics_capacity_mean"])
    assert np.all(b["logistics_capacity_min"] < a["logistics_capacity_min"])
    d = b["civilian_casualties"] - a["civilian_casualties"]
    assert d.mean() > 4 * d.std(ddof=1) / math.sqrt(n)
    # Expected harm is linear in leakers: the difference has mean 20 H h_drone; its variance
    # is at most (sd_a + sd_b)^2 whatever the correlation of the two draws.
    h = H * few.inputs["logistics.civilians_per_drone"]
    se = math.sqrt(float(np.sum((np.sqrt(10 * h) + np.sqrt(30 * h)) ** 2)))
    assert abs(d.sum() - 20 * h.sum()) < 4 * se
