"""Value of information against closed forms: two options whose incremental net benefit is
a linear function of independent normal parameters (with and without the model's own
noise), EVPI and EVPPI within 5 % of E[max(X, 0)] - max(E[X], 0); and the M-SAM decision
on the campaign names its most valuable uncertainty."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from scipy.stats import qmc

import scenario
from scenario.analysis.voi import evpi_per_replication, evppi, voi
from scenario.config.loader import config_from_dict
from scenario.config.schema import ScenarioConfig
from scenario.errors import ResultsError
from scenario.models.protocol import Block, BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

ROOT = Path(__file__).resolve().parents[1]
A, B1, B2 = 0.3, 1.0, 0.6  # INB = A + B1 X1 + B2 X2, X ~ N(0, 1)


class Invest:
    """Net benefit 0 without the investment, A + B1 x1 + B2 x2 + noise with it (noise from
    the model's own stream)."""

    name = "invest"
    parameters = tuple(
        ParameterInfo(group="invest", name=n, unit="1", meaning=n) for n in ("x1", "x2")
    )
    levers = ("policy.custom.invest",)
    outcomes = (
        OutcomeInfo(name="net_benefit", unit="USD m", description="nb", direction="maximize"),
    )
    series: tuple[SeriesInfo, ...] = ()
    streams = ("invest",)

    def simulate(self, block: Block) -> BlockOutput:
        custom = block.config.policy.custom
        x1, x2 = (np.asarray(block.inputs[f"invest.x{j}"]) for j in (1, 2))
        noise = float(custom["noise"]) * block.rngs["invest"].standard_normal(block.n)
        nb = np.where(bool(custom["invest"]), A + B1 * x1 + B2 * x2 + noise, 0.0)
        return BlockOutput(outcomes={"net_benefit": nb})


def _config(invest: bool, noise: float) -> ScenarioConfig:
    spec = {
        "dist": "normal",
        "mean": 0,
        "sd": 1,
        "source": "test",
        "as_of": "2024-01-01",
        "confidence": "high",
    }
    return config_from_dict(
        {
            "name": "invest" if invest else "wait",
            "model": "invest",
            "horizon_days": 1,
            "run": {"block_size": 4096, "series_replications": 0},
            "policy": {"custom": {"invest": invest, "noise": noise}},
            "parameters": {"invest": {"x1": dict(spec), "x2": dict(spec)}},
        }
    )


def _emax(mu: float, sd: float) -> float:
    """E[max(X, 0)] - max(E[X], 0) for X ~ N(mu, sd^2)."""
    return mu * stats.norm.cdf(mu / sd) + sd * stats.norm.pdf(mu / sd) - max(mu, 0.0)


@pytest.mark.parametrize("noise", [0.0, 1.0])
def test_evpi_and_evppi_match_the_normal_closed_form(noise: float) -> None:
    scenario.register_model(Invest(), replace=True)
    n = 2**14
    u = qmc.Sobol(2, scramble=True, seed=3).random(n)  # a design: the inputs' quantiles
    design = {"invest.x1": stats.norm.ppf(u[:, 0]), "invest.x2": stats.norm.ppf(u[:, 1])}
    runs = [scenario.run(_config(flag, noise), design=design, seed=9) for flag in (False, True)]
    res = voi(runs[0], runs[1], objective="net_benefit")
    rows = {r.factor: r for r in res.rows}
    assert res.evpi == pytest.approx(_emax(A, math.hypot(B1, B2)), rel=0.05)
    assert rows["invest.x1"].evppi == pytest.approx(_emax(A, B1), rel=0.05)
    assert rows["invest.x2"].evppi == pytest.approx(_emax(A, B2), rel=0.05)
    assert [r.factor for r in res.rows] == ["invest.x1", "invest.x2"]
    assert res.best == "invest" and res.options == ("wait", "invest")
    # The per-replication value also "resolves" the model's noise: larger when noisy.
    if noise:
        assert res.evpi_upper > res.evpi * 1.2
    else:
        assert res.evpi_upper == pytest.approx(res.evpi, rel=0.02)


def test_evppi_of_an_irrelevant_input_is_near_zero_and_shapes_are_checked() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(5000, 2))
    nb = np.vstack([np.zeros(5000), A + B1 * x[:, 0]])
    est, se = evppi(nb, x[:, 1])
    assert est < 4 * se + 0.01
    assert evpi_per_replication(nb) == pytest.approx(_emax(A, B1), rel=0.05)
    with pytest.raises(ResultsError, match="need nb"):
        evppi(nb[:1], x)


def test_msam_decision_names_its_most_valuable_uncertainty() -> None:
    base = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    msam = scenario.load_config(ROOT / "configs" / "options" / "msam.yaml")
    res = voi(base, msam, objective="msam_value", replications=2000, seed=3, groups=True)
    assert res.rows[0].factor == "air_defence"  # M-SAM acts on air defence alone
    assert res.rows[0].evppi > 0
    assert res.rows[0].evppi >= res.rows[-1].evppi
    assert res.evpi >= res.rows[0].evppi * 0.9
    assert res.unit == "USD m"


def test_cli_voi_prints_the_choice_and_the_top_uncertainty() -> None:
    from typer.testing import CliRunner

    from scenario.cli import app

    res = CliRunner().invoke(
        app,
        [
            "voi",
            str(ROOT / "configs" / "baseline.yaml"),
            str(ROOT / "configs" / "options" / "msam.yaml"),
            "--objective",
            "msam_value",
            "-n",
            "1000",
            "--groups",
        ],
        env={"COLUMNS": "80"},
    )
    assert res.exit_code == 0, res.output
    assert "EVPI" in res.output and "air_defence" in res.output
    assert max(len(line) for line in res.output.splitlines()) <= 80
    bad = CliRunner().invoke(
        app,
        [
            "voi",
            str(ROOT / "configs" / "baseline.yaml"),
            str(ROOT / "configs" / "options" / "msam.yaml"),
            "--objective",
            "msam_valu",
            "-n",
            "50",
        ],
    )
    assert bad.exit_code == 1 and "msam_value" in bad.output and "Traceback" not in bad.output


def test_voi_refuses_small_or_unpaired_runs() -> None:
    base = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    msam = scenario.load_config(ROOT / "configs" / "options" / "msam.yaml")
    with pytest.raises(ResultsError, match=r"at least 50 paired replications"):
        voi(base, msam, objective="msam_value", replications=20, seed=1)
    wave = scenario.load_config(ROOT / "configs" / "adversary" / "large_second_wave.yaml")
    with pytest.raises(ResultsError, match="differ only in their levers"):
        voi(base, wave, objective="nk_casualties", replications=100, seed=1)
