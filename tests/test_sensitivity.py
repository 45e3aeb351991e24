"""Sensitivity against closed forms: Sobol and Morris on the Ishigami function registered as
a user model, the model's own randomness as its own share, and tornado against Sobol on the
baseline. Intervals are the methods' own (bootstrap) intervals at the 99.9 % level, so each
of the checked values lies outside by chance with probability 0.001."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from _ishigami import S1, ST, VARIANCE, Ishigami, config, ishigami

import scenario
from scenario.analysis.global_sensitivity import morris, sobol
from scenario.analysis.sensitivity import factors, tornado
from scenario.errors import EngineError, ResultsError

ROOT = Path(__file__).resolve().parents[1]
LEVEL = 0.999


@pytest.fixture(scope="module", autouse=True)
def _register() -> None:
    scenario.register_model(Ishigami(), replace=True)


def test_sobol_reproduces_the_analytic_ishigami_indices() -> None:
    res = sobol(config(), outcome="y", n=4096, seed=3, conf_level=LEVEL)
    rows = {r.factor: r for r in res.rows}
    for j, key in enumerate(("ishigami.x1", "ishigami.x2", "ishigami.x3")):
        r = rows[key]
        assert r.s1_lo <= S1[j] <= r.s1_hi, (key, r.s1, S1[j])
        assert r.st_lo <= ST[j] <= r.st_hi, (key, r.st, ST[j])
    assert res.noise_share == 0.0  # deterministic: the repeated base points agree exactly
    assert res.runs == 4096 * 5 + 4096
    assert [r.factor for r in res.rows] == ["ishigami.x1", "ishigami.x2", "ishigami.x3"]


def test_the_models_own_randomness_is_its_own_share() -> None:
    """With noise of variance equal to the function's, half the variance is noise; the
    first-order indices halve; total indices carry the noise share, st_net removes it."""
    res = sobol(config(sigma=math.sqrt(VARIANCE)), outcome="y", n=4096, seed=4, conf_level=LEVEL)
    assert res.noise_lo <= 0.5 <= res.noise_hi
    rows = {r.factor: r for r in res.rows}
    for j, key in enumerate(("ishigami.x1", "ishigami.x2")):
        assert rows[key].s1_lo <= S1[j] / 2 <= rows[key].s1_hi, key
        assert abs(rows[key].st_net - ST[j] / 2) < 0.05, key


def _exact_mu_star() -> list[float]:
    """Morris mu* on the 4-level grid, by enumeration: |f(u + D e_j) - f(u)| / D averaged over
    u_j in {0, 1/3} and the other coordinates uniform on {0, 1/3, 2/3, 1} (D = 2/3)."""
    levels = [0.0, 1 / 3, 2 / 3, 1.0]
    delta = 2 / 3

    def f(u: list[float]) -> float:
        x = [-math.pi + 2 * math.pi * v for v in u]
        return float(ishigami(*(np.array([v]) for v in x))[0])

    out = []
    for j in range(3):
        effects = []
        for lower in (0.0, 1 / 3):
            for rest in itertools.product(levels, repeat=2):
                u = list(rest)
                u.insert(j, lower)
                up = list(u)
                up[j] = lower + delta
                effects.append(abs(f(up) - f(u)) / delta)
        out.append(float(np.mean(effects)))
    return out


def test_morris_reproduces_the_exact_grid_mu_star() -> None:
    res = morris(config(), outcome="y", trajectories=400, seed=5, conf_level=LEVEL)
    rows = {r.factor: r for r in res.rows}
    exact = _exact_mu_star()
    for j, key in enumerate(("ishigami.x1", "ishigami.x2", "ishigami.x3")):
        assert rows[key].mu_star_lo <= exact[j] <= rows[key].mu_star_hi, (key, exact[j])
    # x3 acts only through its interaction with x1: mean effect 0, spread large.
    x3 = rows["ishigami.x3"]
    assert abs(x3.mu) < x3.mu_star and x3.sigma > 0
    assert res.runs == 400 * 4


@pytest.mark.slow
def test_tornado_and_sobol_agree_on_the_top_driver_of_nk_casualties() -> None:
    cfg = scenario.load_config(
        ROOT / "configs" / "baseline.yaml",
        overrides=["submodels=[ground]", "run.series_replications=0"],
    )
    torn = tornado(cfg, outcome="nk_casualties", replications=1000, seed=1)
    sob = sobol(cfg, outcome="nk_casualties", n=256, seed=1)
    assert torn.rows[0].factor == sob.rows[0].factor
    assert abs(torn.rows[0].swing) > abs(torn.rows[1].swing)
    # The swing's interval is paired (common random numbers): it excludes 0 for the top.
    assert torn.rows[0].swing_lo > 0 or torn.rows[0].swing_hi < 0


def test_groups_are_factors_and_errors_are_clear() -> None:
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    table = factors(cfg, groups=True)
    assert set(table) == {
        "intel",
        "european",
        "air_ops",
        "air_defence",
        "ground",
        "manpower",
        "escalation",
        "cost",
        "logistics",
        "nk_munitions",
        "counteroffensive",
        "withdrawal",
    }
    assert sum(len(v) for v in table.values()) == len(cfg.flat_parameters())
    with pytest.raises(EngineError, match=r"did you mean 'ground\.ua_kill_rate'"):
        factors(cfg, parameters=["ground.ua_kill_rat"])
    with pytest.raises(EngineError, match="power of 2"):
        sobol(cfg, outcome="nk_casualties", n=1000)
    with pytest.raises(ResultsError, match="did you mean 'nk_casualties'"):
        tornado(cfg, outcome="nk_casualtie", replications=10)


def test_cli_sensitivity_prints_an_80_column_table() -> None:
    from typer.testing import CliRunner

    from scenario.cli import app

    res = CliRunner().invoke(
        app,
        [
            "sensitivity",
            str(ROOT / "configs" / "baseline.yaml"),
            "--outcome",
            "nk_casualties",
            "--method",
            "sobol",
            "-n",
            "64",
            "--groups",
            "--set",
            "run.series_replications=0",
        ],
        env={"COLUMNS": "80"},
    )
    assert res.exit_code == 0, res.output
    assert "Sobol indices of nk_casualties" in res.output and "ground" in res.output
    assert "model randomness" in res.output
    assert max(len(line) for line in res.output.splitlines()) <= 80
    bad = CliRunner().invoke(
        app, ["sensitivity", str(ROOT / "configs" / "baseline.yaml"), "--outcome", "nk_casualtie"]
    )
    assert bad.exit_code == 1 and "did you mean 'nk_casualties'" in bad.output
    assert "Traceback" not in bad.output


def test_an_outcome_that_does_not_vary_is_refused() -> None:
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    with pytest.raises(ResultsError, match=r"same \(0\) in every run"):
        sobol(cfg, outcome="cost_total_usd_m", n=16, groups=True)
