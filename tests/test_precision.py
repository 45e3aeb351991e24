"""Running to a target precision: the closed-form stopping point of a normal outcome,
determinism across workers, the manifest, the cap, errors and the command line."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _toys import PROV, Toy, toy_config
from typer.testing import CliRunner

import scenario.engine.runner
from scenario.cli import app
from scenario.config.loader import config_from_dict
from scenario.engine.precision import check_targets, half_width
from scenario.engine.runner import run
from scenario.errors import ConfigError, EngineError
from scenario.models.protocol import Block, BlockOutput, OutcomeInfo, ParameterInfo


class Gauss:
    """x ~ N(0, sigma) and z ~ N(0, 3 sigma) per replication, from the model's stream."""

    name = "gauss"
    parameters = (ParameterInfo(group="g", name="sigma", unit="-", meaning="sd of x"),)
    levers = ()
    outcomes = (
        OutcomeInfo(name="x", unit="-", description="N(0, sigma)"),
        OutcomeInfo(name="z", unit="-", description="N(0, 3 sigma)"),
    )
    series = ()
    streams = ("g",)

    def simulate(self, block: Block) -> BlockOutput:
        sigma = block.inputs["g.sigma"]
        draws = block.rngs["g"].normal(size=(2, block.n))
        return BlockOutput(outcomes={"x": sigma * draws[0], "z": 3 * sigma * draws[1]})


def gauss(sigma: float = 2.0, block: int = 100, seed: int = 1) -> Any:
    return config_from_dict(
        {
            "name": "gauss",
            "model": "gauss",
            "horizon_days": 1,
            "run": {"block_size": block, "seed": seed, "series_replications": 0},
            "parameters": {"g": {"sigma": {"dist": "fixed", "value": sigma, **PROV}}},
        }
    )


def _first_block_meeting(values: dict[str, np.ndarray], targets: dict[str, float], b: int) -> int:
    """Replications at the first block boundary where every target is met (0 if none)."""
    n = len(next(iter(values.values())))
    for m in range(b, n + b, b):
        if all(half_width(values[k][:m]) <= h for k, h in targets.items()):
            return min(m, n)
    return 0


@pytest.mark.parametrize("seed", range(20))
def test_a_normal_outcome_stops_near_the_closed_form_count(seed: int) -> None:
    """x ~ N(0, sigma): the half-width 1.96 s / sqrt(n) falls to H at n* = (1.96 sigma / H)^2
    = 1536.6 for sigma = 2, H = 0.1. At the stop s^2 = sigma^2 (1 + e) with sd(e) =
    sqrt(2 / n*) = 0.036, so the stopping n lies within n* (1 +- 4 sqrt(2 / n*)), plus one
    block of 100 for the rounding up to a block boundary."""
    sigma, h, b = 2.0, 0.1, 100
    res = run(gauss(sigma, b, seed), model=Gauss(), precision={"x": h})
    n = res.replications
    x = res.outcomes["x"]
    assert n % b == 0 and x.shape == (n,)
    assert _first_block_meeting({"x": x}, {"x": h}, b) == n
    assert half_width(x) <= h and half_width(x[: n - b]) > h
    n_star = (1.96 * sigma / h) ** 2
    spread = 4 * math.sqrt(2 / n_star)
    assert n_star * (1 - spread) <= n <= n_star * (1 + spread) + b
    report = res.manifest["precision"]
    assert report == {"x": {"target": h, "half_width": half_width(x), "met": True}}
    assert res.manifest["replications"] == n and res.manifest["max_replications"] == 100 * b


def test_a_precision_run_equals_a_plain_run_of_the_replications_it_used() -> None:
    cfg = toy_config(series_replications=250)
    res = run(cfg, model=Toy(), precision={"y": 0.06})
    plain = run(cfg, model=Toy(), replications=res.replications)
    assert 250 < res.replications < cfg.run.block_size * 100
    for part in ("outcomes", "inputs", "series"):
        a, b = getattr(res, part), getattr(plain, part)
        assert list(a) == list(b)
        for k in a:
            assert np.array_equal(a[k], b[k], equal_nan=True), (part, k)


def test_every_target_must_be_met() -> None:
    targets = {"x": 0.1, "z": 0.45}  # z alone needs about (1.96 * 6 / 0.45)^2 = 683
    res = run(gauss(), model=Gauss(), precision=targets)
    only_x = run(gauss(), model=Gauss(), precision={"x": 0.1})
    only_z = run(gauss(), model=Gauss(), precision={"z": 0.45})
    assert res.replications == _first_block_meeting(res.outcomes, targets, 100)
    assert res.replications >= max(only_x.replications, only_z.replications) - 100
    assert all(row["met"] for row in res.manifest["precision"].values())


def test_the_cap_stops_a_run_whose_target_is_not_met() -> None:
    res = run(gauss(), model=Gauss(), precision={"x": 0.01}, max_replications=750)
    assert res.replications == 750  # the last block holds 50
    row = res.manifest["precision"]["x"]
    assert row["met"] is False and row["half_width"] == half_width(res.outcomes["x"]) > 0.01
    assert res.manifest["max_replications"] == 750


def test_the_default_cap_is_100_blocks() -> None:
    res = run(gauss(block=10), model=Gauss(), precision={"x": 1e-6})
    assert res.replications == 1000 and res.manifest["max_replications"] == 1000


