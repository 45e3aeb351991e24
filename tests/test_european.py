"""European troops on the harness: training raises the multiplier it publishes; rear
security sends freed troops to Kursk at the closed-form rate."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import scenario
from scenario.engine.harness import run_submodel
from scenario.models.campaign import EuropeanSubmodel

ROOT = Path(__file__).resolve().parents[1]
OPTION = ROOT / "configs" / "options" / "european_troops.yaml"


def test_training_raises_effectiveness() -> None:
    res = run_submodel(EuropeanSubmodel(), scenario.load_config(OPTION), n=300, seed=1)
    out = res.output.outcomes
    assert np.all(out["eu_training_multiplier_end"] >= 1.0)
    assert out["eu_training_multiplier_end"].mean() > 1.0
    assert np.all(out["eu_troops_freed_to_kursk"] == 0)
    # The multiplier is the signal the ground model reads, rising over the deployment.
    mult = res.signals["ua_training_multiplier"]
    np.testing.assert_array_equal(mult[-1], out["eu_training_multiplier_end"])
    assert np.all(np.diff(mult, axis=0) >= -1e-12)


def test_rear_security_frees_troops_for_kursk() -> None:
    cfg = scenario.load_config(
        OPTION,
        overrides=[
            "policy.european_troops.role=rear_security",
            "policy.european_troops.start_day=10",
        ],
    )
    res = run_submodel(EuropeanSubmodel(), cfg, n=300, seed=1)
    i = res.inputs
    expected = 5000 * i["european.freed_per_troop"] * i["european.kursk_share"]
    ramp = np.maximum(i["european.ramp_days"], 1.0)
    # Deliveries run over ceil(ramp) days (all within the horizon here).
    days = np.minimum(np.ceil(ramp), 170)
    np.testing.assert_allclose(
        res.output.outcomes["eu_troops_freed_to_kursk"], expected / ramp * days, rtol=1e-9
    )
    np.testing.assert_allclose(
        res.signals["ua_reinforcements"].sum(axis=0),
        res.output.outcomes["eu_troops_freed_to_kursk"],
        rtol=1e-12,
    )
    assert np.all(res.signals["ua_reinforcements"][:10] == 0)  # nothing before start_day
