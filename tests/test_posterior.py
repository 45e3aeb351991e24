"""A calibrated posterior as a joint input: rows drawn by weight, common random numbers,
worker independence, precedence, located errors, paths relative to the file that set them,
and the manifest's record."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _toys import Toy
from scipy import stats
from typer.testing import CliRunner

from scenario.config.loader import load_config
from scenario.config.posterior import Posterior, draw_rows, read_posterior
from scenario.config.schema import ScenarioConfig, json_schema
from scenario.engine.planning import prepare
from scenario.engine.rng import posterior_rng
from scenario.engine.runner import check_config, run
from scenario.errors import ConfigError
from scenario.results import load_results

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "configs" / "baseline.yaml"

PROV = "source: test, as_of: 2024-11-01, confidence: low"
TOY = """\
name: toy
model: toy
horizon_days: 3
run: {{replications: {n}, block_size: {block}, seed: 5}}
parameters:
  toy:
    a: {{dist: uniform, low: 0, high: 1, PROV}}
    b: {{dist: normal, mean: 2, sd: 1, PROV}}
""".replace("PROV", PROV)
POSTERIOR = """\
posterior:
  file: {file}
  source: "ABC-SMC on a test record"
  as_of: 2026-11-27
  confidence: medium
  method: abc-smc
"""

# Five particles (a, b) with unnormalised weights, and one of weight zero.
ROWS = [(0.1, 1.0, 1.0), (0.3, 2.0, 2.0), (0.5, 3.0, 3.0), (0.7, 4.0, 0.5), (0.9, 5.0, 3.5)]
ZERO = (0.95, 9.0, 0.0)


def csv_text(rows: list[tuple[float, ...]], header: str = "toy.a,toy.b,weight") -> str:
    body = "\n".join(",".join(repr(v) for v in row) for row in rows)
    return (
        f"# posterior of toy: ABC-SMC on a test record\n# written 2026-11-27\n{header}\n{body}\n"
    )


def toy_file(
    tmp_path: Path,
    csv: str | None = None,
    *,
    n: int = 2_000,
    block: int = 500,
    extra: str = "",
    name: str = "post.csv",
) -> Path:
    """A toy scenario with a posterior file beside it; returns the YAML's path."""
    (tmp_path / name).write_text(csv_text(ROWS) if csv is None else csv, encoding="utf-8")
    path = tmp_path / "toy.yaml"
    text = TOY.format(n=n, block=block) + POSTERIOR.format(file=name) + extra
    path.write_text(text, encoding="utf-8")
    return path


def toy(tmp_path: Path, csv: str | None = None, **kw: Any) -> ScenarioConfig:
    return load_config(toy_file(tmp_path, csv, **kw))


def plain_toy(tmp_path: Path, n: int = 2_000, block: int = 500) -> ScenarioConfig:
    path = tmp_path / "plain.yaml"
    path.write_text(TOY.format(n=n, block=block), encoding="utf-8")
    return load_config(path)


# --- the draws -------------------------------------------------------------------------------


def test_rows_are_drawn_with_probability_proportional_to_weight(tmp_path: Path) -> None:
    """Pearson's chi-square over the five rows of positive weight, 20,000 replications,
    4 degrees of freedom: refused at the 0.1 % level (critical value 18.47). The row of
    weight zero is never drawn."""
    cfg = toy(tmp_path, csv_text([*ROWS, ZERO]), n=20_000, block=1_000)
    a = run(cfg, model=Toy()).inputs["toy.a"]
    counts = np.array([np.count_nonzero(a == row[0]) for row in ROWS])
    assert np.count_nonzero(a == ZERO[0]) == 0
    assert counts.sum() == a.size
    w = np.array([row[2] for row in ROWS])
    expected = a.size * w / w.sum()
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    assert chi2 < stats.chi2.ppf(0.999, df=len(ROWS) - 1), (chi2, counts, expected)


