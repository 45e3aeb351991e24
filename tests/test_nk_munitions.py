"""North Korean munitions on the harness: with the flow as recorded the Russian fire
multiplier is exactly 1 and the missile rate constant; with the flow stopped both follow
the stock run-down of the module docstring (computed here), down to the floor
f0 + (1 - f0)(1 - s); no North Korean share, no effect."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

import scenario
from scenario.config.schema import ScenarioConfig
from scenario.engine.harness import HarnessResult, run_submodel
from scenario.models.campaign import NkMunitionsSubmodel
from scenario.models.campaign.signals import NK_MISSILES_TODAY, RED_FIRE_MULTIPLIER

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"
STOPPED = "adversary.nk_munitions=false"
H = 120


def _fixed(name: str, value: float) -> str:
    return (
        f"parameters.nk_munitions.{name}={{dist: fixed, value: {value}, source: t, "
        "as_of: 2024-12-01, confidence: high}"
    )


@cache
def _config(overrides: tuple[str, ...]) -> ScenarioConfig:
    return scenario.load_config(BASE, overrides=[f"horizon_days={H}", *overrides])


def _run(*overrides: str, n: int = 1000, seed: int = 0) -> HarnessResult:
    return run_submodel(NkMunitionsSubmodel(), _config(overrides), n=n, seed=seed)


def _missiles(i: dict[str, np.ndarray]) -> np.ndarray:
    """Expected missiles a day at the area with the flow on: mu q / 30."""
    rate: np.ndarray = i["nk_munitions.missiles_per_month"] * i["nk_munitions.area_share"] / 30.0
    return rate


def test_flow_as_recorded_leaves_russian_fire_exactly_as_is() -> None:
    res = _run()
    assert _config(()).adversary.nk_munitions  # the baseline keeps the flow
    assert np.all(res.signals[RED_FIRE_MULTIPLIER.name] == 1.0)
    rate = _missiles(res.inputs)
    np.testing.assert_allclose(
        res.signals[NK_MISSILES_TODAY.name], np.broadcast_to(rate, (H, rate.size)), rtol=1e-12
    )
    o = res.output.outcomes
    assert np.all(o["red_fire_multiplier_mean"] == 1.0)
    np.testing.assert_allclose(o["nk_missiles_at_area"], H * rate, rtol=1e-12)
    assert rate.min() > 0.0 and rate.max() <= 15 * 0.15 / 30  # inside the config's ranges


def test_stopped_flow_runs_down_the_stocks() -> None:
    res = _run(STOPPED, seed=2)
    i = res.inputs
    s, f0, tau = (i[f"nk_munitions.{k}"] for k in ("shell_share", "fire_floor", "stock_days"))
    t = np.arange(H)[:, None]
    a = np.exp(-t / tau)  # (H, n): North Korean part of supply left
    m = 1.0 - (1.0 - f0) * s * (1.0 - a)
    mult = res.signals[RED_FIRE_MULTIPLIER.name]
    np.testing.assert_allclose(mult, m, rtol=1e-12)
    np.testing.assert_allclose(res.signals[NK_MISSILES_TODAY.name], _missiles(i) * a, rtol=1e-12)
    o = res.output.outcomes
    np.testing.assert_allclose(o["red_fire_multiplier_mean"], m.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(o["nk_missiles_at_area"], (_missiles(i) * a).sum(axis=0))
    # Day 0: stocks full; then strictly falling, bounded below by the exhausted-stock floor.
    assert np.all(mult[0] == 1.0)
    assert np.all(np.diff(mult, axis=0) < 0)
    floor = f0 + (1.0 - f0) * (1.0 - s)
    assert np.all(mult > floor)
    np.testing.assert_allclose(m, f0 + (1.0 - f0) * ((1.0 - s) + s * a), rtol=1e-12)


def test_stocks_exhausted_reach_the_floor_and_no_share_means_no_effect() -> None:
    gone = _run(STOPPED, _fixed("stock_days", 1.0), _fixed("shell_share", 0.5), n=50)
    f0 = gone.inputs["nk_munitions.fire_floor"]
    np.testing.assert_allclose(gone.signals[RED_FIRE_MULTIPLIER.name][-1], f0 + 0.5 * (1 - f0))
    assert np.all(gone.signals[NK_MISSILES_TODAY.name][-1] < 1e-40)
    none = _run(STOPPED, _fixed("shell_share", 0.0), n=50)
    assert np.all(none.signals[RED_FIRE_MULTIPLIER.name] == 1.0)
    assert np.all(
        none.signals[NK_MISSILES_TODAY.name][1:] < none.signals[NK_MISSILES_TODAY.name][0]
    )


def test_stopping_the_flow_lowers_fire_and_missiles_in_every_replication() -> None:
    on, off = _run(seed=4), _run(STOPPED, seed=4)  # same sampled parameters
    a, b = on.output.outcomes, off.output.outcomes
    assert np.all(b["red_fire_multiplier_mean"] < a["red_fire_multiplier_mean"])
    assert np.all(b["nk_missiles_at_area"] < a["nk_missiles_at_area"])
