"""Withdrawal on the harness: each of the three rules (area, force ratio, logistics) decides
alone on the first day it holds; the decision sets the rate A_tw / W and is never revoked;
nothing is decided where no rule holds or where the ground is already lost. The expected
decision is computed here from the fed signals, independently of the model."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest

import scenario
from scenario.config.schema import ScenarioConfig
from scenario.engine.harness import HarnessResult, run_submodel
from scenario.models.campaign import WithdrawalSubmodel
from scenario.models.campaign.signals import (
    FORCE_RATIO,
    GROUND_HELD_KM2,
    UA_LOGISTICS,
    UA_WITHDRAWAL,
    UA_WITHDRAWING,
)
from scenario.models.daily import Signal

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"
H = 100
G = "withdrawal."
A_MIN, R_MAX, L_MIN, W = 60.0, 15.0, 0.35, 7.0


def _fixed(name: str, value: float) -> str:
    return (
        f"parameters.withdrawal.{name}={{dist: fixed, value: {value}, source: t, "
        "as_of: 2024-12-01, confidence: high}"
    )


FIXED = (
    _fixed("min_area_km2", A_MIN),
    _fixed("max_force_ratio", R_MAX),
    _fixed("min_logistics", L_MIN),
    _fixed("withdrawal_days", W),
)


@cache
def _config(fixed: bool) -> ScenarioConfig:
    return scenario.load_config(BASE, overrides=[f"horizon_days={H}", *(FIXED if fixed else ())])


def _run(
    area: np.ndarray,
    ratio: float | np.ndarray = 5.0,
    logistics: float | np.ndarray = 1.0,
    *,
    fixed: bool = True,
    seed: int = 0,
) -> HarnessResult:
    feeds: dict[Signal, float | np.ndarray] = {
        GROUND_HELD_KM2: area,
        FORCE_RATIO: ratio,
        UA_LOGISTICS: logistics,
    }
    n = area.shape[-1]
    return run_submodel(WithdrawalSubmodel(), _config(fixed), n=n, seed=seed, signals=feeds)


def _expected(
    i: dict[str, np.ndarray], area: np.ndarray, ratio: np.ndarray, logistics: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Decision day (inf: none) and km2/day from the rule, all inputs (H, n)."""
    n = area.shape[1]
    day, rate = np.full(n, math.inf), np.zeros(n)
    for j in range(n):
        for t in range(H):
            reason = (
                area[t, j] < i[G + "min_area_km2"][j]
                or ratio[t, j] > i[G + "max_force_ratio"][j]
                or logistics[t, j] < i[G + "min_logistics"][j]
            )
            if area[t, j] > 0 and reason:
                day[j], rate[j] = t, area[t, j] / max(i[G + "withdrawal_days"][j], 1.0)
                break
    return day, rate


def _check(
    res: HarnessResult, day: np.ndarray, rate: np.ndarray, area: np.ndarray | None = None
) -> None:
    """Event, outcomes and the km2/day signal (from the decision day on, while there is
    ground left to give up) match."""
    got = res.event_day.get(UA_WITHDRAWAL.name, np.full(day.size, math.inf))
    np.testing.assert_array_equal(got, day)
    o = res.output.outcomes
    np.testing.assert_array_equal(o["ua_withdrew"], np.isfinite(day).astype(float))
    np.testing.assert_array_equal(o["ua_withdrawal_day"], np.where(np.isfinite(day), day, H))
    on = np.arange(H)[:, None] >= day
    if area is not None:
        on &= area > 0
    np.testing.assert_allclose(res.signals[UA_WITHDRAWING.name], np.where(on, rate, 0.0))


DAYS = np.array([10, 35, 70, 99])  # crossing day of each replication; a fifth never crosses


def _crossing(safe: float, bad: float) -> np.ndarray:
    """(H, 5): ``safe`` until the crossing day of each column, ``bad`` from it."""
    x = np.full((H, DAYS.size + 1), safe)
    for j, d in enumerate(DAYS):
        x[d:, j] = bad
    return x


AREA = np.linspace(500.0, 100.0, H)[:, None] * np.ones(DAYS.size + 1)


@pytest.mark.parametrize("rule", ["area", "ratio", "logistics"])
def test_each_rule_alone_decides_on_the_first_day_it_holds(rule: str) -> None:
    area = AREA.copy()
    if rule == "area":
        area = np.where(_crossing(0.0, 1.0) > 0, 59.0 - np.arange(H)[:, None] / 10, area)
        res = _run(area)
    elif rule == "ratio":
        res = _run(area, ratio=_crossing(14.9, 15.1))
    else:
        res = _run(area, logistics=_crossing(0.36, 0.34))
    day = np.append(DAYS, math.inf).astype(float)
    rate = np.where(np.isfinite(day), area[np.minimum(day, H - 1).astype(int), range(5)] / W, 0.0)
    _check(res, day, rate)


def test_thresholds_themselves_do_not_decide() -> None:
    area = np.full((H, 3), 500.0)
    area[:, 0] = A_MIN
    res = _run(area, ratio=np.array([5.0, R_MAX, 5.0]), logistics=np.array([1.0, 1.0, L_MIN]))
    _check(res, np.full(3, math.inf), np.zeros(3))


def test_decision_on_random_paths_with_sampled_thresholds() -> None:
    n = 400
    rng = np.random.default_rng(6)
    t = np.arange(H)[:, None]
    area = np.maximum(rng.uniform(100, 600, n) - rng.uniform(0, 8, n) * t, 0.0)
    area[:, :40] = np.where(t < 30, area[:, :40], 0.0)  # ground lost before any rule holds
    ratio = rng.uniform(3, 8, n) * np.exp(rng.uniform(0, 0.015, n) * t)
    ratio += rng.normal(0, 1.0, (H, n))
    logistics = np.clip(1 - rng.uniform(0, 0.01, n) * t + rng.normal(0, 0.05, (H, n)), 0, 1)
    res = _run(area, ratio, logistics, fixed=False, seed=2)
    day, rate = _expected(res.inputs, area, ratio, logistics)
    assert 50 < np.isfinite(day).sum() < n - 50  # both kinds of replication are exercised
    _check(res, day, rate, area)


def test_a_decision_is_never_revoked_and_keeps_its_rate() -> None:
    area = AREA[:, :2].copy()
    ratio = np.full((H, 2), 5.0)
    ratio[50, 0] = 20.0  # one day of encirclement risk, then safe again
    ratio[50:, 1] = 20.0  # risk from day 50 on; and the area rule holds later too
    area[80:, 1] = 30.0
    res = _run(area, ratio)
    rate = area[50] / W
    _check(res, np.array([50.0, 50.0]), rate)
    assert np.all(res.signals[UA_WITHDRAWING.name][50:] == rate)


def test_no_decision_once_the_ground_is_lost() -> None:
    area = np.full((H, 3), 500.0)
    area[20:, :] = 0.0  # lost on day 20 with no rule holding before
    ratio = np.array([30.0, 5.0, 5.0]) * np.ones((H, 1))
    ratio[:20, 0] = 5.0
    logistics = np.where(np.arange(H)[:, None] >= 20, np.array([1.0, 1.0, 0.1]), 1.0)
    res = _run(area, ratio, logistics)  # column 1: the area rule alone (0 < 60)
    _check(res, np.full(3, math.inf), np.zeros(3))
