"""The air-defence submodel: M-SAM on the harness, and both engines in it."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

import scenario
from scenario.engine.harness import HarnessResult, run_submodel
from scenario.models.campaign import AirDefenceSubmodel
from scenario.models.campaign.signals import NK_SORTIES_EXPOSED

ROOT = Path(__file__).resolve().parents[1]


def _harness(*overrides: str, n: int = 1000, seed: int = 3, keep: int = 0) -> HarnessResult:
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml", overrides=list(overrides))
    return run_submodel(AirDefenceSubmodel(), cfg, n=n, seed=seed, keep_series=keep)


def test_msam_reduces_leakers_and_uses_interceptors() -> None:
    base = _harness().output
    ms = _harness(
        "policy.msam.deploy=true",
        "policy.msam.batteries=2",
        "policy.msam.interceptor_stock=64",
        "policy.msam.start_day=10",
        "policy.msam.training_days=20",
        keep=50,
    ).output
    assert np.all(base.outcomes["msam_interceptors_used"] == 0)
    assert ms.outcomes["msam_interceptors_used"].mean() > 0
    d = ms.outcomes["ad_leakers"] - base.outcomes["ad_leakers"]
    assert d.mean() < -4 * d.std(ddof=1) / math.sqrt(d.size)
    # Threat draws are common random numbers: same threats in both runs.
    assert np.array_equal(base.outcomes["ad_threats"], ms.outcomes["ad_threats"])
    # Ready magazine never exceeds capacity, and is empty before delivery.
    cap = 2 * 4 * 8
    ready = ms.series["msam_ready"]
    assert ready.max() <= cap
    assert np.all(ready[:, :10] == 0)
    dry = ms.outcomes["msam_ran_dry"] == 1
    assert np.all(ms.outcomes["msam_dry_day"][~dry] == 180)


def test_sorties_entering_the_envelope_are_shot_down_and_reported() -> None:
    res = run_submodel(
        AirDefenceSubmodel(),
        scenario.load_config(ROOT / "configs" / "baseline.yaml"),
        n=500,
        seed=4,
        signals={NK_SORTIES_EXPOSED: 5.0},
    )
    lost = res.signals["nk_aircraft_lost_today"]
    assert lost.sum() > 0
    # NK aircraft are a share of all aircraft threats, so never more than them.
    assert np.all(lost.sum(axis=0) <= res.output.outcomes["ad_threats"] + 1e-9)


def test_des_engine_runs_in_the_submodel_and_agrees_with_fast() -> None:
    over = [
        "horizon_days=20",
        "policy.msam.deploy=true",
        "policy.msam.batteries=1",
        "policy.msam.training_days=0",
        "policy.msam.interceptor_stock=200",
    ]
    fast = _harness(*over, n=300, seed=8).output
    des = _harness(*over, "air_defence.engine=des", n=300, seed=8).output
    assert np.array_equal(fast.outcomes["ad_threats"], des.outcomes["ad_threats"])
    for k in ("ad_leakers", "msam_interceptors_used"):
        d, f = des.outcomes[k], fast.outcomes[k]
        se = math.sqrt(d.var(ddof=1) / d.size + f.var(ddof=1) / f.size)
        assert abs(d.mean() - f.mean()) < 4 * se, (k, d.mean(), f.mean())
