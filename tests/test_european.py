from __future__ import annotations

from pathlib import Path

import numpy as np

import scenario

ROOT = Path(__file__).resolve().parents[1]


def test_training_raises_effectiveness() -> None:
    res = scenario.run(
        scenario.load_config(ROOT / "configs" / "options" / "european_troops.yaml"),
        replications=300,
        seed=1,
    )
    assert np.all(res.outcomes["eu_training_multiplier_end"] >= 1.0)
    assert res.outcomes["eu_training_multiplier_end"].mean() > 1.0
    assert np.all(res.outcomes["eu_troops_freed_to_kursk"] == 0)


def test_rear_security_frees_troops_for_kursk() -> None:
    cfg = scenario.load_config(
        ROOT / "configs" / "options" / "european_troops.yaml",
        overrides=[
            "policy.european_troops.role=rear_security",
            "policy.european_troops.start_day=10",
        ],
    )
    res = scenario.run(cfg, replications=300, seed=1)
    i = res.inputs
    expected = 5000 * i["european.freed_per_troop"] * i["european.kursk_share"]
    ramp = np.maximum(i["european.ramp_days"], 1.0)
    # Deliveries run over ceil(ramp) days (all within the horizon here).
    days = np.minimum(np.ceil(ramp), 170)
    np.testing.assert_allclose(
        res.outcomes["eu_troops_freed_to_kursk"], expected / ramp * days, rtol=1e-9
    )
