"""dask.distributed: a real LocalCluster of worker processes on loopback, started once.

The run on the cluster equals the serial run bit for bit (CLI and Python API), ships
contiguous ranges of blocks as tasks, survives a worker killed mid-task (dask retries the
task), fails with an EngineError naming the block when the worker dies every time, and
records the executor in the manifest. A scheduler that cannot be reached, contradictory
options or a missing extra give one-line errors and exit code 1.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from _crashing import CrashingToy
from _toys import Toy, toy_config
from typer.testing import CliRunner

import scenario
from scenario.cli import app
from scenario.engine import distributed as dist
from scenario.errors import EngineError

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "configs" / "baseline.yaml"
HAS_DASK = importlib.util.find_spec("distributed") is not None
needs_dask = pytest.mark.skipif(not HAS_DASK, reason="the 'distributed' extra is not installed")
TIMING_KEYS = {"executor", "workers", "started", "finished"}


@pytest.fixture(scope="session")
def cluster() -> Iterator[dist.DaskExecutor]:
    """Two worker processes on 127.0.0.1 for the whole session; a task may lose its worker
    once and is retried (allowed-failures 1, so the fatal case is quick)."""
    if not HAS_DASK:
        pytest.skip("the 'distributed' extra is not installed")
    import dask
    import distributed  # noqa: F401  (its config defaults first: config.set drops them at exit)

    with contextlib.ExitStack() as stack:
        with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
            executor = stack.enter_context(dist.local_cluster(2))
        yield executor


@pytest.fixture
def on_cluster(cluster: dist.DaskExecutor) -> dist.DaskExecutor:
    """The session's cluster with both workers up (a test may have killed one)."""
    cluster.client.wait_for_workers(2, timeout=60)
    return cluster


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> tuple[scenario.Results, Path]:
    """The baseline at -n 4000 --seed 21, serially, and where it was saved."""
    res = scenario.run(scenario.load_config(BASELINE), replications=4000, seed=21)
    out = tmp_path_factory.mktemp("serial") / "S"
    res.save(out)
    return res, out


def _same_arrays(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    assert a.keys() == b.keys()
    for k in a:
        assert a[k].tobytes() == b[k].tobytes(), k


@pytest.mark.slow
@needs_dask
def test_cli_local_cluster_is_bit_identical_to_serial(
    serial: tuple[scenario.Results, Path], tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "D"
    cmd = [sys.executable, "-m", "scenario", "run", str(BASELINE), "-n", "4000", "--seed", "21"]
    cmd += ["--cluster", "local", "--workers", "2", "--out", str(out), "--format", "csv"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    _, ref = serial
    for table in ("outcomes", "inputs"):
        got, want = (
            pq.read_table(out / f"{table}.parquet"),
            pq.read_table(ref / f"{table}.parquet"),
        )
        assert got.num_rows == 4000
        assert got.equals(want), table
    got_m = json.loads((out / "manifest.json").read_text())
    want_m = json.loads((ref / "manifest.json").read_text())
    assert (got_m["executor"], got_m["workers"]) == ("dask", 2)
    assert (want_m["executor"], want_m["workers"]) == ("serial", 1)
    assert {k for k in got_m if got_m[k] != want_m.get(k)} <= TIMING_KEYS


@pytest.mark.slow
@needs_dask
def test_api_run_on_cluster_is_bit_identical_and_recorded(
    serial: tuple[scenario.Results, Path], on_cluster: dist.DaskExecutor
) -> None:
    ref, _ = serial
    res = scenario.run(
        scenario.load_config(BASELINE), replications=4000, seed=21, executor=on_cluster
    )
    _same_arrays(res.outcomes, ref.outcomes)
    _same_arrays(res.inputs, ref.inputs)
    assert res.failures == ref.failures
    assert (res.manifest["executor"], res.manifest["workers"]) == ("dask", 2)


@pytest.mark.slow
@needs_dask
def test_tasks_are_ranges_of_blocks(on_cluster: dist.DaskExecutor) -> None:
    from distributed import get_task_stream

    cfg = toy_config(replications=10_000, block_size=100, seed=5)  # 100 blocks
    with get_task_stream(on_cluster.client) as stream:
        res = scenario.run(cfg, model=Toy(), executor=on_cluster)
    keys = [t["key"] for t in stream.data if str(t["key"]).startswith("scenario-blocks-")]
    # ranges of at most two blocks (MAX_BLOCKS_PER_TASK), at least 16 tasks per worker thread
    assert len(keys) == 50
    _same_arrays(res.outcomes, scenario.run(cfg, model=Toy()).outcomes)


@pytest.mark.slow
@needs_dask
def test_precision_run_on_cluster_equals_serial(on_cluster: dist.DaskExecutor) -> None:
    cfg = toy_config(replications=1000, block_size=100, seed=8)
    kw = {"model": Toy(), "precision": {"y": 0.06}, "max_replications": 20_000}
    res = scenario.run(cfg, executor=on_cluster, **kw)  # type: ignore[arg-type]
    ref = scenario.run(cfg, **kw)  # type: ignore[arg-type]
    assert res.replications == ref.replications < 20_000
    _same_arrays(res.outcomes, ref.outcomes)


@pytest.mark.slow
@needs_dask
def test_cancelling_a_future_cancels_its_task(on_cluster: dist.DaskExecutor) -> None:
    import time

    future = on_cluster.submit(time.sleep, 1.5)
    (task,) = on_cluster._pending
    assert future.cancel()
    deadline = time.monotonic() + 10
    # the task's done callback (which forgets it) runs in dask's thread just after the
    # status changes: wait for both
    while (task.status != "cancelled" or on_cluster._pending) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert task.status == "cancelled"
    assert not on_cluster._pending


@pytest.mark.slow
@needs_dask
def test_worker_killed_once_is_retried(on_cluster: dist.DaskExecutor, tmp_path: Path) -> None:
    cfg = toy_config(replications=1000, block_size=100, seed=3)
    marker = tmp_path / "crashed"
    res = scenario.run(cfg, model=CrashingToy(450, marker), executor=on_cluster)
    assert marker.exists()  # a worker did die in block 4
    ref = scenario.run(cfg, model=Toy())
    _same_arrays(res.outcomes, ref.outcomes)
    _same_arrays(res.inputs, ref.inputs)
    assert res.failures == ()


@pytest.mark.slow
@needs_dask
def test_worker_dying_every_time_is_an_engine_error_naming_the_block(
    on_cluster: dist.DaskExecutor,
) -> None:
    cfg = toy_config(replications=100, block_size=100, seed=3)  # one block: one task
    with pytest.raises(EngineError) as info:
        scenario.run(cfg, model=CrashingToy(42), executor=on_cluster)
    message = str(info.value)
    assert message.startswith("block 0 (replications 0-99): the dask worker running them died")
    assert "\n" not in message


@pytest.mark.slow
@needs_dask
def test_cli_scheduler_joins_the_running_cluster(
    on_cluster: dist.DaskExecutor, tmp_path: Path
) -> None:
    args = ["run", str(BASELINE), "-n", "400", "--scheduler", on_cluster.address]
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "R")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "R" / "manifest.json").read_text())
    assert (manifest["executor"], manifest["workers"]) == ("dask", 2)