def test_each_replication_takes_a_whole_row(tmp_path: Path) -> None:
    res = run(toy(tmp_path), model=Toy())
    pairs = set(zip(res.inputs["toy.a"].tolist(), res.inputs["toy.b"].tolist(), strict=True))
    assert pairs == {(a, b) for a, b, _ in ROWS}


def test_a_single_row_is_taken_by_every_replication(tmp_path: Path) -> None:
    res = run(toy(tmp_path, csv_text([(0.25, -1.5, 0.3)])), model=Toy())
    assert np.all(res.inputs["toy.a"] == 0.25)
    assert np.all(res.inputs["toy.b"] == -1.5)


def test_zero_weights_at_either_end_are_never_drawn() -> None:
    w = np.array([0.0, 0.0, 1.0, 0.0, 2.0, 0.0])
    post = Posterior("x", "0", {"g.a": np.arange(6.0)}, w)
    rows = np.concatenate([draw_rows(post, 1_000, rng=posterior_rng(1, b)) for b in range(20)])
    assert set(np.unique(rows).tolist()) == {2, 4}


def test_same_seed_and_different_levers_draw_the_same_rows(tmp_path: Path) -> None:
    base = toy(tmp_path)
    option = toy(tmp_path, extra="policy: {custom: {boost: 3.0}}\n")
    one, two = run(base, model=Toy()), run(option, model=Toy())
    for k in one.inputs:
        assert np.array_equal(one.inputs[k], two.inputs[k]), k
    assert not np.array_equal(one.outcomes["y"], two.outcomes["y"])
    other_seed = run(base, model=Toy(), seed=6)
    assert not np.array_equal(one.inputs["toy.a"], other_seed.inputs["toy.a"])


def test_same_results_for_one_and_two_workers(tmp_path: Path) -> None:
    cfg = toy(tmp_path, n=1_500, block=250)
    one = run(cfg, model=Toy())
    two = run(cfg, model=Toy(), workers=2)
    for k in one.inputs:
        assert np.array_equal(one.inputs[k], two.inputs[k]), k
    for k in one.outcomes:
        assert np.array_equal(one.outcomes[k], two.outcomes[k]), k


def test_the_plan_carries_the_rows_and_pickles(tmp_path: Path) -> None:
    cfg = toy(tmp_path)
    plan, *_ = prepare(cfg, Toy(), None, None, None, None, None, None)
    assert plan.posterior is not None and plan.posterior.rows == len(ROWS)
    back = pickle.loads(pickle.dumps(plan))
    assert back.posterior is not None
    assert np.array_equal(back.posterior.columns["toy.b"], plan.posterior.columns["toy.b"])


def test_parameters_without_a_column_keep_their_draws_bit_for_bit(tmp_path: Path) -> None:
    only_a = csv_text([(r[0], r[2]) for r in ROWS], header="toy.a,weight")
    with_post = run(toy(tmp_path, only_a), model=Toy())
    without = run(plain_toy(tmp_path), model=Toy())
    assert np.array_equal(with_post.inputs["toy.b"], without.inputs["toy.b"])
    assert np.array_equal(with_post.outcomes["noise"], without.outcomes["noise"])
    assert not np.array_equal(with_post.inputs["toy.a"], without.inputs["toy.a"])


def test_a_design_column_wins_over_the_posterior(tmp_path: Path) -> None:
    cfg = toy(tmp_path)
    design = {"toy.a": np.linspace(0.0, 1.0, 2_000)}
    res = run(cfg, model=Toy(), design=design)
    plain = run(cfg, model=Toy())
    assert np.array_equal(res.inputs["toy.a"], design["toy.a"])
    assert np.array_equal(res.inputs["toy.b"], plain.inputs["toy.b"])  # still the rows


