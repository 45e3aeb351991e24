"""Each distribution: validation of its arguments, sample moments against closed forms, and
its quantile function (``ppf``) against scipy.stats and against ``sample``."""

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
    ppf,
    sample,
)
from scenario.errors import EngineError

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


# --- quantile functions ----------------------------------------------------------------------

DISCRETE = {"poisson", "binomial", "bernoulli", "choice", "empirical", "fixed"}


def _support(s: Any) -> np.ndarray:
    """The values with positive probability, sorted (Poisson's ends with inf)."""
    match s.dist:
        case "poisson":
            top = int(s.lam + 12 * math.sqrt(s.lam) + 30)
            return np.append(np.arange(0.0, top), np.inf) if s.lam > 0 else np.zeros(1)
        case "binomial":
            lo, hi = (0, 0) if s.p == 0 else ((s.n, s.n) if s.p == 1 else (0, s.n))
            return np.arange(float(lo), hi + 1.0)
        case "bernoulli":
            return np.array([x for x, w in ((0.0, 1 - s.p), (1.0, s.p)) if w > 0])
        case "choice" | "empirical":
            w = np.ones(len(s.values)) if getattr(s, "weights", None) is None else s.weights
            return np.unique([v for v, wi in zip(s.values, w, strict=True) if wi > 0])
    raise AssertionError(s.dist)


def _scipy(s: Any) -> Any:
    """The scipy.stats distribution of the marginal ``sample`` draws from."""
    from scipy import stats

    match s.dist:
        case "uniform":
            return stats.uniform(loc=s.low, scale=s.high - s.low)
        case "triangular":
            w = s.high - s.low
            return stats.triang((s.mode - s.low) / w, loc=s.low, scale=w)
        case "pert":
            w = s.high - s.low
            a = 1 + s.lamb * (s.mode - s.low) / w
            b = 1 + s.lamb * (s.high - s.mode) / w
            return stats.beta(a, b, loc=s.low, scale=w)
        case "normal":
            return stats.norm(s.mean, s.sd)
        case "truncnormal":
            lo = -np.inf if s.low is None else (s.low - s.mean) / s.sd
            hi = np.inf if s.high is None else (s.high - s.mean) / s.sd
            return stats.truncnorm(lo, hi, loc=s.mean, scale=s.sd)
        case "lognormal":
            mu, sigma = s.log_params
            return stats.lognorm(sigma, scale=math.exp(mu))
        case "beta":
            return stats.beta(s.a, s.b, loc=s.low, scale=s.high - s.low)
        case "poisson":
            return stats.poisson(s.lam)
        case "binomial":
            return stats.binom(s.n, s.p)
        case "bernoulli":
            return stats.bernoulli(s.p)
        case "choice" | "empirical":
            vals, idx = np.unique(np.asarray(s.values, dtype=float), return_inverse=True)
            w = np.ones(len(s.values)) if getattr(s, "weights", None) is None else s.weights
            pk = np.bincount(idx, weights=np.asarray(w, dtype=float))
            return stats.rv_discrete(values=(vals, pk / pk.sum()))
    raise AssertionError(s.dist)


EXTRA = [
    {"dist": "truncnormal", "mean": 0, "sd": 1, "low": 5, "high": 6},  # far upper tail
    {"dist": "truncnormal", "mean": 0, "sd": 1, "high": -4},  # lower tail, one bound
    {"dist": "triangular", "low": 0, "mode": 0, "high": 3},  # mode at a bound
    {"dist": "pert", "low": 0, "mode": 10, "high": 10, "lamb": 2},
    {"dist": "poisson", "lam": 250.0},
    {"dist": "binomial", "n": 7, "p": 1.0},
    {"dist": "bernoulli", "p": 0.0},
    {"dist": "bernoulli", "p": 1.0},
    {"dist": "choice", "values": [5, -1, 3], "weights": [0, 2, 1]},  # unsorted, zero weight
]
GRID = np.concatenate([np.linspace(0, 1, 201), [1e-12, 1e-6, 0.025, 0.975, 1 - 1e-6]])


