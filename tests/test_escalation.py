"""The escalation submodel on the harness: outcomes consistent, levers raise hazards,
North Korean casualties (an input signal) raise them too."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

import scenario
from scenario.engine.harness import run_submodel
from scenario.models.campaign import EscalationSubmodel
from scenario.models.campaign.escalation import TOP
from scenario.models.campaign.signals import NK_CASUALTIES_TODAY

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"


def test_escalation_outcomes_are_consistent_and_levers_raise_hazards() -> None:
    base = run_submodel(
        EscalationSubmodel(), scenario.load_config(BASE), n=2000, seed=4, keep_series=2000
    )
    eu = run_submodel(
        EscalationSubmodel(),
        scenario.load_config(ROOT / "configs" / "options" / "european_troops.yaml"),
        n=2000,
        seed=4,
    )
    o = base.output.outcomes
    for k in range(2, TOP + 1):
        assert np.all(o[f"esc_reached_{k}"] <= o[f"esc_reached_{k - 1}"])
    assert np.all((o["esc_max_level"] > 0) == (o["esc_first_day"] < 180))
    assert np.all(base.output.series["esc_level"] <= TOP)
    np.testing.assert_array_equal(
        base.signals["escalation_level"][-1], base.output.series["esc_level"][:, -1]
    )
    # Same uniforms, higher hazards: more escalation.
    diff = eu.output.outcomes["esc_max_level"] - o["esc_max_level"]
    assert diff.mean() > 4 * diff.std(ddof=1) / math.sqrt(diff.size)


def test_north_korean_casualties_read_from_ground_raise_escalation() -> None:
    cfg = scenario.load_config(BASE)
    quiet = run_submodel(EscalationSubmodel(), cfg, n=2000, seed=5)
    heavy = run_submodel(
        EscalationSubmodel(), cfg, n=2000, seed=5, signals={NK_CASUALTIES_TODAY: 150.0}
    )
    diff = heavy.output.outcomes["esc_max_level"] - quiet.output.outcomes["esc_max_level"]
    assert np.all(diff >= 0)  # same uniforms, every hazard at least as high
    assert diff.mean() > 4 * diff.std(ddof=1) / math.sqrt(diff.size)
