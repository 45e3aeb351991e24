"""Scenario discovery (scenario.analysis.discovery): PRIM recovers a planted box, the
trajectory's properties, the sentence, and clear errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _toys import toy_config

from scenario.analysis.discovery import (
    Box,
    Restriction,
    discover,
    discover_arrays,
)
from scenario.errors import ResultsError
from scenario.results import Results

# The planted box: cases of interest inside [0.2, 0.5] x [0.6, 1.0] of five uniform inputs,
# each label flipped with probability NOISE.
N, K, NOISE, ALPHA = 4000, 5, 0.05, 0.05
TRUE = {"x0": (0.2, 0.5), "x1": (0.6, 1.0)}
VOLUME = 0.3 * 0.4


def _planted(seed: int, n: int = N) -> tuple[dict[str, np.ndarray], np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(size=(n, K))
    inside = (x[:, 0] >= 0.2) & (x[:, 0] <= 0.5) & (x[:, 1] >= 0.6)
    label = inside ^ (rng.uniform(size=n) < NOISE)
    return {f"x{j}": x[:, j] for j in range(K)}, label.astype(float)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_prim_recovers_a_planted_box(seed: int) -> None:
    """Tolerance of each bound: 2 * ALPHA * (the box's width in that input). A peel or a
    paste moves a face by the share ALPHA of the box's points, which for uniform inputs is a
    slab ALPHA * width thick, so the step size puts a face within one step of the truth. The
    choice rule may keep a box whose density is up to two standard errors below the best;
    an outside slab of share s lowers the density by s * (d_in - d_out), so the slab it can
    hide, s = 2 se / (d_in - d_out) with se = sqrt(d (1 - d) / (N * VOLUME)), must be below
    one step (checked below): that is where N enters, and it allows one more step."""
    d_in, d_out = 1 - NOISE, NOISE
    se = math.sqrt(d_in * (1 - d_in) / (N * VOLUME))
    assert 2 * se / (d_in - d_out) < ALPHA
    inputs, values = _planted(seed)
    found = discover_arrays(inputs, values, outcome="hit", above=0.5, peel_alpha=ALPHA)
    box = found.box
    bounds = {r.input: (r.low, r.high) for r in box.restrictions}
    assert set(bounds) == {"x0", "x1"}  # the three irrelevant inputs stay unrestricted
    for name, (low, high) in TRUE.items():
        tol = 2 * ALPHA * (high - low)
        assert bounds[name][0] == pytest.approx(low, abs=tol), name
        if high < 1.0:
            assert bounds[name][1] == pytest.approx(high, abs=tol), name
    assert not next(r for r in box.restrictions if r.input == "x1").bounded_above
    # the truth on this sample
    x0, x1 = inputs["x0"], inputs["x1"]
    inside = (x0 >= 0.2) & (x0 <= 0.5) & (x1 >= 0.6)
    cases = values > 0.5
    true_density = cases[inside].mean()
    true_coverage = cases[inside].sum() / cases.sum()
    assert box.density == pytest.approx(true_density, abs=3 * se)
    # up to one step inside on each of the three restricted faces, 3 se of sampling
    se_cov = math.sqrt(true_coverage * (1 - true_coverage) / cases.sum())
    assert true_coverage * (1 - 3 * ALPHA) - 3 * se_cov <= box.coverage
    assert box.coverage <= true_coverage + 3 * se_cov
    assert all(r.p_value < 1e-10 for r in box.restrictions)


@pytest.mark.parametrize("mass_min", [0.05, 0.2])
def test_the_trajectory_and_mass_min(mass_min: float) -> None:
    inputs, values = _planted(3)
    found = discover_arrays(inputs, values, above=0.5, mass_min=mass_min)
    steps = found.trajectory
    assert [s.step for s in steps] == list(range(len(steps)))
    assert steps[0].coverage == 1 and steps[0].mass == 1 and steps[0].n_restricted == 0
    cov = np.array([s.coverage for s in steps])
    mass = np.array([s.mass for s in steps])
    assert (np.diff(cov) <= 0).all() and (np.diff(mass) < 0).all()
    assert mass.min() >= mass_min and found.box.mass >= mass_min
    # peeling went on until one more peel of ~ALPHA would cross mass_min
    assert mass[-1] * (1 - ALPHA) < mass_min + 2 / N
    for s in steps:
        assert s.n_restricted == len(s.bounds)
        assert s.density == pytest.approx(s.n_cases / s.n_points)
        assert s.coverage == pytest.approx(s.n_cases / found.n_cases)
    chosen = steps[found.chosen]
    assert chosen.coverage >= 0.5 and "coverage >= 0.5" in found.rule


def test_below_is_above_on_the_negated_outcome() -> None:
    inputs, values = _planted(4)
    up = discover_arrays(inputs, values, above=0.5)
    down = discover_arrays(inputs, -values, below=-0.5)
    assert up.box.restrictions == down.box.restrictions
    assert (up.box.coverage, up.box.density) == (down.box.coverage, down.box.density)
    assert down.side == "below" and "is below -0.5 in" in down.describe()


def test_threshold_density_chooses_the_first_box_reaching_it() -> None:
    inputs, values = _planted(5)
    found = discover_arrays(inputs, values, above=0.5, threshold_density=0.6)
    reached = [s.step for s in found.trajectory if s.density >= 0.6]
    assert found.chosen == reached[0]
    assert found.box.density >= 0.6 and "density >= 0.6" in found.rule
    with pytest.raises(ResultsError, match="no box on the peeling trajectory reaches"):
        discover_arrays(inputs, values, above=0.5, threshold_density=1.0)


def test_non_finite_outcomes_are_dropped_and_counted() -> None:
    inputs, values = _planted(6)
    values = values.copy()
    values[:100] = np.nan
    values[100:110] = np.inf
    found = discover_arrays(inputs, values, above=0.5)
    assert found.n_dropped == 110 and found.n == N - 110
    assert found.n_cases == int(np.sum(values[110:] > 0.5))


def test_a_discrete_input_is_restricted_to_whole_values() -> None:
    rng = np.random.default_rng(7)
    n = 3000
    flag = (rng.uniform(size=n) < 0.5).astype(float)
    x0 = rng.uniform(size=n)
    hit = (flag == 1) & (x0 > 0.5)
    found = discover_arrays({"flag": flag, "x0": x0}, hit.astype(float), above=0.5)
    by_name = {r.input: r for r in found.box.restrictions}
    assert (by_name["flag"].low, by_name["flag"].high) == (1.0, 1.0)
    assert by_name["flag"].discrete and by_name["flag"].describe() == "flag is 1"
    assert found.box.density == 1.0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (np.zeros(N), "no replication of 4,000 is above 0.5; there is nothing to discover"),
        (np.ones(N), "every replication of 4,000 is above 0.5; there is nothing to discover"),
        (np.full(N, np.nan), "no replication has a finite value"),
    ],
)
def test_degenerate_cases_are_clear_errors(values: np.ndarray, message: str) -> None:
    inputs, _ = _planted(8)
    with pytest.raises(ResultsError, match=message):
        discover_arrays(inputs, values, outcome="hit", above=0.5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, r"exactly one of above= or below= \(got above=None, below=None\)"),
        ({"above": 1, "below": 2}, r"exactly one of above= or below= \(got above=1"),
        ({"above": 0.5, "peel_alpha": 0.5}, r"peel_alpha must be in \(0, 0.5\) \(got 0.5\)"),
        ({"above": 0.5, "paste_alpha": 0}, r"paste_alpha must be in \(0, 1\) \(got 0\)"),
        ({"above": 0.5, "mass_min": 1.5}, r"mass_min must be in \(0, 1\) \(got 1.5\)"),
        ({"above": 0.5, "threshold_density": 0}, r"threshold_density must be in \(0, 1\]"),
        ({"above": math.inf}, r"finite number \(got above=inf\)"),
    ],
)
def test_bad_arguments(kwargs: dict[str, float], message: str) -> None:
    inputs, values = _planted(9, n=100)
    with pytest.raises(ResultsError, match=message):
        discover_arrays(inputs, values, **kwargs)  # type: ignore[arg-type]


def test_bad_columns() -> None:
    inputs, values = _planted(10, n=100)
    with pytest.raises(ResultsError, match="no input to discover a box over"):
        discover_arrays({}, values, above=0.5)
    with pytest.raises(ResultsError, match="column 'x0' has 99 values, the outcome 100"):
        discover_arrays({**inputs, "x0": inputs["x0"][1:]}, values, above=0.5)
    with pytest.raises(ResultsError, match="column 'x1' has non-finite values"):
        discover_arrays(
            {**inputs, "x1": np.where(inputs["x1"] > 0.9, np.nan, 0)}, values, above=0.5
        )


def _results(seed: int) -> Results:
    inputs, values = _planted(seed)
    return Results(
        config=toy_config(),
        outcomes={"hit": values, "other": np.zeros(N)},
        inputs={f"toy.{k}": v for k, v in inputs.items()},
        series={},
        dates=np.array([], dtype="datetime64[D]"),
        failures=(),
        manifest={"replications": N, "seed": 1},
    )


def test_discover_on_results() -> None:
    res = _results(11)
    found = discover(res, "hit", above=0.5)
    assert found.inputs == tuple(res.inputs)
    assert {r.input for r in found.box.restrictions} == {"toy.x0", "toy.x1"}
    only = discover(res, "hit", above=0.5, inputs=["toy.x1", "toy.x2"])
    assert only.inputs == ("toy.x1", "toy.x2")
    assert {r.input for r in only.box.restrictions} == {"toy.x1"}
    with pytest.raises(ResultsError, match=r"no outcome 'hitt'; did you mean 'hit'\?"):
        discover(res, "hitt", above=0.5)
    with pytest.raises(ResultsError, match=r"no sampled input 'toy.x9'; did you mean 'toy.x"):
        discover(res, "hit", above=0.5, inputs=["toy.x9"])


def _restriction(name: str, low: float, high: float, lo_s: float, hi_s: float) -> Restriction:
    return Restriction(
        input=name,
        low=low,
        high=high,
        sample_low=lo_s,
        sample_high=hi_s,
        discrete=False,
        density_drop=0.2,
        p_value=1e-6,
    )


def test_the_sentence() -> None:
    box = Box(
        outcome="ad_leakers",
        side="above",
        threshold=900,
        restrictions=(
            _restriction("air_defence.msam_pk_ballistic", 0.41, 0.62, 0.41, 0.79),
            _restriction("air_defence.ballistic_per_day", 40, 60, 1, 60),
        ),
        coverage=0.64,
        density=0.71,
        mass=0.2,
        n_points=1240,
        n_cases=880,
    )
    assert box.describe() == (
        "ad_leakers is above 900 in 71% of the 1,240 replications where "
        "air_defence.msam_pk_ballistic is below 0.62 and air_defence.ballistic_per_day is "
        "above 40 (this box holds 64% of all such replications)."
    )
    three = box.model_copy(
        update={"restrictions": (*box.restrictions, _restriction("z", 2, 3.5, 0, 9))}
    )
    assert "0.62, air_defence.ballistic_per_day is above 40 and z is between 2 and 3.5 (" in (
        three.describe()
    )
    none = box.model_copy(update={"restrictions": ()})
    assert none.describe().startswith("ad_leakers is above 900 in 71% of all 1,240 replications")


def test_restriction_words_and_numbers() -> None:
    assert _restriction("a", 1234.5, 9, 0, 9).describe() == "a is above 1,234"
    assert _restriction("a", 0, 0.000123, 0, 9).describe() == "a is below 0.000123"
    assert _restriction("a", 150.4, 9, 0, 9).describe() == "a is above 150"
    disc = _restriction("d", 2, 5, 0, 9).model_copy(update={"discrete": True})
    assert disc.describe() == "d is between 2 and 5"
    assert disc.model_copy(update={"high": 9}).describe() == "d is at least 2"
    assert disc.model_copy(update={"low": 0}).describe() == "d is at most 5"
