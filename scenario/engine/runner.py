"""Running a scenario: blocks of replications, seeding, failures, progress.

``run(config)`` samples every uncertain parameter and runs the model in fixed-size blocks.
Block ``b`` covers replications ``b*B .. min((b+1)*B, n)-1`` and draws only from its own
streams (:mod:`scenario.engine.rng`), so results are identical for any worker count. A block
whose model call raises is re-run in ever smaller sub-blocks (four at a time, each on
streams of its own, :mod:`scenario.engine.blocks`) down to the single replications that
raise; those, and replications that return a non-finite outcome, are recorded as failures
(index and message) and their outcomes are NaN. The run always finishes and reports how
many failed.

With ``design`` (:mod:`scenario.engine.design`), the design's columns replace the sampled
values of their parameters, row ``i`` in replication ``i``; every other parameter and every
model stream is drawn as usual, so designs that differ in one column are paired (common
random numbers). The scenario's ``correlations`` are imposed in every block by the
Iman–Conover method (:mod:`scenario.config.correlations`), on a stream of their own. A
calibrated ``posterior`` (:mod:`scenario.config.posterior`) gives each replication one of
its rows, drawn by weight on a stream of its own, for the parameters it has columns for. With
``precision`` (:mod:`scenario.engine.precision`), blocks are added in order until the 95 %
confidence interval of each named outcome's mean is narrow enough.

One block is run by :mod:`scenario.engine.blocks`; this module checks the arguments, plans
the blocks, runs them serially or on an executor, and assembles the :class:`Results`.
Progress is reported within blocks too (:mod:`scenario.engine.executors`): the model
reports each day of a block through a hook, and workers forward their reports through a
queue; the hook draws nothing, so results stay identical for any worker count.
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import nullcontext
from typing import Any, Protocol

import numpy as np

from scenario.config.posterior import posterior_record
from scenario.config.schema import ScenarioConfig
from scenario.engine.blocks import BlockResult, Collected, Plan, run_block, run_task
from scenario.engine.checks import check_config, resolve_model
from scenario.engine.executors import (
    ProgressTracker,
    WorkerPool,
    installed_hook,
    make_executor,
    reporting_task,
    stop_pool_on_signals,
)
from scenario.engine.manifest import build_manifest, describe_executor, executor_slots
from scenario.engine.planning import estimate_memory, prepare
from scenario.engine.precision import execute_to_precision
from scenario.errors import EngineError
from scenario.models.protocol import Model
from scenario.results import OutcomeMeta, Results

__all__ = ["ProgressCallback", "check_config", "estimate_memory", "resolve_model", "run"]

ProgressCallback = Callable[[float, int], None]
"""``progress(done, total)``: replications finished so far (a float: whole blocks plus the
share of days simulated in blocks under way) and in all (see :func:`run`)."""


TASKS_PER_WORKER = 16
"""Tasks per worker: one block per task up to it, so the workers stay balanced to within a
block; beyond it, runs of consecutive blocks of equal length (+-1), of at most
:data:`MAX_BLOCKS_PER_TASK` blocks."""

MAX_BLOCKS_PER_TASK = 2
"""A task returns all its blocks at once (outcomes and inputs), so the blocks per task bound
the main process's memory (a streamed run's too): more tasks rather than longer ones."""


def _chunks(blocks: Sequence[int], n_tasks: int) -> Iterator[list[int]]:
    """``blocks`` cut into ``min(len(blocks), n_tasks)`` runs whose lengths differ by at most
    one (a run of blocks is one task)."""
    k = max(1, min(len(blocks), n_tasks))
    per, extra = divmod(len(blocks), k)
    lo = 0
    for i in range(k):
        hi = lo + per + (1 if i < extra else 0)
        yield list(blocks[lo:hi])
        lo = hi


class BlockSink(Protocol):
    """Where finished blocks go: :class:`~scenario.engine.blocks.Collected` (memory) or a
    block store on disk (:mod:`scenario.results_stream`)."""

    failures: list[Any]

    def add(self, res: BlockResult) -> None:
        """Take one finished block."""


def _execute(
    plan: Plan,
    workers: int,
    executor: Executor | None,
    progress: ProgressCallback | None,
    targets: Mapping[str, float] | None = None,
    sink: BlockSink | None = None,
    blocks: Sequence[int] | None = None,
) -> tuple[Plan, Any, dict[str, dict[str, Any]] | None]:
    """Run every block (or, with ``targets``, blocks until they are met; or only
    ``blocks``, the others counted as done), serially or as tasks on an executor, into
    ``sink`` (default: a new :class:`Collected`)."""
    held = executor if isinstance(executor, WorkerPool) else None
    if held is not None:  # the engine's kind of pool, kept across runs
        executor, workers = None, held.workers
        held.discard_reports()
    own_pool = executor is None and workers > 1
    tracker = None if progress is None else ProgressTracker(progress, plan.n, plan.block_size)
    todo = list(range(math.ceil(plan.n / plan.block_size)) if blocks is None else blocks)
    if tracker is not None and blocks is not None:
        for b in sorted(set(range(math.ceil(plan.n / plan.block_size))) - set(todo)):
            start = b * plan.block_size
            tracker.finished(start, min(plan.block_size, plan.n - start))
    # Workers report from inside blocks through a queue, but only to a loop that drains it.
    wants_queue = own_pool and tracker is not None and not targets
    pool: Executor | None
    if held is not None:
        queue, pool = (held.queue if wants_queue else None), held.pool
    else:
        queue = multiprocessing.get_context("spawn").Queue() if wants_queue else None
        interval = None if tracker is None else tracker.interval
        pool = make_executor(workers, queue, interval) if own_pool else executor
    stopper = stop_pool_on_signals(pool) if own_pool and pool is not None else nullcontext()
    with stopper:
        try:
            if targets:
                with installed_hook(tracker.partial if tracker and pool is None else None):
                    return execute_to_precision(
                        plan,
                        targets,
                        workers=workers,
                        executor=executor,
                        pool=pool,
                        progress=None if tracker is None else tracker.floor,
                    )
            acc = Collected.empty(plan) if sink is None else sink
            if pool is None:
                _run_serial(plan, acc, tracker, todo)
            else:
                n_workers = workers if executor is None else executor_slots(executor)
                tasks = max(TASKS_PER_WORKER * n_workers, -(-len(todo) // MAX_BLOCKS_PER_TASK))
                _run_pool(plan, acc, pool, tasks, tracker, queue, todo)
        except BrokenProcessPool as exc:
            raise EngineError(
                f"a worker process died during the run ({exc}); nothing was returned. Worker "
                "processes are spawned: a script that runs with workers > 1 must do so under "
                '`if __name__ == "__main__":`. Re-run with workers=1 to see the model\'s own '
                "error."
            ) from None
        finally:
            if own_pool and pool is not None and held is None:
                pool.shutdown(wait=True, cancel_futures=True)
            if queue is not None and held is None:
                queue.close()
    acc.failures.sort(key=lambda f: f.index)
    return plan, acc, None


def _run_serial(
    plan: Plan, acc: BlockSink, tracker: ProgressTracker | None, blocks: Sequence[int]
) -> None:
    """Run ``blocks`` in order in this process; the model reports inside each block."""
    with installed_hook(None if tracker is None else tracker.partial):
        for b in blocks:
            res = run_block(plan, b)
            acc.add(res)
            if tracker is not None:
                tracker.finished(res.start, res.size)
                tracker.emit(force=True)


def _run_pool(
    plan: Plan,
    acc: BlockSink,
    pool: Executor,
    tasks: int,
    tracker: ProgressTracker | None,
    queue: Any,
    blocks: Sequence[int],
) -> None:
    """Run ``blocks`` as at most ``tasks`` balanced tasks on ``pool``; while waiting, pass
    on the workers' reports from ``queue`` (if any)."""
    fn = run_task if queue is None else reporting_task
    pending: set[Future[list[BlockResult]]] = {
        pool.submit(fn, plan, chunk) for chunk in _chunks(blocks, tasks)
    }
    wait_for = None if queue is None or tracker is None else max(tracker.interval, 0.02)
    while pending:
        finished, pending = wait(pending, timeout=wait_for, return_when=FIRST_COMPLETED)
        if tracker is not None and queue is not None:
            tracker.drain(queue)
        for fut in finished:
            for res in fut.result():
                acc.add(res)
                if tracker is not None:
                    tracker.finished(res.start, res.size)
            if tracker is not None:
                tracker.emit(force=True)