@pytest.mark.parametrize("kw", VALID + EXTRA, ids=lambda k: str(k["dist"]))
def test_ppf_matches_scipy_stats(kw: dict[str, Any]) -> None:
    s = spec(**kw)
    got = ppf(s, GRID)
    assert got.shape == GRID.shape and got.dtype == np.float64
    if s.dist == "fixed":
        assert np.all(got == s.value)
        return
    want = _scipy(s).ppf(GRID)
    if s.dist in DISCRETE:
        # Same definition (smallest x with F(x) >= q) for 0 < q < 1. At the ends scipy
        # returns "support minimum - 1" and the upper end of the nominal support (even
        # where it has no mass); ppf the smallest and largest values with mass.
        inside = (GRID > 0) & (GRID < 1)
        assert np.array_equal(got[inside], want[inside])
        assert np.all(got[GRID == 0] == _support(s)[0])
        assert np.all(got[GRID == 1] == _support(s)[-1])
    else:
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    "kw", [k for k in VALID + EXTRA if k["dist"] in DISCRETE - {"fixed"}], ids=str
)
def test_discrete_ppf_is_the_smallest_value_whose_cdf_reaches_q(kw: dict[str, Any]) -> None:
    s = spec(**kw)
    dist = _scipy(s)
    x = ppf(s, np.linspace(0.0, 1.0, 10_001)[1:])
    q = np.linspace(0.0, 1.0, 10_001)[1:]
    finite = np.isfinite(x)
    assert np.all(dist.cdf(x[finite]) >= q[finite] - 1e-12)
    assert np.all(dist.cdf(x[finite] - 1e-9) < q[finite] + 1e-12)
    # Around the jumps: a hair below F(k) gives k, a hair above gives the next value.
    support = _support(s)
    jumps = dist.cdf(support)
    wide = np.flatnonzero(np.diff(jumps) > 1e-6)  # jumps far enough apart to probe
    assert np.array_equal(ppf(s, jumps[wide] * (1 - 1e-9)), support[wide])
    assert np.array_equal(ppf(s, jumps[wide] * (1 + 1e-9)), support[wide + 1])


KS_LEVEL = 1e-3  # fixed seeds: each p-value below is a deterministic number


@pytest.mark.parametrize("kw", VALID + EXTRA, ids=lambda k: str(k["dist"]))
def test_ppf_of_uniforms_has_the_distribution_of_sample(kw: dict[str, Any]) -> None:
    from scipy import stats

    s = spec(**kw)
    n = 20_000
    a = ppf(s, np.random.default_rng(11).random(n))
    b = sample(s, n, rng=np.random.default_rng(12))
    if s.dist in DISCRETE:
        # Chi-square test of homogeneity of the two samples' counts per value.
        values = np.union1d(a, b)
        if values.size == 1:
            assert np.array_equal(a, b)
            return
        table = np.array([[np.sum(x == v) for v in values] for x in (a, b)])
        p = stats.chi2_contingency(table[:, table.sum(axis=0) > 0])[1]
    else:
        p = stats.ks_2samp(a, b).pvalue
    assert p > KS_LEVEL, f"{s.dist}: p = {p:.2g}"


def test_ppf_and_sample_disagree_when_ppf_is_wrong() -> None:
    """The two-sample check above has power: a triangular ppf with the mode moved fails."""
    from scipy import stats

    s = spec(dist="triangular", low=0, mode=2, high=10)
    wrong = spec(dist="triangular", low=0, mode=3, high=10)
    a = ppf(wrong, np.random.default_rng(11).random(20_000))
    b = sample(s, 20_000, rng=np.random.default_rng(12))
    assert stats.ks_2samp(a, b).pvalue < KS_LEVEL


def test_a_latin_hypercube_maps_onto_the_marginals_exactly() -> None:
    from scipy.stats import qmc

    continuous = [spec(**k) for k in VALID + EXTRA if k["dist"] not in DISCRETE]
    n = 512
    u = qmc.LatinHypercube(d=len(continuous), seed=5).random(n)
    for j, s in enumerate(continuous):
        x = ppf(s, u[:, j])
        back = _scipy(s).cdf(x)
        np.testing.assert_allclose(back, u[:, j], rtol=1e-8, atol=1e-10)
        # One point in each of the n equal-probability strata of the marginal.
        assert np.array_equal(np.sort(np.floor(back * n + 1e-9)), np.arange(n))


def test_a_sobol_sequence_maps_onto_the_marginals_exactly() -> None:
    from scipy.stats import qmc

    specs = [spec(**k) for k in VALID + EXTRA]
    u = qmc.Sobol(d=len(specs), scramble=False).random_base2(8)  # first point is all zeros
    for j, s in enumerate(specs):
        x = ppf(s, u[:, j])
        if s.dist == "fixed":
            assert np.all(x == s.value)
            continue
        dist = _scipy(s)
        lo = dist.support()[0]
        assert x[0] == (dist.ppf(1e-300) if s.dist in DISCRETE else lo)
        if s.dist in DISCRETE:
            assert np.all(dist.cdf(x) >= u[:, j] - 1e-12)
        else:
            np.testing.assert_allclose(dist.cdf(x), u[:, j], rtol=1e-8, atol=1e-10)
        assert np.all(np.diff(x[np.argsort(u[:, j], kind="stable")]) >= 0)  # monotone in q


