"""The counter-offensive on the harness: pressure and interdiction against the ramps of the
module docstring (computed here), the start event and outcome, and the escalation advance
(read from the day before, once, only for a phase not yet started, never before today)."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np

import scenario
from scenario.config.schema import ScenarioConfig
from scenario.engine.harness import HarnessResult, run_submodel
from scenario.models.campaign import CounteroffensiveSubmodel
from scenario.models.campaign.signals import (
    ESCALATION_LEVEL,
    RU_COUNTEROFFENSIVE,
    RU_OFFENSIVE_PRESSURE,
    SUPPLY_INTERDICTION,
)
from scenario.models.daily import Signal

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"
H = 180
G = "counteroffensive."


def _fixed(name: str, value: float) -> str:
    return (
        f"parameters.counteroffensive.{name}={{dist: fixed, value: {value}, source: t, "
        "as_of: 2024-12-01, confidence: high}"
    )


@cache
def _config(overrides: tuple[str, ...]) -> ScenarioConfig:
    cfg = scenario.load_config(BASE, overrides=list(overrides))
    assert cfg.horizon_days == H
    return cfg


def _run(*overrides: str, n: int, seed: int = 0, level: np.ndarray | None = None) -> HarnessResult:
    feeds: dict[Signal, float | np.ndarray] = {} if level is None else {ESCALATION_LEVEL: level}
    return run_submodel(
        CounteroffensiveSubmodel(), _config(overrides), n=n, seed=seed, signals=feeds
    )


def _check_ramps(res: HarnessResult, start: np.ndarray) -> None:
    """Pressure, interdiction, event day and outcome for the phase starting on ``start``."""
    i = res.inputs
    t = np.arange(H)[:, None]
    x = t - start
    ramp = np.where(x >= 0, 1.0 - np.exp(-np.maximum(x, 0.0) / i[G + "ramp_days"]), 0.0)
    P = 1.0 + (i[G + "pressure_max"] - 1.0) * ramp
    np.testing.assert_allclose(res.signals[RU_OFFENSIVE_PRESSURE.name], P, rtol=1e-12)
    np.testing.assert_allclose(
        res.signals[SUPPLY_INTERDICTION.name], i[G + "interdiction_per_day"] * ramp, rtol=1e-12
    )
    first = np.ceil(start)
    day = res.event_day.get(RU_COUNTEROFFENSIVE.name, np.full(start.size, math.inf))
    np.testing.assert_array_equal(day, np.where(first < H, first, math.inf))
    # The outcome is the first day the phase is on (the event's day), the horizon if never.
    np.testing.assert_array_equal(
        res.output.outcomes["counteroffensive_day"], np.where(first < H, np.maximum(first, 0), H)
    )


def test_without_escalation_the_phase_ramps_from_its_start_day() -> None:
    res = _run(n=1000, seed=1)
    start = res.inputs[G + "start_day"]
    _check_ramps(res, start)
    P = res.signals[RU_OFFENSIVE_PRESSURE.name]
    before = np.arange(H)[:, None] < start
    assert np.all(P[before] == 1.0)
    assert np.all(res.signals[SUPPLY_INTERDICTION.name][before] == 0.0)
    assert np.all(np.diff(P, axis=0) >= 0)
    # By the end (>= 55 days into the phase, ramp <= 20 days) the phase is near full strength.
    np.testing.assert_allclose(P[-1], res.inputs[G + "pressure_max"], rtol=0.1)


def test_escalation_brings_a_phase_not_yet_started_forward() -> None:
    n = 1000
    rng = np.random.default_rng(2)
    level = np.zeros((H, n))
    up = rng.integers(0, H + 60, size=n)  # first day level 2+ (>= H: never)
    peak = rng.choice([1.0, 2.0, 3.0], size=n)
    for j in range(n):
        level[up[j] :, j] = peak[j]
    level[:, ::7] = np.where(np.arange(H)[:, None] % 20 < 10, level[:, ::7], 0.0)  # dips
    res = _run(n=n, seed=3, level=level)
    D, delta = res.inputs[G + "start_day"], res.inputs[G + "escalation_advance_days"]
    start = D.copy()
    for j in range(n):
        # The model reads yesterday's level: day t sees level[t - 1].
        seen = np.flatnonzero(level[:-1, j] >= 2) + 1
        if seen.size and D[j] > seen[0]:
            start[j] = max(D[j] - delta[j], seen[0])
    moved = start < D
    assert 200 < moved.sum() < n - 200  # both kinds of replication are exercised
    _check_ramps(res, start)


def test_escalation_advance_cases() -> None:
    # D = 100, delta = 30. Columns: escalation (level >= 2) seen first on day ...
    cases = {
        41: 70.0,  # 41 (fed on day 40), then 0, then 3 on day 60: advanced once, to 70
        1: 70.0,  # fed on day 0, seen on day 1
        90: 90.0,  # D - delta = 70 is past: starts today, not before
        100: 100.0,  # the phase starts today anyway: nothing to advance
        120: 100.0,  # already started
        0: 100.0,  # never (level 1 only)
    }
    n = len(cases)
    level = np.zeros((H, n))
    for j, seen in enumerate(cases):
        if seen:
            level[seen - 1 :, j] = 2.0
    level[:, 5] = 1.0
    level[45:60, 0] = 0.0
    level[60:, 0] = 3.0
    res = _run(_fixed("start_day", 100), _fixed("escalation_advance_days", 30), n=n, level=level)
    expected = np.array(list(cases.values()))
    np.testing.assert_array_equal(res.output.outcomes["counteroffensive_day"], expected)
    _check_ramps(res, expected)
    assert res.signals[RU_OFFENSIVE_PRESSURE.name][90, 2] == 1.0  # x = 0 on the start day


def test_a_phase_beyond_the_horizon_never_starts() -> None:
    res = _run(_fixed("start_day", 250), _fixed("escalation_advance_days", 30), n=20)
    assert np.all(res.signals[RU_OFFENSIVE_PRESSURE.name] == 1.0)
    assert np.all(res.signals[SUPPLY_INTERDICTION.name] == 0.0)
    assert np.all(res.output.outcomes["counteroffensive_day"] == H)
    assert not np.isfinite(res.event_day.get(RU_COUNTEROFFENSIVE.name, [math.inf])).any()