def test_the_default_cap_is_lowered_to_what_memory_allows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Gauss needs 24 bytes per replication plus 12,800 for a block of 100, so with 100,000
    bytes allowed (80 % of 125,000) the default cap of 10,000 halves to 2,500."""
    import scenario.engine.planning as planning

    monkeypatch.setattr(planning, "_available_memory", lambda: 125_000)
    res = run(gauss(), model=Gauss(), precision={"x": 1e-6})
    assert res.replications == 2_500 and res.manifest["max_replications"] == 2_500
    with pytest.raises(ConfigError, match=r"max_replications: 10,000 replications need about"):
        run(gauss(), model=Gauss(), precision={"x": 1e-6}, max_replications=10_000)


def test_the_stop_is_the_same_for_any_worker_count_or_executor() -> None:
    cfg = toy_config(block_size=50)
    serial = run(cfg, model=Toy(), precision={"y": 0.08})
    pooled = run(cfg, model=Toy(), precision={"y": 0.08}, workers=2)
    with ThreadPoolExecutor(3) as ex:
        threads = run(cfg, model=Toy(), precision={"y": 0.08}, executor=ex)
    for other in (pooled, threads):
        assert other.replications == serial.replications
        assert other.manifest["precision"] == serial.manifest["precision"]
        for k in serial.outcomes:
            assert np.array_equal(serial.outcomes[k], other.outcomes[k]), k


def test_failed_replications_are_left_out_of_the_half_width() -> None:
    res = run(toy_config(), model=Toy(nan_below=0.1), precision={"y": 0.08})
    y = res.outcomes["y"]
    assert res.n_failed > 0 and np.isnan(y).sum() == res.n_failed
    assert res.manifest["precision"]["y"]["half_width"] == half_width(y)
    finite = y[np.isfinite(y)]
    assert half_width(y) == pytest.approx(1.96 * finite.std(ddof=1) / math.sqrt(finite.size))


def test_half_width_needs_two_finite_values() -> None:
    assert half_width(np.array([1.0, np.nan])) == math.inf
    assert half_width(np.array([1.0, 3.0])) == pytest.approx(1.96 * math.sqrt(2) / math.sqrt(2))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"precision": {"yy": 1.0}}, EngineError, r"unknown outcome 'yy'; did you mean 'y'\?"),
        ({"precision": {"y": 0.0}}, EngineError, r"must be a positive number \(got 0.0\)"),
        ({"precision": {"y": -1}}, EngineError, r"must be a positive number \(got -1\)"),
        ({"precision": {"y": math.nan}}, EngineError, r"positive number \(got nan\)"),
        ({"precision": {"y": True}}, EngineError, r"positive number \(got True\)"),
        ({"precision": {}}, EngineError, r"non-empty mapping"),
        (
            {"precision": {"y": 1.0}, "design": {"toy.a": np.zeros(3)}},
            EngineError,
            r"precision cannot be combined with design",
        ),
        (
            {"precision": {"y": 1.0}, "replications": 100},
            EngineError,
            r"replications cannot be combined with precision.*\(got 100\)",
        ),
        ({"max_replications": 100}, EngineError, r"max_replications bounds a precision run"),
        (
            {"precision": {"y": 1.0}, "max_replications": 0},
            ConfigError,
            r"max_replications: must be an integer in \[1, ",
        ),
    ],
)
def test_bad_precision_arguments_are_refused(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        run(toy_config(), model=Toy(), **kwargs)


def test_check_targets_keeps_the_order_given() -> None:
    assert list(check_targets({"noise": 1, "y": 2.5}, ["y", "noise"])) == ["noise", "y"]


# --- the command line ------------------------------------------------------------------------

TOY_YAML = """name: toy
model: toy
horizon_days: 3
run: {block_size: 100, seed: 1, series_replications: 0}
parameters:
  toy:
    a: {dist: uniform, low: 0, high: 1, source: test, as_of: 2024-11-01, confidence: low}
    b: {dist: normal, mean: 2, sd: 1, source: test, as_of: 2024-11-01, confidence: low}
"""


@pytest.fixture
def toy_file(write: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(scenario.engine.runner, "resolve_model", lambda config, model=None: Toy())
    path: Path = write("toy.yaml", TOY_YAML)
    return path


def test_cli_runs_to_precision_and_says_so(toy_file: Path) -> None:
    res = CliRunner().invoke(
        app, ["run", str(toy_file), "--precision", "y=0.1", "--precision", "noise=0.2", "-q"]
    )
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    (y_line,) = [line for line in lines if line.startswith("precision y: ")]
    assert "95% CI half-width" in y_line and y_line.endswith("(target 0.1): met")
    assert any(line.startswith("precision noise: ") for line in lines)
    used = [line for line in lines if line.startswith("replications used: ")]
    assert used and used[0].endswith("of at most 10,000")
    assert all(len(line) <= 80 for line in lines if line.startswith(("precision", "replic")))


def test_cli_reports_a_target_not_met(toy_file: Path) -> None:
    res = CliRunner().invoke(
        app, ["run", str(toy_file), "--precision", "y=0.001", "--max-replications", "300", "-q"]
    )
    assert res.exit_code == 0, res.output
    assert "(target 0.001): NOT met" in res.output
    assert "replications used: 300 of at most 300; raise --max-replications" in res.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--precision", "y"], "error: --precision must be OUTCOME=HALF_WIDTH"),
        (["--precision", "y=abc"], "error: --precision must be OUTCOME=HALF_WIDTH"),
        (["--precision", "yy=1"], "error: precision: unknown outcome 'yy'; did you mean 'y'?"),
        (["--precision", "y=1", "-n", "100"], "error: replications cannot be combined"),
        (["--max-replications", "100"], "error: max_replications bounds a precision run"),
    ],
)
def test_cli_precision_mistakes_are_one_line(
    toy_file: Path, args: list[str], message: str
) -> None:
    res = CliRunner().invoke(app, ["run", str(toy_file), "-q", *args])
    assert res.exit_code == 1
    assert res.output.startswith(message) and len(res.output.splitlines()) == 1
    assert "Traceback" not in res.output
