"""Engine: determinism, worker independence, common random numbers, failures, progress."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from _toys import Toy, toy_config
from hypothesis import given
from hypothesis import strategies as st

import scenario
from scenario.engine.runner import check_config, run
from scenario.errors import ConfigError, EngineError, ModelError
from scenario.models.protocol import Block, BlockOutput


def _small_baseline(baseline_path: Path, *extra: str) -> scenario.ScenarioConfig:
    return scenario.load_config(
        baseline_path,
        overrides=[
            "run.replications=600",
            "run.block_size=200",
            "run.series_replications=50",
            *extra,
        ],
    )


@given(seed=st.integers(0, 2**63 - 1), n=st.integers(1, 450))
def test_same_seed_gives_bit_identical_results(seed: int, n: int) -> None:
    cfg = toy_config()
    a = run(cfg, replications=n, seed=seed, model=Toy())
    b = run(cfg, replications=n, seed=seed, model=Toy())
    for k in a.outcomes:
        assert np.array_equal(a.outcomes[k], b.outcomes[k])
    for k in a.inputs:
        assert np.array_equal(a.inputs[k], b.inputs[k])


def test_different_seeds_differ() -> None:
    cfg = toy_config()
    a = run(cfg, seed=1, model=Toy())
    b = run(cfg, seed=2, model=Toy())
    assert not np.array_equal(a.outcomes["y"], b.outcomes["y"])


def test_results_do_not_depend_on_worker_count(baseline_path: Path) -> None:
    cfg = _small_baseline(baseline_path)
    serial = run(cfg)
    pooled = run(cfg, workers=2)
    for k in serial.outcomes:
        assert np.array_equal(serial.outcomes[k], pooled.outcomes[k]), k
    for k in serial.series:
        assert np.array_equal(serial.series[k], pooled.series[k]), k
    with ThreadPoolExecutor(3) as ex:
        threaded = run(cfg, executor=ex)
    for k in serial.outcomes:
        assert np.array_equal(serial.outcomes[k], threaded.outcomes[k]), k


def test_common_random_numbers_across_levers(baseline_path: Path) -> None:
    base = run(_small_baseline(baseline_path))
    opt = run(
        _small_baseline(
            baseline_path,
            "policy.offensive_aid.deploy=true",
            "policy.offensive_aid.shells_per_month=40000",
        )
    )
    for k in base.inputs:
        assert np.array_equal(base.inputs[k], opt.inputs[k]), k
    assert not np.array_equal(base.outcomes["ru_casualties"], opt.outcomes["ru_casualties"])


def test_parameter_streams_do_not_shift_when_parameters_are_added() -> None:
    cfg = toy_config()
    base = run(cfg, model=Toy())

    class Toy3(Toy):
        parameters = (
            *Toy.parameters,
            scenario.ParameterInfo(group="toy", name="c", unit="-", meaning="unused"),
        )

    data = cfg.model_dump(mode="json")
    data["parameters"]["toy"]["c"] = {
        "dist": "uniform",
        "low": 0,
        "high": 1,
        "source": "t",
        "as_of": "2024-01-01",
        "confidence": "low",
    }
    more = run(scenario.config.config_from_dict(data), model=Toy3())
    assert np.array_equal(base.inputs["toy.a"], more.inputs["toy.a"])
    assert np.array_equal(base.outcomes["noise"], more.outcomes["noise"])


def test_failing_replications_are_recorded_and_the_run_finishes() -> None:
    cfg = toy_config()
    res = run(cfg, model=Toy(fail_above=0.97, nan_below=0.01))
    a = res.inputs["toy.a"]
    raised = set(np.flatnonzero(a > 0.97).tolist())
    nan = set(np.flatnonzero(a < 0.01).tolist())
    assert raised and nan
    got = {f.index: f for f in res.failures}
    assert set(got) == raised | nan
    assert all(got[i].error == "RuntimeError" and "a too large" in got[i].message for i in raised)
    assert all(got[i].error == "NonFiniteOutcome" for i in nan)
    ok = np.ones(a.size, bool)
    ok[list(raised | nan)] = False
    assert np.all(np.isfinite(res.outcomes["y"][ok]))
    assert np.all(np.isnan(res.outcomes["y"][~ok]))
    assert scenario.summarize(res)[0].failed == len(raised | nan)
    assert res.manifest["failures"] == len(raised | nan)


def test_progress_is_reported_through_the_callback() -> None:
    calls: list[tuple[int, int]] = []
    run(toy_config(), model=Toy(), progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (1000, 1000)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len(calls) == 10  # one per block


def test_model_breaking_the_protocol_is_a_model_error() -> None:
    class Bad(Toy):
        def simulate(self, block: Block) -> BlockOutput:
            return BlockOutput(outcomes={"y": np.zeros(block.n + 1), "noise": np.zeros(block.n)})

    with pytest.raises(ModelError, match=r"outcome 'y' must have shape \(100,\)"):
        run(toy_config(), model=Bad())


def test_unknown_model_name() -> None:
    cfg = toy_config()
    with pytest.raises(ConfigError, match=r"model: unknown model; .*got 'toy'"):
        run(cfg)


def test_missing_parameter_is_a_located_config_error(baseline_path: Path) -> None:
    cfg = toy_config()
    data = cfg.model_dump(mode="json")
    del data["parameters"]["toy"]["b"]
    with pytest.raises(ConfigError, match=r"parameters\.toy\.b: required by model 'toy'"):
        check_config(scenario.config.config_from_dict(data), Toy())


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"replications": 0}, "replications"),
        ({"replications": 2.5}, "replications"),
        ({"seed": -1}, "seed"),
        ({"workers": 0}, "workers"),
    ],
)
def test_bad_arguments(kw: dict[str, object], match: str) -> None:
    with pytest.raises((EngineError, ConfigError), match=match):
        run(toy_config(), model=Toy(), **kw)  # type: ignore[arg-type]


def test_config_must_be_a_scenario_config() -> None:
    with pytest.raises(EngineError, match="ScenarioConfig"):
        run({"name": "x"})  # type: ignore[arg-type]


def test_series_are_kept_for_the_first_replications() -> None:
    res = run(toy_config(series_replications=150), model=Toy())
    assert res.series["path"].shape == (150, 5)
    np.testing.assert_allclose(
        res.series["path"][:, 1], res.outcomes["y"][:150].astype(np.float32), rtol=1e-6
    )
    assert str(res.dates[0]) == "2024-11-01" and len(res.dates) == 5


@pytest.mark.slow
@pytest.mark.parametrize("workers", [2, 3])
def test_worker_independence_with_failures_at_scale(workers: int) -> None:
    cfg = toy_config(replications=200_000, block_size=7_000)
    serial = run(cfg, model=Toy(fail_above=0.9999))
    pooled = run(cfg, model=Toy(fail_above=0.9999), workers=workers)
    assert serial.failures == pooled.failures and serial.n_failed > 0
    for k in serial.outcomes:
        assert np.array_equal(serial.outcomes[k], pooled.outcomes[k], equal_nan=True)


def test_an_unknown_model_is_a_located_error_with_a_suggestion() -> None:
    from scenario.engine.runner import resolve_model

    base = Path(__file__).resolve().parents[1] / "configs" / "baseline.yaml"
    cfg = scenario.load_config(base, overrides=["model=campain"])
    with pytest.raises(ConfigError, match=r"model: unknown model; did you mean 'campaign'\?"):
        resolve_model(cfg)


def test_the_manifest_records_the_executor_and_its_workers() -> None:
    base = Path(__file__).resolve().parents[1] / "configs" / "baseline.yaml"
    cfg = scenario.load_config(base, overrides=["submodels=[ground]", "run.block_size=50"])
    with ThreadPoolExecutor(3) as ex:
        res = scenario.run(cfg, replications=100, seed=1, executor=ex)
    assert res.manifest["workers"] == 3 and "ThreadPool" in str(res.manifest["executor"])
    serial = scenario.run(cfg, replications=100, seed=1)
    assert serial.manifest["workers"] == 1 and serial.manifest["executor"] == "serial"


# --- The declared domain of a parameter is checked before the run ---------------------------

BASE = Path(__file__).resolve().parents[1] / "configs" / "baseline.yaml"


def _check(*sets: str) -> None:
    cfg = scenario.load_config(BASE, overrides=sets)
    check_config(cfg, scenario.engine.runner.resolve_model(cfg))


@pytest.mark.parametrize(
    ("override", "where", "message"),
    [
        (
            "parameters.air_defence.p_detect.high=1.5",
            "parameters.air_defence.p_detect.high",
            "must lie in [0, 1], but this triangular distribution reaches [0.85, 1.5]",
        ),
        (
            "parameters.ground.ua_troops_initial.low=-10",
            "parameters.ground.ua_troops_initial.low",
            "values in troops must lie in [0, inf]",
        ),
        (
            "parameters.air_defence.ua_looks.value=0",
            "parameters.air_defence.ua_looks.value",
            "must lie in [1, inf]",
        ),
        (
            "parameters.air_defence.ua_looks.value=1.5",
            "parameters.air_defence.ua_looks.value",
            "must be a whole number (got fixed(1.5))",
        ),
    ],
)
def test_a_distribution_outside_the_parameters_domain_is_a_located_error(
    override: str, where: str, message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        _check(override)
    text = str(info.value)
    assert text.startswith(f"<--set {override}>:1:"), text
    assert f": {where}: " in text and message in text, text


def test_a_fixed_parameter_refuses_a_distribution() -> None:
    sets = (
        "parameters.air_defence.ua_salvo={dist: uniform, low: 1, high: 2, source: test, "
        "as_of: 2024-11-01, confidence: low}"
    )
    with pytest.raises(ConfigError, match="must be the same in every replication"):
        _check(sets)


def test_an_unlisted_unit_is_unbounded_and_a_negative_day_is_fine() -> None:
    _check("parameters.air_ops.training_start_day.low=-400")  # unit "day": an index
    info = scenario.ParameterInfo(group="g", name="x", unit="-", meaning="m")
    assert info.bounds == (-np.inf, np.inf)
    assert scenario.ParameterInfo(group="g", name="x", unit="fraction", meaning="m").bounds == (
        0.0,
        1.0,
    )