def test_a_precision_run_draws_rows_too(tmp_path: Path) -> None:
    res = run(toy(tmp_path, block=200), model=Toy(), precision={"y": 2.0})
    assert set(np.unique(res.inputs["toy.b"]).tolist()) <= {r[1] for r in ROWS}
    assert res.manifest["posterior"]["rows"] == len(ROWS)


# --- the manifest ------------------------------------------------------------------------------


def test_the_manifest_records_the_file_hash_rows_ess_and_provenance(tmp_path: Path) -> None:
    res = run(toy(tmp_path), model=Toy())
    rec = res.manifest["posterior"]
    data = (tmp_path / "post.csv").read_bytes()
    w = np.array([r[2] for r in ROWS])
    assert rec["file"] == str((tmp_path / "post.csv").resolve())
    assert rec["sha256"] == hashlib.sha256(data).hexdigest()
    assert rec["rows"] == 5 and rec["columns"] == ["toy.a", "toy.b"]
    assert rec["distinct_rows"] == 5
    assert rec["effective_sample_size"] == pytest.approx(w.sum() ** 2 / (w**2).sum(), rel=1e-12)
    assert rec["method"] == "abc-smc" and rec["as_of"] == "2026-11-27"
    assert rec["confidence"] == "medium" and rec["source"] == "ABC-SMC on a test record"
    res.save(tmp_path / "out")
    assert load_results(tmp_path / "out") == res
    assert run(plain_toy(tmp_path), model=Toy()).manifest["posterior"] is None


def test_ess_equals_the_rows_for_equal_weights_and_one_for_a_single_positive_weight() -> None:
    flat = Posterior("x", "0", {"g.a": np.zeros(4)}, np.full(4, 0.25))
    spike = Posterior("x", "0", {"g.a": np.zeros(4)}, np.array([0.0, 3.0, 0.0, 0.0]))
    assert flat.ess == pytest.approx(4.0) and spike.ess == pytest.approx(1.0)
    assert np.allclose(spike.probabilities, [0, 1, 0, 0])
    resampled = Posterior("x", "0", {"g.a": np.array([1.0, 2.0, 1.0, 1.0])}, np.ones(4))
    assert resampled.ess == pytest.approx(4.0) and resampled.distinct_rows == 2


# --- paths relative to the file that set them ---------------------------------------------


def test_an_extending_config_finds_the_file_relative_to_the_one_that_set_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "post.csv").write_text(csv_text(ROWS), encoding="utf-8")
    (tmp_path / "calibrated").mkdir()
    base = tmp_path / "calibrated" / "base.yaml"
    base.write_text(
        TOY.format(n=400, block=200) + POSTERIOR.format(file="../data/post.csv"),
        encoding="utf-8",
    )
    (tmp_path / "options").mkdir()
    option = tmp_path / "options" / "option.yaml"
    option.write_text(
        "extends: ../calibrated/base.yaml\nname: option\npolicy: {custom: {boost: 2.0}}\n"
        "posterior: {confidence: low}\n",
        encoding="utf-8",
    )
    want = str((tmp_path / "data" / "post.csv").resolve())
    cfg = load_config(option)
    assert cfg.posterior is not None and cfg.posterior.file == want
    assert cfg.posterior.confidence == "low"
    res = run(cfg, model=Toy())
    assert res.manifest["posterior"]["file"] == want
    base_res = run(load_config(base), model=Toy())
    assert np.array_equal(res.inputs["toy.a"], base_res.inputs["toy.a"])  # common rows


def test_a_file_set_by_the_extending_config_is_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    base = tmp_path / "b" / "base.yaml"
    base.write_text(
        TOY.format(n=10, block=10) + POSTERIOR.format(file="missing.csv"), encoding="utf-8"
    )
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "mine.csv").write_text(csv_text(ROWS), encoding="utf-8")
    option = tmp_path / "o" / "option.yaml"
    option.write_text("extends: ../b/base.yaml\nposterior: {file: mine.csv}\n", encoding="utf-8")
    cfg = load_config(option)
    assert cfg.posterior is not None
    assert cfg.posterior.file == str((tmp_path / "o" / "mine.csv").resolve())