@pytest.mark.parametrize("bad", [-0.1, 1.5, np.nan, [0.2, 2.0], [[0.5], [-3.0]]])
def test_ppf_refuses_q_outside_the_unit_interval(bad: Any) -> None:
    with pytest.raises(EngineError, match=r"q must lie in \[0, 1\]; got values in"):
        ppf(spec(dist="normal", mean=0, sd=1), bad)


def test_ppf_error_gives_the_range_of_q() -> None:
    with pytest.raises(EngineError) as info:
        ppf(spec(dist="uniform", low=0, high=1), [0.5, 1.25, -0.5])
    assert "[-0.5, 1.25]" in str(info.value) and "q[1] = 1.25" in str(info.value)


def test_ppf_keeps_the_shape_of_q() -> None:
    s = spec(dist="poisson", lam=3)
    assert ppf(s, 0.5).shape == ()
    assert ppf(s, np.full((3, 4), 0.5)).shape == (3, 4)
    assert ppf(s, []).shape == (0,)


@given(
    low=st.floats(-1e3, 1e3, allow_nan=False),
    width=st.floats(1e-2, 1e3, allow_nan=False),
    frac=st.floats(0, 1),
    q=st.lists(st.floats(0, 1), min_size=2, max_size=20),
)
def test_ppf_is_monotone_and_stays_in_the_support(
    low: float, width: float, frac: float, q: list[float]
) -> None:
    high = low + width
    mode = min(max(low + frac * width, low), high)
    qs = np.sort(np.asarray(q))
    for dist in ("triangular", "pert", "uniform"):
        kw = {"low": low, "high": high} | ({} if dist == "uniform" else {"mode": mode})
        x = ppf(spec(dist=dist, **kw), qs)
        assert np.all(np.diff(x) >= -1e-9 * max(1.0, abs(high)))
        assert x.min() >= low - 1e-9 * max(1.0, abs(low))
        assert x.max() <= high + 1e-9 * max(1.0, abs(high))


# --- Every value that can break sampling is refused at validation (issue 11) ---------------

BIG = 1e300
AT_THE_LIMIT = [
    {"dist": "fixed", "value": -BIG},
    {"dist": "uniform", "low": -BIG, "high": BIG},
    {"dist": "triangular", "low": 0, "mode": 1e150, "high": 1e150},
    {"dist": "pert", "low": -1, "mode": 0, "high": 1, "lamb": 1e15},
    {"dist": "normal", "mean": BIG, "sd": BIG},
    {"dist": "truncnormal", "mean": -BIG, "sd": BIG},
    {"dist": "truncnormal", "mean": 0, "sd": BIG, "low": 0},
    {"dist": "lognormal", "mu": 317, "sigma": 28},
    {"dist": "lognormal", "mu": -BIG, "sigma": 1},
    {"dist": "lognormal", "p05": 1e-10, "p95": 1e10},
    {"dist": "beta", "a": 1e15, "b": 1e-300, "low": -BIG, "high": BIG},
    {"dist": "beta", "a": 1e-300, "b": 1e15, "low": -BIG, "high": BIG},
    {"dist": "beta", "a": 1e-300, "b": 1e-300},
    {"dist": "poisson", "lam": 1e15},
    {"dist": "binomial", "n": 2**31 - 1, "p": 0.5},
    {"dist": "binomial", "n": 2**31 - 1, "p": 1e-300},
    {"dist": "choice", "values": [-BIG, BIG], "weights": [BIG, BIG]},
    {"dist": "empirical", "values": [-BIG, BIG, BIG]},
]

