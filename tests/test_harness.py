"""The one-submodel harness: the same parameters and streams as block 0 of a run, input
signals as constants or day-by-day arrays, clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import scenario
from scenario.engine.harness import run_submodel
from scenario.errors import ModelError
from scenario.models.campaign import GroundSubmodel, ManpowerSubmodel
from scenario.models.campaign.signals import NK_DEPLOYED

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"


def test_same_numbers_as_block_zero_of_a_run() -> None:
    cfg = scenario.load_config(
        BASE, overrides=["submodels=[ground]", "run.block_size=300", "run.series_replications=0"]
    )
    run = scenario.run(cfg, replications=300, seed=6)
    alone = run_submodel(GroundSubmodel(), cfg, n=300, seed=6)
    for k, v in alone.output.outcomes.items():
        assert np.array_equal(run.outcomes[k], v), k
    for k, v in alone.inputs.items():
        assert np.array_equal(run.inputs[k], v), k


def test_day_by_day_signals_are_fed_on_their_day() -> None:
    cfg = scenario.load_config(BASE, overrides=["horizon_days=5"])
    daily = np.repeat(np.arange(5.0)[:, None], 3, axis=1) * 1000.0
    res = run_submodel(ManpowerSubmodel(), cfg, n=3, signals={NK_DEPLOYED: daily})
    # Manpower reads nk_deployed at the end: the last day's value.
    cas = res.output.outcomes["ru_frontwide_casualties"]
    np.testing.assert_allclose(res.output.outcomes["nk_offset_share"], 4000.0 / cas)


def test_bad_inputs_are_clear_errors() -> None:
    cfg = scenario.load_config(BASE, overrides=["horizon_days=5"])
    with pytest.raises(ModelError, match=r"give a scalar, \(3,\) or \(5, 3\)"):
        run_submodel(ManpowerSubmodel(), cfg, n=3, signals={NK_DEPLOYED: np.ones(4)})
    bare = scenario.load_config(BASE, overrides=["submodels=[ground]"])
    data = bare.model_dump(mode="json")
    data["parameters"].pop("manpower")
    thin = scenario.ScenarioConfig.model_validate(data)
    with pytest.raises(ModelError, match=r"manpower\.ru_daily_casualties"):
        run_submodel(ManpowerSubmodel(), thin, n=3)


def test_correlated_inputs_are_those_of_block_zero_of_a_run() -> None:
    corr = (
        "correlations=[{between: [ground.ua_troops_initial, ground.ru_troops_initial], "
        "rho: 0.6, source: 'ASSUMPTION: test', as_of: 2024-11-01, confidence: none}]"
    )
    cfg = scenario.load_config(
        BASE,
        overrides=["submodels=[ground]", "run.block_size=400", "run.series_replications=0", corr],
    )
    run = scenario.run(cfg, replications=400, seed=8)
    alone = run_submodel(GroundSubmodel(), cfg, n=400, seed=8)
    for k, v in alone.inputs.items():
        assert np.array_equal(run.inputs[k], v), k
    for k, v in alone.output.outcomes.items():
        assert np.array_equal(run.outcomes[k], v), k