def test_an_override_is_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = toy_file(tmp_path)
    (tmp_path / "cwd").mkdir()
    (tmp_path / "cwd" / "other.csv").write_text(csv_text(ROWS[:2]), encoding="utf-8")
    monkeypatch.chdir(tmp_path / "cwd")
    cfg = load_config(path, overrides=["posterior.file=other.csv"])
    assert cfg.posterior is not None
    assert cfg.posterior.file == str((tmp_path / "cwd" / "other.csv").resolve())


# --- errors ----------------------------------------------------------------------------------


def _issue(tmp_path: Path, csv: str | None, *, name: str = "post.csv", extra: str = "") -> str:
    cfg = toy(tmp_path, csv, name=name, extra=extra)
    with pytest.raises(ConfigError) as info:
        check_config(cfg, Toy())
    (issue,) = info.value.issues
    return str(issue)


GOOD = "toy.a,toy.b,weight\n0.1,1.0,1.0\n"


@pytest.mark.parametrize(
    ("csv", "where", "message"),
    [
        ("# only comments\n\n", 2, "no header: expected a line of parameter keys"),
        ("toy.a,toy.b\n0.1,1.0\n", 1, "header: no 'weight' column; give each row's weight"),
        ("weight\n1.0\n", 1, "header: no parameter columns (got 'weight')"),
        ("toy.a,,weight\n0.1,1,1\n", 1, "header: column 2 has no name"),
        ("toy.a,toy.a,weight\n0.1,1,1\n", 1, "header: column 'toy.a' appears twice"),
        ("# c\ntoy.a,toy.b,weight\n", 2, "no rows below the header (got 0 rows)"),
        (GOOD + "0.2,abc,1\n", 3, "toy.b: row 2: not a number (got 'abc')"),
        (GOOD + "0.2,1.0\n", 3, "row 2 has 2 field(s) but the header has 3"),
        (GOOD + "nan,1.0,1\n", 3, "toy.a: row 2: not finite; 1 non-finite value(s)"),
        (GOOD + "0.2,1.0,inf\n", 3, "weight: row 2: not finite"),
        (GOOD + "0.2,1.0,-0.5\n", 3, "weight: row 2: must not be negative (1 are) (got -0.5)"),
        ("toy.a,toy.b,weight\n0.1,1,0\n0.2,1,0\n", 2, "weight: every weight is zero"),
    ],
)
def test_a_bad_file_is_located_at_posterior_file_and_in_the_csv(
    tmp_path: Path, csv: str, where: int, message: str
) -> None:
    issue = _issue(tmp_path, csv)
    yaml, posted = tmp_path / "toy.yaml", (tmp_path / "post.csv").resolve()
    assert issue.startswith(f"{yaml}:10:9: posterior.file: {posted}:{where}: {message}"), issue
    assert "(got " in issue


def test_a_missing_or_unreadable_file(tmp_path: Path) -> None:
    path = toy_file(tmp_path)
    text = path.read_text(encoding="utf-8").replace("file: post.csv", "file: nothere.csv")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        check_config(load_config(path), Toy())
    missing = (tmp_path / "nothere.csv").resolve()
    assert str(info.value) == (
        f"{path}:10:9: posterior.file: {missing}: posterior file not found (got '{missing}')"
    )
    (tmp_path / "dir.csv").mkdir()
    (tmp_path / "latin1.csv").write_bytes(b"toy.a,weight\n\xe9,1\n")
    for name, why in [("dir.csv", "Is a directory"), ("latin1.csv", "not UTF-8 text")]:
        cfg = load_config(path, overrides=[f"posterior.file={tmp_path / name}"])
        with pytest.raises(ConfigError, match=rf"posterior.file: .*{name}: cannot read: {why}"):
            check_config(cfg, Toy())


