"""Sweeps over levers: the sweep block, the grid, paired points, located errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import scenario
from scenario.analysis import compare_options, robustness
from scenario.analysis.sweep import Sweep, run_configs, run_sweep, sweep_configs, sweep_grid
from scenario.config.sweep import lever_key_known, point_name
from scenario.errors import ConfigError, EngineError, ResultsError

ROOT = Path(__file__).resolve().parents[1]
MSAM = ROOT / "configs" / "options" / "msam.yaml"
SWEEP = ROOT / "configs" / "options" / "msam_sweep.yaml"


def _write(tmp_path: Path, sweep: str) -> Path:
    path = tmp_path / "sweep.yaml"
    path.write_text(f"extends: {MSAM}\nsweep:\n{sweep}", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def msam_sweep() -> Sweep:
    return run_sweep(scenario.load_config(SWEEP), replications=300, seed=4)


def test_the_example_sweeps_the_batteries(msam_sweep: Sweep) -> None:
    assert msam_sweep.keys == ("policy.msam.batteries",)
    assert msam_sweep.names() == [f"policy.msam.batteries={b}" for b in (1, 2, 4)]
    for (coords, res), b in zip(msam_sweep.points, (1, 2, 4), strict=True):
        assert coords == {"policy.msam.batteries": b}
        assert res.config.policy.msam.batteries == b
        assert res.config.sweep == {}  # the block is removed from each point
        assert res.config.name == f"msam_sweep[policy.msam.batteries={b}]"
        assert res.config.policy.msam.interceptor_stock == 64  # the rest of the option stays
        assert (res.manifest["seed"], res.replications) == (4, 300)


def test_points_are_paired_and_equal_to_the_same_override(msam_sweep: Sweep) -> None:
    first = msam_sweep.points[0].results
    for _, res in msam_sweep.points[1:]:
        for key, values in first.inputs.items():
            np.testing.assert_array_equal(values, res.inputs[key])  # common random numbers
    direct = scenario.run(
        scenario.load_config(MSAM, overrides=["policy.msam.batteries=2"]), replications=300, seed=4
    )
    point = msam_sweep.points[1].results
    for name, values in direct.outcomes.items():
        np.testing.assert_array_equal(values, point.outcomes[name], err_msg=name)
    leak = [p.results.outcomes["ad_leakers"].mean() for p in msam_sweep.points]
    assert leak[0] > leak[1] > leak[2]  # more batteries, fewer leakers


def test_several_keys_make_a_grid_in_key_order(tmp_path: Path) -> None:
    cfg = scenario.load_config(
        _write(
            tmp_path,
            "  policy.msam.batteries: [1, 2]\n  policy.msam.doctrine: [salvo, shoot_look_shoot]\n",
        )
    )
    grid = sweep_grid(cfg)
    assert grid == [
        {"policy.msam.batteries": 1, "policy.msam.doctrine": "salvo"},
        {"policy.msam.batteries": 1, "policy.msam.doctrine": "shoot_look_shoot"},
        {"policy.msam.batteries": 2, "policy.msam.doctrine": "salvo"},
        {"policy.msam.batteries": 2, "policy.msam.doctrine": "shoot_look_shoot"},
    ]
    assert point_name(grid[1]) == "policy.msam.batteries=1, policy.msam.doctrine=shoot_look_shoot"
    configs = sweep_configs(cfg)
    assert [(c.policy.msam.batteries, c.policy.msam.doctrine) for _, c in configs] == [
        (1, "salvo"),
        (1, "shoot_look_shoot"),
        (2, "salvo"),
        (2, "shoot_look_shoot"),
    ]


@pytest.mark.parametrize(
    ("sweep", "where", "message"),
    [
        ("  parameters.ground.nk_exposure: [1, 2]\n", ":3:", "not a lever: sweep keys are"),
        ("  policy.msam.batteris: [1, 2]\n", ":3:", "did you mean 'policy.msam.batteries'?"),
        ("  policy.msam.batteries: []\n", ":3:", "needs at least one value (got [])"),
        ("  policy.msam.batteries: [1, 1]\n", ":3:", "repeats the value 1"),
        ("  policy.msam.batteries: 2\n", ":3:", "valid list"),
    ],
)
def test_bad_sweep_keys_are_located(tmp_path: Path, sweep: str, where: str, message: str) -> None:
    path = _write(tmp_path, sweep)
    with pytest.raises(ConfigError) as info:
        scenario.load_config(path)
    text = str(info.value)
    assert text.startswith(f"{path}{where}") and message in text, text


def test_a_value_the_lever_refuses_is_located_in_the_sweep(tmp_path: Path) -> None:
    path = _write(tmp_path, "  policy.msam.batteries: [1, 2, -4]\n")
    cfg = scenario.load_config(path)  # the keys are fine; the values are checked per point
    with pytest.raises(ConfigError) as info:
        run_sweep(cfg, replications=10)
    assert str(info.value).startswith(f"{path}:3:33: policy.msam.batteries: ")
    assert "(got -4) in sweep point policy.msam.batteries=-4" in str(info.value)


def test_lever_keys_follow_the_schema() -> None:
    assert lever_key_known("policy.msam.batteries")
    assert lever_key_known("policy.msam")
    assert lever_key_known("policy.advisors.trigger.delay_days")
    assert lever_key_known("policy.custom.anything")
    assert not lever_key_known("policy.custom")
    assert not lever_key_known("policy.added.not_registered.x")
    assert not lever_key_known("policy.msam.batteries.x")
    assert not lever_key_known("run.seed")


def test_run_refuses_a_sweep_and_run_sweep_needs_one() -> None:
    cfg = scenario.load_config(SWEEP)
    with pytest.raises(EngineError, match=r"has a sweep: block .* scenario.run_sweep"):
        scenario.run(cfg, replications=10)
    with pytest.raises(EngineError, match="has no sweep: block"):
        run_sweep(scenario.load_config(MSAM), replications=10)


def test_compare_and_robustness_take_a_sweep(msam_sweep: Sweep) -> None:
    comp = compare_options(msam_sweep, outcomes=["ad_leakers", "cost_total_usd_m"])
    assert comp.base == "policy.msam.batteries=1"
    assert comp.outcome("ad_leakers").ranking[0] == "policy.msam.batteries=4"
    rebased = compare_options(msam_sweep.with_base("policy.msam.batteries=2"))
    assert rebased.options[0] == "policy.msam.batteries=2"
    assert msam_sweep.with_base(2).names()[0] == "policy.msam.batteries=4"
    with pytest.raises(ResultsError, match="no sweep point 'x'"):
        msam_sweep.with_base("x")
    rob = robustness(msam_sweep, outcomes=["cost_total_usd_m"])
    assert rob.least_regret("cost_total_usd_m") == "policy.msam.batteries=1"
    # A sweep config stands for its points in compare_options.
    comp2 = compare_options(
        scenario.load_config(SWEEP), replications=300, seed=4, outcomes=["ad_leakers"]
    )
    assert comp2.options == tuple(msam_sweep.names())


def test_workers_do_not_change_the_results() -> None:
    configs = [scenario.load_config(p) for p in (MSAM, ROOT / "configs" / "baseline.yaml")]
    serial = run_configs(configs, replications=200, seed=6)
    pooled = run_configs(configs, replications=200, seed=6, workers=2)
    for a, b in zip(serial, pooled, strict=True):
        for name in a.outcomes:
            np.testing.assert_array_equal(a.outcomes[name], b.outcomes[name])
    with pytest.raises(EngineError, match="workers must be a positive integer"):
        run_configs(configs, workers=0)
