"""Rank correlations between uncertain parameters, imposed by the Iman–Conover method.

A scenario may declare, at top level,

.. code-block:: yaml

    correlations:
      - between: [ground.nk_exposure, ground.nk_casualty_rate]
        rho: 0.5
        source: "ASSUMPTION: more exposure, more losses per day"
        as_of: 2024-11-04
        confidence: low

Each entry is a :class:`RankCorrelation`: a target Spearman (rank) correlation ``rho`` in
``(-1, 1)`` between two parameters, with the same provenance as a parameter. Pairs that
are not declared have target 0. The target matrix ``C`` (``C_ii = 1``) must be positive
definite.

Method (Iman & Conover 1982, *Commun. Statist.-Simula. Computa.* 11(3), 311-334). In each
block of ``n`` replications, after every parameter has been sampled independently:

1. van der Waerden scores ``a_i = Phi^{-1}(i / (n + 1))``, ``i = 1..n``; column ``j`` of the
   score matrix ``M`` (``n x k``) is an independent random permutation of them, drawn from
   the block's correlation stream (:func:`scenario.engine.rng.correlation_rng`).
2. The normal scores must have Pearson correlation ``R_ij = 2 sin(pi C_ij / 6)`` so that
   their rank correlation is ``C_ij`` (Pearson 1907's relation for the bivariate normal,
   ``rho_S = (6/pi) arcsin(rho / 2)``). ``R = P P^T`` (Cholesky); if ``R`` is not positive
   definite ``C`` itself is used.
3. Correct for the sample correlation ``E = Q Q^T`` of the shuffled scores (Cholesky):
   ``M* = M (Q^{-1})^T P^T`` has sample correlation exactly ``R``. (With too few rows for
   ``E`` to be positive definite, ``Q = I``.)
4. Reorder each parameter's draws so that their ranks equal the ranks of its column of
   ``M*``: ``x_j <- sort(x_j)[rank(M*_j)]``.

Every marginal is a permutation of its own draws, so it stays exactly as declared and a
correlation never changes which values are drawn, only how they are paired. The achieved
rank correlation deviates from the target by ``O(1/sqrt(n))``.

:func:`correlation_problems` finds the mistakes a list of correlations can hold (unknown
parameter with the closest name, the same pair twice, a matrix that is not positive
definite, naming its pairs and smallest eigenvalue); :func:`validate_correlations` raises
them as a pydantic validation error that the loader locates (``FILE:LINE:COL``).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
from pydantic import ValidationError, field_validator, model_validator
from scipy import special

from scenario.config.distribution_specs import Provenance

__all__ = [
    "RankCorrelation",
    "correlated_names",
    "correlation_problems",
    "iman_conover",
    "target_matrix",
    "validate_correlations",
]

KeyPath = tuple[str | int, ...]


class RankCorrelation(Provenance):
    """A target rank (Spearman) correlation between two uncertain parameters."""

    between: tuple[str, str]
    rho: float

    @field_validator("rho")
    @classmethod
    def _rho_inside(cls, value: float) -> float:
        if not (math.isfinite(value) and -1.0 < value < 1.0):
            raise ValueError(f"must lie strictly between -1 and 1, |rho| < 1 (got {value})")
        return value

    @model_validator(mode="after")
    def _two_parameters(self) -> RankCorrelation:
        if self.between[0] == self.between[1]:
            raise ValueError(
                f"between: a parameter cannot be correlated with itself (got {list(self.between)})"
            )
        return self


def correlated_names(correlations: Sequence[RankCorrelation]) -> list[str]:
    """Sorted names of the parameters that appear in ``correlations``."""
    return sorted({name for c in correlations for name in c.between})


def target_matrix(correlations: Sequence[RankCorrelation], names: Sequence[str]) -> np.ndarray:
    """The target rank-correlation matrix over ``names`` (undeclared pairs 0, diagonal 1).

    Parameters
    ----------
    correlations : sequence of RankCorrelation
        The declared pairs (each one over two of ``names``).
    names : sequence of str
        Row and column order.

    Returns
    -------
    numpy.ndarray
        Symmetric ``(k, k)`` matrix.
    """
    pos = {name: i for i, name in enumerate(names)}
    c = np.eye(len(names))
    for corr in correlations:
        i, j = pos[corr.between[0]], pos[corr.between[1]]
        c[i, j] = c[j, i] = corr.rho
    return c


def _components(correlations: Sequence[tuple[int, RankCorrelation]]) -> list[list[int]]:
    """Groups of entry positions whose parameters are linked by declared pairs."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for _, c in correlations:
        parent[root(c.between[0])] = root(c.between[1])
    groups: dict[str, list[int]] = {}
    for pos, (_, c) in enumerate(correlations):
        groups.setdefault(root(c.between[0]), []).append(pos)
    return list(groups.values())


def correlation_problems(
    correlations: Sequence[RankCorrelation], parameters: Collection[str] | None
) -> list[tuple[KeyPath, str, Any]]:
    """Mistakes in a list of correlations, each as ``(path, message, value)``.

    Parameters
    ----------
    correlations : sequence of RankCorrelation
        The entries, in file order (each already valid on its own).
    parameters : collection of str, optional
        The declared ``"group.name"`` parameters; ``None`` skips the unknown-name check.

    Returns
    -------
    list of (tuple, str, object)
        Key path under ``correlations`` (``(i, "between", j)``, ``(i, "between")`` or
        ``(i, "rho")``), what is wrong, and the offending value. Empty if none.
    """
    problems: list[tuple[KeyPath, str, Any]] = []
    known = None if parameters is None else set(parameters)
    seen: dict[frozenset[str], int] = {}
    valid: list[tuple[int, RankCorrelation]] = []
    for i, corr in enumerate(correlations):
        ok = True
        for j, name in enumerate(corr.between):
            if known is not None and name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(((i, "between", j), f"unknown parameter{hint}", name))
                ok = False
        pair = frozenset(corr.between)
        if pair in seen:
            problems.append(
                (
                    (i, "between"),
                    f"the same pair is already correlated at correlations[{seen[pair]}]; "
                    "give each pair once",
                    list(corr.between),
                )
            )
            ok = False
        seen.setdefault(pair, i)
        if ok:
            valid.append((i, corr))
    problems.extend(_definiteness_problems(valid))
    return problems


