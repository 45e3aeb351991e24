"""Distribution specifications for uncertain parameters, and their samplers.

Every uncertain input in a scenario is one of these specs plus its provenance (``source``,
``as_of``, ``confidence``). A spec is a frozen pydantic model that validates its own
arguments (defined in :mod:`scenario.config.distribution_specs`, re-exported here);
:func:`sample` turns it into ``n`` draws from a caller-supplied
:class:`numpy.random.Generator` (there is no global random state), :func:`mean` gives its
exact mean, :func:`describe` a compact text form, and :func:`ppf` its quantile function
(inverse CDF), through which a unit-hypercube design (Latin hypercube, Sobol sequence, SALib)
maps onto the declared marginals.

Parameterisations
-----------------
``fixed(value)``
    Always ``value``.
``uniform(low, high)``
    Continuous uniform on ``[low, high)``, ``low < high``.
``triangular(low, mode, high)``
    ``low <= mode <= high``, ``low < high``.
``pert(low, mode, high, lamb=4)``
    Beta-PERT: ``low + (high - low) * Beta(1 + lamb (mode-low)/(high-low),
    1 + lamb (high-mode)/(high-low))``; mean ``(low + lamb*mode + high) / (lamb + 2)``.
``normal(mean, sd)``
    ``sd > 0``.
``truncnormal(mean, sd, low, high)``
    Normal restricted to ``[low, high]`` (either bound may be omitted), by inverse CDF.
``lognormal(mu, sigma)`` or ``lognormal(p05, p95)``
    ``exp(N(mu, sigma))``; by 90 % interval ``mu = (ln p05 + ln p95)/2``,
    ``sigma = (ln p95 - ln p05) / (2 * 1.6448536)``, ``0 < p05 < p95``.
``beta(a, b, low=0, high=1)``
    ``low + (high - low) * Beta(a, b)``, ``a, b > 0``.
``poisson(lam)``, ``binomial(n, p)``, ``bernoulli(p)``
    Counts; ``lam >= 0``, ``p`` in ``[0, 1]``.
``choice(values, weights=None)``
    One of ``values`` with probabilities ``weights / sum(weights)`` (equal if omitted).
``empirical(values)``
    Resampling with replacement from observed ``values`` (a bootstrap of the record).

Quantile functions
------------------
:func:`ppf` is the exact inverse of the CDF ``F`` of the marginal :func:`sample` draws from,
``F^{-1}(q) = inf {x in support : F(x) >= q}`` (for a discrete distribution: the smallest
support value whose CDF reaches ``q``). ``F^{-1}(0)`` and ``F^{-1}(1)`` are the ends of the
support (``-inf``/``inf`` where it is unbounded). If ``U ~ U(0, 1)`` then ``F^{-1}(U) ~ F``
(the inverse-transform theorem; Devroye 1986, *Non-Uniform Random Variate Generation*,
ch. II.2). Closed forms: uniform ``low + (high-low) q``; triangular with
``c = (mode-low)/(high-low)``: ``low + sqrt(q (high-low)(mode-low))`` for ``q < c``, else
``high - sqrt((1-q)(high-low)(high-mode))``; normal ``mean + sd Phi^{-1}(q)``; truncated
normal ``mean + sd Phi^{-1}(Phi(a) + q (Phi(b) - Phi(a)))`` with ``a, b`` the standardized
bounds (computed on the upper tail when ``a > 0``, for precision); lognormal
``exp(mu + sigma Phi^{-1}(q))``; beta and PERT ``low + (high-low) I^{-1}_q(a, b)`` (inverse
regularized incomplete beta). Poisson and binomial by integer bisection on their CDFs
(regularized incomplete gamma and beta functions); choice, empirical and Bernoulli by
search in the cumulative weights of their sorted values.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import special

from scenario.config.distribution_specs import (
    DISTRIBUTION_NAMES,
    Bernoulli,
    Beta,
    Binomial,
    Choice,
    Confidence,
    DistributionSpec,
    Empirical,
    Fixed,
    LogNormal,
    Normal,
    Pert,
    Poisson,
    Provenance,
    Triangular,
    TruncNormal,
    Uniform,
    is_assumption,
)
from scenario.errors import EngineError

__all__ = [
    "DISTRIBUTION_NAMES",
    "Bernoulli",
    "Beta",
    "Binomial",
    "Choice",
    "Confidence",
    "DistributionSpec",
    "Empirical",
    "Fixed",
    "LogNormal",
    "Normal",
    "Pert",
    "Poisson",
    "Provenance",
    "Triangular",
    "TruncNormal",
    "Uniform",
    "describe",
    "is_assumption",
    "mean",
    "ppf",
    "sample",
]


def sample(spec: Any, n: int, *, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` values of a distribution spec.

    Parameters
    ----------
    spec : DistributionSpec
        A validated spec.
    n : int
        Number of draws, ``n >= 0``.
    rng : numpy.random.Generator
        The stream to draw from (keyword-only; the library keeps no global generator).

    Returns
    -------
    numpy.ndarray
        ``float64`` array of shape ``(n,)``.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0 (got {n})")
    out: np.ndarray
    match spec:
        case Fixed():
            out = np.full(n, spec.value)
        case Uniform():
            out = rng.uniform(spec.low, spec.high, n)
        case Triangular():
            if spec.low == spec.mode == spec.high:
                out = np.full(n, spec.mode)
            else:
                out = rng.triangular(spec.low, spec.mode, spec.high, n)
        case Pert():
            width = spec.high - spec.low
            a = 1 + spec.lamb * (spec.mode - spec.low) / width
            b = 1 + spec.lamb * (spec.high - spec.mode) / width
            out = spec.low + width * rng.beta(a, b, n)
        case Normal():
            out = rng.normal(spec.mean, spec.sd, n)
        case TruncNormal():
            lo = -np.inf if spec.low is None else (spec.low - spec.mean) / spec.sd
            hi = np.inf if spec.high is None else (spec.high - spec.mean) / spec.sd
            plo, phi = special.ndtr(lo), special.ndtr(hi)
            u = plo + (phi - plo) * rng.random(n)
            z = special.ndtri(np.clip(u, 1e-300, 1 - 1e-16))
            out = np.clip(spec.mean + spec.sd * z, spec.low, spec.high)
        case LogNormal():
            mu, sigma = spec.log_params
            out = rng.lognormal(mu, sigma, n)
        case Beta():
            out = spec.low + (spec.high - spec.low) * rng.beta(spec.a, spec.b, n)
        case Poisson():
            out = rng.poisson(spec.lam, n).astype(np.float64)
        case Binomial():
            out = rng.binomial(spec.n, spec.p, n).astype(np.float64)
        case Bernoulli():
            out = (rng.random(n) < spec.p).astype(np.float64)
        case Choice():
            w = None if spec.weights is None else np.asarray(spec.weights) / sum(spec.weights)
            out = rng.choice(np.asarray(spec.values, dtype=np.float64), size=n, p=w)
        case Empirical():
            out = rng.choice(np.asarray(spec.values, dtype=np.float64), size=n, replace=True)
        case _:
            raise TypeError(f"spec must be a distribution spec (got {type(spec).__name__})")
    return np.asarray(out, dtype=np.float64)


def mean(spec: Any) -> float:
    """Return the exact mean of a distribution spec (used for central estimates)."""
    match spec:
        case Fixed():
            return spec.value
        case Uniform():
            return (spec.low + spec.high) / 2
        case Triangular():
            return (spec.low + spec.mode + spec.high) / 3
        case Pert():
            return (spec.low + spec.lamb * spec.mode + spec.high) / (spec.lamb + 2)
        case Normal():
            return spec.mean
        case TruncNormal():
            lo = -np.inf if spec.low is None else (spec.low - spec.mean) / spec.sd
            hi = np.inf if spec.high is None else (spec.high - spec.mean) / spec.sd
            z = special.ndtr(hi) - special.ndtr(lo)
            pdf = (math.exp(-lo * lo / 2) if np.isfinite(lo) else 0.0) - (
                math.exp(-hi * hi / 2) if np.isfinite(hi) else 0.0
            )
            return float(spec.mean + spec.sd * pdf / math.sqrt(2 * math.pi) / z)
        case LogNormal():
            mu, sigma = spec.log_params
            return math.exp(mu + sigma * sigma / 2)
        case Beta():
            return spec.low + (spec.high - spec.low) * (spec.a / (spec.a + spec.b))
        case Poisson():
            return spec.lam
        case Binomial():
            return spec.n * spec.p
        case Bernoulli():
            return spec.p
        case Choice():
            w = np.ones(len(spec.values)) if spec.weights is None else np.asarray(spec.weights)
            return float(np.dot(w / w.sum(), spec.values))
        case Empirical():
            return float(np.mean(spec.values))
    raise TypeError(f"spec must be a distribution spec (got {type(spec).__name__})")


def describe(spec: Any) -> str:
    """Return a compact human-readable form, e.g. ``triangular(10000, 11000, 12000)``."""

    def g(x: float | None) -> str:
        return "-" if x is None else f"{x:g}"

    match spec:
        case Fixed():
            return f"fixed({g(spec.value)})"
        case Uniform():
            return f"uniform({g(spec.low)}, {g(spec.high)})"
        case Triangular():
            return f"triangular({g(spec.low)}, {g(spec.mode)}, {g(spec.high)})"
        case Pert():
            return f"pert({g(spec.low)}, {g(spec.mode)}, {g(spec.high)})"
        case Normal():
            return f"normal({g(spec.mean)}, sd={g(spec.sd)})"
        case TruncNormal():
            return f"truncnormal({g(spec.mean)}, sd={g(spec.sd)}, [{g(spec.low)}, {g(spec.high)}])"
        case LogNormal():
            if spec.p05 is not None:
                return f"lognormal(90% in [{g(spec.p05)}, {g(spec.p95)}])"
            return f"lognormal(mu={g(spec.mu)}, sigma={g(spec.sigma)})"
        case Beta():
            return f"beta({g(spec.a)}, {g(spec.b)}) on [{g(spec.low)}, {g(spec.high)}]"
        case Poisson():
            return f"poisson({g(spec.lam)})"
        case Binomial():
            return f"binomial({spec.n}, {g(spec.p)})"
        case Bernoulli():
            return f"bernoulli({g(spec.p)})"
        case Choice():
            return f"choice({', '.join(g(v) for v in spec.values)})"
        case Empirical():
            return f"empirical({len(spec.values)} values)"
    raise TypeError(f"spec must be a distribution spec (got {type(spec).__name__})")


def _check_q(q: Any) -> np.ndarray:
    """``q`` as a float64 array, or an error naming its range if any value is outside [0, 1]."""
    arr = np.asarray(q, dtype=np.float64)
    bad = ~((arr >= 0.0) & (arr <= 1.0))  # NaN counts as bad
    if np.any(bad):
        flat = arr.reshape(-1)
        i = int(np.flatnonzero(bad.reshape(-1))[0])
        finite = flat[np.isfinite(flat)]
        rng = f"[{finite.min():g}, {finite.max():g}]" if finite.size else "no finite values"
        raise EngineError(
            f"q must lie in [0, 1]; got values in {rng} (first bad: q[{i}] = {float(flat[i])!r})"
        )
    return arr


def _discrete_ppf(values: np.ndarray, weights: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Smallest of ``values`` whose cumulative weight reaches ``q`` (zero weights dropped)."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    keep = w > 0
    v, w = v[keep], w[keep]
    cw = np.cumsum(w) / w.sum()
    cw[-1] = 1.0
    idx = np.searchsorted(cw, q, side="left")
    return v[np.minimum(idx, v.size - 1)]


def _integer_ppf(cdf: Any, q: np.ndarray, upper: int | None, start: int) -> np.ndarray:
    """Smallest integer ``k >= 0`` with ``cdf(k) >= q``, by bisection.

    ``upper`` bounds the support (binomial ``n``); ``None`` means unbounded (Poisson), where
    ``start`` is the first guess of an upper bound, doubled until ``cdf`` reaches every
    ``q < 1``; ``q == 1`` then maps to ``inf``.
    """
    out = np.empty(q.shape)
    top = q >= 1.0
    qq = q[~top] if upper is None else q
    if upper is None:
        out[top] = np.inf
        hi_k = max(start, 1)
        target = float(qq.max()) if qq.size else 0.0
        while float(cdf(np.float64(hi_k))) < target:
            hi_k *= 2
    else:
        hi_k = upper
    lo = np.full(qq.shape, -1.0)
    hi = np.full(qq.shape, float(hi_k))
    while np.any(hi - lo > 1):
        mid = np.floor((lo + hi) / 2)
        ok = cdf(mid) >= qq
        hi = np.where(ok, mid, hi)
        lo = np.where(ok, lo, mid)
    if upper is None:
        out[~top] = hi
        return out
    return hi


def ppf(spec: Any, q: Any) -> np.ndarray:
    """Quantile function (inverse CDF) of a distribution spec.

    The exact inverse of the CDF of the marginal :func:`sample` draws from (see the module
    docstring): for continuous distributions ``F^{-1}(q)``; for discrete ones the smallest
    support value ``x`` with ``F(x) >= q``. So ``ppf(spec, rng.random(n))`` has the same
    distribution as ``sample(spec, n, rng=rng)``, and a design on the unit hypercube maps
    onto the declared marginals.

    Parameters
    ----------
    spec : DistributionSpec
        A validated spec.
    q : array_like of float
        Probabilities in ``[0, 1]``, any shape. ``0`` and ``1`` give the ends of the support
        (``-inf`` or ``inf`` where it is unbounded, e.g. ``normal`` or ``poisson``).

    Returns
    -------
    numpy.ndarray
        ``float64`` array of the same shape as ``q``.

    Raises
    ------
    EngineError
        A value of ``q`` lies outside ``[0, 1]`` or is NaN (the message gives ``q``'s range).
    TypeError
        ``spec`` is not a distribution spec.
    """
    u = _check_q(q)
    flat = u.reshape(-1)
    return _ppf_flat(spec, flat).reshape(u.shape)


def _ppf_flat(spec: Any, q: np.ndarray) -> np.ndarray:
    out: np.ndarray
    match spec:
        case Fixed():
            out = np.full(q.shape, spec.value)
        case Uniform():
            out = spec.low + (spec.high - spec.low) * q
        case Triangular():
            out = _triangular_ppf(spec.low, spec.mode, spec.high, q)
        case Pert():
            width = spec.high - spec.low
            a = 1 + spec.lamb * (spec.mode - spec.low) / width
            b = 1 + spec.lamb * (spec.high - spec.mode) / width
            out = spec.low + width * _betaincinv(a, b, q)
        case Normal():
            out = spec.mean + spec.sd * special.ndtri(q)
        case TruncNormal():
            out = _truncnormal_ppf(spec, q)
        case LogNormal():
            mu, sigma = spec.log_params
            out = np.exp(mu + sigma * special.ndtri(q))
        case Beta():
            out = spec.low + (spec.high - spec.low) * _betaincinv(spec.a, spec.b, q)
        case Poisson():
            lam = spec.lam
            start = int(lam + 10 * math.sqrt(lam) + 10)
            out = _integer_ppf(lambda k: special.pdtr(k, lam), q, None, start)
        case Binomial():
            n, p = spec.n, spec.p
            if p == 1.0:  # the whole mass sits on n, so F(k) = 0 below it
                out = np.full(q.shape, float(n))
            else:
                out = _integer_ppf(lambda k: special.bdtr(k, n, p), q, n, n)
        case Bernoulli():
            out = _discrete_ppf(np.array([0.0, 1.0]), np.array([1 - spec.p, spec.p]), q)
        case Choice():
            vals = np.asarray(spec.values, dtype=np.float64)
            w = np.ones(vals.size) if spec.weights is None else np.asarray(spec.weights, float)
            out = _discrete_ppf(vals, w, q)
        case Empirical():
            vals = np.asarray(spec.values, dtype=np.float64)
            out = _discrete_ppf(vals, np.ones(vals.size), q)
        case _:
            raise TypeError(f"spec must be a distribution spec (got {type(spec).__name__})")
    return np.asarray(out, dtype=np.float64)


def _betaincinv(a: float, b: float, q: np.ndarray) -> np.ndarray:
    """Inverse regularized incomplete beta function, also far in the lower tail.

    SciPy returns NaN for some ``q`` below about 1e-150; there the leading term of
    ``I_x(a, b) = x^a / (a B(a, b)) (1 + O(x))`` gives ``x = (q a B(a, b))^(1/a)``, exact to
    a relative ``O(x)``.
    """
    x = np.asarray(special.betaincinv(a, b, q), dtype=np.float64)
    lost = np.isnan(x) & (q > 0) & (q < 0.5)
    if np.any(lost):
        logx = (np.log(q[lost]) + math.log(a) + special.betaln(a, b)) / a
        x[lost] = np.exp(logx)
    return x


def _triangular_ppf(low: float, mode: float, high: float, q: np.ndarray) -> np.ndarray:
    width = high - low
    c = (mode - low) / width
    left = low + np.sqrt(q * width * (mode - low))
    right = high - np.sqrt((1 - q) * width * (high - mode))
    return np.where(q < c, left, right)


def _truncnormal_ppf(spec: TruncNormal, q: np.ndarray) -> np.ndarray:
    a = -np.inf if spec.low is None else (spec.low - spec.mean) / spec.sd
    b = np.inf if spec.high is None else (spec.high - spec.mean) / spec.sd
    if a > 0:
        # Both bounds in the upper tail: work with survival functions, which keep precision.
        sa, sb = special.ndtr(-a), special.ndtr(-b)
        z = -special.ndtri(sa - q * (sa - sb))
    else:
        pa, pb = special.ndtr(a), special.ndtr(b)
        z = special.ndtri(pa + q * (pb - pa))
    lo = -np.inf if spec.low is None else spec.low
    hi = np.inf if spec.high is None else spec.high
    x = np.clip(spec.mean + spec.sd * z, lo, hi)
    return np.asarray(np.where(q == 0, lo, np.where(q == 1, hi, x)), dtype=np.float64)
