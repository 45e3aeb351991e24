"""North Korean pilots on the harness: no sorties unless they fly combat, none before
training ends, and aircraft lost to air defence (an input signal) are not flown again."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import scenario
from scenario.engine.harness import run_submodel
from scenario.models.campaign import AirOpsSubmodel
from scenario.models.campaign.signals import NK_AIRCRAFT_LOST_TODAY

ROOT = Path(__file__).resolve().parents[1]
PILOTS = ROOT / "configs" / "adversary" / "pilots_in_combat.yaml"


def test_no_sorties_unless_pilots_fly_combat() -> None:
    res = run_submodel(
        AirOpsSubmodel(), scenario.load_config(ROOT / "configs" / "baseline.yaml"), n=300
    )
    assert np.all(res.output.outcomes["nk_sorties"] == 0)
    assert np.all(res.output.outcomes["nk_aircraft_lost"] == 0)
    assert np.all(res.signals["red_air_support"] == 0)
    # The operational event is marked all the same (a trigger may watch it).
    ready = res.output.outcomes["nk_pilots_operational_day"]
    day = res.event_day["nk_pilots_operational"]
    np.testing.assert_array_equal(np.where(np.isfinite(day), day, 180), np.ceil(ready))


def test_pilots_in_combat_fly_after_training_and_lose_aircraft() -> None:
    res = run_submodel(AirOpsSubmodel(), scenario.load_config(PILOTS), n=300, keep_series=300)
    out = res.output.outcomes
    ready = out["nk_pilots_operational_day"]
    daily = res.output.series["nk_sorties_daily"]
    for i in range(300):
        assert daily[i, : int(np.floor(ready[i]))].sum() == 0 or ready[i] == 0
    flew = out["nk_sorties"] > 0
    assert flew.any()
    aircraft = np.floor(res.inputs["air_ops.aircraft"])
    assert np.all(out["nk_aircraft_lost"] <= aircraft + 1e-9)
    assert out["nk_aircraft_lost"][flew].sum() > 0
    # Sorties feed the ground model's red fire and the air-defence envelope.
    eq = res.inputs["air_ops.sortie_troop_equivalent"]
    np.testing.assert_allclose(res.signals["red_air_support"].sum(axis=0), out["nk_sorties"] * eq)


def test_aircraft_shot_down_yesterday_are_lost_and_not_flown() -> None:
    cfg = scenario.load_config(PILOTS)
    free = run_submodel(AirOpsSubmodel(), cfg, n=500, seed=2)
    shot = run_submodel(
        AirOpsSubmodel(), cfg, n=500, seed=2, signals={NK_AIRCRAFT_LOST_TODAY: 1.0}
    )
    aircraft = np.floor(shot.inputs["air_ops.aircraft"])
    # One aircraft a day is shot down from day 1 on (read with a day's lag) until none is left.
    np.testing.assert_array_equal(shot.output.outcomes["nk_aircraft_lost"], aircraft)
    assert shot.output.outcomes["nk_sorties"].sum() < free.output.outcomes["nk_sorties"].sum()