BEYOND_THE_LIMIT = [
    ({"dist": "fixed", "value": 1e308}, "value"),
    ({"dist": "uniform", "low": -1e308, "high": 1e308}, "low"),
    ({"dist": "triangular", "low": 0, "mode": 1e160, "high": 1e160}, "too wide"),
    ({"dist": "pert", "low": -1, "mode": 0, "high": 1, "lamb": math.inf}, "lamb"),
    ({"dist": "normal", "mean": 0, "sd": 1e301}, "sd"),
    ({"dist": "normal", "mean": 0, "sd": math.nan}, "sd"),
    ({"dist": "truncnormal", "mean": 0, "sd": 0}, "sd"),
    ({"dist": "lognormal", "mu": 0, "sigma": 51}, "sigma"),
    ({"dist": "lognormal", "mu": 600, "sigma": 10}, "sigma"),
    ({"dist": "lognormal", "mu": 0, "sigma": math.inf}, "sigma"),
    ({"dist": "lognormal", "p05": 1e-300, "p95": 1e300}, "p95"),
    ({"dist": "pert", "low": -1, "mode": 0, "high": 1, "lamb": 1e16}, "lamb"),
    ({"dist": "beta", "a": math.inf, "b": 1}, "a"),
    ({"dist": "beta", "a": 1, "b": 1e300}, "b"),
    ({"dist": "beta", "a": 1, "b": 1, "low": 0, "high": math.inf}, "high"),
    ({"dist": "poisson", "lam": 1e19}, "lam"),
    ({"dist": "poisson", "lam": 1.0000001e15}, "lam"),
    ({"dist": "binomial", "n": 10**23, "p": 0.5}, "n"),
    ({"dist": "binomial", "n": 2**31, "p": 0.5}, "n"),
    ({"dist": "bernoulli", "p": math.nan}, "p"),
    ({"dist": "choice", "values": [1, 2], "weights": [1, math.inf]}, "weights"),
    ({"dist": "choice", "values": [1, 2], "weights": [1e308, 1e308]}, "weights"),
    ({"dist": "choice", "values": [1, math.nan]}, "values"),
    ({"dist": "empirical", "values": [1, 1e301]}, "values"),
]

EXTREMES = np.array([0.0, 1e-12, 0.5, 1 - 1e-12, 1.0])


def _assert_samples_finite(s: Any, where: str) -> None:
    for seed in (0, 1):
        x = sample(s, 2000, rng=np.random.default_rng(seed))
        assert np.all(np.isfinite(x)), f"{where}: {describe(s)} drew {x[~np.isfinite(x)][:3]}"
    q = ppf(s, EXTREMES)
    assert np.all(np.isfinite(q[1:-1])), f"{where}: {describe(s)} ppf {q}"
    assert np.all(np.diff(q) >= 0), f"{where}: {describe(s)} ppf not monotone {q}"
    assert math.isfinite(mean(s)), f"{where}: {describe(s)} mean {mean(s)}"


@pytest.mark.parametrize("kw", AT_THE_LIMIT, ids=lambda v: str(v))
def test_arguments_at_the_limit_are_accepted_and_sample_finite(kw: dict[str, Any]) -> None:
    _assert_samples_finite(spec(**kw), "limit")


@pytest.mark.parametrize(("kw", "needle"), BEYOND_THE_LIMIT, ids=lambda v: str(v))
def test_arguments_beyond_what_numpy_can_sample_are_refused(
    kw: dict[str, Any], needle: str
) -> None:
    with pytest.raises(ValidationError, match=needle):
        spec(**kw)


def _shipped_configs() -> list[Any]:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "configs"
    return sorted(p for p in root.rglob("*.yaml") if "record" not in p.relative_to(root).parts)


@pytest.mark.parametrize("path", _shipped_configs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_distribution_of_every_shipped_config_samples_finite_at_its_extremes(
    path: Any,
) -> None:
    import scenario

    config = scenario.load_config(path)
    specs = config.flat_parameters()
    assert specs
    for name, s in specs.items():
        _assert_samples_finite(s, f"{path.name}: {name}")


@pytest.mark.parametrize(
    ("dist", "key", "shown"),
    [
        ("{dist: poisson, lam: 1e19}", "lam", "1e+19"),
        ("{dist: binomial, n: 100000000000000000000000, p: 0.5}", "n", "1e+23"),
        ("{dist: uniform, low: -1e308, high: 1e308}", "low", "-1e+308"),
        ("{dist: normal, mean: 0, sd: 1e305}", "sd", "1e+305"),
    ],
)
def test_a_config_value_numpy_cannot_sample_is_a_located_config_error(
    dist: str, key: str, shown: str
) -> None:
    import scenario

    prov = "source: test, as_of: 2024-01-01, confidence: low"
    override = f"parameters.air_ops.commit_prob={dist[:-1]}, {prov}}}"
    with pytest.raises(scenario.ConfigError) as info:
        scenario.load_config("configs/baseline.yaml", overrides=[override])
    text = str(info.value)
    assert f"parameters.air_ops.commit_prob.{key}" in text
    assert shown in text
    assert "\n" not in text.strip()
