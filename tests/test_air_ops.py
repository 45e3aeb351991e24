from __future__ import annotations

from pathlib import Path

import numpy as np

import scenario

ROOT = Path(__file__).resolve().parents[1]


def test_no_sorties_unless_pilots_fly_combat() -> None:
    res = scenario.run(
        scenario.load_config(ROOT / "configs" / "baseline.yaml"), replications=300, seed=1
    )
    assert np.all(res.outcomes["nk_sorties"] == 0)
    assert np.all(res.outcomes["nk_aircraft_lost"] == 0)


def test_pilots_in_combat_fly_after_training_and_lose_aircraft() -> None:
    cfg = scenario.load_config(
        ROOT / "configs" / "adversary" / "pilots_in_combat.yaml",
        overrides=["run.series_replications=300"],
    )
    res = scenario.run(cfg, replications=300, seed=1)
    ready = res.outcomes["nk_pilots_operational_day"]
    daily = res.series["nk_sorties_daily"]
    for i in range(300):
        assert daily[i, : int(np.floor(ready[i]))].sum() == 0 or ready[i] == 0
    flew = res.outcomes["nk_sorties"] > 0
    assert flew.any()
    aircraft = np.floor(res.inputs["air_ops.aircraft"])
    assert np.all(res.outcomes["nk_aircraft_lost"] <= aircraft + 1e-9)
    assert res.outcomes["nk_aircraft_lost"][flew].sum() > 0
