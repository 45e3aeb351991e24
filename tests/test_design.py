"""The design seam: given input rows reproduce a plain run, pair with it (common random
numbers), keep worker independence and failure recording, and refuse bad designs clearly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _toys import Toy, toy_config

import scenario
from scenario.config.distributions import ppf
from scenario.engine.design import check_design
from scenario.engine.runner import run
from scenario.errors import EngineError
from scenario.results import load_results


def _same(a: scenario.Results, b: scenario.Results) -> None:
    for part in ("outcomes", "inputs", "series"):
        x, y = getattr(a, part), getattr(b, part)
        assert list(x) == list(y), part
        for k in x:
            assert np.array_equal(x[k], y[k], equal_nan=True), (part, k)
    assert a.failures == b.failures


def test_a_design_equal_to_the_sampled_values_reproduces_the_plain_run() -> None:
    cfg = toy_config(replications=950)  # a partial last block too
    plain = run(cfg, model=Toy())
    for cols in (["toy.a"], ["toy.b"], ["toy.a", "toy.b"]):
        res = run(cfg, model=Toy(), design={k: plain.inputs[k] for k in cols})
        _same(plain, res)
        assert res.design_columns == tuple(cols)
        assert res.manifest["design_columns"] == cols
    assert plain.design_columns == () and plain.manifest["design_columns"] == []


def test_the_campaign_reproduces_bit_for_bit_through_a_design(baseline_path: Path) -> None:
    cfg = scenario.load_config(
        baseline_path,
        overrides=["run.replications=300", "run.block_size=100", "run.series_replications=20"],
    )
    plain = run(cfg)
    given = list(plain.inputs)[::7]
    res = run(cfg, design={k: plain.inputs[k] for k in given})
    _same(plain, res)
    assert res.design_columns == tuple(sorted(given))


def test_a_constant_column_changes_only_what_depends_on_it() -> None:
    cfg = toy_config()
    plain = run(cfg, model=Toy())
    res = run(cfg, model=Toy(), design={"toy.a": np.full(1000, 0.5)})
    assert np.all(res.inputs["toy.a"] == 0.5)
    assert np.array_equal(res.inputs["toy.b"], plain.inputs["toy.b"])  # same draws of b
    assert np.array_equal(res.outcomes["noise"], plain.outcomes["noise"])  # same model stream
    assert np.array_equal(res.outcomes["y"], 0.5 * plain.inputs["toy.b"] + plain.outcomes["noise"])


def test_replications_default_to_the_design_length_and_must_equal_it() -> None:
    cfg = toy_config()
    res = run(cfg, model=Toy(), design={"toy.a": np.linspace(0, 1, 250)})
    assert res.replications == 250 and res.inputs["toy.a"].shape == (250,)
    assert run(cfg, model=Toy(), replications=250, design={"toy.a": np.zeros(250)})
    with pytest.raises(EngineError, match=r"replications must equal the design's length 250"):
        run(cfg, model=Toy(), replications=300, design={"toy.a": np.zeros(250)})


def test_worker_count_does_not_change_a_design_run() -> None:
    cfg = toy_config()
    design = {"toy.a": ppf(cfg.flat_parameters()["toy.a"], np.linspace(0.0005, 0.9995, 1000))}
    serial = run(cfg, model=Toy(), design=design)
    pooled = run(cfg, model=Toy(), design=design, workers=2)
    _same(serial, pooled)
    assert np.array_equal(pooled.inputs["toy.a"], design["toy.a"])


def test_failures_are_recorded_at_the_design_rows() -> None:
    cfg = toy_config(replications=200)
    a = np.full(200, 0.2)
    a[[17, 150]] = 0.95  # Toy(fail_above=0.9) raises on these rows
    a[60] = -0.5  # Toy(nan_below=0) returns NaN here
    res = run(cfg, model=Toy(fail_above=0.9, nan_below=0.0), design={"toy.a": a})
    assert [(f.index, f.error) for f in res.failures] == [
        (17, "RuntimeError"),
        (60, "NonFiniteOutcome"),
        (150, "RuntimeError"),
    ]
    assert np.array_equal(res.inputs["toy.a"], a)
    ok = np.ones(200, dtype=bool)
    ok[[17, 60, 150]] = False
    assert np.all(np.isfinite(res.outcomes["y"][ok])) and np.all(np.isnan(res.outcomes["y"][~ok]))


class _Frame:
    """The two things a DataFrame offers that the seam uses: ``.columns``, ``.to_numpy()``."""

    def __init__(self, data: dict[str, np.ndarray]) -> None:
        self._data = data
        self.columns = list(data)

    def __getitem__(self, key: str) -> Any:
        return _Column(self._data[key])

    def to_numpy(self) -> np.ndarray:
        return np.column_stack(list(self._data.values()))


class _Column:
    def __init__(self, values: np.ndarray) -> None:
        self._values = values

    def to_numpy(self) -> np.ndarray:
        return self._values


def test_a_dataframe_like_design_is_accepted() -> None:
    cfg = toy_config()
    plain = run(cfg, model=Toy())
    res = run(cfg, model=Toy(), design=_Frame({"toy.b": plain.inputs["toy.b"]}))
    _same(plain, res)
    assert res.design_columns == ("toy.b",)


def test_a_pandas_dataframe_is_accepted() -> None:
    pd = pytest.importorskip("pandas")
    cfg = toy_config()
    plain = run(cfg, model=Toy())
    res = run(cfg, model=Toy(), design=pd.DataFrame({"toy.a": plain.inputs["toy.a"]}))
    _same(plain, res)
    assert res.design_columns == ("toy.a",)


def test_the_design_is_copied_not_shared() -> None:
    cfg = toy_config(replications=100)
    a = np.linspace(0, 1, 100)
    res = run(cfg, model=Toy(), design={"toy.a": a})
    a[:] = 7.0
    assert res.inputs["toy.a"].max() == 1.0


def test_design_columns_survive_save_and_load(tmp_path: Path) -> None:
    res = run(toy_config(replications=100), model=Toy(), design={"toy.b": np.ones(100)})
    res.save(tmp_path / "r")
    back = load_results(tmp_path / "r")
    assert back == res and back.design_columns == ("toy.b",)


@pytest.mark.parametrize(
    ("design", "message"),
    [
        (
            {"toy.aa": np.ones(5)},
            r"design column 'toy.aa' is not a sampled parameter of this "
            r"run; did you mean 'toy.a'\?",
        ),
        ({"a": np.ones(5)}, r"'a' is not a sampled parameter.*did you mean 'toy.a'"),
        (
            {"toy.a": np.ones(5), "toy.b": np.ones(4)},
            r"design column 'toy.b' has 4 rows, but "
            r"column 'toy.a' has 5",
        ),
        (
            {"toy.a": [0.1, np.nan, 0.3]},
            r"design column 'toy.a' holds 1 non-finite value\(s\), "
            r"first at row 1 \(got nan\)",
        ),
        ({"toy.b": [1.0, np.inf]}, r"'toy.b' holds 1 non-finite.*\(got inf\)"),
        ({"toy.a": ["x", "y"]}, r"design column 'toy.a' must hold numbers"),
        ({"toy.a": np.ones((3, 2))}, r"'toy.a' must be one-dimensional.*\(got shape \(3, 2\)\)"),
        ({"toy.a": []}, r"design columns are empty"),
        ({}, r"design has no columns"),
        ([[0.1, 0.2]], r"design must be a mapping .* \(got list\)"),
    ],
)
def test_bad_designs_are_refused_clearly(design: Any, message: str) -> None:
    with pytest.raises(EngineError, match=message):
        run(toy_config(), model=Toy(), design=design)


def test_a_parameter_of_a_submodel_left_out_is_not_a_design_column(baseline_path: Path) -> None:
    cfg = scenario.load_config(baseline_path, overrides=["submodels=[ground]"])
    with pytest.raises(EngineError, match=r"'cost.msam_battery_usd_m' is not a sampled"):
        run(cfg, design={"cost.msam_battery_usd_m": np.ones(10)})


def test_check_design_returns_sorted_read_only_copies() -> None:
    b = np.arange(3.0)
    cols, n = check_design({"toy.b": b, "toy.a": [1, 2, 3]}, ["toy.a", "toy.b"], None)
    assert n == 3 and list(cols) == ["toy.a", "toy.b"]
    assert cols["toy.a"].dtype == np.float64 and not cols["toy.a"].flags.writeable
    assert cols["toy.b"] is not b
