"""Streamed runs (``run_to_directory``, ``scenario run --out``): the same tables as a run in
memory, bounded memory, and resume after a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from _toys import Toy, toy_config

import scenario
from scenario.engine.planning import estimate_memory
from scenario.engine.streamed import run_to_directory
from scenario.errors import ResultsError
from scenario.results_stream import ParquetColumns

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("outcomes", "inputs", "series")


def _tables_equal(a: Path, b: Path) -> None:
    """Same columns, same values row for row (NaN where a replication failed)."""
    for name in TABLES:
        ta, tb = pq.read_table(a / f"{name}.parquet"), pq.read_table(b / f"{name}.parquet")
        assert ta.schema.equals(tb.schema) and ta.num_rows == tb.num_rows, name
        for col in ta.column_names:
            ca, cb = ta.column(col).combine_chunks(), tb.column(col).combine_chunks()
            if hasattr(ca, "flatten"):  # the series' fixed-size lists of daily values
                ca, cb = ca.flatten(), cb.flatten()
            x, y = ca.to_numpy(zero_copy_only=False), cb.to_numpy(zero_copy_only=False)
            if x.dtype.kind == "f":
                assert np.array_equal(x, y, equal_nan=True), (name, col)
            else:
                assert np.array_equal(x, y), (name, col)


def _toy(**run: object) -> scenario.ScenarioConfig:
    return toy_config(
        **{"replications": 1000, "block_size": 100, "series_replications": 150, **run}
    )


def test_a_streamed_run_writes_the_tables_a_run_in_memory_saves(tmp_path: Path) -> None:
    cfg = _toy()
    res = run_to_directory(cfg, tmp_path / "s", model=Toy(fail_above=0.97), seed=3)
    mem = scenario.run(cfg, model=Toy(fail_above=0.97), seed=3)
    mem.save(tmp_path / "m")
    _tables_equal(tmp_path / "s", tmp_path / "m")
    assert scenario.load_results(tmp_path / "s") == scenario.load_results(tmp_path / "m")
    assert res == mem and res.n_failed == mem.n_failed > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m", "s"]  # no partial left


def test_the_baseline_streams_to_the_same_tables_with_two_workers(tmp_path: Path) -> None:
    cfg = scenario.load_config(
        ROOT / "configs" / "baseline.yaml", overrides=["run.block_size=200"]
    )
    res = run_to_directory(cfg, tmp_path / "s", replications=600, seed=21, workers=2)
    scenario.run(cfg, replications=600, seed=21).save(tmp_path / "m")
    _tables_equal(tmp_path / "s", tmp_path / "m")  # asserts column by column
    assert (res.manifest["executor"], res.manifest["workers"]) == ("processes", 2)
    assert scenario.load_results(tmp_path / "s") == res


def test_columns_are_read_from_disk_on_access(tmp_path: Path) -> None:
    res = run_to_directory(_toy(), tmp_path / "s", model=Toy(), seed=1)
    assert isinstance(res.outcomes, ParquetColumns) and list(res.outcomes) == ["y", "noise"]
    first = res.outcomes["y"]
    assert first is not res.outcomes["y"]  # nothing cached
    np.testing.assert_array_equal(first, res.outcomes["y"])
    with pytest.raises(KeyError):
        res.outcomes["nope"]


@pytest.mark.parametrize("mode", ["float32", "none"])
def test_inputs_can_be_stored_in_float32_or_not_at_all(tmp_path: Path, mode: str) -> None:
    cfg = _toy()
    run_to_directory(cfg, tmp_path / "s", model=Toy(), seed=1, inputs=mode)  # type: ignore[arg-type]
    full = scenario.run(cfg, model=Toy(), seed=1)
    loaded = scenario.load_results(tmp_path / "s")
    assert loaded.manifest["inputs"] == mode
    np.testing.assert_array_equal(loaded.outcomes["y"], full.outcomes["y"])
    if mode == "none":
        assert dict(loaded.inputs) == {}
    else:
        np.testing.assert_array_equal(
            loaded.inputs["toy.a"], full.inputs["toy.a"].astype(np.float32)
        )


class _StopError(Exception):
    pass


def _stopped_run(tmp_path: Path, after: int, seed: int = 3) -> Path:
    """A streamed toy run interrupted once ``after`` blocks are done; its target."""
    target = tmp_path / "r"

    def progress(done: float, total: int) -> None:
        if done >= after * 100:
            raise _StopError

    with pytest.raises(_StopError):
        run_to_directory(_toy(), target, model=Toy(fail_above=0.97), seed=seed, progress=progress)
    return target


def test_a_stopped_run_never_looks_complete_and_resumes_to_the_same_tables(
    tmp_path: Path,
) -> None:
    target = _stopped_run(tmp_path, after=4)
    assert not target.exists()
    with pytest.raises(ResultsError, match=r"holds no manifest"):
        scenario.load_results(target)
    done = sorted((tmp_path / ".r.partial" / "blocks").glob("b*.json"))
    assert len(done) == 4
    with pytest.raises(ResultsError, match=r"left 4 of 10 blocks .* --resume"):
        run_to_directory(_toy(), target, model=Toy(fail_above=0.97), seed=3)
    calls: list[float] = []
    res = run_to_directory(
        _toy(),
        target,
        model=Toy(fail_above=0.97),
        seed=3,
        resume=True,
        progress=lambda d, t: calls.append(d),
    )
    assert res.manifest["resumed_blocks"] == 4
    assert calls[0] >= 500 and calls[-1] == 1000  # resumed blocks count as done
    run_to_directory(_toy(), tmp_path / "u", model=Toy(fail_above=0.97), seed=3)
    _tables_equal(target, tmp_path / "u")
    assert scenario.load_results(target) == scenario.load_results(tmp_path / "u")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r", "u"]


def test_resume_refuses_another_run(tmp_path: Path) -> None:
    target = _stopped_run(tmp_path, after=2)
    with pytest.raises(ResultsError, match="is not this run"):
        run_to_directory(_toy(), target, model=Toy(fail_above=0.97), seed=4, resume=True)
    res = run_to_directory(_toy(), target, model=Toy(fail_above=0.97), seed=4, overwrite=True)
    assert res.manifest["seed"] == 4 and "resumed_blocks" not in res.manifest


def test_a_torn_block_file_is_not_counted_as_done(tmp_path: Path) -> None:
    target = _stopped_run(tmp_path, after=3)
    blocks = tmp_path / ".r.partial" / "blocks"
    (blocks / "b00000002.json").unlink()  # as if killed before its marker was written
    (blocks / "b00000007.outcomes.parquet.tmp").write_bytes(b"half")
    res = run_to_directory(_toy(), target, model=Toy(fail_above=0.97), seed=3, resume=True)
    assert res.manifest["resumed_blocks"] == 2
    run_to_directory(_toy(), tmp_path / "u", model=Toy(fail_above=0.97), seed=3)
    _tables_equal(target, tmp_path / "u")


def test_the_memory_guard_counts_the_streamed_footprint() -> None:
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    model = scenario.engine.runner.resolve_model(cfg)
    full = estimate_memory(cfg, model, 10_000_000)
    streamed = estimate_memory(cfg, model, 10_000_000, streamed=True)
    assert full > 10 * 2**30 and streamed < 2**30


# --- the CLI: kill -9 a real run midway, then --resume ----------------------------------


def _cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "scenario", "run", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_sigkill_midway_then_resume_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    args = ["configs/baseline.yaml", "-n", "4000", "--seed", "21", "--set", "run.block_size=250"]
    target = tmp_path / "k"
    blocks = tmp_path / ".k.partial" / "blocks"
    proc = _cli(*args, "--out", str(target), "-q")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(blocks.glob("b*.json"))) < 4:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    done = len(list(blocks.glob("b*.json")))
    assert 4 <= done < 16, done  # killed midway
    assert not target.exists()
    resumed = _cli(*args, "--out", str(target), "--resume", "-q")
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert f"results saved to {target}" in " ".join(out.split())
    whole = _cli(*args, "--out", str(tmp_path / "u"), "-q")
    _, err = whole.communicate(timeout=300)
    assert whole.returncode == 0, err
    _tables_equal(target, tmp_path / "u")
    assert scenario.load_results(target).manifest["resumed_blocks"] >= 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k", "u"]


def test_resume_without_out_is_a_one_line_error() -> None:
    proc = _cli("configs/baseline.yaml", "-n", "10", "--resume")
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and out == ""
    assert err.strip() == "error: --resume continues a run saved with --out (not --precision)"


def test_inputs_not_stored_are_drawn_again_exactly(tmp_path: Path) -> None:
    from scenario.engine.streamed import regenerate_inputs

    cfg = scenario.load_config(
        ROOT / "configs" / "baseline.yaml",
        overrides=["run.block_size=100", "run.series_replications=0"],
    )
    run_to_directory(cfg, tmp_path / "s", replications=300, seed=9, inputs="none")
    full = scenario.run(cfg, replications=300, seed=9)
    loaded = scenario.load_results(tmp_path / "s")
    again = regenerate_inputs(loaded)
    assert list(again) == list(full.inputs)
    for k, v in full.inputs.items():
        np.testing.assert_array_equal(again[k], v)
    part = regenerate_inputs(loaded, start=150, stop=260)
    for k, v in full.inputs.items():
        np.testing.assert_array_equal(part[k], v[150:260])
    with pytest.raises(ResultsError, match="outside the run"):
        regenerate_inputs(loaded, start=10, stop=301)


def test_inputs_of_a_design_run_are_not_drawn_again() -> None:
    from scenario.engine.streamed import regenerate_inputs

    res = scenario.run(_toy(), model=Toy(), replications=3, design={"toy.a": [0.1, 0.2, 0.3]})
    with pytest.raises(ResultsError, match="used a design"):
        regenerate_inputs(res, model=Toy())


def test_a_partial_directory_without_its_mark_is_started_afresh(tmp_path: Path) -> None:
    (tmp_path / ".r.partial" / "blocks").mkdir(parents=True)  # killed before run.json
    res = run_to_directory(_toy(), tmp_path / "r", model=Toy(), seed=3, resume=True)
    assert "resumed_blocks" not in res.manifest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]
