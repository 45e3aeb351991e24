"""Markov chain machinery against absorbing-chain closed forms (fundamental matrix)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scenario.errors import ModelError
from scenario.models.kernels.markov import (
    absorbing_stats,
    competing_ladder,
    ladder_matrix,
    ladder_rows,
    ladder_step,
    markov_step,
)


def _run_chain(
    P: np.ndarray, start: int, n: int, absorbing: set[int], seed: int
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    state = np.full(n, start)
    steps = np.zeros(n)
    for _ in range(10_000):
        live = ~np.isin(state, list(absorbing))
        if not live.any():
            break
        new = markov_step(state, np.broadcast_to(P, (n, *P.shape)), rng.random(n))
        steps += live
        state = np.where(live, new, state)
    return state, steps


def test_absorption_probabilities_and_times_match_the_fundamental_matrix() -> None:
    # Gambler's-ruin-like chain with two absorbing ends and a lazy middle.
    P = np.array(
        [
            [1.0, 0.0, 0.0, 0.0, 0.0],
            [0.3, 0.2, 0.5, 0.0, 0.0],
            [0.0, 0.4, 0.1, 0.5, 0.0],
            [0.0, 0.0, 0.6, 0.1, 0.3],
            [0.0, 0.0, 0.0, 0.0, 1.0],
        ]
    )
    transient = [1, 2, 3]
    t_exact, B = absorbing_stats(P, transient)
    n = 40_000
    for i, s in enumerate(transient):
        final, steps = _run_chain(P, s, n, {0, 4}, seed=s)
        p4 = float(np.mean(final == 4))
        assert abs(p4 - B[i, 1]) < 4 * math.sqrt(B[i, 1] * (1 - B[i, 1]) / n)
        assert abs(steps.mean() - t_exact[i]) < 4 * steps.std(ddof=1) / math.sqrt(n)


def test_ladder_time_to_top_matches_the_fundamental_matrix() -> None:
    K = 5  # a five-level ladder, top absorbing
    up = np.array([[0.2, 0.15, 0.1, 0.25, 0.0]])
    down = np.array([[0.0, 0.05, 0.1, 0.05, 0.0]])
    P = ladder_matrix(up, down)[0]
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    t_exact, B = absorbing_stats(P, list(range(K - 1)))
    np.testing.assert_allclose(B[:, 0], 1.0)
    n = 40_000
    _, steps = _run_chain(P, 0, n, {K - 1}, seed=9)
    assert abs(steps.mean() - t_exact[0]) < 4 * steps.std(ddof=1) / math.sqrt(n)


def test_invalid_rows_raise_and_are_never_renormalised() -> None:
    state = np.array([0, 1, 0])
    u = np.array([0.1, 0.5, 0.95])
    good = np.array([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5], [0.9, 0.1, 0.0]])
    np.testing.assert_array_equal(markov_step(state, good, u), [0, 2, 1])
    short = good.copy()
    short[2] = [0.5, 0.4, 0.0]  # sums to 0.9: must not be stretched to 1
    with pytest.raises(ModelError, match=r"replication 2 .*sum 0\.9"):
        markov_step(state, short, u)
    negative = good.copy()
    negative[1] = [-0.1, 0.6, 0.5]
    with pytest.raises(ModelError, match=r"replication 1 is not"):
        markov_step(state, negative, u)
    # Full matrices: the row of the current state is checked and named.
    P = np.broadcast_to(np.eye(3), (3, 3, 3)).copy()
    P[1, 1] = [0.0, 0.7, 0.7]
    with pytest.raises(ModelError, match=r"replication 1, row 1 "):
        markov_step(state, P, u)
    assert np.all(markov_step(state, np.broadcast_to(np.eye(3), (3, 3, 3)), u) == state)


def test_ladder_probabilities_are_validated() -> None:
    ok = np.array([[0.2, 0.3, 0.0]])
    for up, down, where in (
        ([[0.2, -0.1, 0.0]], [[0.0, 0.1, 0.0]], "level 1"),
        ([[1.2, 0.1, 0.0]], [[0.0, 0.1, 0.0]], "level 0"),
        ([[0.2, 0.7, 0.0]], [[0.0, 0.4, 0.0]], "level 1"),  # p_up + p_down > 1
    ):
        with pytest.raises(ModelError, match=f"replication 0, {where} "):
            ladder_matrix(np.array(up), np.array(down))
        with pytest.raises(ModelError, match=f"replication 0, {where} "):
            ladder_rows(np.array([0]), np.array(up), np.array(down))
    with pytest.raises(ModelError, match=r"levels in 0\.\.2"):
        ladder_rows(np.array([3]), ok, ok)


def test_ladder_rows_are_the_rows_of_ladder_matrix() -> None:
    rng = np.random.default_rng(3)
    n, K = 200, 5
    p_up, p_down = competing_ladder(rng.exponential(0.3, (n, K)), rng.exponential(0.3, (n, K)))
    state = rng.integers(0, K, n)
    np.testing.assert_array_equal(
        ladder_rows(state, p_up, p_down), ladder_matrix(p_up, p_down)[np.arange(n), state]
    )


def test_competing_hazards_give_valid_ladders_by_construction() -> None:
    h_up = np.array([[0.0, 0.3, 2.0, 50.0, 1e-12]])
    h_down = np.array([[0.0, 0.1, 0.0, 800.0, 3.0]])
    p_up, p_down = competing_ladder(h_up, h_down)
    total = h_up + h_down
    p_move = 1.0 - np.exp(-total)
    np.testing.assert_allclose(p_up + p_down, p_move, rtol=1e-12)
    share = h_up[0, 1:] / total[0, 1:]
    np.testing.assert_allclose(p_up[0, 1:], p_move[0, 1:] * share, rtol=1e-12)
    assert p_up[0, 0] == p_down[0, 0] == 0.0
    assert np.all((p_up >= 0) & (p_down >= 0) & (p_up + p_down <= 1.0))
    np.testing.assert_allclose(ladder_matrix(p_up, p_down).sum(axis=2), 1.0, rtol=1e-12)
    with pytest.raises(ModelError, match="non-negative"):
        competing_ladder(np.array([[-0.1]]), np.array([[0.0]]))


def test_ladder_from_competing_hazards_matches_the_fundamental_matrix() -> None:
    K, n = 5, 20_000
    p_up, p_down = competing_ladder(
        np.array([[0.25, 0.15, 0.1, 0.3, 0.0]]), np.array([[0.0, 0.05, 0.12, 0.06, 0.0]])
    )
    t_exact, _ = absorbing_stats(ladder_matrix(p_up, p_down)[0], list(range(K - 1)))
    rng = np.random.default_rng(21)
    up, down = np.repeat(p_up, n, axis=0), np.repeat(p_down, n, axis=0)
    state = np.zeros(n, dtype=np.int64)
    steps = np.zeros(n)
    while (live := state < K - 1).any():
        steps += live
        state = markov_step(state, ladder_rows(state, up, down), rng.random(n))
    assert abs(steps.mean() - t_exact[0]) < 4 * steps.std(ddof=1) / math.sqrt(n)


@pytest.mark.parametrize("K", [2, 3, 5, 6])
def test_ladder_step_is_markov_step_on_ladder_rows_bit_for_bit(K: int) -> None:
    """The fused step equals the three-function path exactly, also on uniforms that sit
    exactly on a cumulative boundary (where a different rounding would move a level)."""
    rng = np.random.default_rng(K)
    n = 4_000
    i = np.arange(n)
    for trial in range(6):
        keep_up = rng.random((n, K)) < 0.8
        h_up = rng.exponential([0.001, 0.3, 5.0][trial % 3], (n, K)) * keep_up
        h_down = rng.exponential(0.3, (n, K)) * (rng.random((n, K)) < 0.7)
        state = rng.integers(0, K, n)
        p_up, p_down = competing_ladder(h_up, h_down)
        rows = ladder_rows(state, p_up, p_down)
        cum = np.cumsum(rows[:, :-1], axis=1)
        u = rng.random(n)
        if trial >= 3:  # exactly on a boundary of the cumulative row
            u = np.minimum(cum[i, rng.integers(0, K - 1, n)], np.nextafter(1.0, 0.0))
        expected = markov_step(state, rows, u)
        got = ladder_step(state, h_up[i, state], h_down[i, state], u, K)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
