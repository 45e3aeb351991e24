"""The discrete-event engagement model against closed forms: binomial leak probability,
shoot-look-shoot interceptor use, looks bounded by warning time, raids beyond the
magazine, undetected threats. Tolerances are 4 standard errors of the estimate."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from scenario.models.kernels.engagement import FireUnit, UnitState, run_des

ROOT = Path(__file__).resolve().parents[1]
BIG = 1e12


def ample(pk: float, salvo: int = 1, looks: int = 1, channels: int = 100_000) -> FireUnit:
    return FireUnit("u", channels, (pk, pk, pk, pk), look_time=10.0, salvo=salvo, looks=looks)


def spaced(n: int) -> tuple[np.ndarray, np.ndarray]:
    """n threats far apart (no interaction), all of class 0."""
    return np.arange(n) * 1000.0, np.zeros(n, dtype=np.int64)


@pytest.mark.parametrize(("p", "shots"), [(0.5, 1), (0.4, 2), (0.3, 3), (0.7, 4)])
def test_leak_probability_of_n_independent_shots(p: float, shots: int) -> None:
    n = 20_000
    times, cls = spaced(n)
    st = UnitState(ready=BIG, capacity=BIG)
    out = run_des(
        times,
        cls,
        [ample(p, salvo=shots)],
        [st],
        warning=[100.0] * 4,
        p_detect=1.0,
        rng=np.random.default_rng(1),
    )
    exact = (1 - p) ** shots
    se = math.sqrt(exact * (1 - exact) / n)
    assert abs(out.leakers[0] / n - exact) < 4 * se
    assert st.used == n * shots


@pytest.mark.parametrize(("p", "m"), [(0.5, 2), (0.3, 3), (0.8, 4)])
def test_shoot_look_shoot_expected_interceptors(p: float, m: int) -> None:
    n = 20_000
    times, cls = spaced(n)
    st = UnitState(ready=BIG, capacity=BIG)
    out = run_des(
        times,
        cls,
        [ample(p, looks=m)],
        [st],
        warning=[1000.0] * 4,
        p_detect=1.0,
        rng=np.random.default_rng(2),
    )
    q = 1 - p
    mean = (1 - q**m) / p
    # J = shots fired, P(J >= j) = q**(j-1); E[J^2] = sum (2j-1) q**(j-1).
    ej2 = sum((2 * j - 1) * q ** (j - 1) for j in range(1, m + 1))
    se = math.sqrt((ej2 - mean**2) / n)
    assert abs(st.used / n - mean) < 4 * se
    leak = q**m
    assert abs(out.leakers[0] / n - leak) < 4 * math.sqrt(leak * (1 - leak) / n)


def test_looks_are_bounded_by_warning_time() -> None:
    n = 5_000
    times, cls = spaced(n)
    st = UnitState(ready=BIG, capacity=BIG)
    # Warning 25 s, look 10 s: only 2 of the 4 looks fit.
    out = run_des(
        times,
        cls,
        [ample(0.5, looks=4)],
        [st],
        warning=[25.0] * 4,
        p_detect=1.0,
        rng=np.random.default_rng(3),
    )
    exact = 0.5**2
    assert abs(out.leakers[0] / n - exact) < 4 * math.sqrt(exact * (1 - exact) / n)


@pytest.mark.parametrize(("raid", "magazine", "salvo", "p"), [(100, 60, 2, 0.6), (50, 30, 1, 0.8)])
def test_expected_leakers_when_the_raid_exceeds_the_magazine(
    raid: int, magazine: int, salvo: int, p: float
) -> None:
    reps = 400
    rng = np.random.default_rng(4)
    leakers = np.empty(reps)
    for r in range(reps):
        times = np.sort(rng.uniform(0, 3600, raid))
        st = UnitState(ready=magazine, capacity=magazine)
        out = run_des(
            times,
            np.zeros(raid, np.int64),
            [ample(p, salvo=salvo)],
            [st],
            warning=[100.0] * 4,
            p_detect=1.0,
            rng=rng,
        )
        leakers[r] = out.leakers.sum()
        assert math.isfinite(st.dry_day)
    engaged = magazine // salvo
    leak = (1 - p) ** salvo
    exact = raid - engaged * (1 - leak)
    se = math.sqrt(engaged * leak * (1 - leak) / reps)
    assert abs(leakers.mean() - exact) < 4 * se


def test_undetected_threats_leak() -> None:
    n = 20_000
    times, cls = spaced(n)
    out = run_des(
        times,
        cls,
        [ample(1.0)],
        [UnitState(ready=BIG, capacity=BIG)],
        warning=[100.0] * 4,
        p_detect=0.8,
        rng=np.random.default_rng(7),
    )
    assert abs(out.leakers[0] / n - 0.2) < 4 * math.sqrt(0.16 / n)
