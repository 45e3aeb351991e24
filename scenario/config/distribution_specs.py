"""The distribution specs: one frozen pydantic model per distribution, with provenance.

Each spec validates its own arguments (order of bounds, positive scales, weights) and carries
where its range comes from (``source``, ``as_of``, ``confidence``, optional ``note``: the
fields of :class:`Provenance`).
:data:`DistributionSpec` is any one of them, chosen by the ``dist`` field. The
parameterisations, and the functions that draw from, average and describe a spec, are in
:mod:`scenario.config.distributions`, which re-exports every name defined here.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Literal, Self

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
    "Provenance",
    "Triangular",
    "TruncNormal",
    "Uniform",
    "is_assumption",
]

Confidence = Literal["high", "medium", "low", "none"]

_Z95 = 1.6448536269514722  # standard normal 95th percentile


class Provenance(BaseModel):
    """Fields every uncertain input carries: provenance and an optional note.

    Every distribution spec derives from it, and so does a rank correlation between two
    parameters (:class:`scenario.config.correlations.RankCorrelation`).
    """

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


_Spec = Provenance


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


def is_assumption(spec: Provenance) -> bool:
    """Return True if the spec's source is a labelled ASSUMPTION rather than a citation."""
    return spec.source.strip().upper().startswith("ASSUMPTION")
