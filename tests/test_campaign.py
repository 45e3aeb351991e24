"""The composed campaign: every config loads and runs, the composition is the declared
one, the refactor kept the numbers, and compositions restrict and extend."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import scenario
from scenario.engine.runner import resolve_model
from scenario.models.campaign import CAMPAIGN, SUBMODELS
from scenario.models.registry import default_registry

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"
CONFIGS = sorted(p for p in (ROOT / "configs").rglob("*.yaml") if "record" not in p.parts)
GOLDEN = json.loads((ROOT / "tests" / "data" / "golden_outcomes.json").read_text())


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: str(p.relative_to(ROOT / "configs")))
def test_every_config_loads_and_runs(path: Path) -> None:
    cfg = scenario.load_config(path, overrides=["run.series_replications=20"])
    if cfg.sweep:  # a sweep config runs every point (scenario.run refuses it)
        from scenario.analysis.sweep import run_sweep

        runs = [r for _, r in run_sweep(cfg, replications=200, seed=1).points]
    else:
        runs = [scenario.run(cfg, replications=200, seed=1)]
    for res in runs:
        assert res.n_failed == 0
        for name, values in res.outcomes.items():
            assert np.all(np.isfinite(values)), name


def test_campaign_declares_every_submodel() -> None:
    model = default_registry().get("campaign")
    assert tuple(sm.name for sm in SUBMODELS) == CAMPAIGN
    assert model.streams == CAMPAIGN
    assert {p.group for p in model.parameters} == set(CAMPAIGN)


def test_every_parameter_has_a_source() -> None:
    cfg = scenario.load_config(BASE)
    params = cfg.flat_parameters()
    assert set(params) == {p.key for p in default_registry().get("campaign").parameters}
    for key, spec in params.items():
        assert spec.source.strip(), key


@pytest.mark.parametrize("path", [k for k in GOLDEN if not k.startswith("_")])
def test_numbers_are_the_recorded_ones(path: str) -> None:
    """Sums of every outcome, recorded by tests/data/golden.py when the model last changed
    on purpose: a refactor that changes a number by accident fails here."""
    cfg = scenario.load_config(
        ROOT / path, overrides=["run.block_size=150", "run.series_replications=20"]
    )
    res = scenario.run(cfg, replications=400, seed=11)
    expected = GOLDEN[path]
    assert set(expected) == set(res.outcomes)
    for name, total in expected.items():
        assert float(np.sum(res.outcomes[name])) == pytest.approx(float(total), rel=1e-12), name


def _fixed(key: str, value: float) -> str:
    return f"parameters.{key}={{dist: fixed, value: {value}, source: t, as_of: 2024-12-01, confidence: high}}"


ZERO_COUPLING = [
    _fixed("ground.logistics_fire_dependence", 0),  # logistics -> ground
    _fixed("counteroffensive.start_day", 10_000),  # pressure 1 within the horizon
    _fixed("ground.nk_escalation_wave_factor", 1),  # escalation -> second wave
    _fixed("ground.nk_escalation_lag_days", 10_000),
    _fixed("withdrawal.min_area_km2", 0),  # the decision rule never fires
    _fixed("withdrawal.max_force_ratio", 1e300),
    _fixed("withdrawal.min_logistics", 0),
    _fixed("air_ops.commit_prob", 0),  # escalation -> pilots (no air support)
]
"""Every coupling into the ground war at its zero limit (NK munitions flowing, as recorded,
multiply Russian fire by exactly 1)."""


def test_ground_alone_is_the_campaign_with_every_coupling_into_it_at_zero() -> None:
    cfg = scenario.load_config(BASE, overrides=ZERO_COUPLING)
    alone = scenario.load_config(BASE, overrides=["submodels=[ground]"])
    a = scenario.run(cfg, replications=500, seed=5)
    b = scenario.run(alone, replications=500, seed=5)
    assert set(b.outcomes) == {o.name for o in default_registry().get("ground").outcomes}
    for k in b.outcomes:
        assert np.array_equal(a.outcomes[k], b.outcomes[k]), k
    # Parameters of the other submodels are ignored with a one-line note, not sampled.
    assert set(b.inputs) == {k for k in a.inputs if k.startswith("ground.")}
    assert len(b.manifest["notes"]) == 1
    assert "ignored" in b.manifest["notes"][0] and "intel" in b.manifest["notes"][0]
    # And the couplings matter: with their ranges the campaign's ground war differs.
    full = scenario.run(scenario.load_config(BASE), replications=500, seed=5)
    assert not np.array_equal(
        full.outcomes["ground_held_end_km2"], b.outcomes["ground_held_end_km2"]
    )


def test_model_ground_is_the_same_composition() -> None:
    cfg = scenario.load_config(BASE, overrides=["submodels=[ground]"])
    ground = scenario.load_config(BASE, overrides=["model=ground"])
    a = scenario.run(cfg, replications=200, seed=2)
    b = scenario.run(ground, replications=200, seed=2)
    for k in a.outcomes:
        assert np.array_equal(a.outcomes[k], b.outcomes[k]), k


def test_unknown_submodel_is_a_located_error_with_a_suggestion() -> None:
    cfg = scenario.load_config(BASE, overrides=["submodels=[ground, escalaton]"])
    with pytest.raises(
        scenario.ConfigError,
        match=r"submodels\[1\]: unknown submodel; did you mean 'escalation'\?.*got 'escalaton'",
    ):
        resolve_model(cfg)


def test_a_subset_orders_itself_by_its_reads() -> None:
    cfg = scenario.load_config(BASE, overrides=["submodels=[escalation, ground, intel]"])
    model = resolve_model(cfg)
    assert model.streams == ("escalation", "ground", "intel")
    assert model.wiring.order == ("intel", "ground", "escalation")  # type: ignore[attr-defined]
    res = scenario.run(cfg, replications=100, seed=1)
    assert res.n_failed == 0 and "esc_max_level" in res.outcomes
