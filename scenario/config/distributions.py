"""Distribution specifications for uncertain parameters, and their samplers.

Every uncertain input in a scenario is one of these specs plus its provenance (``source``,
``as_of``, ``confidence``). A spec is a frozen pydantic model that validates its own
arguments (defined in :mod:`scenario.config.distribution_specs`, re-exported here);
:func:`sample` turns it into ``n`` draws from a caller-supplied
:class:`numpy.random.Generator` (there is no global random state), :func:`mean` gives its
exact mean and :func:`describe` a compact text form.

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
    Triangular,
    TruncNormal,
    Uniform,
    is_assumption,
)

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
    "Triangular",
    "TruncNormal",
    "Uniform",
    "describe",
    "is_assumption",
    "mean",
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
            return spec.low + (spec.high - spec.low) * spec.a / (spec.a + spec.b)
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
