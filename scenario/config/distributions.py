"""Distribution specifications for uncertain parameters, and their samplers.

Every uncertain input in a scenario is one of these specs plus its provenance (``source``,
``as_of``, ``confidence``). A spec is a frozen pydantic model that validates its own
arguments; :func:`sample` turns it into ``n`` draws from a caller-supplied
:class:`numpy.random.Generator` (there is no global random state).

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

import datetime as dt
import math
from typing import Annotated, Any, Literal, Self

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from scipy import special

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

Confidence = Literal["high", "medium", "low", "none"]

_Z95 = 1.6448536269514722  # standard normal 95th percentile


class _Spec(BaseModel):
    """Fields every uncertain parameter carries: provenance and an optional note."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(
        min_length=1,
        description="Where the range comes from (publication, date); or 'ASSUMPTION: why'.",
    )
    as_of: dt.date = Field(description="Date the source describes or was published.")
    confidence: Confidence = Field(description="How far the range can be trusted.")
    note: str | None = Field(default=None, description="Free text shown in the register.")

    @field_validator("source")
    @classmethod
    def _source_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(f"must name a source or start with 'ASSUMPTION' (got {value!r})")
        return value


def _finite(name: str, value: float) -> None:
    if not math.isfinite(value):
        raise ValueError(f"{name}: must be finite (got {value})")


def _ordered(low: float, high: float) -> None:
    _finite("low", low)
    _finite("high", high)
    if not low < high:
        raise ValueError(f"high: must be greater than low (got low={low}, high={high})")


def _mode_inside(low: float, mode: float, high: float) -> None:
    _ordered(low, high)
    if not low <= mode <= high:
        raise ValueError(f"mode: must lie in [low, high] = [{low}, {high}] (got {mode})")


class Fixed(_Spec):
    """A parameter known exactly (still carries its source)."""

    dist: Literal["fixed"]
    value: float

    @model_validator(mode="after")
    def _check(self) -> Self:
        _finite("value", self.value)
        return self


class Uniform(_Spec):
    """Continuous uniform on ``[low, high)``."""

    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _check(self) -> Self:
        _ordered(self.low, self.high)
        return self


