r"""Additive regression splines with the smoothing chosen by generalised cross-validation.

The regression behind EVPPI (:mod:`scenario.analysis.voi`) estimates
:math:`g(x) = E[y \mid x]` for one input, a pair (tensor product) or a group (additive):

* each input gets a cubic B-spline basis (SciPy's ``BSpline.design_matrix``) with interior
  knots at its quantiles (fewer for inputs with few distinct values), so the basis adapts
  to the input's distribution;
* a pair uses the row-wise tensor product of its two bases; three or more inputs, the
  concatenation of their bases (an additive model, as the GAMs of Strong et al. 2014 for
  larger groups without interactions);
* the basis is kept to at most :math:`n/10` columns: inputs get fewer knots, then a
  straight line, as :math:`n` shrinks, and fewer than 10 replications per input is an
  error (an exact fit through the noise would make every input look informative);
* with the columns and :math:`y` centred, the coefficients minimise
  :math:`\lVert y - X\beta \rVert^2 + \lambda \lVert\beta\rVert^2`; :math:`\lambda` is the one
  of a log-spaced grid that minimises
  :math:`GCV(\lambda) = n\,RSS / (n - 1 - \mathrm{tr}\,H)^2` (one degree of freedom for
  the centring)
  (Craven & Wahba 1979), where with :math:`X^TX = V \mathrm{diag}(s) V^T`,
  :math:`\mathrm{tr}\,H = \sum_j s_j / (s_j + \lambda)`; every candidate costs
  :math:`O(k^2)` once the eigen-decomposition of the :math:`k \times k` matrix is done.
"""

from __future__ import annotations

import numpy as np

from scenario.errors import ResultsError

__all__ = ["bspline_basis", "fit_additive"]

_LAMBDAS = np.logspace(-6, 4, 41)


def bspline_basis(x: np.ndarray, interior: int = 8) -> np.ndarray:
    """Cubic B-spline basis ``(n, m)`` of ``x`` with up to ``interior`` quantile knots.

    An input with two distinct values gets a linear basis; a constant one, none (0 columns).
    """
    from scipy.interpolate import BSpline

    values = np.asarray(x, dtype=np.float64)
    lo, hi = float(values.min()), float(values.max())
    distinct = np.unique(values)
    if distinct.size < 2:
        return np.zeros((values.size, 0))
    if distinct.size == 2:
        indicator: np.ndarray = (values == distinct[1]).astype(np.float64)[:, None]
        return indicator
    inner = min(interior, distinct.size - 2)
    qs = np.quantile(values, np.linspace(0.0, 1.0, inner + 2)[1:-1])
    qs = np.unique(qs[(qs > lo) & (qs < hi)])
    k = min(3, distinct.size - 1)
    t = np.concatenate([np.full(k + 1, lo), qs, np.full(k + 1, hi)])
    basis = BSpline.design_matrix(values, t, k).toarray()
    return np.asarray(basis)


def _spline_or_line(x: np.ndarray, columns: int, interior: int) -> np.ndarray:
    """A cubic spline basis within ``columns`` columns, else the centred input itself."""
    if columns >= 5:
        return bspline_basis(x, min(interior, columns - 4))
    return (x - x.mean())[:, None] if np.ptp(x) > 0 else np.zeros((x.size, 0))


def _design(x: np.ndarray) -> np.ndarray:
    """The regression basis, kept to at most n / 10 columns (module docstring)."""
    n, cols = x.shape
    budget = n // 10
    if budget < cols:
        raise ResultsError(
            f"too few replications ({n}) for a regression on {cols} inputs: need at least "
            f"{10 * cols}"
        )
    if cols == 2 and budget >= 81 + 18:  # a 9 x 9 tensor plus the two margins
        b1, b2 = bspline_basis(x[:, 0], 5), bspline_basis(x[:, 1], 5)
        if b1.shape[1] and b2.shape[1]:
            tensor = (b1[:, :, None] * b2[:, None, :]).reshape(n, -1)
            return np.hstack([tensor, b1, b2])
        return np.hstack([b1, b2])
    per = budget // cols
    interior = 10 if cols == 1 else 5
    return np.hstack([_spline_or_line(x[:, j], per, interior) for j in range(cols)])


def fit_additive(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Fitted values of the spline regression of ``y`` on the columns of ``x`` (module
    docstring); ``y`` may be ``(n,)`` or ``(d, n)`` (one fit per row, same basis)."""
    inputs = np.asarray(x, dtype=np.float64)
    if inputs.ndim == 1:
        inputs = inputs[:, None]
    target = np.atleast_2d(np.asarray(y, dtype=np.float64))
    n = inputs.shape[0]
    if target.shape[1] != n:
        raise ResultsError(f"fit_additive: x has {n} rows but y has {target.shape[1]} values")
    X = _design(inputs)
    means = target.mean(axis=1, keepdims=True)
    if X.shape[1] == 0:
        return np.repeat(means, n, axis=1).reshape(np.shape(y) if np.ndim(y) > 1 else (n,))
    X = X - X.mean(axis=0)
    s, V = np.linalg.eigh(X.T @ X)
    s = np.maximum(s, 0.0)
    out = np.empty_like(target)
    for d in range(target.shape[0]):
        yc = target[d] - means[d]
        z = V.T @ (X.T @ yc)
        best_gcv, best_fit = np.inf, np.zeros(n)
        yy = float(yc @ yc)
        for lam in _LAMBDAS:
            w = z / (s + lam)
            rss = yy - 2.0 * float(w @ z) + float((w * w) @ s)
            edf = float(np.sum(s / (s + lam)))
            dof = n - 1.0 - edf  # the centring took one degree of freedom
            if dof <= 0.5:
                continue
            gcv = n * max(rss, 0.0) / dof**2
            if gcv < best_gcv:
                best_gcv, best_fit = gcv, X @ (V @ w)
        out[d] = means[d] + best_fit
    return out if np.ndim(y) > 1 else out[0]
