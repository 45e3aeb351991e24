"""The distribution specs: one frozen pydantic model per distribution, with provenance.

Each spec validates its own arguments (order of bounds, positive scales, weights) and carries
where its range comes from (``source``, ``as_of``, ``confidence``, optional ``note``: the
fields of :class:`Provenance`).

Arguments are refused unless numpy can sample them and every draw is finite: every number has
magnitude at most ``BIG = 1e300`` (so sums and differences of two of them stay finite); the
triangular products ``(high - low)(mode - low)`` and ``(high - low)(high - mode)`` (which
numpy's sampler and the quantile function form) are finite; a normal draw is then at most
``BIG + 40 BIG``, finite (numpy's ziggurat returns ``|z| <= 3.654 + 36.74 / 3.654 = 13.71``;
the truncated normal clips ``Phi^{-1}`` to ``[1e-300, 1 - 1e-16]``, ``|z| <= 37.1``); a
lognormal has ``mu + max(Z_MAX sigma, sigma^2 / 2) <= ln(max float) = 709.78`` with
``Z_MAX = 14`` (every draw and the mean finite); Poisson ``lam <= 1e15`` and binomial
``n <= 2**31 - 1`` (numpy refuses ``lam`` above about 9.2e18 and ``n`` above int64; scipy's
binomial CDF, behind the quantile function, takes a C int ``n``; the Poisson quantile search
does not converge near 1e18); beta shapes ``a, b`` and the PERT weight ``lamb`` at most
``1e15`` (scipy's inverse incomplete beta, behind the quantile function, returns NaN for
shapes near 1e300).

:data:`DistributionSpec` is any one of them, chosen by the ``dist`` field. The
parameterisations, and the functions that draw from, average and describe a spec, are in
:mod:`scenario.config.distributions`, which re-exports every name defined here.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
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
BIG = 1e300  # largest magnitude of any distribution argument
Z_MAX = 14.0  # above the largest |z| numpy's ziggurat normal sampler can return (13.71)
_LOG_MAX = math.log(sys.float_info.max)  # 709.78: exp() of anything above overflows
LAM_MAX = 1e15  # largest Poisson mean (draws stay exact float64 integers, ppf converges)
N_MAX = 2**31 - 1  # largest binomial n (scipy's bdtr takes a C int)
SHAPE_MAX = 1e15  # largest beta shape and PERT lamb (scipy's betaincinv is NaN near 1e300)


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
    if not (math.isfinite(value) and abs(value) <= BIG):
        raise ValueError(f"{name}: must be finite, of magnitude at most {BIG:g} (got {value})")


def _at_most(name: str, value: float, limit: float) -> None:
    if not value <= limit:  # NaN fails too
        raise ValueError(f"{name}: must be at most {limit:g} (got {value:g})")


def _positive(name: str, scale: float) -> None:
    _finite(name, scale)
    if not scale > 0:
        raise ValueError(f"{name}: must be a positive number (got {scale})")


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
        width = self.high - self.low
        if not math.isfinite(width * max(self.mode - self.low, self.high - self.mode)):
            raise ValueError(
                f"high: the range [{self.low:g}, {self.high:g}] is too wide for numpy's "
                "triangular sampler ((high - low) x (mode - low) overflows)"
            )
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
        _at_most("lamb", self.lamb, SHAPE_MAX)
        return self


class Normal(_Spec):
    """Normal with mean ``mean`` and standard deviation ``sd``."""

    dist: Literal["normal"]
    mean: float
    sd: float

    @model_validator(mode="after")
    def _check(self) -> Self:
        _finite("mean", self.mean)
        _positive("sd", self.sd)
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
        _positive("sd", self.sd)
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
            _positive("sigma", self.sigma)
            name = "sigma"
        else:
            if self.p05 is None or self.p95 is None:
                raise ValueError("p95: p05 and p95 go together (one is missing)")
            if not 0 < self.p05 < self.p95 <= BIG:
                raise ValueError(
                    f"p95: need 0 < p05 < p95 <= {BIG:g} (got p05={self.p05}, p95={self.p95})"
                )
            name = "p95"
        mu, sigma = self.log_params
        if mu + max(Z_MAX * sigma, sigma * sigma / 2) > _LOG_MAX:
            raise ValueError(
                f"{name}: too large to sample: exp(mu + {Z_MAX:g} sigma) or the mean "
                f"exp(mu + sigma^2/2) overflows (mu={mu:g}, sigma={sigma:g})"
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
        _at_most("a", self.a, SHAPE_MAX)
        _at_most("b", self.b, SHAPE_MAX)
        _ordered(self.low, self.high)
        return self


class Poisson(_Spec):
    """Poisson count with mean ``lam``."""

    dist: Literal["poisson"]
    lam: float = Field(ge=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _check(self) -> Self:
        _at_most("lam", self.lam, LAM_MAX)
        return self


class Binomial(_Spec):
    """Binomial count of ``n`` trials with success probability ``p``."""

    dist: Literal["binomial"]
    n: int = Field(ge=0)
    p: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.n > N_MAX:
            raise ValueError(f"n: must be at most {N_MAX} (2**31 - 1) (got {self.n:g})")
        return self


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
            if any(not (math.isfinite(w) and 0 <= w <= BIG) for w in self.weights):
                raise ValueError(
                    f"weights: must be finite, >= 0 and at most {BIG:g} (got {self.weights})"
                )
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
