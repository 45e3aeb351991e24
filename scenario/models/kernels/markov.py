r"""Discrete-time Markov chains, vectorised over replications.

:func:`markov_step` moves every replication one step by inverse-CDF sampling of its
transition row: with cumulative row :math:`F_j = \sum_{k \le j} P_{ik}` and a uniform
:math:`u \in [0, 1)`, the next state is the number of :math:`F_j \le u` for :math:`j < K - 1`.
Rows are checked first (entries :math:`\ge 0`, sums :math:`1`, both within
:data:`TOLERANCE`); an invalid row raises :class:`~scenario.errors.ModelError` and is
never renormalised.

Ladders (birth-death chains on levels :math:`0, \dots, K-1`): level :math:`i` moves up with
probability :math:`p^{\uparrow}_i`, down with :math:`p^{\downarrow}_i` and stays with
:math:`1 - p^{\uparrow}_i - p^{\downarrow}_i`; there is no move down from level 0 and the
top level is absorbing (its up and down probabilities are ignored). :func:`ladder_rows`
gives each replication's current row, :func:`ladder_matrix` the full matrices (stacked
from :func:`ladder_rows`, so the two agree by construction). Both require
:math:`p^{\uparrow}_i, p^{\downarrow}_i \in [0, 1]` and
:math:`p^{\uparrow}_i + p^{\downarrow}_i \le 1`.

:func:`competing_ladder` turns per-level competing daily hazards into valid ladder
probabilities by construction:

.. math::

    p_{move} = 1 - e^{-(h^{\uparrow} + h^{\downarrow})}, \quad
    p^{\uparrow} = p_{move} \frac{h^{\uparrow}}{h^{\uparrow} + h^{\downarrow}}, \quad
    p^{\downarrow} = p_{move} \frac{h^{\downarrow}}{h^{\uparrow} + h^{\downarrow}}

(both 0 when both hazards are 0).

:func:`ladder_step` fuses the three for a ladder whose hazards are known only at each
replication's current level: it evaluates the competing hazards, the current row and the
inverse-CDF step on ``n`` values instead of ``n * K``, with the same floating-point
operations in the same order, so it returns exactly what
``markov_step(state, ladder_rows(state, *competing_ladder(h_up, h_down)), u)`` returns
(the cumulative row has at most three distinct non-zero entries).

:func:`absorbing_stats` gives the closed forms for absorbing chains: with transient block
:math:`Q` and absorbing block :math:`R`, the fundamental matrix :math:`N = (I - Q)^{-1}`,
expected steps to absorption :math:`N\mathbf{1}` and absorption probabilities :math:`NR`.
"""

from __future__ import annotations

import numpy as np

from scenario.errors import ModelError

__all__ = [
    "TOLERANCE",
    "absorbing_stats",
    "competing_ladder",
    "ladder_matrix",
    "ladder_rows",
    "ladder_step",
    "markov_step",
]

TOLERANCE = 1e-9
"""Round-off allowed on a probability (below 0, or of a row sum away from 1)."""


def _check_rows(rows: np.ndarray, state: np.ndarray | None = None) -> None:
    """Raise ModelError naming the first replication (and its row, the state it is in, when
    ``state`` is given) whose row is not a probability distribution."""
    bad = ~(np.abs(rows.sum(axis=1) - 1.0) <= TOLERANCE) | (rows.min(axis=1) < -TOLERANCE)
    if not bad.any():
        return
    i = int(np.argmax(bad))
    row = rows[i]
    what = f"replication {i}" + ("" if state is None else f", row {int(state[i])}")
    raise ModelError(
        f"transition row of {what} is not a probability distribution "
        f"(entries {np.array2string(row, precision=12)}, sum {row.sum():.12g})"
    )


def markov_step(state: np.ndarray, rows: np.ndarray, u: np.ndarray) -> np.ndarray:
    """One step of a vectorised Markov chain.

    Parameters
    ----------
    state : int array (n,)
        Current states.
    rows : array (n, K) or (n, K, K)
        Transition row of each replication's current state, or full matrices (of which the
        row of the current state is used and checked).
    u : array (n,)
        Uniform draws in [0, 1).

    Returns
    -------
    int array (n,)
        Next states.

    Raises
    ------
    ModelError
        If a row has a negative entry or does not sum to 1 (within :data:`TOLERANCE`).
    """
    if rows.ndim == 3:
        rows = rows[np.arange(state.size), state]
        _check_rows(rows, state)
    else:
        _check_rows(rows)
    cum = np.cumsum(rows[:, :-1], axis=1)
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


