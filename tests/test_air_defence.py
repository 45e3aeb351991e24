"""The air-defence submodel: M-SAM on the harness, and both engines in it."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import simpy

import scenario
from scenario.engine.harness import HarnessResult, run_submodel
from scenario.models.campaign import AirDefenceSubmodel, air_defence
from scenario.models.campaign.signals import NK_SORTIES_EXPOSED
from scenario.models.kernels.engagement import FireUnit, UnitState, run_des

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


def _des_day_per_replication(
    ctx: Any,
    st: Any,
    t: int,
    threats: np.ndarray,
    ms_on: np.ndarray,
    p_detect: np.ndarray,
    warning: np.ndarray,
    rng: np.random.Generator,
) -> Any:
    """The discrete-event day as first written: per replication, its own environment,
    fresh units and magazines, and :func:`run_des` drawing arrival times and the detection
    and kill draws itself. The submodel's block-wise version must match it exactly."""
    n = ctx.n
    envs = _ENVS.setdefault(id(st), [simpy.Environment() for _ in range(n)])
    out = air_defence._Engaged(np.zeros((n, 4)), np.zeros(n), np.zeros(n))
    for i in range(n):
        env = envs[i]
        if env.now < t * 86400.0:
            env.run(until=t * 86400.0)
        cls = np.repeat(np.arange(4), threats[i].astype(np.int64))
        times = rng.uniform(0.0, st.window[i], cls.size)
        units: list[FireUnit] = []
        states: list[UnitState] = []
        if ms_on[i]:
            pk = st.ms_pk[i]
            units.append(
                FireUnit("msam", int(st.ms_channels[i]), tuple(pk.tolist()),
                         float(st.ms_look[i]), st.ms_salvo, st.ms_looks)
            )  # fmt: skip
            states.append(UnitState(ready=float(st.ms_ready[i]), capacity=st.ms_capacity))
        pk = st.ua_pk[i]
        units.append(
            FireUnit("ua", int(st.ua_channels[i]), tuple(pk.tolist()), float(st.ua_look[i]),
                     st.ua_salvo, st.ua_looks)
        )  # fmt: skip
        states.append(UnitState(ready=float(st.ua_ready[i]), capacity=float(st.ua_capacity[i])))
        res = run_des(times, cls, units, states, warning=warning[i].tolist(),
                      p_detect=float(p_detect[i]), rng=rng, day=t, env=env)  # fmt: skip
        out.leakers[i] = res.leakers
        if ms_on[i]:
            out.ms_used[i] = res.used["msam"]
            st.ms_ready[i] = states[0].ready
            if math.isfinite(states[0].dry_day) and not math.isfinite(st.ms_dry[i]):
                st.ms_dry[i] = float(t)
        out.ua_used[i] = res.used["ua"]
        st.ua_ready[i] = states[-1].ready
    return out


_ENVS: dict[int, list[simpy.Environment]] = {}


def test_des_day_block_wise_equals_per_replication_run_des(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Units built once, one environment, the day's draws in one call: the same outputs,
    bit for bit, as replication-by-replication run_des (M-SAM running dry included)."""
    over = [
        "horizon_days=12",
        "policy.msam.deploy=true",
        "policy.msam.batteries=1",
        "policy.msam.start_day=2",
        "policy.msam.training_days=1",
        "policy.msam.interceptor_stock=6",
        "air_defence.engine=des",
        "parameters.air_defence.raid_window_hours.low=20",
        "parameters.air_defence.raid_window_hours.mode=25",
        "parameters.air_defence.raid_window_hours.high=30",
    ]
    new = _harness(*over, n=120, seed=11, keep=30).output
    monkeypatch.setattr(air_defence, "_des_day", _des_day_per_replication)
    old = _harness(*over, n=120, seed=11, keep=30).output
    assert old.outcomes["msam_ran_dry"].any()
    for name, ref in old.outcomes.items():
        np.testing.assert_array_equal(new.outcomes[name], ref, err_msg=name)
    for name, ref in old.series.items():
        np.testing.assert_array_equal(new.series[name], ref, err_msg=name)
