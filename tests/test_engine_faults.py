"""Engine under faults: a failing replication is isolated in sub-blocks, not one at a time.

A block whose model call raises is re-run in four sub-blocks, recursively, down to the single
replications that raise (:mod:`scenario.engine.blocks`). With one failing replication in a
block of ``B`` that costs about ``4 log_4 B`` extra model calls instead of ``B``; the test
measures the run time against a clean run as a ratio, in the same test.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _toys import toy_config

from scenario.engine import blocks
from scenario.engine.runner import run
from scenario.models.protocol import Block, BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

N = 10_000
BAD = 4321


class Daily:
    """A day-stepped toy with a per-call cost like the daily models' (a loop over days);
    raises when replication ``bad`` is in the block."""

    name = "daily_toy"
    parameters = (
        ParameterInfo(group="toy", name="a", unit="-", meaning="first factor"),
        ParameterInfo(group="toy", name="b", unit="-", meaning="second factor"),
    )
    levers = ()
    outcomes = (OutcomeInfo(name="y", unit="-", description="end state"),)
    series = (SeriesInfo(name="path", unit="-", description="state by day"),)
    streams = ("toy",)

    def __init__(self, bad: int | None = None, days: int = 60) -> None:
        self.bad = bad
        self.days = days
        self.calls: list[tuple[int, int]] = []

    def simulate(self, block: Block) -> BlockOutput:
        self.calls.append((block.first_index, block.n))
        lo, hi = block.first_index, block.first_index + block.n
        if self.bad is not None and lo <= self.bad < hi:
            raise RuntimeError(f"replication {self.bad} broke")
        rng = block.rngs["toy"]
        a, b = block.inputs["toy.a"], block.inputs["toy.b"]
        x = np.zeros((block.n, 8))
        path = np.zeros((block.keep_series, block.config.horizon_days))
        for day in range(self.days):
            x = 0.9 * x + a[:, None] * rng.normal(size=x.shape) + b[:, None]
            x = np.maximum(x, 0.0)
            if day < path.shape[1]:
                path[:, day] = x[: block.keep_series, 0]
        return BlockOutput(outcomes={"y": x.sum(axis=1)}, series={"path": path})


def _timed(model: Any) -> tuple[float, Any]:
    cfg = toy_config(replications=N, block_size=1000, series_replications=50)
    t0 = time.perf_counter()
    res = run(cfg, model=model)
    return time.perf_counter() - t0, res


def test_one_failing_replication_in_10000_costs_under_3x_a_clean_run() -> None:
    _timed(Daily())  # warm up
    clean_t, clean = min((_timed(Daily()) for _ in range(3)), key=lambda r: r[0])
    model = Daily(bad=BAD)
    fail_t, res = _timed(model)
    fail_t = min(fail_t, _timed(Daily(bad=BAD))[0], _timed(Daily(bad=BAD))[0])
    ratio = fail_t / clean_t
    print(f"clean {clean_t:.3f} s, one failure {fail_t:.3f} s, ratio {ratio:.2f}")
    assert ratio < 3.0
    assert [(f.index, f.error) for f in res.failures] == [(BAD, "RuntimeError")]
    assert "replication 4321 broke" in res.failures[0].message
    y = res.outcomes["y"]
    assert np.isnan(y[BAD]) and np.isfinite(np.delete(y, BAD)).all()
    # Calls on the failed block: the block, then 4 sub-blocks per level down to one.
    in_block = [c for c in model.calls if 4000 <= c[0] < 5000]
    assert len(in_block) <= 1 + 4 * 5
    # Blocks that did not fail are bit-identical to the clean run's.
    other = np.r_[0:4000, 5000:N]
    assert np.array_equal(y[other], clean.outcomes["y"][other])
    assert np.array_equal(res.series["path"], clean.series["path"])


def test_isolated_sub_blocks_give_the_same_results_on_every_run() -> None:
    cfg = toy_config(replications=300, block_size=100, series_replications=150)
    a = run(cfg, model=Daily(bad=137, days=5))
    b = run(cfg, model=Daily(bad=137, days=5))
    assert [f.index for f in a.failures] == [137]
    assert np.array_equal(a.outcomes["y"], b.outcomes["y"], equal_nan=True)
    assert np.array_equal(a.series["path"], b.series["path"], equal_nan=True)
    kept = np.delete(a.series["path"][100:150], 37, axis=0)
    assert np.isfinite(kept).all()  # series of the re-run sub-blocks are filled in
    assert np.isnan(a.series["path"][137]).all()


@pytest.mark.parametrize(("lo", "hi"), [(0, 1000), (0, 3), (5, 6), (10, 17), (0, 2)])
def test_split_covers_its_span_in_at_most_four_non_empty_pieces(lo: int, hi: int) -> None:
    parts = blocks._split(lo, hi)
    assert parts[0][0] == lo and parts[-1][1] == hi
    assert all(p[1] == q[0] for p, q in itertools.pairwise(parts))
    assert all(p[0] < p[1] for p in parts) and len(parts) <= 4


# --- Processes: a signal stops the pool and leaves no process behind ------------------------

ROOT = Path(__file__).resolve().parents[1]


def _descendants(pid: int) -> set[int]:
    """Every live descendant of ``pid``, from ``/proc`` (zombies excluded)."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z":
            parent[int(entry)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, pp in parent.items() if pp in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_signal_to_a_run_with_workers_leaves_no_process_behind(sig: signal.Signals) -> None:
    cmd = [sys.executable, "-m", "scenario", "run", "configs/baseline.yaml"]
    proc = subprocess.Popen(
        [*cmd, "-n", "20000", "--workers", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        kids: set[int] = set()
        deadline = time.monotonic() + 120
        while len(kids) < 3 and time.monotonic() < deadline:  # 2 workers + resource tracker
            kids |= _descendants(proc.pid)
            time.sleep(0.1)
        assert len(kids) >= 3, f"workers never started: {kids}"
        time.sleep(2.0)  # the workers are inside their first blocks
        kids |= _descendants(proc.pid)
        started = time.monotonic()
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        stopped = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode != 0
    assert "Traceback" not in err, err
    assert stopped < 10.0  # the workers are stopped, not waited for (a block takes longer)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = sorted(p for p in kids if _alive(p))
    print(f"{sig.name}: main exited in {stopped:.2f} s; children left: {left}")
    assert not left


# --- A hung model: the first signal stops the run, a second one exits at once ---------------

_HANG_SCRIPT = """
import sys, time
sys.path.insert(0, {tests!r})
from _toys import Toy
import scenario


class Hang(Toy):
    name = "toy"

    def simulate(self, block):
        open({flag!r}, "w").close()
        while True:  # hangs; a stubborn model also swallows the first signal
            try:
                time.sleep(0.02)
            except BaseException:
                if not {stubborn!r}:
                    raise


if __name__ == "__main__":
    scenario.register_model(Hang(), replace=True)
    from scenario.cli import main

    sys.argv = ["scenario", "run", {config!r}, "-n", "400", "--workers", {workers!r}]
    main()
"""

_TOY_YAML = """\
name: hang
model: toy
horizon_days: 5
run: {replications: 400, block_size: 100, seed: 1}
parameters:
  toy:
    a: {dist: uniform, low: 0, high: 1, source: test, as_of: 2024-11-01, confidence: low}
    b: {dist: normal, mean: 2, sd: 1, source: test, as_of: 2024-11-01, confidence: low}
"""


def _start_hung_run(tmp_path: Path, *, stubborn: bool, workers: int) -> tuple[Any, Path]:
    flag = tmp_path / "started"
    config = tmp_path / "hang.yaml"
    config.write_text(_TOY_YAML)
    script = tmp_path / "hang.py"
    tests = str(ROOT / "tests")
    script.write_text(
        _HANG_SCRIPT.format(
            tests=tests,
            flag=str(flag),
            stubborn=stubborn,
            config=str(config),
            workers=str(workers),
        )
    )
    proc = subprocess.Popen(
        [sys.executable, str(script)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{tests}"},
    )
    deadline = time.monotonic() + 60
    while not flag.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return proc, flag


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize(
    ("sig", "workers", "code"),
    [(signal.SIGINT, 1, 130), (signal.SIGTERM, 1, 143), (signal.SIGINT, 2, 130)],
)
def test_a_signal_stops_a_hung_model_with_one_line(
    tmp_path: Path, sig: signal.Signals, workers: int, code: int
) -> None:
    proc, flag = _start_hung_run(tmp_path, stubborn=False, workers=workers)
    try:
        assert flag.exists(), proc.communicate(timeout=5)
        kids = _descendants(proc.pid)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == code, err
    assert "Traceback" not in err, err
    assert f"interrupted by {sig.name}" in err, err
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in kids if _alive(p)]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_second_ctrl_c_exits_at_once_when_the_model_swallows_the_first(
    tmp_path: Path,
) -> None:
    proc, flag = _start_hung_run(tmp_path, stubborn=True, workers=1)
    try:
        assert flag.exists(), proc.communicate(timeout=5)
        proc.send_signal(signal.SIGINT)
        time.sleep(1.0)
        assert proc.poll() is None  # the model swallowed the first signal: still running
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    assert "SIGINT again: exiting now" in err, err
    assert "Traceback" not in err, err
