"""Lever activation: on a day, on an event (with delay), on a quantity crossing a threshold
the day before; never when the lever is off."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import scenario
from scenario.engine.harness import run_submodel
from scenario.models.campaign import SUBMODELS, GroundSubmodel

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"


def test_levers_off_never_start_and_on_start_on_their_day() -> None:
    cfg = scenario.load_config(
        BASE, overrides=["policy.bices.deploy=true", "policy.bices.start_day=12"]
    )
    act = run_submodel(GroundSubmodel(), cfg, n=20).activation
    assert np.all(act["bices"] == 12)
    for lever in ("advisors", "offensive_aid", "msam", "european_troops"):
        assert np.all(np.isinf(act[lever])), lever


def cfg_overrides() -> list[str]:
    return [
        "policy.msam.deploy=true",
        "policy.msam.batteries=1",
        "policy.msam.trigger={event: nk_second_wave, delay_days: 14}",
    ]


def test_trigger_on_second_wave_with_delay() -> None:
    cfg = scenario.load_config(BASE, overrides=cfg_overrides())
    res = run_submodel(GroundSubmodel(), cfg, n=400, seed=11)
    act, wave = res.activation["msam"], res.event_day["nk_second_wave"]
    fired = np.isfinite(wave)
    assert fired.all()
    np.testing.assert_array_equal(act[fired], wave[fired] + 1 + 14)
    # Without a second wave the lever never starts.
    none = scenario.load_config(
        ROOT / "configs" / "adversary" / "no_second_wave.yaml",
        overrides=cfg_overrides(),
    )
    res = run_submodel(GroundSubmodel(), none, n=400, seed=11)
    assert np.all(np.isinf(res.event_day.get("nk_second_wave", np.full(400, np.inf))))
    assert np.all(np.isinf(res.activation["msam"]))


def test_threshold_trigger_fires_the_day_after_the_threshold_is_crossed() -> None:
    cfg = scenario.load_config(
        BASE,
        overrides=[
            "policy.advisors.deploy=true",
            "policy.advisors.personnel=10",
            "policy.advisors.start_day=40",
            "policy.advisors.trigger={event: nk_casualties_above, threshold: 6000}",
        ],
    )
    res = run_submodel(GroundSubmodel(), cfg, n=200, seed=11)
    act, cum = res.activation["advisors"], res.signals["nk_casualties_cum"]
    never = 0
    for i in range(200):
        crossed = np.flatnonzero(cum[:, i] > 6000)
        if crossed.size == 0:
            never += 1
            assert not np.isfinite(act[i])
        else:
            assert act[i] == max(40, crossed[0] + 1)
    assert 0 < never < 200


def test_escalation_trigger_watches_the_escalation_quantity() -> None:
    cfg = scenario.load_config(
        BASE,
        overrides=[
            "policy.european_troops.deploy=true",
            "policy.european_troops.personnel=1000",
            "policy.european_troops.trigger={event: escalation_level_at_least, threshold: 1}",
        ],
    )
    res = run_submodel(list(SUBMODELS), cfg, n=300, seed=3)
    level = res.signals["escalation_level"]
    act = res.activation["european_troops"]
    for i in range(300):
        up = np.flatnonzero(level[:, i] >= 1)
        assert act[i] == (up[0] + 1 if up.size else np.inf)


def test_graduated_response_runs_and_starts_levers_only_on_events() -> None:
    cfg = scenario.load_config(ROOT / "configs" / "options" / "graduated_response.yaml")
    res = scenario.run(cfg, replications=1000, seed=2)
    assert res.n_failed == 0
    # Shells start only where ground fell below 400 km2 at least 15 days before the end.
    cost = res.outcomes["cost_offensive_aid_usd_m"]
    assert (cost > 0).any() and (cost == 0).any()
    # Advisors arrive only after NK casualties pass 1,000, so never before combat onset.
    assert np.all(res.outcomes["cost_advisors_usd_m"][res.outcomes["nk_casualties"] <= 1000] == 0)