def test_an_unknown_column_names_the_closest_parameter(tmp_path: Path) -> None:
    issue = _issue(tmp_path, "toy.aa,weight\n0.1,1\n")
    posted = (tmp_path / "post.csv").resolve()
    assert issue == (
        f"{tmp_path / 'toy.yaml'}:10:9: posterior.file: {posted}: a column is not a parameter "
        "of model 'toy'; did you mean 'toy.a'? (got 'toy.aa')"
    )


def test_a_posterior_column_cannot_also_be_correlated(tmp_path: Path) -> None:
    extra = f"correlations:\n  - {{between: [toy.b, toy.a], rho: 0.5, {PROV}}}\n"
    issues = _issue_list(tmp_path, extra)
    assert len(issues) == 2
    assert issues[0].startswith(f"{tmp_path / 'toy.yaml'}:16:23: correlations[0].between[1]:")
    assert "toy.a is a column of the posterior" in issues[0]
    assert issues[1].startswith(f"{tmp_path / 'toy.yaml'}:16:16: correlations[0].between[0]:")


def _issue_list(tmp_path: Path, extra: str) -> list[str]:
    cfg = toy(tmp_path, extra=extra)
    with pytest.raises(ConfigError) as info:
        run(cfg, model=Toy())
    return sorted((str(i) for i in info.value.issues), reverse=True)


def test_read_posterior_on_its_own(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(
        b'\xef\xbb\xbf# provenance\n\n"toy.a", weight\n\n0.5,2\n0.25,1\n'  # BOM, blank lines
    )
    post = read_posterior(path)
    assert post.path == str(path.resolve()) and post.rows == 2
    assert post.columns["toy.a"].tolist() == [0.5, 0.25]
    assert post.probabilities.tolist() == pytest.approx([2 / 3, 1 / 3])
    assert not post.weights.flags.writeable
    bad = tmp_path / "bad.csv"
    bad.write_text("toy.a,weight\n0.5,x\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_posterior(bad)
    assert str(info.value) == f"{bad.resolve()}:2:1: weight: row 1: not a number (got 'x')"


# --- the schema, the CLI and the campaign -------------------------------------------------


def test_the_schema_knows_posterior_right_after_correlations() -> None:
    fields = list(ScenarioConfig.model_fields)
    assert fields[fields.index("correlations") + 1] == "posterior"
    props = json_schema()["properties"]
    assert "posterior" in props


def test_validate_reports_a_bad_column_on_the_campaign(tmp_path: Path) -> None:
    from scenario.cli import app

    (tmp_path / "post.csv").write_text("ground.nk_exposur,weight\n3.0,1\n", encoding="utf-8")
    cfg = tmp_path / "cal.yaml"
    cfg.write_text(f"extends: {BASELINE}\n" + POSTERIOR.format(file="post.csv"), encoding="utf-8")
    res = CliRunner().invoke(app, ["validate", str(cfg)])
    assert res.exit_code == 1, res.output
    assert res.output.startswith(f"error: {cfg}:3:9: posterior.file: "), res.output
    assert "did you mean 'ground.nk_exposure'?" in res.output


def test_columns_of_submodels_left_out_are_ignored_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "post.csv").write_text(
        "ground.nk_exposure,cost.msam_battery_usd_m,weight\n3.0,500,1\n", encoding="utf-8"
    )
    cfg_path = tmp_path / "cal.yaml"
    cfg_path.write_text(
        f"extends: {BASELINE}\nsubmodels: [ground]\n" + POSTERIOR.format(file="post.csv"),
        encoding="utf-8",
    )
    from scenario.engine.runner import resolve_model

    cfg = load_config(cfg_path)
    notes = check_config(cfg, resolve_model(cfg))
    assert any("1 posterior column(s)" in n and "cost.msam_battery_usd_m" in n for n in notes)
