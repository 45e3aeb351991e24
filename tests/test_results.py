"""Results: plain data, summary statistics with intervals, Parquet + manifest round trip,
atomic save, manifest contents."""

from __future__ import annotations

import ast
import datetime as dt
import importlib.metadata
import json
from pathlib import Path

import numpy as np
import pytest
from _toys import Toy, toy_config

import scenario
import scenario.results as results_module
from scenario.engine.manifest import build_manifest, config_hash, package_versions
from scenario.errors import ResultsError
from scenario.results import OutcomeMeta, Results, as_run


@pytest.fixture(scope="module")
def toy_results() -> Results:
    return scenario.run(toy_config(series_replications=40), model=Toy(fail_above=0.99))


def test_summary_has_every_statistic_with_intervals(toy_results: Results) -> None:
    rows = {s.name: s for s in scenario.summarize(toy_results)}
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
    assert man["notes"] == []
    assert back.outcome_info == toy_results.outcome_info
    assert all(isinstance(o, OutcomeMeta) for o in back.outcome_info)
    assert scenario.summarize(back) == scenario.summarize(toy_results)


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
    with pytest.raises(ResultsError, match=r"res: cannot write results: disk full"):
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


def test_summarize_selects_outcomes_in_the_given_order(toy_results: Results) -> None:
    rows = scenario.summarize(toy_results, ["noise", "y"])
    assert [r.name for r in rows] == ["noise", "y"]
    assert rows[1].direction == "maximize" and rows[0].direction == "info"
    assert [r.name for r in scenario.summarize(toy_results, "y")] == ["y"]
    with pytest.raises(ResultsError, match="no outcome 'nope'"):
        scenario.summarize(toy_results, ["nope"])


def test_outcome_info_is_plain_data(toy_results: Results) -> None:
    assert toy_results.outcome_info == (
        OutcomeMeta("y", "-", "a*b*boost + noise", "maximize"),
        OutcomeMeta("noise", "-", "the model stream's draw", "info"),
    )
    meta = toy_results.outcome_info[0]
    assert OutcomeMeta.from_dict(meta.to_dict()) == meta
    assert json.loads(json.dumps(meta.to_dict())) == meta.to_dict()
    assert OutcomeMeta.from_dict({"name": "x"}) == OutcomeMeta("x", "", "", "info")
    assert toy_results.manifest["outcomes"] == [o.to_dict() for o in toy_results.outcome_info]


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"unit": "-"}, "needs a non-empty 'name'"),
        ({"name": "x", "direction": "up"}, "direction must be one of minimize, maximize, info"),
        ({"name": "x", "unit": 3}, "unit must be a string"),
        (["x"], "must be a mapping"),
    ],
)
def test_outcome_meta_rejects_bad_data(data: object, match: str) -> None:
    with pytest.raises(ResultsError, match=match):
        OutcomeMeta.from_dict(data)  # type: ignore[arg-type]


def test_load_reports_bad_outcome_metadata(tmp_path: Path, toy_results: Results) -> None:
    out = toy_results.save(tmp_path / "res")
    man = json.loads((out / "manifest.json").read_text())
    man["outcomes"][0]["direction"] = "sideways"
    (out / "manifest.json").write_text(json.dumps(man))
    with pytest.raises(ResultsError, match="sideways"):
        scenario.load_results(out)


def test_results_module_imports_no_analysis_and_no_models() -> None:
    source = Path(results_module.__file__).read_text(encoding="utf-8")
    imported: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
    bad = [m for m in imported if m.startswith(("scenario.analysis", "scenario.models"))]
    assert bad == []
    assert "build_manifest" not in vars(results_module)
    assert not hasattr(Results, "summary")


def test_manifest_takes_plain_data_and_carries_notes(toy_results: Results) -> None:
    now = dt.datetime(2024, 11, 1, tzinfo=dt.UTC)
    man = build_manifest(
        toy_results.config,
        model_name="toy",
        outcomes=[{"name": "y", "unit": "-", "description": "d", "direction": "maximize"}],
        series=[{"name": "path", "unit": "-", "description": "p"}],
        n=10,
        seed=3,
        workers=1,
        started=now,
        finished=now,
        n_failures=0,
        notes=["parameters of submodels not in the composition were ignored: x.y"],
    )
    assert man["model"] == "toy" and man["replications"] == 10 and man["seed"] == 3
    assert man["notes"] == ["parameters of submodels not in the composition were ignored: x.y"]
    assert man["outcomes"][0]["direction"] == "maximize"
    assert man["series"] == [{"name": "path", "unit": "-", "description": "p"}]
    assert man["config_hash"] == config_hash(as_run(toy_results.config, 10, 3))
    assert man["config"]["run"]["replications"] == 10 and man["config"]["run"]["seed"] == 3
    json.dumps(man)


