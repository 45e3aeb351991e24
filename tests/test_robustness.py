"""Robustness: regret, share best, satisficing and expected shortfall against closed forms.

Tolerances are four standard errors of the estimate, computed from the same samples.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import scenario
from scenario.analysis.robustness import check_paired, expected_shortfall, robustness
from scenario.config.schema import ScenarioConfig
from scenario.errors import ResultsError
from scenario.results import OutcomeMeta, Results

ROOT = Path(__file__).resolve().parents[1]
N = 200_000


def _results(
    columns: dict[str, np.ndarray], direction: str, *, seed: int = 1, n: int | None = None
) -> Results:
    """Synthetic results: every column is an outcome with ``direction``."""
    reps = n if n is not None else len(next(iter(columns.values())))
    return Results(
        config=ScenarioConfig(),
        outcomes={k: np.asarray(v, dtype=np.float64) for k, v in columns.items()},
        inputs={},
        series={},
        dates=np.datetime64("2024-11-01") + np.arange(1),
        failures=(),
        manifest={"seed": seed, "replications": reps, "block_size": reps, "model": "toy"},
        outcome_info=tuple(
            OutcomeMeta(name=k, unit="u", direction=direction)  # type: ignore[arg-type]
            for k in columns
        ),
    )


def _two_normals(direction: str) -> tuple[dict[str, Results], tuple[float, float, float, float]]:
    mu_a, sd_a, mu_b, sd_b = 1.0, 2.0, 1.5, 1.0
    rng = np.random.default_rng(7)
    a = rng.normal(mu_a, sd_a, N)
    b = rng.normal(mu_b, sd_b, N)  # independent noise
    runs = {"A": _results({"y": a}, direction), "B": _results({"y": b}, direction)}
    return runs, (mu_a, sd_a, mu_b, sd_b)


def _expected_positive_part(mu: float, s: float) -> float:
    """E[max(X, 0)] for X ~ N(mu, s^2)."""
    return mu * stats.norm.cdf(mu / s) + s * stats.norm.pdf(mu / s)


def test_regret_of_two_normal_options_to_maximize() -> None:
    runs, (mu_a, sd_a, mu_b, sd_b) = _two_normals("maximize")
    rob = robustness(runs)
    s = math.hypot(sd_a, sd_b)
    a, b = runs["A"].outcomes["y"], runs["B"].outcomes["y"]
    for option, mu, regret in (
        ("A", mu_b - mu_a, np.maximum(b - a, 0)),  # regret of A = max(B - A, 0)
        ("B", mu_a - mu_b, np.maximum(a - b, 0)),
    ):
        row = rob.row(option, "y")
        se = regret.std(ddof=1) / math.sqrt(N)
        assert abs(row.regret_mean - _expected_positive_part(mu, s)) < 4 * se
        assert row.regret_max == pytest.approx(regret.max())
        assert row.regret_p95 == pytest.approx(np.quantile(regret, 0.95))
    p_b = stats.norm.cdf((mu_b - mu_a) / s)  # P(B > A)
    se_p = math.sqrt(p_b * (1 - p_b) / N)
    assert abs(rob.row("B", "y").share_best - p_b) < 4 * se_p
    assert rob.row("A", "y").share_best + rob.row("B", "y").share_best == pytest.approx(1.0)
    assert rob.least_regret("y") == "B"


def test_regret_to_minimize_is_the_mirror_image() -> None:
    runs, (mu_a, sd_a, mu_b, sd_b) = _two_normals("minimize")
    rob = robustness(runs)
    s = math.hypot(sd_a, sd_b)
    a, b = runs["A"].outcomes["y"], runs["B"].outcomes["y"]
    regret_a = np.maximum(a - b, 0)  # to minimize: A regrets when it is higher than B
    se = regret_a.std(ddof=1) / math.sqrt(N)
    assert abs(rob.row("A", "y").regret_mean - _expected_positive_part(mu_a - mu_b, s)) < 4 * se
    assert rob.row("A", "y").direction == "minimize"
    assert np.all(np.array([r.regret_mean for r in rob.rows]) >= 0)


def test_ties_share_the_best() -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0])
    runs = {
        "A": _results({"y": x}, "maximize"),
        "B": _results({"y": x}, "maximize"),
        "C": _results({"y": x - 1}, "maximize"),
    }
    rob = robustness(runs)
    assert [rob.row(o, "y").share_best for o in "ABC"] == [0.5, 0.5, 0.0]
    assert rob.row("A", "y").regret_max == 0 and rob.row("C", "y").regret_mean == 1.0


@pytest.mark.parametrize(("direction", "sign"), [("maximize", -1.0), ("minimize", 1.0)])
def test_expected_shortfall_of_a_normal(direction: str, sign: float) -> None:
    mu, sigma, alpha = 10.0, 3.0, 0.9
    x = np.random.default_rng(3).normal(mu, sigma, N)
    es, lo, hi = expected_shortfall(x, alpha, direction)
    exact = mu + sign * sigma * stats.norm.pdf(stats.norm.ppf(alpha)) / (1 - alpha)
    se = (hi - lo) / (2 * 1.959963984540054)
    assert abs(es - exact) < 4 * se
    assert lo < es < hi
    # The same through robustness(): worst 10 % on the side the direction says is bad.
    row = robustness({"A": _results({"y": x}, direction)}, cvar_level=alpha).row("A", "y")
    assert (row.cvar, row.cvar_lo, row.cvar_hi) == (es, lo, hi)


def test_expected_shortfall_interval_covers_at_its_level() -> None:
    """Coverage of the asymptotic interval over repeated samples (n = 2000)."""
    mu, sigma, alpha = 0.0, 1.0, 0.9
    exact = mu - sigma * stats.norm.pdf(stats.norm.ppf(alpha)) / (1 - alpha)
    rng = np.random.default_rng(11)
    reps = 400
    hits = 0
    for _ in range(reps):
        _, lo, hi = expected_shortfall(rng.normal(mu, sigma, 2000), alpha, "maximize")
        hits += lo <= exact <= hi
    se = math.sqrt(0.95 * 0.05 / reps)
    assert abs(hits / reps - 0.95) < 4 * se


def test_expected_shortfall_with_a_fractional_tail() -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    # Worst 30 % of 5 values = 1.5 values: (1 + 0.5 * 2) / 1.5.
    es, _, _ = expected_shortfall(x, 0.7, "maximize")
    assert es == pytest.approx((1.0 + 0.5 * 2.0) / 1.5)
    es, _, _ = expected_shortfall(x, 0.7, "minimize")
    assert es == pytest.approx((5.0 + 0.5 * 4.0) / 1.5)


def test_satisficing_probability_against_phi() -> None:
    mu, sigma = 5.0, 2.0
    x = np.random.default_rng(5).normal(mu, sigma, N)
    runs = {"A": _results({"y": x}, "minimize")}
    for threshold, exact in (
        ({"at_most": 6.0}, stats.norm.cdf((6.0 - mu) / sigma)),
        ({"at_least": 6.0}, 1 - stats.norm.cdf((6.0 - mu) / sigma)),
    ):
        rob = robustness(runs, objectives={"thresholds": {"y": threshold}})
        (s,) = rob.satisficing
        se = math.sqrt(exact * (1 - exact) / N)
        assert abs(s.p - exact) < 4 * se
        assert s.p_lo < s.p < s.p_hi and s.n == N


def test_thresholds_and_weighted_objectives_from_the_config() -> None:
    rng = np.random.default_rng(2)
    cfg = ScenarioConfig.model_validate(
        {
            "objectives": {
                "thresholds": {"net": {"at_least": 0.0}},
                "weighted": {"net": {"weights": {"gain": 1.0, "cost": -1.0}}},
            }
        }
    )

    def run(shift: float) -> Results:
        res = _results(
            {"gain": rng.normal(shift, 1, 1000), "cost": rng.normal(0, 1, 1000)}, "info"
        )
        return Results(**{**res.__dict__, "config": cfg})

    rob = robustness({"base": run(0.0), "better": run(1.0)})
    assert rob.objectives == ("net",)  # info outcomes are not measured; the objective is
    assert rob.least_regret("net") == "better"
    p = {s.option: s.p for s in rob.satisficing}
    assert p["better"] > p["base"]


def test_runs_must_be_paired() -> None:
    a = _results({"y": [1.0, 2.0]}, "maximize", seed=1)
    b = _results({"y": [1.0, 2.0]}, "maximize", seed=2)
    with pytest.raises(ResultsError, match="not paired: seed of 'B' is 2 but of 'A' is 1"):
        robustness({"A": a, "B": b})
    with pytest.raises(ResultsError, match="not paired: replications"):
        check_paired({"A": a, "C": _results({"y": [1.0, 2.0, 3.0]}, "maximize")})


def test_bad_arguments_are_refused() -> None:
    a = _results({"y": [1.0, 2.0]}, "maximize")
    with pytest.raises(ResultsError, match=r"cvar_level must be in \(0, 1\) \(got 1.0\)"):
        robustness({"A": a}, cvar_level=1.0)
    with pytest.raises(ResultsError, match="no options given"):
        robustness({})
    with pytest.raises(ResultsError, match="did you mean 'y'"):
        robustness({"A": a}, objectives={"thresholds": {"yy": {"at_most": 1}}})
    with pytest.raises(ResultsError, match="must be a mapping"):
        robustness([a])


def test_robustness_of_real_options() -> None:
    def run(path: Path) -> Results:
        return scenario.run(scenario.load_config(path), replications=400, seed=4)

    base = run(ROOT / "configs" / "baseline.yaml")
    msam = run(ROOT / "configs" / "options" / "msam.yaml")
    rob = robustness({"baseline": base, "msam": msam}, outcomes=["ad_leakers", "esc_reached_4"])
    # M-SAM cannot raise leakers: its regret on ad_leakers is never above the baseline's.
    assert (
        rob.row("msam", "ad_leakers").regret_mean <= rob.row("baseline", "ad_leakers").regret_mean
    )
    # It puts no personnel in theatre, so neither reaches escalation level 4: all ties.
    assert rob.row("msam", "esc_reached_4").share_best == pytest.approx(0.5)
    assert rob.row("msam", "esc_reached_4").regret_max == 0