def _assemble(
    plan: Plan,
    acc: Collected,
    *,
    workers: int,
    notes: list[str],
    started: dt.datetime,
    finished: dt.datetime,
    report: dict[str, dict[str, Any]] | None = None,
    cap: int | None = None,
    executor: str | None = None,
) -> Results:
    """The :class:`Results` of a finished run, with its manifest (plus the design's
    columns and, for a precision run, the targets' report and the cap)."""
    config, mdl = plan.config, plan.model
    dates = np.datetime64(config.start_date, "D") + np.arange(config.horizon_days)
    metas = tuple(
        OutcomeMeta(
            name=o.name,
            unit=o.unit,
            description=o.description,
            direction=o.direction,
            censored=o.censored,
        )
        for o in mdl.outcomes
    )
    manifest = build_manifest(
        config,
        model_name=mdl.name,
        outcomes=[m.to_dict() for m in metas],
        series=[x.model_dump() for x in mdl.series],
        n=plan.n,
        seed=plan.seed,
        workers=workers,
        started=started,
        finished=finished,
        n_failures=len(acc.failures),
        notes=notes,
        executor=executor,
    )
    manifest["design_columns"] = sorted(plan.design)
    manifest["posterior"] = (
        None if plan.posterior is None else posterior_record(plan.posterior, config.posterior)
    )
    if report is not None:
        manifest["precision"] = report
        manifest["max_replications"] = cap
    return Results(
        config=config,
        outcomes=acc.outcomes,
        inputs=acc.inputs,
        series=acc.series if plan.keep_series else {},
        dates=dates,
        failures=tuple(acc.failures),
        manifest=manifest,
        outcome_info=metas,
    )


