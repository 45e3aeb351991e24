"""Every file in configs/ loads and runs; the composed campaign's outcomes are sane."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import scenario
from scenario.models.campaign import CampaignModel

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = sorted((ROOT / "configs").rglob("*.yaml"))


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: str(p.relative_to(ROOT / "configs")))
def test_every_config_loads_and_runs(path: Path) -> None:
    cfg = scenario.load_config(path, overrides=["run.series_replications=20"])
    res = scenario.run(cfg, replications=200, seed=1)
    assert res.n_failed == 0
    for name, values in res.outcomes.items():
        assert np.all(np.isfinite(values)), name


def test_campaign_declares_every_submodel() -> None:
    model = CampaignModel()
    assert model.streams == (
        "intel",
        "european",
        "air_ops",
        "air_defence",
        "ground",
        "manpower",
        "escalation",
        "cost",
    )
    groups = {p.group for p in model.parameters}
    assert groups == {
        "intel",
        "european",
        "air_ops",
        "air_defence",
        "ground",
        "manpower",
        "escalation",
        "cost",
    }


def test_every_parameter_has_a_source() -> None:
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    params = cfg.flat_parameters()
    assert set(params) == {p.key for p in CampaignModel().parameters}
    for key, spec in params.items():
        assert spec.source.strip(), key
