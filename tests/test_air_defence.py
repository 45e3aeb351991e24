"""Air defence: the discrete-event model against closed forms, and the fast kernel against it.

Every tolerance is 4 standard errors of the estimate (or of the difference of two
estimates), computed from the samples themselves or from the exact variance.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import scenario
from scenario.models.air_defence import (
    FireUnit,
    UnitState,
    erlang_b,
    erlang_c,
    fast_day,
    fast_unit,
    run_des,
)

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


def _poisson_stream(rate: float, horizon: float, rng: np.random.Generator) -> np.ndarray:
    return np.sort(rng.uniform(0, horizon, rng.poisson(rate * horizon)))


def _queueing_runs(
    c: int, load: float, *, queue: bool, seed: int, reps: int = 30, horizon: float = 20_000.0
) -> list[tuple[int, int, int, float]]:
    """Poisson arrivals, exponential engagements of mean 10 s on c channels: per replication
    (arrivals, blocked, waited, total wait)."""
    hold = 10.0
    rng = np.random.default_rng(seed)
    unit = FireUnit("u", c, (1e-12,) * 4, look_time=hold, exponential_hold=True)  # type: ignore[arg-type]
    out = []
    for _ in range(reps):
        times = _poisson_stream(load / hold, horizon, rng)
        res = run_des(
            times,
            np.zeros(times.size, np.int64),
            [unit],
            [UnitState(ready=BIG, capacity=BIG)],
            warning=[math.inf] * 4,
            p_detect=1.0,
            rng=rng,
            queue=queue,
        )
        out.append((times.size, res.blocked, res.waited, res.wait_time))
    return out


@pytest.mark.parametrize(("c", "load"), [(3, 2.0), (5, 4.0)])
def test_erlang_b_blocking(c: int, load: float) -> None:
    runs = _queueing_runs(c, load, queue=False, seed=5)
    frac = np.array([blocked / n for n, blocked, _, _ in runs])
    exact = float(erlang_b(c, load))
    assert abs(frac.mean() - exact) < 4 * frac.std(ddof=1) / math.sqrt(frac.size)


@pytest.mark.parametrize(("c", "load"), [(3, 2.0), (5, 4.0)])
def test_erlang_c_waiting(c: int, load: float) -> None:
    runs = _queueing_runs(c, load, queue=True, seed=6)
    assert all(blocked == 0 for _, blocked, _, _ in runs)
    p_wait = np.array([waited / n for n, _, waited, _ in runs])
    mean_wait = np.array([w / n for n, _, _, w in runs])
    exact = erlang_c(c, load)
    assert abs(p_wait.mean() - exact) < 4 * p_wait.std(ddof=1) / math.sqrt(p_wait.size)
    exact_w = exact * 10.0 / (c - load)  # E[W] = C / (c mu - lambda), mean hold 10 s
    assert abs(mean_wait.mean() - exact_w) < 4 * mean_wait.std(ddof=1) / math.sqrt(mean_wait.size)


def test_erlang_b_matches_the_poisson_formula() -> None:
    for c in (0, 1, 4, 12):
        for a in (0.0, 0.01, 0.5, 3.0, 20.0):
            exact = (stats.poisson.pmf(c, a) / stats.poisson.cdf(c, a)) if a > 0 else float(c == 0)
            assert float(erlang_b(c, a)) == pytest.approx(exact, abs=1e-12)


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


# ---- fast kernel against the discrete-event model ------------------------------------


def _compare(
    units: list[FireUnit],
    ready: list[float],
    lam: np.ndarray,
    *,
    window: float,
    p_detect: float,
    warning: list[float],
    reps: int,
    fixed: bool = False,
    seed: int = 0,
) -> list[tuple[str, float, float]]:
    """Run the DES and the fast kernel on the same threats; return, per class leakers and
    per unit interceptors used, ``(label, |DES mean - fast mean|, 4 standard errors)``."""
    rng = np.random.default_rng(seed)
    des_leak = np.empty((reps, 4))
    des_used = np.empty((reps, len(units)))
    threats = np.empty((reps, 4))
    for r in range(reps):
        counts = lam.astype(np.int64) if fixed else rng.poisson(lam)
        threats[r] = counts
        cls = np.repeat(np.arange(4), counts)
        times = rng.uniform(0, window, cls.size)
        states = [UnitState(ready=x, capacity=x) for x in ready]
        out = run_des(times, cls, units, states, warning=warning, p_detect=p_detect, rng=rng)
        des_leak[r] = out.leakers
        des_used[r] = [out.used[u.name] for u in units]
    fu = [
        fast_unit(
            np.ones(reps, bool),
            np.full(reps, u.channels),
            np.full(reps, u.look_time),
            u.salvo,
            u.looks,
            np.tile(np.array(u.pk), (reps, 1)),
            np.tile(warning, (reps, 1)),
        )
        for u in units
    ]
    leak, used = fast_day(
        threats,
        fu,
        [np.full(reps, x) for x in ready],
        p_detect=np.full(reps, p_detect),
        window=window,
        rng=np.random.default_rng(seed + 1),
        rate=None if fixed else np.tile(lam, (reps, 1)),
    )
    gaps = []
    for c in range(4):
        d, f = des_leak[:, c], leak[:, c]
        se = math.sqrt(d.var(ddof=1) / reps + f.var(ddof=1) / reps) or 1e-9
        gaps.append((f"leakers class {c}", abs(d.mean() - f.mean()), 4 * se))
    for k in range(len(units)):
        d = des_used[:, k]
        se = d.std(ddof=1) / math.sqrt(reps) + 1e-9
        gaps.append((f"used by {units[k].name}", abs(d.mean() - used[k].mean()), 4 * se + 1e-6))
    return gaps


def test_fast_kernel_agrees_light_load_shoot_look_shoot() -> None:
    units = [
        FireUnit("msam", 8, (0.6, 0.7, 0.75, 0.0), look_time=30.0, salvo=1, looks=2),
        FireUnit("ua", 12, (0.2, 0.6, 0.5, 0.7), look_time=60.0, salvo=1, looks=2),
    ]
    for label, gap, tol in _compare(
        units,
        [1e9, 1e9],
        np.array([0.5, 2.0, 0.5, 12.0]),
        window=4 * 3600.0,
        p_detect=0.9,
        warning=[120.0, 300.0, 240.0, 900.0],
        reps=600,
    ):
        assert gap < tol, (label, gap, tol)


def test_fast_kernel_agrees_salvo_with_short_warning() -> None:
    units = [FireUnit("ua", 10, (0.3, 0.5, 0.5, 0.6), look_time=50.0, salvo=2, looks=1)]
    for label, gap, tol in _compare(
        units,
        [1e9],
        np.array([1.0, 3.0, 1.0, 8.0]),
        window=3 * 3600.0,
        p_detect=0.85,
        warning=[40.0, 300.0, 120.0, 600.0],
        reps=600,
        seed=10,
    ):
        assert gap < tol, (label, gap, tol)


def test_fast_kernel_agrees_saturated_long_raid() -> None:
    # Erlang-B regime: Poisson arrivals over a long raid, load 3 Erlangs on 3 channels.
    units = [FireUnit("ua", 3, (0.5, 0.5, 0.5, 0.5), look_time=60.0, salvo=1, looks=1)]
    window = 12 * 3600.0
    lam = np.array([0.0, 0.0, 0.0, 3.0 * window / 60.0])
    for label, gap, tol in _compare(
        units, [1e9], lam, window=window, p_detect=1.0, warning=[1e9] * 4, reps=40, seed=20
    ):
        assert gap < tol, (label, gap, tol)


def test_fast_kernel_agrees_raid_exceeds_magazine() -> None:
    units = [FireUnit("ua", 1000, (0.6, 0.6, 0.6, 0.6), look_time=10.0, salvo=2, looks=1)]
    for label, gap, tol in _compare(
        units,
        [60.0],
        np.array([0.0, 100.0, 0.0, 0.0]),
        window=3600.0,
        p_detect=1.0,
        warning=[100.0] * 4,
        reps=400,
        fixed=True,
        seed=30,
    ):
        assert gap < tol, (label, gap, tol)


# ---- the submodel in the campaign ----------------------------------------------------


def _campaign(*overrides: str, n: int = 1000, seed: int = 3) -> scenario.Results:
    cfg = scenario.load_config(
        ROOT / "configs" / "baseline.yaml", overrides=["run.series_replications=50", *overrides]
    )
    return scenario.run(cfg, replications=n, seed=seed)


def test_msam_reduces_leakers_and_uses_interceptors() -> None:
    base = _campaign()
    ms = _campaign(
        "policy.msam.deploy=true",
        "policy.msam.batteries=2",
        "policy.msam.interceptor_stock=64",
        "policy.msam.delivery_day=10",
        "policy.msam.training_days=20",
    )
    assert np.all(base.outcomes["msam_interceptors_used"] == 0)
    assert ms.outcomes["msam_interceptors_used"].mean() > 0
    d = ms.outcomes["ad_leakers"] - base.outcomes["ad_leakers"]
    assert d.mean() < -4 * d.std(ddof=1) / math.sqrt(d.size)
    # Threat draws are common random numbers: same threats in both runs.
    assert np.array_equal(base.outcomes["ad_threats"], ms.outcomes["ad_threats"])
    # Ready magazine never exceeds capacity; dry day only when it ran dry.
    cap = 2 * 4 * 8
    assert ms.series["msam_ready"].max() <= cap
    dry = ms.outcomes["msam_ran_dry"] == 1
    assert np.all(ms.outcomes["msam_dry_day"][~dry] == 180)


def test_des_engine_runs_in_the_campaign_and_agrees_with_fast() -> None:
    over = [
        "horizon_days=20",
        "policy.msam.deploy=true",
        "policy.msam.batteries=1",
        "policy.msam.training_days=0",
        "policy.msam.interceptor_stock=200",
    ]
    fast = _campaign(*over, n=300, seed=8)
    des = _campaign(*over, "air_defence.engine=des", n=300, seed=8)
    assert des.n_failed == 0
    assert np.array_equal(fast.outcomes["ad_threats"], des.outcomes["ad_threats"])
    for k in ("ad_leakers", "msam_interceptors_used"):
        d, f = des.outcomes[k], fast.outcomes[k]
        se = math.sqrt(d.var(ddof=1) / d.size + f.var(ddof=1) / f.size)
        assert abs(d.mean() - f.mean()) < 4 * se, (k, d.mean(), f.mean())
