"""Each distribution: validation of its arguments, sample moments against closed forms."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from scenario.config.distributions import (
    DISTRIBUTION_NAMES,
    DistributionSpec,
    describe,
    is_assumption,
    mean,
    sample,
)

ADAPTER: TypeAdapter[Any] = TypeAdapter(DistributionSpec)
PROV = {"source": "test", "as_of": dt.date(2024, 11, 1), "confidence": "low"}


def spec(**kw: Any) -> Any:
    return ADAPTER.validate_python({**kw, **PROV})


VALID = [
    {"dist": "fixed", "value": 3.0},
    {"dist": "uniform", "low": 1, "high": 4},
    {"dist": "triangular", "low": 10000, "mode": 11000, "high": 12000},
    {"dist": "pert", "low": 0, "mode": 2, "high": 10},
    {"dist": "normal", "mean": 5, "sd": 2},
    {"dist": "truncnormal", "mean": 0, "sd": 1, "low": -0.5, "high": 2.0},
    {"dist": "truncnormal", "mean": 1, "sd": 1, "low": 0},
    {"dist": "lognormal", "mu": 1.0, "sigma": 0.5},
    {"dist": "lognormal", "p05": 50, "p95": 130},
    {"dist": "beta", "a": 2, "b": 5, "low": 0.1, "high": 0.4},
    {"dist": "poisson", "lam": 4.5},
    {"dist": "binomial", "n": 20, "p": 0.3},
    {"dist": "bernoulli", "p": 0.2},
    {"dist": "choice", "values": [1, 2, 6], "weights": [1, 1, 2]},
    {"dist": "empirical", "values": [3, 4, 4, 10]},
]


def test_every_distribution_is_covered() -> None:
    assert {v["dist"] for v in VALID} == set(DISTRIBUTION_NAMES)


@pytest.mark.parametrize("kw", VALID, ids=lambda k: str(k["dist"]))
def test_sample_mean_matches_closed_form(kw: dict[str, Any]) -> None:
    s = spec(**kw)
    x = sample(s, 200_000, rng=np.random.default_rng(7))
    assert x.shape == (200_000,) and x.dtype == np.float64
    se = x.std(ddof=1) / math.sqrt(x.size)
    assert abs(x.mean() - mean(s)) <= 4 * se + 1e-12
    assert describe(s).startswith(kw["dist"])


def test_lognormal_by_interval_has_that_interval() -> None:
    s = spec(dist="lognormal", p05=50, p95=130)
    x = sample(s, 400_000, rng=np.random.default_rng(1))
    q05, q95 = np.quantile(x, [0.05, 0.95])
    assert q05 == pytest.approx(50, rel=0.01)
    assert q95 == pytest.approx(130, rel=0.01)


def test_truncnormal_respects_bounds() -> None:
    s = spec(dist="truncnormal", mean=0, sd=1, low=-0.5, high=2.0)
    x = sample(s, 50_000, rng=np.random.default_rng(2))
    assert x.min() >= -0.5 and x.max() <= 2.0


BAD = [
    ({"dist": "uniform", "low": 4, "high": 4}, "high"),
    ({"dist": "triangular", "low": 1, "mode": 5, "high": 4}, "mode"),
    ({"dist": "triangular", "low": 5, "mode": 5, "high": 4}, "high"),
    ({"dist": "pert", "low": 0, "mode": -1, "high": 4}, "mode"),
    ({"dist": "normal", "mean": 0, "sd": 0}, "sd"),
    ({"dist": "normal", "mean": 0, "sd": -1}, "sd"),
    ({"dist": "truncnormal", "mean": 0, "sd": 1, "low": 2, "high": 1}, "high"),
    ({"dist": "truncnormal", "mean": 0, "sd": 1, "low": 50, "high": 60}, "mass"),
    ({"dist": "lognormal", "p05": 10, "p95": 5}, "p95"),
    ({"dist": "lognormal", "p05": -1, "p95": 5}, "p95"),
    ({"dist": "lognormal", "mu": 1, "sigma": 1, "p05": 1, "p95": 2}, "either"),
    ({"dist": "lognormal", "mu": 1}, "sigma"),
    ({"dist": "lognormal", "mu": 1, "sigma": 0}, "sigma"),
    ({"dist": "beta", "a": 0, "b": 1}, "a"),
    ({"dist": "poisson", "lam": -1}, "lam"),
    ({"dist": "binomial", "n": -1, "p": 0.5}, "n"),
    ({"dist": "binomial", "n": 3, "p": 1.5}, "p"),
    ({"dist": "bernoulli", "p": -0.1}, "p"),
    ({"dist": "choice", "values": []}, "values"),
    ({"dist": "choice", "values": [1, 2], "weights": [1]}, "weights"),
    ({"dist": "choice", "values": [1, 2], "weights": [0, 0]}, "weights"),
    ({"dist": "choice", "values": [1, 2], "weights": [-1, 2]}, "weights"),
    ({"dist": "empirical", "values": []}, "values"),
    ({"dist": "gamma", "a": 1}, "dist"),
]


@pytest.mark.parametrize(("kw", "needle"), BAD, ids=lambda v: str(v))
def test_bad_arguments_are_rejected(kw: dict[str, Any], needle: str) -> None:
    with pytest.raises(ValidationError) as info:
        spec(**kw)
    text = str(info.value)
    assert needle in text


def test_provenance_is_required() -> None:
    with pytest.raises(ValidationError, match="source"):
        ADAPTER.validate_python(
            {"dist": "fixed", "value": 1, "as_of": "2024-01-01", "confidence": "low"}
        )
    with pytest.raises(ValidationError, match="as_of"):
        ADAPTER.validate_python({"dist": "fixed", "value": 1, "source": "x", "confidence": "low"})
    with pytest.raises(ValidationError, match="confidence"):
        ADAPTER.validate_python(
            {"dist": "fixed", "value": 1, "source": "x", "as_of": "2024-01-01"}
        )
    with pytest.raises(ValidationError, match="source"):
        ADAPTER.validate_python(
            {
                "dist": "fixed",
                "value": 1,
                "source": "  ",
                "as_of": "2024-01-01",
                "confidence": "low",
            }
        )


def test_assumption_flag() -> None:
    a = ADAPTER.validate_python(
        {
            "dist": "fixed",
            "value": 1,
            "source": "ASSUMPTION: judgement",
            "as_of": "2024-01-01",
            "confidence": "none",
        }
    )
    assert is_assumption(a)
    assert not is_assumption(spec(dist="fixed", value=1))


@given(
    low=st.floats(-1e6, 1e6, allow_nan=False),
    width=st.floats(1e-3, 1e6, allow_nan=False),
    frac=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_triangular_and_pert_stay_in_support(
    low: float, width: float, frac: float, seed: int
) -> None:
    high = low + width
    mode = low + frac * width
    for dist in ("triangular", "pert"):
        s = spec(dist=dist, low=low, mode=min(max(mode, low), high), high=high)
        x = sample(s, 256, rng=np.random.default_rng(seed))
        assert np.all(np.isfinite(x))
        assert x.min() >= low - 1e-9 * abs(low) and x.max() <= high + 1e-9 * abs(high)


def test_same_generator_state_same_draws() -> None:
    s = spec(dist="pert", low=0, mode=2, high=10)
    a = sample(s, 100, rng=np.random.default_rng(3))
    b = sample(s, 100, rng=np.random.default_rng(3))
    assert np.array_equal(a, b)
