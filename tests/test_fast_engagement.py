"""The fast engagement kernel against the discrete-event model, on four configurations
(4 standard errors of the difference of the two means)."""

from __future__ import annotations

import math

import numpy as np

from scenario.models.kernels.engagement import FireUnit, UnitState, run_des
from scenario.models.kernels.fast_engagement import fast_day, fast_unit

BIG = 1e12


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
