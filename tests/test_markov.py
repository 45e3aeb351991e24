"""Markov chain machinery against absorbing-chain closed forms (fundamental matrix)."""

from __future__ import annotations

import math

import numpy as np

from scenario.models.kernels.markov import absorbing_stats, ladder_matrix, markov_step


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
