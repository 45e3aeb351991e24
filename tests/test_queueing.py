"""Erlang-B and Erlang-C: the formulas against the Poisson form, and the discrete-event
engine's loss and delay systems against them (4 standard errors)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from scenario.models.kernels.engagement import FireUnit, UnitState, run_des
from scenario.models.kernels.queueing import erlang_b, erlang_c

BIG = 1e12


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
