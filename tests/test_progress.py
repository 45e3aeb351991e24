"""Progress within blocks: the daily model's hook, the tracker, the pool's queue, the CLI bar."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from _toys import Toy, toy_config
from typer.testing import CliRunner

import scenario
from scenario.engine import executors
from scenario.engine.executors import ProgressTracker, progress_hook
from scenario.engine.runner import run
from scenario.models.protocol import Block, BlockOutput


def _one_block(baseline_path: Path, n: int = 200, horizon: int = 30) -> scenario.ScenarioConfig:
    return scenario.load_config(
        baseline_path,
        overrides=[
            f"run.replications={n}",
            f"run.block_size={n}",
            "run.series_replications=0",
            f"horizon_days={horizon}",
        ],
    )


def _check_moves(calls: list[tuple[float, int]], n: int) -> None:
    """Monotone, ending at (n, n), and finer than the one block (fractional values)."""
    done = [d for d, _ in calls]
    assert all(t == n for _, t in calls)
    assert done == sorted(done) and len(set(done)) == len(done)
    assert done[-1] == n
    inside = [d for d in done if 0 < d < n]
    assert len(inside) >= 10, done
    assert any(d != int(d) for d in inside), done


def test_one_block_reports_progress_day_by_day(
    baseline_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(executors, "PROGRESS_INTERVAL", 0.0)
    cfg = _one_block(baseline_path)
    calls: list[tuple[float, int]] = []
    with_bar = run(cfg, progress=lambda d, t: calls.append((d, t)))
    _check_moves(calls, 200)
    # one call per day of the block: n * (t + 1) / H
    assert [d for d, _ in calls][:3] == pytest.approx([200 / 30, 400 / 30, 600 / 30])
    assert len(calls) == 30
    # the hook draws nothing: bit-identical results without a callback
    plain = run(cfg)
    for k in plain.outcomes:
        assert np.array_equal(plain.outcomes[k], with_bar.outcomes[k], equal_nan=True), k


def test_reports_inside_blocks_are_throttled(
    baseline_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(executors, "PROGRESS_INTERVAL", 3600.0)
    calls: list[tuple[float, int]] = []
    run(_one_block(baseline_path), progress=lambda d, t: calls.append((d, t)))
    # the first day passes (nothing reported yet), then nothing until the block is done
    assert calls == [(200 / 30, 200), (200.0, 200)]


@pytest.mark.slow
def test_one_block_reports_progress_from_worker_processes(
    baseline_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(executors, "PROGRESS_INTERVAL", 0.0)
    cfg = _one_block(baseline_path)
    calls: list[tuple[float, int]] = []
    pooled = run(cfg, workers=2, progress=lambda d, t: calls.append((d, t)))
    _check_moves(calls, 200)
    serial = run(cfg)
    for k in serial.outcomes:
        assert np.array_equal(serial.outcomes[k], pooled.outcomes[k], equal_nan=True), k


class ReportingToy(Toy):
    """The toy model, reporting seven steps to the engine's hook before it runs."""

    def simulate(self, block: Block) -> BlockOutput:
        hook = progress_hook()
        for t in range(7):
            if hook is not None:
                hook(block.first_index, block.n, block.n * (t + 1) / 7)
        return super().simulate(block)


def test_blocks_rerun_after_a_failure_keep_progress_monotone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(executors, "PROGRESS_INTERVAL", 0.0)
    calls: list[tuple[float, int]] = []
    res = run(
        toy_config(),
        model=ReportingToy(fail_above=0.97),
        progress=lambda d, t: calls.append((d, t)),
    )
    assert res.n_failed > 0  # blocks were re-run one replication at a time
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[-1] == 1000
    assert len(done) > 10  # finer than the ten blocks


def test_tracker_maps_reports_to_blocks_and_never_goes_back() -> None:
    calls: list[tuple[float, int]] = []
    tr = ProgressTracker(lambda d, t: calls.append((d, t)), total=250, block_size=100, interval=0)
    tr.partial(0, 100, 50.0)
    tr.partial(200, 50, 25.0)  # last block, of 50
    assert tr.done() == 75.0
    tr.partial(0, 100, 20.0)  # a replay that reports less changes nothing
    tr.partial(30, 1, 1.0)  # replication 30 re-run alone: less than the 50 already counted
    assert tr.done() == 75.0
    tr.partial(60, 1, 0.5)  # replication 60 re-run alone, half done: block 0 at 60.5
    assert tr.done() == 85.5
    tr.partial(200, 50, 500.0)  # capped at the block's size
    assert tr.done() == 110.5
    tr.finished(0, 100)
    tr.partial(0, 100, 70.0)  # a late report of a finished block is ignored
    tr.finished(100, 100)
    tr.finished(200, 50)
    tr.emit(force=True)
    assert tr.done() == 250
    assert calls[-1] == (250.0, 250)
    assert [d for d, _ in calls] == sorted({d for d, _ in calls})


def test_a_failing_callback_is_not_taken_for_a_failed_replication() -> None:
    def bad(done: float, total: int) -> None:
        if done != int(done):  # only inside a block, where the model calls the hook
            raise RuntimeError("callback broke")

    with pytest.raises(RuntimeError, match="callback broke"):
        run(toy_config(), model=ReportingToy(), progress=bad)


def test_cli_prints_no_progress_when_stderr_is_not_a_terminal(
    baseline_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    from scenario import cli
    from scenario.commands import run as run_command

    # FORCE_COLOR makes rich call a pipe a terminal; the bar must still stay off
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setattr(run_command, "_err", lambda: Console(stderr=True, width=100))
    monkeypatch.setattr(executors, "PROGRESS_INTERVAL", 0.0)
    res = CliRunner().invoke(cli.app, ["run", str(baseline_path), "-n", "200"])
    assert res.exit_code == 0, res.output
    assert "nk_casualties" in res.stdout
    assert "reps" not in res.stderr and "\r" not in res.stderr and "\x1b" not in res.stderr


def test_cli_bar_shows_rate_and_time_left_on_a_terminal(
    baseline_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    from scenario import cli
    from scenario.commands import run as run_command

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=120)
    monkeypatch.setattr(run_command, "_err", lambda: console)
    monkeypatch.setattr(run_command, "_stderr_is_terminal", lambda: True)
    monkeypatch.setattr(executors, "PROGRESS_INTERVAL", 0.0)
    res = CliRunner().invoke(cli.app, ["run", str(baseline_path), "-n", "300"])
    assert res.exit_code == 0, res.output
    text = buf.getvalue()
    assert "/300 reps" in text and "reps/s" in text and "left" in text
    monkeypatch.setattr(run_command, "_stderr_is_terminal", lambda: False)
    buf.seek(0)
    buf.truncate(0)
    res = CliRunner().invoke(cli.app, ["run", str(baseline_path), "-n", "300"])
    assert res.exit_code == 0 and buf.getvalue() == ""