class Triangular(_Spec):
    """Triangular with minimum ``low``, most likely ``mode`` and maximum ``high``."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _check(self) -> Self:
        _mode_inside(self.low, self.mode, self.high)
        return self


class Pert(_Spec):
    """Beta-PERT with minimum ``low``, most likely ``mode``, maximum ``high``."""

    dist: Literal["pert"]
    low: float
    mode: float
    high: float
    lamb: float = Field(default=4.0, gt=0, description="Weight of the mode (4 is classic).")

    @model_validator(mode="after")
    def _check(self) -> Self:
        _mode_inside(self.low, self.mode, self.high)
        return self


class Normal(_Spec):
    """Normal with mean ``mean`` and standard deviation ``sd``."""

    dist: Literal["normal"]
    mean: float
    sd: float

    @model_validator(mode="after")
    def _check(self) -> Self:
        _finite("mean", self.mean)
        if not (math.isfinite(self.sd) and self.sd > 0):
            raise ValueError(f"sd: must be a positive number (got {self.sd})")
        return self


class TruncNormal(_Spec):
    """Normal truncated to ``[low, high]``; a missing bound is infinite."""

    dist: Literal["truncnormal"]
    mean: float
    sd: float
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _finite("mean", self.mean)
        if not (math.isfinite(self.sd) and self.sd > 0):
            raise ValueError(f"sd: must be a positive number (got {self.sd})")
        lo = -math.inf if self.low is None else self.low
        hi = math.inf if self.high is None else self.high
        if not lo < hi:
            raise ValueError(f"high: must be greater than low (got low={lo}, high={hi})")
        a, b = (lo - self.mean) / self.sd, (hi - self.mean) / self.sd
        if float(special.ndtr(b) - special.ndtr(a)) < 1e-12:
            raise ValueError(
                f"low: the interval [{lo}, {hi}] holds no probability mass of "
                f"normal({self.mean}, {self.sd})"
            )
        return self


class LogNormal(_Spec):
    """Log-normal, by ``mu``/``sigma`` of the log or by a 90 % interval ``p05``/``p95``."""

    dist: Literal["lognormal"]
    mu: float | None = None
    sigma: float | None = None
    p05: float | None = None
    p95: float | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        by_moments = self.mu is not None or self.sigma is not None
        by_interval = self.p05 is not None or self.p95 is not None
        if by_moments == by_interval:
            raise ValueError(
                "give either mu and sigma, or p05 and p95 (a 90 % interval), not both or neither"
            )
        if by_moments:
            if self.mu is None or self.sigma is None:
                raise ValueError("sigma: mu and sigma go together (one is missing)")
            _finite("mu", self.mu)
            if not (math.isfinite(self.sigma) and self.sigma > 0):
                raise ValueError(f"sigma: must be a positive number (got {self.sigma})")
        else:
            if self.p05 is None or self.p95 is None:
                raise ValueError("p95: p05 and p95 go together (one is missing)")
            if not 0 < self.p05 < self.p95 < math.inf:
                raise ValueError(
                    f"p95: need 0 < p05 < p95 < inf (got p05={self.p05}, p95={self.p95})"
                )
        return self

    @property
    def log_params(self) -> tuple[float, float]:
        """``(mu, sigma)`` of the underlying normal."""
        if self.mu is not None and self.sigma is not None:
            return self.mu, self.sigma
        lo, hi = math.log(self.p05 or 1.0), math.log(self.p95 or 1.0)
        return (lo + hi) / 2, (hi - lo) / (2 * _Z95)


class Beta(_Spec):
    """Beta(a, b) scaled to ``[low, high]``."""

    dist: Literal["beta"]
    a: float = Field(gt=0)
    b: float = Field(gt=0)
    low: float = 0.0
    high: float = 1.0

    @model_validator(mode="after")
    def _check(self) -> Self:
        _ordered(self.low, self.high)
        return self


class Poisson(_Spec):
    """Poisson count with mean ``lam``."""

    dist: Literal["poisson"]
    lam: float = Field(ge=0, allow_inf_nan=False)


class Binomial(_Spec):
    """Binomial count of ``n`` trials with success probability ``p``."""

    dist: Literal["binomial"]
    n: int = Field(ge=0)
    p: float = Field(ge=0, le=1)


class Bernoulli(_Spec):
    """1 with probability ``p``, else 0."""

    dist: Literal["bernoulli"]
    p: float = Field(ge=0, le=1)


class Choice(_Spec):
    """One of a few ``values`` with optional ``weights``."""

    dist: Literal["choice"]
    values: list[float] = Field(min_length=1)
    weights: list[float] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        for v in self.values:
            _finite("values", v)
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    f"weights: need one weight per value ({len(self.values)} values, "
                    f"got {len(self.weights)} weights)"
                )
            if any(not (math.isfinite(w) and w >= 0) for w in self.weights):
                raise ValueError(f"weights: must be finite and >= 0 (got {self.weights})")
            if sum(self.weights) <= 0:
                raise ValueError(f"weights: must not all be zero (got {self.weights})")
        return self


class Empirical(_Spec):
    """Bootstrap from an observed record: draws ``values`` with replacement."""

    dist: Literal["empirical"]
    values: list[float] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Self:
        for v in self.values:
            _finite("values", v)
        return self


DistributionSpec = Annotated[
    Fixed
    | Uniform
    | Triangular
    | Pert
    | Normal
    | TruncNormal
    | LogNormal
    | Beta
    | Poisson
    | Binomial
    | Bernoulli
    | Choice
    | Empirical,
    Field(discriminator="dist"),
]
"""Any one distribution spec, chosen by its ``dist`` field."""

DISTRIBUTION_NAMES: tuple[str, ...] = (
    "fixed",
    "uniform",
    "triangular",
    "pert",
    "normal",
    "truncnormal",
    "lognormal",
    "beta",
    "poisson",
    "binomial",
    "bernoulli",
    "choice",
    "empirical",
)


def is_assumption(spec: _Spec) -> bool:
    """Return True if the spec's source is a labelled ASSUMPTION rather than a citation."""
    return spec.source.strip().upper().startswith("ASSUMPTION")


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
