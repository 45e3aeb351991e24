"""Executors: balanced tasks, and a worker pool reused across runs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _toys import Toy, toy_config
from hypothesis import given
from hypothesis import strategies as st

import scenario
from scenario.engine import executors
from scenario.engine.executors import WorkerPool, pool_for, worker_pool
from scenario.engine.runner import TASKS_PER_WORKER, _chunks


@given(n_blocks=st.integers(0, 500), tasks=st.integers(1, 200))
def test_chunks_cover_the_blocks_in_order_in_runs_of_equal_length(
    n_blocks: int, tasks: int
) -> None:
    blocks = list(range(3, 3 + n_blocks))
    chunks = list(_chunks(blocks, tasks))
    assert [b for c in chunks for b in c] == blocks
    assert len(chunks) == min(max(n_blocks, 1), tasks) if n_blocks else chunks in ([], [[]])
    sizes = [len(c) for c in chunks if c]
    assert not sizes or max(sizes) - min(sizes) <= 1


def test_ten_blocks_on_two_workers_are_ten_tasks_of_one_block() -> None:
    chunks = list(_chunks(list(range(10)), TASKS_PER_WORKER * 2))
    assert chunks == [[b] for b in range(10)]  # 5:5, not 6:4


def test_a_task_holds_at_most_two_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from scenario.engine import runner

    seen: list[list[int]] = []
    real = runner._run_pool

    def spy(plan: Any, acc: Any, pool: Any, tasks: int, *rest: Any) -> None:
        seen.extend(runner._chunks(rest[-1], tasks))
        real(plan, acc, pool, tasks, *rest)

    monkeypatch.setattr(runner, "_run_pool", spy)
    cfg = toy_config(replications=20_000, block_size=100)  # 200 blocks
    with ThreadPoolExecutor(2) as threads:
        res = scenario.run(cfg, model=Toy(), executor=threads)
    assert len(seen) == 100 and all(len(c) == 2 for c in seen)
    np.testing.assert_array_equal(res.outcomes["y"], scenario.run(cfg, model=Toy()).outcomes["y"])


def test_pool_for_is_none_for_serial_runs() -> None:
    for workers in (None, 1, 0, True):
        with pool_for(workers) as pool:  # type: ignore[arg-type]
            assert pool is None


@pytest.mark.slow
def test_a_worker_pool_is_reused_across_runs_with_the_same_results() -> None:
    cfg = toy_config(replications=2000, block_size=100)
    serial = [scenario.run(cfg, model=Toy(), seed=s) for s in (1, 2)]
    with worker_pool(2) as pool:
        assert isinstance(pool, WorkerPool)
        calls: list[float] = []
        first = scenario.run(
            cfg, model=Toy(), seed=1, executor=pool, progress=lambda d, t: calls.append(d)
        )
        pids = set(pool.pool._processes)  # type: ignore[attr-defined]
        second = scenario.run(cfg, model=Toy(), seed=2, executor=pool)
        assert set(pool.pool._processes) == pids and len(pids) == 2  # type: ignore[attr-defined]
    assert calls[-1] == 2000
    for got, want in zip((first, second), serial, strict=True):
        for name in want.outcomes:
            np.testing.assert_array_equal(got.outcomes[name], want.outcomes[name])
        assert (got.manifest["executor"], got.manifest["workers"]) == ("processes", 2)


@pytest.mark.slow
def test_tornado_with_workers_uses_one_pool_and_equals_serial(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pathlib import Path

    from scenario.analysis.sensitivity import tornado

    root = Path(__file__).resolve().parents[1]
    cfg = scenario.load_config(
        root / "configs" / "baseline.yaml",
        overrides=["submodels=[ground]", "run.series_replications=0", "run.block_size=100"],
    )
    kw = {"outcome": "nk_casualties", "replications": 300, "seed": 3, "groups": True}
    a = tornado(cfg, **kw)  # type: ignore[arg-type]
    started: list[int] = []
    real = executors.make_executor

    def counting(workers: int, *args: Any, **kwargs: Any) -> Any:
        started.append(workers)
        return real(workers, *args, **kwargs)

    monkeypatch.setattr(executors, "make_executor", counting)
    b = tornado(cfg, workers=2, **kw)  # type: ignore[arg-type]
    assert a == b
    assert started == [2]  # one pool for the base run and the two runs of each factor