def _definiteness_problems(
    valid: Sequence[tuple[int, RankCorrelation]],
) -> list[tuple[KeyPath, str, Any]]:
    """One problem per linked group of pairs whose target matrix is not positive definite."""
    problems: list[tuple[KeyPath, str, Any]] = []
    for group in _components(valid):
        entries = [valid[p][1] for p in group]
        names = correlated_names(entries)
        smallest = float(np.linalg.eigvalsh(target_matrix(entries, names)).min())
        if smallest > 1e-10:
            continue
        pairs = ", ".join(f"({c.between[0]}, {c.between[1]}) rho={c.rho:g}" for c in entries)
        first = valid[group[0]][0]
        problems.append(
            (
                (first, "rho"),
                f"the rank correlations {pairs} (other pairs 0) do not form a positive "
                f"definite matrix; weaken them (got smallest eigenvalue {smallest:.4g})",
                valid[group[0]][1].rho,
            )
        )
    return problems


def validate_correlations(
    correlations: tuple[RankCorrelation, ...], parameters: Mapping[str, Mapping[str, Any]] | None
) -> tuple[RankCorrelation, ...]:
    """Check ``correlations`` against the scenario's ``parameters`` (the schema's validator).

    Parameters
    ----------
    correlations : tuple of RankCorrelation
        The ``correlations`` field.
    parameters : mapping, optional
        The validated ``parameters`` field (``group -> name -> spec``); ``None`` when it
        failed validation, which skips the unknown-name check.

    Returns
    -------
    tuple of RankCorrelation
        ``correlations`` unchanged.

    Raises
    ------
    pydantic.ValidationError
        One error per problem of :func:`correlation_problems`, at its key path (the loader
        turns them into located :class:`~scenario.errors.ConfigError` lines).
    """
    keys = None
    if parameters is not None:
        keys = {f"{group}.{name}" for group, specs in parameters.items() for name in specs}
    problems = correlation_problems(correlations, keys)
    if not problems:
        return correlations
    raise ValidationError.from_exception_data(
        "correlations",
        [
            {
                "type": "value_error",
                "loc": path,
                "input": value,
                "ctx": {"error": ValueError(message)},
            }
            for path, message, value in problems
        ],
    )


def _cholesky(matrix: np.ndarray) -> np.ndarray | None:
    try:
        return np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        return None


def _mix(m: np.ndarray, t: np.ndarray) -> np.ndarray:
    """``m @ t`` by columns, elementwise (no BLAS threads: bit-identical everywhere)."""
    out = np.zeros((m.shape[0], t.shape[1]))
    for j in range(t.shape[1]):
        for i in range(t.shape[0]):
            out[:, j] += m[:, i] * t[i, j]
    return out


def _score_correlation(m: np.ndarray) -> np.ndarray:
    """Sample correlation of the columns of ``m`` (elementwise sums, no BLAS)."""
    c = m - m.mean(axis=0)
    k = m.shape[1]
    cov = np.empty((k, k))
    for i in range(k):
        for j in range(i, k):
            cov[i, j] = cov[j, i] = np.sum(c[:, i] * c[:, j])
    sd = np.sqrt(np.diag(cov))
    return np.asarray(cov / np.outer(sd, sd), dtype=np.float64)


def iman_conover(
    values: Mapping[str, np.ndarray],
    correlations: Sequence[RankCorrelation],
    *,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Reorder draws so that their rank correlations approach the targets (Iman–Conover).

    Parameters
    ----------
    values : mapping of str to numpy.ndarray
        Independent draws, one array of length ``n`` per parameter; it must hold every
        parameter named in ``correlations``.
    correlations : sequence of RankCorrelation
        Target rank correlations (a positive definite matrix; see the module docstring).
    rng : numpy.random.Generator
        Stream for shuffling the scores (keyword-only).

    Returns
    -------
    dict of str to numpy.ndarray
        A new array for every correlated parameter: a permutation of its draws. Parameters
        not named in ``correlations`` are left out.
    """
    names = correlated_names(correlations)
    if not names:
        return {}
    n = int(np.asarray(values[names[0]]).shape[0])
    if n < 2:
        return {k: np.array(values[k], dtype=np.float64) for k in names}
    scores = special.ndtri(np.arange(1, n + 1) / (n + 1))
    m = np.column_stack([rng.permutation(scores) for _ in names])
    c = target_matrix(correlations, names)
    p = _cholesky(2.0 * np.sin(np.pi * c / 6.0))
    if p is None:
        p = np.linalg.cholesky(c)
    q = _cholesky(_score_correlation(m)) if n > len(names) else None
    t = p.T if q is None else np.linalg.solve(q, np.eye(len(names))).T @ p.T
    mixed = _mix(m, t)
    out: dict[str, np.ndarray] = {}
    for j, name in enumerate(names):
        ranks = np.argsort(np.argsort(mixed[:, j], kind="stable"), kind="stable")
        out[name] = np.sort(np.asarray(values[name], dtype=np.float64), kind="stable")[ranks]
    return out
