"""Objectives: the config block (thresholds, weighted objectives) and objective values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import scenario
from scenario.analysis.objectives import (
    check_objectives,
    default_objective_names,
    objective,
    resolve_objectives,
)
from scenario.config.objectives import Objectives, Threshold, WeightedObjective
from scenario.config.schema import ScenarioConfig
from scenario.errors import ConfigError, ResultsError
from scenario.results import OutcomeMeta, Results

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"


def _results(
    columns: dict[str, np.ndarray],
    directions: dict[str, str],
    *,
    config: ScenarioConfig | None = None,
    seed: int = 1,
) -> Results:
    """Results holding ``columns`` as outcomes (synthetic, for closed-form checks)."""
    n = len(next(iter(columns.values())))
    return Results(
        config=config or ScenarioConfig(),
        outcomes={k: np.asarray(v, dtype=np.float64) for k, v in columns.items()},
        inputs={},
        series={},
        dates=np.datetime64("2024-11-01") + np.arange(1),
        failures=(),
        manifest={"seed": seed, "replications": n, "block_size": n, "model": "toy"},
        outcome_info=tuple(
            OutcomeMeta(name=k, unit="u", direction=directions.get(k, "info"))  # type: ignore[arg-type]
            for k in columns
        ),
    )


def _write(tmp_path: Path, body: str) -> Path:
    """A file extending the baseline (which declares objectives of its own: they merge)."""
    path = tmp_path / "objectives.yaml"
    path.write_text(f"extends: {BASE}\n{body}", encoding="utf-8")
    return path


# --- the config block -------------------------------------------------------------------


def test_the_block_loads_from_yaml(tmp_path: Path) -> None:
    cfg = scenario.load_config(
        _write(
            tmp_path,
            "objectives:\n"
            "  thresholds:\n"
            "    ad_leakers: {at_most: 900}\n"
            "    ground_held_end_km2: {at_least: 100}\n"
            "  weighted:\n"
            "    net_effect:\n"
            "      unit: NK casualties equivalent\n"
            "      weights: {nk_casualties: 1.0, ua_casualties: -1.0, cost_total_usd_m: -2.0}\n",
        )
    )
    t = cfg.objectives.thresholds
    assert (t["ad_leakers"].kind, t["ad_leakers"].bound) == ("at_most", 900.0)
    assert t["ground_held_end_km2"].describe() == ">= 100"
    w = cfg.objectives.weighted["net_effect"]
    assert w.weights == {"nk_casualties": 1.0, "ua_casualties": -1.0, "cost_total_usd_m": -2.0}
    assert w.unit == "NK casualties equivalent"
    with pytest.raises(Exception, match="frozen"):
        w.unit = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        (
            "    nk_casualties: {at_most: 1, at_least: 0}\n",
            ":4:",
            "exactly one of at_most, at_least (got both)",
        ),
        ("    nk_casualties: {}\n", ":4:", "exactly one of at_most, at_least (got neither)"),
        (
            "    nk_casualties: {at_most: .inf}\n",
            ":4:",
            "nk_casualties.at_most: Input should be a finite",
        ),
        (
            "    nk_casualties: {at_mots: 3}\n",
            ":4:",
            "thresholds.nk_casualties.at_mots: unknown key",
        ),
    ],
)
def test_threshold_mistakes_are_located(
    tmp_path: Path, body: str, where: str, message: str
) -> None:
    path = _write(tmp_path, "objectives:\n  thresholds:\n" + body)
    with pytest.raises(ConfigError) as info:
        scenario.load_config(path)
    text = str(info.value)
    assert text.startswith(f"{path}{where}") and message in text, text


def test_weighted_mistakes_are_located(tmp_path: Path) -> None:
    path = _write(tmp_path, "objectives:\n  weighted:\n    net:\n      weights: {}\n")
    with pytest.raises(
        ConfigError, match=r":5:\d+: objectives.weighted.net.weights: .*at least 1"
    ):
        scenario.load_config(path)
    path = _write(tmp_path, "objectives:\n  weighted:\n    net:\n      weights: {a: .nan}\n")
    with pytest.raises(ConfigError, match="finite number"):
        scenario.load_config(path)
    path = _write(tmp_path, "objectives:\n  weighted:\n    net:\n      unit: x\n")
    with pytest.raises(ConfigError, match=r"objectives\.weighted\.net\.weights: required key"):
        scenario.load_config(path)


# --- objective values -------------------------------------------------------------------


def test_an_outcome_takes_its_direction_and_unit() -> None:
    res = _results({"a": [1.0, 2.0], "b": [3.0, 4.0]}, {"a": "minimize", "b": "maximize"})
    a = objective(res, "a")
    assert (a.name, a.direction, a.unit) == ("a", "minimize", "u")
    np.testing.assert_array_equal(a.values, [1.0, 2.0])
    assert objective(res, "b").direction == "maximize"


def test_an_info_outcome_is_refused_with_the_way_out() -> None:
    res = _results({"a": [1.0, 2.0]}, {})
    with pytest.raises(ResultsError, match=r"'a' is reported only .* weighted objective"):
        objective(res, "a")


def test_an_unknown_name_names_the_closest() -> None:
    res = _results({"nk_casualties": [1.0]}, {"nk_casualties": "maximize"})
    with pytest.raises(ResultsError, match="did you mean 'nk_casualties'"):
        objective(res, "nk_casualtis")


def test_a_weighted_objective_is_the_weighted_sum_to_maximize() -> None:
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=50), rng.normal(size=50)
    objs = Objectives(
        weighted={"net": WeightedObjective(unit="pts", weights={"x": 2.0, "y": -0.5})}
    )
    res = _results({"x": x, "y": y}, {}, config=ScenarioConfig(objectives=objs))
    net = objective(res, "net")  # declared in the results' config
    assert (net.direction, net.unit) == ("maximize", "pts")
    np.testing.assert_allclose(net.values, 2.0 * x - 0.5 * y, rtol=1e-15)
    # Given explicitly, as a mapping, it overrides the config's.
    other = objective(res, "net", objectives={"weighted": {"net": {"weights": {"x": 1.0}}}})
    np.testing.assert_array_equal(other.values, x)
    # A failed replication of any weighted outcome gives NaN.
    y_nan = y.copy()
    y_nan[3] = np.nan
    res_nan = _results({"x": x, "y": y_nan}, {}, config=ScenarioConfig(objectives=objs))
    assert np.isnan(objective(res_nan, "net").values[3])


def test_a_weight_on_an_unknown_outcome_names_the_closest() -> None:
    objs = {"weighted": {"net": {"weights": {"nk_casualtis": 1.0}}}}
    res = _results({"nk_casualties": [1.0]}, {})
    with pytest.raises(
        ResultsError,
        match=r"weighted.net.weights: unknown outcome 'nk_casualtis'; did you mean 'nk_casualties'",
    ):
        objective(res, "net", objectives=objs)


def test_a_weighted_objective_may_not_shadow_an_outcome() -> None:
    res = _results({"a": [1.0]}, {"a": "maximize"})
    with pytest.raises(ResultsError, match="also an outcome"):
        objective(res, "a", objectives={"weighted": {"a": {"weights": {"a": 1.0}}}})


def test_check_objectives_checks_thresholds_and_weights() -> None:
    res = _results({"ad_leakers": [1.0]}, {"ad_leakers": "minimize"})
    check_objectives(res, Objectives(thresholds={"ad_leakers": Threshold(at_most=3)}))
    bad = Objectives(thresholds={"ad_leakrs": Threshold(at_most=3)})
    with pytest.raises(
        ResultsError, match="thresholds: unknown outcome 'ad_leakrs'; did you mean 'ad_leakers'"
    ):
        check_objectives(res, bad)
    with pytest.raises(ResultsError, match="not a valid objectives block"):
        resolve_objectives({"thresholds": {"a": {"at_most": 1, "at_least": 2}}})


def test_default_names_are_the_directed_outcomes_then_weighted() -> None:
    objs = Objectives(weighted={"net": WeightedObjective(weights={"a": 1.0})})
    res = _results(
        {"a": [1.0], "b": [1.0], "c": [1.0]},
        {"a": "minimize", "c": "maximize"},
        config=ScenarioConfig(objectives=objs),
    )
    assert default_objective_names(res) == ["a", "c", "net"]


def test_objectives_of_a_real_run() -> None:
    cfg = scenario.load_config(
        BASE,
        overrides=[
            "objectives={weighted: {net: {weights: {nk_casualties: 1.0, ua_casualties: -1.0}}}}"
        ],
    )
    res = scenario.run(cfg, replications=200, seed=2)
    net = objective(res, "net")
    np.testing.assert_array_equal(
        net.values, res.outcomes["nk_casualties"] - res.outcomes["ua_casualties"]
    )
    assert objective(res, "ad_leakers").direction == "minimize"
    with pytest.raises(ResultsError, match="reported only"):
        objective(res, "nk_killed")
