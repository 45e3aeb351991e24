"""Manpower on the harness: front-wide losses are the other sectors' normal draws plus the
Kursk sector's casualties from the ground model; North Korean troops offset Russian losses
less their own casualties."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

import scenario
from scenario.engine.harness import run_submodel
from scenario.models.campaign import ManpowerSubmodel
from scenario.models.campaign.signals import (
    NK_CASUALTIES_TODAY,
    NK_DEPLOYED,
    RU_SECTOR_CASUALTIES_TODAY,
)

ROOT = Path(__file__).resolve().parents[1]


def _fixed(name: str, value: float) -> str:
    return f"parameters.manpower.{name}={{dist: fixed, value: {value}, source: t, as_of: 2024-12-01, confidence: high}}"


CFG = [
    _fixed("ru_daily_casualties", 1400),
    _fixed("ru_daily_variation", 0.2),
    _fixed("kursk_share", 0.1),
]


def test_losses_are_other_sectors_plus_kursk_and_offset_is_net_of_nk_casualties() -> None:
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml", overrides=CFG)
    n = 2000
    nk = np.linspace(0.0, 12_000.0, n)
    kursk = np.linspace(50.0, 250.0, n)  # Russian casualties per day in Kursk
    nk_daily = np.linspace(0.0, 30.0, n)
    res = run_submodel(
        ManpowerSubmodel(),
        cfg,
        n=n,
        seed=3,
        signals={
            NK_DEPLOYED: nk,
            RU_SECTOR_CASUALTIES_TODAY: kursk,
            NK_CASUALTIES_TODAY: nk_daily,
        },
    )
    cas = res.output.outcomes["ru_frontwide_casualties"]
    other = cas - 180 * kursk  # the other sectors: 180 days of N(1260, 252^2)
    exact_mean, exact_sd = 1260 * 180, 252 * math.sqrt(180)
    assert abs(other.mean() - exact_mean) < 4 * exact_sd / math.sqrt(n)
    assert abs(other.std(ddof=1) / exact_sd - 1) < 0.1
    nk_net = nk - 180 * nk_daily
    np.testing.assert_allclose(res.output.outcomes["nk_offset_share"], nk_net / cas, rtol=1e-12)
    recruits = 180 * res.inputs["manpower.ru_daily_recruits"]
    np.testing.assert_allclose(
        res.output.outcomes["ru_net_manpower_change"], recruits + nk_net - cas, rtol=1e-12
    )


def test_more_russian_casualties_in_kursk_lower_russias_manpower_one_for_one() -> None:
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml", overrides=CFG)
    low = run_submodel(
        ManpowerSubmodel(), cfg, n=500, seed=4, signals={RU_SECTOR_CASUALTIES_TODAY: 100.0}
    )
    high = run_submodel(
        ManpowerSubmodel(), cfg, n=500, seed=4, signals={RU_SECTOR_CASUALTIES_TODAY: 150.0}
    )
    d = (
        high.output.outcomes["ru_net_manpower_change"]
        - low.output.outcomes["ru_net_manpower_change"]
    )
    np.testing.assert_allclose(d, -50.0 * 180, rtol=1e-9)