def _check_ladder(p_up: np.ndarray, p_down: np.ndarray) -> None:
    """Raise ModelError unless every level has p_up, p_down in [0, 1] and p_up + p_down <= 1."""
    if p_up.shape != p_down.shape or p_up.ndim != 2:
        raise ModelError(
            f"ladder: p_up and p_down must both be (n, K) (got {p_up.shape}, {p_down.shape})"
        )
    bad = ~(
        (p_up >= 0.0)
        & (p_up <= 1.0)
        & (p_down >= 0.0)
        & (p_down <= 1.0)
        & (p_up + p_down <= 1.0 + TOLERANCE)
    )
    if bad.any():
        i, k = (int(v) for v in np.argwhere(bad)[0])
        raise ModelError(
            f"ladder: replication {i}, level {k} has p_up={p_up[i, k]!r}, "
            f"p_down={p_down[i, k]!r} (each must be in [0, 1] and their sum at most 1)"
        )


def ladder_rows(state: np.ndarray, p_up: np.ndarray, p_down: np.ndarray) -> np.ndarray:
    """Each replication's transition row from its current ladder level.

    Parameters
    ----------
    state : int array (n,)
        Current levels, in ``0 .. K-1``.
    p_up, p_down : arrays (n, K)
        Per-level up and down probabilities (checked; see module docstring).

    Returns
    -------
    array (n, K)
        Row ``state[i]`` of replication ``i``'s ladder matrix.
    """
    _check_ladder(p_up, p_down)
    n, K = p_up.shape
    if state.shape != (n,) or ((state < 0) | (state >= K)).any():
        raise ModelError(f"ladder_rows: states must be ({n},) levels in 0..{K - 1}")
    i = np.arange(n)
    top = state >= K - 1
    up = np.where(top, 0.0, p_up[i, state])
    down = np.where(top | (state == 0), 0.0, p_down[i, state])
    rows = np.zeros((n, K))
    rows[i, state] = 1.0 - up - down
    rows[i[~top], state[~top] + 1] = up[~top]
    low = state > 0
    rows[i[low], state[low] - 1] = down[low]
    return rows


def ladder_matrix(p_up: np.ndarray, p_down: np.ndarray) -> np.ndarray:
    """Tridiagonal ladder matrices (n, K, K) from per-level up/down probabilities (n, K).

    Row ``k`` of each matrix is :func:`ladder_rows` at level ``k``.
    """
    n, K = p_up.shape
    return np.stack(
        [ladder_rows(np.full(n, k, dtype=np.int64), p_up, p_down) for k in range(K)], axis=1
    )


def competing_ladder(h_up: np.ndarray, h_down: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ladder probabilities ``(p_up, p_down)`` from competing daily hazards (module docstring).

    Parameters
    ----------
    h_up, h_down : arrays (n, K)
        Non-negative finite hazards per day of moving up and down from each level.

    Returns
    -------
    tuple of arrays (n, K)
        ``p_up`` and ``p_down``, each in [0, 1] with ``p_up + p_down <= 1``.
    """
    h = h_up + h_down
    if not (np.isfinite(h).all() and (h_up >= 0.0).all() and (h_down >= 0.0).all()):
        raise ModelError("competing_ladder: hazards must be finite and non-negative")
    p_move = -np.expm1(-h)
    share = np.divide(h_up, h, out=np.zeros_like(h), where=h > 0.0)
    p_up = p_move * share
    return p_up, p_move - p_up


def ladder_step(
    state: np.ndarray, h_up: np.ndarray, h_down: np.ndarray, u: np.ndarray, levels: int
) -> np.ndarray:
    """One step of a competing-hazard ladder from the hazards at the current levels.

    Equal, bit for bit, to ``markov_step(state, ladder_rows(state, p_up, p_down), u)`` with
    ``p_up, p_down = competing_ladder(H_up, H_down)`` for any full hazard arrays
    ``H_up, H_down`` (n, ``levels``) whose entries at ``(i, state[i])`` are ``h_up[i]`` and
    ``h_down[i]`` (module docstring). The caller checks that the hazards are finite and
    non-negative; the rows this builds are then valid by construction.

    Parameters
    ----------
    state : int array (n,)
        Current levels, in ``0 .. levels-1``.
    h_up, h_down : arrays (n,)
        Hazards of moving up and down from each replication's current level.
    u : array (n,)
        Uniform draws in [0, 1).
    levels : int
        Number of levels ``K``.

    Returns
    -------
    int array (n,)
        Next levels.
    """
    h = h_up + h_down
    p_move = -np.expm1(-h)
    share = np.divide(h_up, h, out=np.zeros_like(h), where=h > 0.0)
    p_up = p_move * share
    top = state >= levels - 1
    up = np.where(top, 0.0, p_up)
    down = np.where(top | (state == 0), 0.0, p_move - p_up)
    # cumulative row: 0 before state-1, then down, down + stay, down + stay + up
    c1 = down + ((1.0 - up) - down)
    c2 = c1 + up
    last = levels - 2  # the cumulative row stops at column K - 2
    new = np.clip(state - 1, 0, last + 1)
    new += (state >= 1) & (u >= down)
    new += (state <= last) & (u >= c1)
    new += np.clip(last - state, 0, None) * (u >= c2)
    out: np.ndarray = new
    return out
