"""Results: summary statistics with intervals, Parquet + manifest round trip, atomic save."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from _toys import Toy, toy_config

import scenario
from scenario.errors import ResultsError
from scenario.results import Results, config_hash


@pytest.fixture(scope="module")
def toy_results() -> Results:
    return scenario.run(toy_config(series_replications=40), model=Toy(fail_above=0.99))


def test_summary_has_every_statistic_with_intervals(toy_results: Results) -> None:
    rows = {s.name: s for s in toy_results.summary()}
    y = rows["y"]
    ok = toy_results.outcomes["y"][np.isfinite(toy_results.outcomes["y"])]
    assert y.n == ok.size and y.failed == toy_results.n_failed > 0
    assert y.mean == pytest.approx(ok.mean())
    assert y.mean_lo < y.mean < y.mean_hi
    assert y.sd == pytest.approx(ok.std(ddof=1))
    for q, (v, lo, hi) in {
        0.05: (y.p5, y.p5_lo, y.p5_hi),
        0.5: (y.p50, y.p50_lo, y.p50_hi),
        0.95: (y.p95, y.p95_lo, y.p95_hi),
    }.items():
        assert v == pytest.approx(np.quantile(ok, q))
        assert lo <= v <= hi
    assert y.min == ok.min() and y.max == ok.max()
    assert y.unit == "-" and y.direction == "maximize"


def test_save_and_load_round_trip(tmp_path: Path, toy_results: Results) -> None:
    out = toy_results.save(tmp_path / "res")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["inputs.parquet", "manifest.json", "outcomes.parquet", "series.parquet"]
    back = scenario.load_results(out)
    assert back == toy_results
    assert back.failures == toy_results.failures
    man = json.loads((out / "manifest.json").read_text())
    assert man["seed"] == 1 and man["replications"] == 1000
    assert man["config_hash"] == config_hash(toy_results.config)
    assert {"numpy", "scipy", "pydantic", "python", "scenario"} <= set(man["versions"])
    assert man["started"] <= man["finished"]


def test_save_refuses_to_clobber(tmp_path: Path, toy_results: Results) -> None:
    target = tmp_path / "res"
    toy_results.save(target)
    with pytest.raises(ResultsError, match="overwrite"):
        toy_results.save(target)
    toy_results.save(target, overwrite=True)
    assert scenario.load_results(target) == toy_results
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(ResultsError, match="refusing"):
        toy_results.save(other, overwrite=True)
    assert (other / "keep.txt").read_text() == "mine"


def test_failed_save_leaves_nothing_half_written(
    tmp_path: Path, toy_results: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    calls = {"n": 0}
    real = pq.write_table

    def flaky(*args: object, **kw: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pq, "write_table", flaky)
    with pytest.raises(OSError, match="disk full"):
        toy_results.save(tmp_path / "res")
    assert list(tmp_path.iterdir()) == []


def test_load_rejects_a_non_results_directory(tmp_path: Path) -> None:
    with pytest.raises(ResultsError, match=r"manifest\.json"):
        scenario.load_results(tmp_path)


def test_series_on_date(toy_results: Results) -> None:
    x = toy_results.series_on("path", "2024-11-03")
    assert x.shape == (40,)
    with pytest.raises(ResultsError, match="outside the horizon"):
        toy_results.series_on("path", "2030-01-01")
    with pytest.raises(ResultsError, match="no series"):
        toy_results.series_on("nope", "2024-11-03")
    with pytest.raises(ResultsError, match="no outcome"):
        toy_results.outcome("nope")


def test_to_pandas(toy_results: Results) -> None:
    pd = pytest.importorskip("pandas")
    df = toy_results.to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["y", "noise", "input:toy.a", "input:toy.b"]
    assert len(df) == 1000
