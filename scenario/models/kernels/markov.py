r"""Discrete-time Markov chains, vectorised over replications.

:func:`markov_step` moves every replication one step by inverse-CDF sampling of its
transition row: with cumulative row :math:`F_j = \sum_{k \le j} P_{ik}` and a uniform
:math:`u`, the next state is the number of :math:`F_j \le u`. :func:`ladder_matrix` builds
birth-death (ladder) matrices from per-level up and down probabilities.
:func:`absorbing_stats` gives the closed forms for absorbing chains: with transient block
:math:`Q` and absorbing block :math:`R`, the fundamental matrix :math:`N = (I - Q)^{-1}`,
expected steps to absorption :math:`N\mathbf{1}` and absorption probabilities :math:`NR`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["absorbing_stats", "ladder_matrix", "markov_step"]


def markov_step(state: np.ndarray, rows: np.ndarray, u: np.ndarray) -> np.ndarray:
    """One step of a vectorised Markov chain.

    Parameters
    ----------
    state : int array (n,)
        Current states.
    rows : array (n, K) or (n, K, K)
        Transition row of each replication's current state, or full matrices.
    u : array (n,)
        Uniform draws in [0, 1).
    """
    if rows.ndim == 3:
        rows = rows[np.arange(state.size), state]
    cum = np.cumsum(rows, axis=1)
    cum[:, -1] = 1.0
    new: np.ndarray = (u[:, None] >= cum).sum(axis=1)
    return new


def absorbing_stats(P: np.ndarray, transient: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Expected steps to absorption and absorption probabilities (fundamental matrix).

    Returns ``(t, B)``: ``t[i]`` expected steps from transient state ``transient[i]``;
    ``B[i, j]`` probability of ending in the ``j``-th absorbing state (in index order).
    """
    K = P.shape[0]
    absorbing = [s for s in range(K) if s not in transient]
    Q = P[np.ix_(transient, transient)]
    R = P[np.ix_(transient, absorbing)]
    N = np.linalg.inv(np.eye(len(transient)) - Q)
    return N @ np.ones(len(transient)), N @ R


def ladder_matrix(p_up: np.ndarray, p_down: np.ndarray) -> np.ndarray:
    """Tridiagonal ladder matrices (n, K, K) from per-level up/down probabilities (n, K)."""
    n, K = p_up.shape
    P = np.zeros((n, K, K))
    idx = np.arange(K)
    up = p_up.copy()
    up[:, -1] = 0.0
    down = p_down.copy()
    down[:, 0] = 0.0
    down[:, -1] = 0.0
    P[:, idx[:-1], idx[1:]] = up[:, :-1]
    P[:, idx[1:], idx[:-1]] = down[:, 1:]
    P[:, idx, idx] = 1.0 - up - down
    return P