@pytest.mark.slow
@needs_dask
def test_lost_task_is_an_engine_error_naming_the_blocks(on_cluster: dist.DaskExecutor) -> None:
    from concurrent.futures import Future

    class Cancelled:  # a dask future the scheduler dropped (it went away)
        status = "cancelled"

    fut: Future[object] = Future()
    on_cluster._settle(Cancelled(), fut, "blocks 3-5")
    error = fut.exception()
    assert isinstance(error, EngineError)
    assert str(error).startswith(f"blocks 3-5: lost on the dask cluster at {on_cluster.address}")


@pytest.mark.slow
@needs_dask
def test_workers_with_other_versions_are_refused(on_cluster: dist.DaskExecutor) -> None:
    from scenario.engine.manifest import package_versions

    dist.check_versions(on_cluster.client)  # the session's workers agree

    class Client:  # a cluster whose worker runs another numpy
        def run(self, fn: object) -> dict[str, dict[str, str]]:
            return {"tcp://10.0.0.9:4000": {**package_versions(), "numpy": "0.0.1"}}

    with pytest.raises(EngineError, match=r"tcp://10\.0\.0\.9:4000 has numpy 0\.0\.1 but"):
        dist.check_versions(Client())


@needs_dask
def test_unreachable_scheduler_is_one_line_and_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(dist, "CONNECT_TIMEOUT", 0.5)
    args = ["run", str(BASELINE), "-n", "100", "--scheduler", f"tcp://127.0.0.1:{port}"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"error: cannot reach the dask scheduler at tcp://127.0.0.1:{port}")


@needs_dask
@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["--scheduler", "tcp://127.0.0.1:1", "--cluster", "local"], "not both"),
        (["--cluster", "remote"], "--cluster must be 'local'"),
        (["--scheduler", "tcp://127.0.0.1:1", "--workers", "3"], "--workers sizes"),
        (["--scheduler", "127.0.0.1"], "address is tcp://HOST:PORT"),
    ],
)
def test_contradictory_options_are_one_line_errors(options: list[str], says: str) -> None:
    result = CliRunner().invoke(app, ["run", str(BASELINE), "-n", "100", *options])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert says in result.output


def test_missing_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    result = CliRunner().invoke(app, ["run", str(BASELINE), "--cluster", "local"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: running on a dask cluster needs the 'distributed' extra: "
        'pip install "scenario[distributed]" (on this machine, the scheduler and every worker)'
    ]
    with pytest.raises(EngineError, match="pip install"), dist.local_cluster(2):
        pass


def test_dask_is_imported_only_by_the_distributed_module_and_only_when_used() -> None:
    import re

    pattern = re.compile(r"^\s*(import|from)\s+(dask|distributed)\b", re.MULTILINE)
    importers = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "scenario").rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    }
    assert importers == {"scenario/engine/distributed.py"}
    code = (
        "import sys, scenario.cli, scenario.engine.distributed, scenario.engine.runner\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'dask', 'distributed'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
