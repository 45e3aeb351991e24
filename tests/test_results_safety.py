"""Results that cannot be lost or confused (issue 11): an exclusive claim of ``--out``,
unwritable targets reported before the run, leftovers of killed saves cleaned, every
corruption of saved results refused by ``load_results``, equality that ignores timestamps,
and a manifest that records what actually ran."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from _toys import Toy, toy_config
from typer.testing import CliRunner

import scenario
import scenario.results_files as files_module
from scenario.cli import app
from scenario.engine.manifest import describe_executor
from scenario.errors import ResultsError
from scenario.results import Results, load_results
from scenario.results_files import claim, sha256

ROOT = Path(__file__).resolve().parents[1]
BASELINE = str(ROOT / "configs" / "baseline.yaml")


def _toy(n: int = 100, horizon: int | None = None, seed: int = 1) -> Results:
    cfg = toy_config(series_replications=5)
    if horizon is not None:
        cfg = cfg.model_copy(update={"horizon_days": horizon})
    return scenario.run(cfg, model=Toy(), replications=n, seed=seed)


@pytest.fixture(scope="module")
def toy() -> Results:
    return _toy()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "scenario", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# --- exclusive --out ---------------------------------------------------------------------


def test_two_concurrent_runs_to_one_out_exactly_one_succeeds(tmp_path: Path) -> None:
    out = tmp_path / "res"
    procs = [_cli("run", BASELINE, "-n", "200", "-q", "--out", str(out)) for _ in range(2)]
    done = [(p.wait(timeout=60), *p.communicate()) for p in procs]
    codes = sorted(rc for rc, _, _ in done)
    assert codes == [0, 1], done
    loser = next(err for rc, _, err in done if rc == 1)
    assert "Traceback" not in loser
    assert f"{out}: " in loser and ("another run" in loser or "not empty" in loser), loser
    assert len(loser.strip().splitlines()) == 1
    assert sum("results saved to" in o for _, o, _ in done) == 1
    assert load_results(out).replications == 200
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]  # no lock, no temporaries


def test_a_run_stops_before_running_while_another_holds_the_out(tmp_path: Path) -> None:
    out = tmp_path / "res"
    with claim(out, overwrite=False):
        t0 = time.perf_counter()
        proc = _cli("run", BASELINE, "-n", "100000", "--out", str(out))
        rc, (stdout, stderr) = proc.wait(timeout=60), proc.communicate()
        assert time.perf_counter() - t0 < 20  # it did not run 100,000 replications
    assert rc == 1 and stdout == ""
    assert len(stderr.strip().splitlines()) == 1
    assert f"{out}: another run (pid {os.getpid()}) is writing results here" in stderr
    assert not out.exists()


_HOLD = """
import sys, time
from pathlib import Path
from scenario.results_files import claim
with claim(Path(sys.argv[1]), False):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
print("released", flush=True)
"""


def _holder(target: Path, seconds: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(target), str(seconds)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_claim_held_by_a_live_process_is_refused(tmp_path: Path, toy: Results) -> None:
    holder = _holder(tmp_path / "res", 30)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ResultsError, match=rf"res: another run \(pid {holder.pid}\)"):
            toy.save(tmp_path / "res")
        assert not (tmp_path / "res").exists()
    finally:
        holder.kill()
        holder.communicate()
    toy.save(tmp_path / "res")  # the kernel released the killed holder's lock


def test_a_lock_file_nobody_holds_is_free_whatever_pid_it_names(
    tmp_path: Path, toy: Results
) -> None:
    (tmp_path / ".res.lock").write_text("1")  # pid 1 is alive, but holds no lock on it
    toy.save(tmp_path / "res")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]


def test_several_processes_racing_for_a_stale_lock_get_one_claim(tmp_path: Path) -> None:
    (tmp_path / ".res.lock").write_text(str(_dead_pid()))
    procs = [_holder(tmp_path / "res", 3) for _ in range(6)]
    outs = [proc.communicate(timeout=60) for proc in procs]
    held = [o for o, _ in outs if o.startswith("held")]
    refused = [e for _, e in outs if "another run" in e]
    assert len(held) == 1 and len(refused) == 5, outs


def test_the_final_rename_never_clobbers_without_overwrite(tmp_path: Path, toy: Results) -> None:
    from scenario.results import install

    target, tmp = tmp_path / "res", tmp_path / ".res.tmp-1-x"
    tmp.mkdir()
    target.mkdir()
    (target / "manifest.json").write_text("{}")  # results that appeared after the check
    with pytest.raises(ResultsError, match="refusing to replace"):
        install(tmp, target, overwrite=False)
    assert (target / "manifest.json").read_text() == "{}"
    install(tmp, target, overwrite=True)
    assert list(target.iterdir()) == []


def test_saving_into_an_empty_existing_directory_works(tmp_path: Path, toy: Results) -> None:
    (tmp_path / "res").mkdir()
    assert load_results(toy.save(tmp_path / "res")) == toy


# --- unwritable targets ------------------------------------------------------------------


def test_an_unwritable_parent_is_one_located_line(
    tmp_path: Path, toy: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def denied(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith(".lock"):  # as creating a file in a read-only directory
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(ResultsError) as info:
        toy.save(tmp_path / "res")
    assert str(info.value) == f"{tmp_path / 'res'}: cannot write results: Permission denied"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_directory_is_refused(tmp_path: Path, toy: Results) -> None:
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(ResultsError, match="Permission denied"):
            toy.save(tmp_path / "res")
    finally:
        tmp_path.chmod(0o700)


def test_cli_refuses_an_unwritable_out_before_the_run(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "res"  # its parent is a file: nothing can be written there
    res = CliRunner().invoke(app, ["run", BASELINE, "-n", "100000", "-q", "--out", str(out)])
    assert res.exit_code == 1
    assert res.output.strip() == (
        f"error: {out}: cannot write results: a parent of it is not a directory"
    )


def test_a_streamed_run_keeps_its_blocks_when_the_disk_fills_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scenario.engine.streamed as streamed

    real = streamed.write_manifest

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(streamed, "write_manifest", full)
    out = tmp_path / "res"
    cmd = ["run", BASELINE, "-n", "400", "-q", "--out", str(out), "--set", "run.block_size=100"]
    res = CliRunner().invoke(app, cmd)
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert " ".join(res.output.split()) == (
        f"error: {out}: cannot write results: No space left on device; the 4 finished blocks "
        f"are kept in {tmp_path / '.res.partial'}: fix the cause and run the same command "
        "with --resume"
    )
    monkeypatch.setattr(streamed, "write_manifest", real)  # space freed
    res = CliRunner().invoke(app, [*cmd, "--resume"])
    assert res.exit_code == 0, res.output
    assert scenario.load_results(out).manifest["resumed_blocks"] == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]


def test_cli_prints_the_table_when_saving_fails_after_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: Results, tmp: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Results, "_write_files", full)
    out = tmp_path / "res"
    precision = ["--precision", "ua_casualties=1e9", "--max-replications", "200"]
    res = CliRunner().invoke(app, ["run", BASELINE, "-q", "--out", str(out), *precision])
    assert res.exit_code == 1
    assert "p95" in res.output and "results saved" not in res.output
    assert res.output.strip().splitlines()[-1] == (
        f"error: {out}: cannot write results: No space left on device"
    )
    assert "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []


# --- leftovers of killed saves -----------------------------------------------------------


def test_leftovers_of_a_dead_save_are_cleaned_on_the_next_save(
    tmp_path: Path, toy: Results
) -> None:
    dead, alive = _dead_pid(), os.getppid()
    stale = tmp_path / f".res.tmp-{dead}-abc"
    busy = tmp_path / f".res.tmp-{alive}-abc"
    for d in (stale, busy):
        d.mkdir()
        (d / "outcomes.parquet").write_bytes(b"x" * 1000)
    (tmp_path / ".res.lock").write_text(str(dead))
    toy.save(tmp_path / "res")
    assert not stale.exists() and busy.exists()  # a live save's directory is left alone
    assert not (tmp_path / ".res.lock").exists()
    assert load_results(tmp_path / "res") == toy


def test_a_moved_aside_result_is_restored_if_its_replacement_never_came(
    tmp_path: Path, toy: Results
) -> None:
    old = tmp_path / f".res.old-{_dead_pid()}"
    toy.save(old)
    assert files_module.clean_leftovers(tmp_path / "res") == []
    assert load_results(tmp_path / "res") == toy and not old.exists()


def test_kill_9_during_save_leaves_nothing_after_the_next_save(
    tmp_path: Path, toy: Results
) -> None:
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT / "tests")!r})
        import scenario, scenario.results as r
        from _toys import Toy, toy_config
        res = scenario.run(toy_config(series_replications=5), model=Toy(), replications=100)
        def hang(*a, **k):
            print("writing", flush=True)
            time.sleep(60)
        r.write_series = hang
        res.save({str(tmp_path / "res")!r})
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=10)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert ".res.lock" in left and any(n.startswith(".res.tmp-") for n in left)
    assert not (tmp_path / "res").exists()  # never half-written
    toy.save(tmp_path / "res")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["res"]


# --- load_results refuses every corruption -----------------------------------------------


def _saved(tmp_path: Path, res: Results, name: str = "res") -> Path:
    return res.save(tmp_path / name)


def _edit_manifest(d: Path, change: Any) -> None:
    path = d / "manifest.json"
    doc = json.loads(path.read_text())
    doc = change(doc)
    path.write_text(json.dumps(doc))


def _refresh_checksum(d: Path, name: str) -> None:
    def fix(doc: dict[str, Any]) -> dict[str, Any]:
        doc["files"][name]["sha256"] = sha256((d / name).read_bytes())
        return doc

    _edit_manifest(d, fix)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda doc: None, r"manifest\.json must be a JSON object \(got NoneType"),
        (lambda doc: [doc], r"must be a JSON object \(got list"),
        (
            lambda doc: {k: v for k, v in doc.items() if k != "replications"},
            "required field 'replications' is missing",
        ),
        (lambda doc: {**doc, "replications": "100"}, "replications must be int"),
        (lambda doc: {**doc, "replications": True}, "replications must be int"),
        (lambda doc: {**doc, "replications": 0}, "replications must be >= 1"),
        (lambda doc: {**doc, "outcomes": "y"}, "outcomes must be list"),
        (lambda doc: {**doc, "outcomes": [1, 2]}, "outcome metadata must be a mapping"),
        (lambda doc: {**doc, "outcomes": [{"unit": "-"}]}, "needs a non-empty 'name'"),
        (lambda doc: {**doc, "outcomes": [{"name": "z"}, {"name": "q"}]}, "differ from"),
        (lambda doc: {**doc, "config": None}, "config must be an object"),
        (lambda doc: {**doc, "config": {"name": 3}}, "cannot read results"),
        (lambda doc: {**doc, "failure_list": [{"index": "x"}]}, "cannot read results"),
        (
            lambda doc: {**doc, "failure_list": [{"index": 500, "error": "E", "message": "m"}]},
            "failure index 500",
        ),
        (lambda doc: {k: v for k, v in doc.items() if k != "files"}, "'files' is missing"),
        (lambda doc: {**doc, "files": {}}, r"files\.outcomes\.parquet\.sha256 is missing"),
    ],
)
def test_load_refuses_a_corrupt_manifest(
    tmp_path: Path, toy: Results, change: Any, match: str
) -> None:
    d = _saved(tmp_path, toy)
    _edit_manifest(d, change)
    with pytest.raises(ResultsError, match=match) as info:
        load_results(d)
    assert str(info.value).startswith(str(d))
    assert "\n" not in str(info.value)


def test_load_refuses_a_manifest_that_is_not_json(tmp_path: Path, toy: Results) -> None:
    d = _saved(tmp_path, toy)
    (d / "manifest.json").write_text('{"replications": ')
    with pytest.raises(ResultsError, match="cannot read results"):
        load_results(d)


def test_load_refuses_a_series_file_from_another_run(tmp_path: Path, toy: Results) -> None:
    d = _saved(tmp_path, toy)
    other = _saved(tmp_path, _toy(horizon=20), "other")
    (d / "series.parquet").write_bytes((other / "series.parquet").read_bytes())
    with pytest.raises(ResultsError, match=r"series\.parquet: SHA-256 differs"):
        load_results(d)
    _refresh_checksum(d, "series.parquet")  # a forged checksum: the horizon still differs
    with pytest.raises(ResultsError, match="20 days per series, but the config's horizon"):
        load_results(d)


def test_load_refuses_200_rows_under_a_100_replication_manifest(tmp_path: Path) -> None:
    d = _saved(tmp_path, _toy(100))
    big = _saved(tmp_path, _toy(200), "big")
    (d / "outcomes.parquet").write_bytes((big / "outcomes.parquet").read_bytes())
    with pytest.raises(ResultsError, match=r"outcomes\.parquet: SHA-256 differs"):
        load_results(d)
    _refresh_checksum(d, "outcomes.parquet")
    with pytest.raises(ResultsError, match=r"outcomes\.parquet: 200 rows, but the manifest"):
        load_results(d)

    def forge_rows(doc: dict[str, Any]) -> dict[str, Any]:
        doc["files"]["outcomes.parquet"]["rows"] = 200
        return doc

    _edit_manifest(d, forge_rows)  # rows forged too: the replications still say 100
    with pytest.raises(ResultsError, match="200 rows, but the manifest records 100 repl"):
        load_results(d)


def test_load_refuses_a_changed_byte(tmp_path: Path, toy: Results) -> None:
    d = _saved(tmp_path, toy)
    data = bytearray((d / "inputs.parquet").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (d / "inputs.parquet").write_bytes(bytes(data))
    with pytest.raises(ResultsError, match=r"inputs\.parquet: SHA-256 differs"):
        load_results(d)


def test_load_refuses_a_missing_file(tmp_path: Path, toy: Results) -> None:
    d = _saved(tmp_path, toy)
    (d / "inputs.parquet").unlink()
    with pytest.raises(ResultsError, match="cannot read results"):
        load_results(d)


# --- equality and what the manifest records ----------------------------------------------


def test_two_identical_runs_compare_equal(toy: Results) -> None:
    again = _toy()
    assert again == toy
    later = {**toy.manifest, "started": "2030-01-01T00:00:00", "finished": "2030-01-02T00:00:00"}
    assert Results(**{**toy.__dict__, "manifest": later}) == toy
    assert _toy(seed=2) != toy
    changed = Results(**{**toy.__dict__, "manifest": {**toy.manifest, "workers": 7}})
    assert changed != toy


def test_config_records_the_replications_and_seed_actually_run(
    tmp_path: Path, toy: Results
) -> None:
    res = scenario.run(toy_config(), model=Toy(), replications=300, seed=9)
    assert res.config.run.replications == 300 and res.config.run.seed == 9
    assert res.manifest["config"]["run"]["replications"] == 300
    back = load_results(res.save(tmp_path / "res"))
    assert back.config.run.replications == 300 == back.replications
    assert back == res


def test_manifest_records_the_executor_and_its_workers() -> None:
    assert describe_executor(None, 1) == ("serial", 1)
    assert describe_executor(None, 3) == ("processes", 3)
    with ThreadPoolExecutor(max_workers=3) as pool:
        assert describe_executor(pool, 1) == ("ThreadPoolExecutor", 3)

    class Client:
        def scheduler_info(self) -> dict[str, Any]:
            return {"workers": {"a": {"nthreads": 2}, "b": {"nthreads": 3}}}

    class ClientExecutor:
        _client = Client()

    ClientExecutor.__module__ = "distributed.client"
    assert describe_executor(ClientExecutor(), 1) == ("dask", 5)
    res = scenario.run(toy_config(), model=Toy(), replications=50)
    assert res.manifest["executor"] == "serial" and res.manifest["workers"] == 1


def test_results_saved_before_checksums_still_load(tmp_path: Path, toy: Results) -> None:
    d = _saved(tmp_path, toy)
    _edit_manifest(
        d, lambda doc: {**{k: v for k, v in doc.items() if k != "files"}, "format_version": 1}
    )
    assert load_results(d) == Results(
        **{**toy.__dict__, "manifest": {**toy.manifest, "format_version": 1}}
    )
