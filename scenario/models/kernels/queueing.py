r"""Queueing formulas: Erlang-B (loss system) and Erlang-C (delay system).

For :math:`c` channels offered :math:`a` erlangs of Poisson traffic,

.. math::

    B(c, a) = \frac{a^c / c!}{\sum_{k=0}^{c} a^k / k!}, \qquad
    C(c, a) = \frac{c\,B(c, a)}{c - a\,(1 - B(c, a))} \quad (a < c),

:math:`B` the probability an arrival finds every channel busy (and is lost), :math:`C` the
probability it has to wait. In an M/M/c queue with service rate :math:`\mu` the mean wait
is :math:`C(c, a) / (c\mu - \lambda)`. :math:`B` is computed by the stable recursion
:math:`B(0, a) = 1`, :math:`B(n, a) = a B(n-1, a) / (n + a B(n-1, a))`.
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["erlang_b", "erlang_c"]


def erlang_b(channels: np.ndarray | int, load: np.ndarray | float) -> np.ndarray:
    """Erlang-B blocking probability ``B(c, a)`` (stable recursion, vectorised).

    ``B(0, a) = 1``; ``B(n, a) = a B(n-1, a) / (n + a B(n-1, a))``. Where the bound
    ``B(c, a) <= a**c / c!`` is below 1e-15 the result is that bound (it is the exact value
    to within 1e-15 absolute); the recursion runs only on the other elements.
    """
    c = np.asarray(channels, dtype=np.int64)
    a = np.asarray(load, dtype=np.float64)
    c, a = np.broadcast_arrays(c, a)
    with np.errstate(divide="ignore", over="ignore"):
        bound = np.exp(c * np.log(np.maximum(a, 1e-300)) - special.gammaln(c + 1.0))
    out = np.where(a > 0, np.minimum(bound, 1.0), np.where(c == 0, 1.0, 0.0))
    idx = np.flatnonzero((bound > 1e-15) & (a > 0))
    if idx.size:
        cs = c.ravel()[idx]
        as_ = a.ravel()[idx]
        b = np.ones(idx.size)
        for k in range(1, int(cs.max()) + 1):
            nb = as_ * b / (k + as_ * b)
            b = np.where(k <= cs, nb, b)
        flat = out.reshape(-1)
        flat[idx] = b
    return out


def erlang_c(channels: int, load: float) -> float:
    """Erlang-C probability of waiting ``C(c, a)`` for an M/M/c queue (``a < c``)."""
    if load >= channels:
        return 1.0
    b = float(erlang_b(channels, load))
    return channels * b / (channels - load * (1 - b))
