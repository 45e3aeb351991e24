"""ABC-SMC against closed-form posteriors: a normal mean with known variance, and a Poisson
rate with a gamma prior; and the record's distance on the campaign."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

import scenario
from scenario.analysis.calibration import calibrate, write_posterior
from scenario.config.loader import config_from_dict
from scenario.config.record import Record, RecordPoint, load_record
from scenario.models.protocol import Block, BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

ROOT = Path(__file__).resolve().parents[1]
SIGMA = 0.5  # the model's own noise around mu


class NormalMean:
    """y = mu + sigma e: one observation of a normal with known variance."""

    name = "normal_mean"
    parameters = (ParameterInfo(group="nm", name="mu", unit="1", meaning="mean"),)
    levers: tuple[str, ...] = ()
    outcomes = (OutcomeInfo(name="y", unit="1", description="observation"),)
    series: tuple[SeriesInfo, ...] = ()
    streams = ("nm",)

    def simulate(self, block: Block) -> BlockOutput:
        mu = np.asarray(block.inputs["nm.mu"])
        return BlockOutput(outcomes={"y": mu + SIGMA * block.rngs["nm"].standard_normal(block.n)})


class PoissonRate:
    """y = count of a Poisson with rate lam (a gamma prior)."""

    name = "poisson_rate"
    parameters = (ParameterInfo(group="pr", name="lam", unit="1/day", meaning="rate"),)
    levers: tuple[str, ...] = ()
    outcomes = (OutcomeInfo(name="count", unit="1", description="count"),)
    series: tuple[SeriesInfo, ...] = ()
    streams = ("pr",)

    def simulate(self, block: Block) -> BlockOutput:
        lam = np.asarray(block.inputs["pr.lam"])
        return BlockOutput(outcomes={"count": block.rngs["pr"].poisson(lam).astype(np.float64)})


def _config(model: str, group: str, name: str, spec: dict[str, object]) -> scenario.ScenarioConfig:
    prov = {"source": "test", "as_of": "2024-01-01", "confidence": "high"}
    return config_from_dict(
        {
            "name": model,
            "model": model,
            "horizon_days": 1,
            "run": {"block_size": 5000, "series_replications": 0},
            "parameters": {group: {name: {**spec, **prov}}},
        }
    )


def _record(quantity: str, value: float, sd: float) -> Record:
    return Record(
        name="test",
        version=1,
        points=(
            RecordPoint(
                quantity=quantity,
                value=value,
                sd=sd,
                source="test",
                as_of=dt.date(2024, 1, 1),
                use="fit",
            ),
        ),
    )


def test_normal_mean_posterior_matches_the_closed_form() -> None:
    scenario.register_model(NormalMean(), replace=True)
    cfg = _config("normal_mean", "nm", "mu", {"dist": "normal", "mean": 0.0, "sd": 1.0})
    cal = calibrate(cfg, _record("y", 1.0, 0.02), particles=2000, waves=10, seed=4)
    # Prior N(0, 1), one observation y = 1 with sd 0.5: posterior N(0.8, 0.2).
    mean = float(cal.weights @ cal.values[:, 0])
    var = float(cal.weights @ (cal.values[:, 0] - mean) ** 2)
    se = math.sqrt(0.2 / cal.ess)
    assert abs(mean - 0.8) < 4 * se, (mean, se)
    # The sd of a variance estimate from ESS draws: var * sqrt(2 / ESS); plus the ABC
    # tolerance's own spread, which the last tolerance bounds.
    tol = cal.waves[-1].tolerance * 0.02
    assert abs(var - 0.2) < 4 * 0.2 * math.sqrt(2 / cal.ess) + tol**2 / 3, (var, cal.ess)
    assert cal.narrowing[0].ratio < 0.6  # sqrt(0.2) = 0.45 of the prior width
    assert cal.waves[0].simulations == 8000 and cal.ess > 300


def test_poisson_rate_posterior_matches_the_gamma_closed_form() -> None:
    scenario.register_model(PoissonRate(), replace=True)
    # A flat prior on (0, 10) is the limit of a gamma prior with shape 1 and rate -> 0; given
    # one count y the posterior is Gamma(y + 1, rate 1), truncated to (0, 10).
    cfg = _config("poisson_rate", "pr", "lam", {"dist": "uniform", "low": 0.0, "high": 10.0})
    cal = calibrate(cfg, _record("count", 3.0, 0.1), particles=2000, waves=6, seed=5)
    mean = float(cal.weights @ cal.values[:, 0])
    from scipy import stats

    exact = stats.gamma(a=4.0, scale=1.0)
    trunc = exact.expect(lambda x: x, lb=0, ub=10, conditional=True)
    assert abs(mean - trunc) < 4 * math.sqrt(exact.var() / cal.ess), (mean, trunc)


def test_record_file_and_posterior_file(tmp_path: Path) -> None:
    rec = load_record(ROOT / "configs" / "record" / "kursk_2024_2025.yaml")
    assert len(rec.fit_points()) == 2 and len(rec.holdout_points()) == 3
    assert all(p.date is None or p.date <= dt.date(2025, 1, 31) for p in rec.fit_points())
    scenario.register_model(NormalMean(), replace=True)
    cfg = _config("normal_mean", "nm", "mu", {"dist": "normal", "mean": 0.0, "sd": 1.0})
    cal = calibrate(cfg, _record("y", 1.0, 0.05), particles=100, waves=1, seed=1)
    out = write_posterior(cal, tmp_path / "post.csv", record_file="r.yaml", config_name="t")
    lines = out.read_text().splitlines()
    assert lines[0].startswith("# posterior of t: ABC-SMC on r.yaml")
    assert lines[2] == "nm.mu,weight" and len(lines) == 3 + 100
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "name: x\nversion: 1\npoints:\n  - {quantity: y, value: 1, interval: [2, 1], "
        "source: s, as_of: 2024-01-01, use: fit}\n"
    )
    with pytest.raises(scenario.ConfigError, match=r"interval: need low < high"):
        load_record(bad)


def test_cli_calibrate_writes_a_posterior_and_prints_the_diagnostics(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from scenario.cli import app

    out = tmp_path / "post.csv"
    res = CliRunner().invoke(
        app,
        [
            "calibrate",
            str(ROOT / "configs" / "baseline.yaml"),
            "--record",
            str(ROOT / "configs" / "record" / "kursk_2024_2025.yaml"),
            "-o",
            str(out),
            "-n",
            "200",
            "--set",
            "submodels=[ground]",
        ],
        env={"COLUMNS": "80"},
    )
    assert res.exit_code == 0, res.output
    for word in ("tolerance", "acceptance", "width ratio", "ground."):
        assert word in res.output
    header = next(ln for ln in out.read_text().splitlines() if not ln.startswith("#"))
    assert header.endswith(",weight") and "ground.ua_troops_initial" in header
    bad = CliRunner().invoke(
        app,
        [
            "calibrate",
            str(ROOT / "configs" / "baseline.yaml"),
            "--record",
            "nope.yaml",
            "-o",
            str(out),
        ],
    )
    assert bad.exit_code == 1 and "nope.yaml" in bad.output and "Traceback" not in bad.output