def _run_plan(
    plan: Plan,
    workers: int,
    executor: Executor | None,
    progress: ProgressCallback | None,
    targets: dict[str, float] | None,
    notes: list[str],
) -> Results:
    """Execute a checked plan and assemble its :class:`Results`."""
    started = dt.datetime.now(dt.UTC)
    used, acc, report = _execute(plan, workers, executor, progress, targets)
    finished = dt.datetime.now(dt.UTC)
    kind, used_workers = describe_executor(executor, workers)
    return _assemble(
        used,
        acc,
        workers=used_workers,
        executor=kind,
        notes=notes,
        started=started,
        finished=finished,
        report=report,
        cap=plan.n,
    )


def run(
    config: ScenarioConfig,
    *,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    model: Model | None = None,
    executor: Executor | None = None,
    design: Any = None,
    precision: Mapping[str, float] | None = None,
    max_replications: int | None = None,
) -> Results:
    """Run a scenario and return its outcome distributions.

    Parameters
    ----------
    config : ScenarioConfig
        A validated scenario (:func:`scenario.load_config`).
    replications : int, optional
        Overrides ``config.run.replications``.
    seed : int, optional
        Overrides ``config.run.seed``.
    workers : int, optional
        Number of worker processes; ``None`` or 1 runs serially. Results do not depend on it.
    progress : callable, optional
        ``progress(done, total)``: ``total`` replications, ``done`` (a float) finished so
        far, a block under way counted by the share of its replication-days simulated when
        the model reports it (the daily composition does; :mod:`scenario.engine.executors`).
        ``done`` only grows and ends at ``total`` (a precision run: at the replications
        used, ``total`` the cap). Called from this thread, about ten times a second inside
        blocks and after each block (serial) or task (pool; a caller's ``executor``: per
        task only). The library never prints.
    model : Model, optional
        Use this model object instead of looking ``config.model`` up in the registry.
    executor : concurrent.futures.Executor, optional
        Run tasks on this executor (for example a dask client's ``get_executor()``);
        the caller owns it. Overrides ``workers``.
    design : mapping or DataFrame-like, optional
        ``{"group.name": values}``, one row per replication, used instead of draws; other
        inputs are drawn as usual (:mod:`scenario.engine.design`). ``replications``
        defaults to its length and must equal it.
    precision : mapping of str to float, optional
        ``{outcome: H}``: add blocks until each 95 % CI half-width of the mean is at most
        ``H`` (:mod:`scenario.engine.precision`). Not with ``design`` or ``replications``.
    max_replications : int, optional
        Cap of a precision run (default 100 blocks, lowered to what memory allows).

    Returns
    -------
    Results
        Per-replication outcomes and sampled inputs, kept daily series, failures, manifest.

    Raises
    ------
    ConfigError
        The config does not fit the model, or the replications cannot fit in memory.
    EngineError
        Bad arguments (a bad design column, precision target or outcome), a worker
        process died, or the config has a ``sweep:`` block (run it with
        :func:`scenario.analysis.sweep.run_sweep`).
    ModelError
        The model broke the model protocol (wrong output shapes, unknown name).
    """
    if not isinstance(config, ScenarioConfig):
        raise EngineError(
            f"config must be a ScenarioConfig (got {type(config).__name__}); "
            "use scenario.load_config(path)"
        )
    if config.sweep:
        raise EngineError(
            f"config {config.name!r} has a sweep: block ({', '.join(config.sweep)}); run its "
            "points with scenario.run_sweep(config) (CLI: scenario compare CONFIG)"
        )
    mdl = resolve_model(config, model)
    notes = check_config(config, mdl)
    plan, w, targets, more = prepare(
        config, mdl, replications, seed, workers, design, precision, max_replications
    )
    return _run_plan(plan, w, executor, progress, targets, [*notes, *more])