def test_package_versions_are_looked_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    first = package_versions()

    def no_lookup(name: str) -> str:
        raise AssertionError(f"version of {name} looked up again")

    monkeypatch.setattr(importlib.metadata, "version", no_lookup)
    again = package_versions()
    assert again == first and again is not first


def test_repr_is_one_short_line(toy_results: Results) -> None:
    text = repr(toy_results)
    assert len(text) < 500 and "\n" not in text
    assert "'toy'" in text and "1,000 replications" in text and "seed 1" in text
    assert "2 outcomes" in text and f"{toy_results.n_failed} failed" in text


@pytest.fixture(scope="module")
def baseline_results() -> Results:
    cfg = scenario.load_config(
        Path(__file__).resolve().parents[1] / "configs" / "baseline.yaml",
        overrides=["run.series_replications=10"],
    )
    return scenario.run(cfg, replications=200, seed=3)


def test_notebook_display_of_the_baseline_is_a_compact_summary(baseline_results: Results) -> None:
    assert len(repr(baseline_results)) < 500
    page = baseline_results._repr_html_()
    assert len(page) < 20_000
    assert page.count("<tr>") == len(baseline_results.outcomes) + 1  # header + one per outcome
    for name in baseline_results.outcomes:
        assert f"<td>{name} [" in page, name
    assert "200 replications" in page and "seed 3" in page
    mean = float(np.nanmean(baseline_results.outcomes["nk_casualties"]))
    assert f"{mean:,.0f}"[:3] in page  # the mean, rounded to its precision


def test_notebook_display_escapes_config_text(toy_results: Results) -> None:
    cfg = toy_results.config.model_copy(update={"name": "<script>x</script> & co"})
    res = Results(
        config=cfg,
        outcomes=toy_results.outcomes,
        inputs=toy_results.inputs,
        series={},
        dates=toy_results.dates,
        failures=toy_results.failures,
        manifest=toy_results.manifest,
        outcome_info=toy_results.outcome_info,
    )
    page = res._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt; &amp; co" in page
    assert "\n" not in repr(res.config.model_copy(update={"name": "a\nb"}))


def test_config_repr_is_one_readable_line(baseline_path: Path) -> None:
    base = scenario.load_config(baseline_path)
    text = repr(base)
    n_par = len(base.flat_parameters())
    assert len(text) < 300 and "\n" not in text
    assert text.startswith(
        "ScenarioConfig(name='baseline', model='campaign', 2024-11-01 + 180 days"
    )
    assert "levers deployed: none" in text and f"{n_par} parameters in " in text
    msam = scenario.load_config(Path(baseline_path).parent / "options" / "msam.yaml")
    assert "levers deployed: msam," in repr(msam)
    # pydantic behaviour otherwise unchanged
    assert base == base.model_copy() and base.model_dump()["name"] == "baseline"


def test_censoring_is_carried_through_save_and_load(tmp_path: Path) -> None:
    """Which outcomes stand for "not within the horizon" travels with the results, so a
    loaded run is displayed right without the model that produced it."""
    cfg = scenario.load_config(
        Path(__file__).resolve().parents[1] / "configs" / "baseline.yaml",
        overrides=["run.series_replications=0"],
    )
    res = scenario.run(cfg, replications=20, seed=1)
    kinds = {m.name: m.censored for m in res.outcome_info}
    assert kinds["ua_exit_day"] is True and kinds["nk_days_to_ineffective"] == "nk_ineffective"
    assert kinds["ua_casualties"] is False
    back = scenario.load_results(res.save(tmp_path / "r"))
    assert {m.name: m.censored for m in back.outcome_info} == kinds
    with pytest.raises(ResultsError, match="censored must be"):
        OutcomeMeta.from_dict({"name": "x", "censored": 3})
