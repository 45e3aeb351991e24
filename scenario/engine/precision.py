"""Running to a target precision: add blocks until every named outcome's mean is known
well enough.

``run(config, precision={"outcome": H, ...})`` runs blocks ``0, 1, 2, ...`` and stops after
the first block ``b`` at which, over the replications of blocks ``0..b``, the 95 %
confidence interval of every named outcome's mean has half-width

.. math::

    h = z_{0.975} \\, s / \\sqrt{m} \\le H, \\qquad z_{0.975} = 1.96,

where ``m`` is the number of finite values of the outcome so far and ``s`` their sample
standard deviation (``ddof=1``); fewer than two finite values give ``h = inf``. If no block
meets every target, the run stops at ``max_replications`` and says so. This is the classic
sequential (relative-width) stopping rule for a Monte Carlo mean (Law, *Simulation Modeling
and Analysis*, 5th ed., 2015, sec. 9.4.1); checking at block boundaries keeps the rule a
function of the seed only.

Workers may compute blocks beyond the stopping block; they are discarded, so the stopping
block, and the results (bit for bit those of ``run(config, replications=n_stop)``), are the
same for any worker count or executor.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import replace
from typing import Any

import numpy as np

from scenario.engine.blocks import BlockResult, Collected, Plan, run_block, run_task
from scenario.engine.manifest import executor_slots
from scenario.errors import EngineError

__all__ = ["Z95", "check_targets", "execute_to_precision", "half_width", "precision_report"]

Z95 = 1.96
"""Normal quantile of the two-sided 95 % interval used by the stopping rule."""


def half_width(values: np.ndarray) -> float:
    """Half-width ``1.96 s / sqrt(m)`` of the 95 % CI of the mean of the finite ``values``.

    Parameters
    ----------
    values : numpy.ndarray
        One outcome's values (NaN where a replication failed).

    Returns
    -------
    float
        ``inf`` when fewer than two values are finite.
    """
    finite = values[np.isfinite(values)]
    if finite.size < 2:
        return math.inf
    return float(Z95 * finite.std(ddof=1) / math.sqrt(finite.size))


def check_targets(precision: Any, outcomes: Sequence[str]) -> dict[str, float]:
    """Check ``precision`` (``{outcome: half-width}``) against a model's outcomes.

    Parameters
    ----------
    precision : mapping of str to float
        Target half-width per outcome.
    outcomes : sequence of str
        The outcomes the model declares.

    Returns
    -------
    dict of str to float
        The targets, in the order given.

    Raises
    ------
    EngineError
        Not a non-empty mapping, an unknown outcome (naming the closest), or a target that
        is not a positive finite number.
    """
    if not isinstance(precision, Mapping) or not precision:
        raise EngineError(
            f"precision must be a non-empty mapping {{outcome: half-width}} (got {precision!r})"
        )
    targets: dict[str, float] = {}
    for name, target in precision.items():
        if name not in outcomes:
            close = difflib.get_close_matches(str(name), list(outcomes), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise EngineError(
                f"precision: unknown outcome {name!r}{hint} (outcomes: {', '.join(outcomes)})"
            )
        ok = isinstance(target, int | float) and not isinstance(target, bool)
        if not ok or not (math.isfinite(target) and target > 0):
            raise EngineError(
                f"precision: the target half-width of {name!r} must be a positive number "
                f"(got {target!r})"
            )
        targets[str(name)] = float(target)
    return targets


def precision_report(
    results: Sequence[BlockResult], targets: Mapping[str, float]
) -> dict[str, dict[str, Any]]:
    """``{outcome: {"target", "half_width", "met"}}`` over the blocks ``results`` (in order).

    Parameters
    ----------
    results : sequence of BlockResult
        Blocks ``0..b``, in block order.
    targets : mapping of str to float
        Target half-width per outcome.

    Returns
    -------
    dict
        JSON-ready; ``half_width`` is ``inf`` while fewer than two values are finite.
    """
    report: dict[str, dict[str, Any]] = {}
    for name, target in targets.items():
        h = half_width(np.concatenate([r.outcomes[name] for r in results]))
        report[name] = {"target": target, "half_width": h, "met": bool(h <= target)}
    return report


def _waves(plan: Plan, workers: int, executor: Executor | None, pool: Executor | None) -> Any:
    """Yield the blocks' results in block order, a wave of blocks at a time."""
    n_blocks = math.ceil(plan.n / plan.block_size)
    width = 1 if pool is None else 2 * (workers if executor is None else executor_slots(executor))
    for lo in range(0, n_blocks, width):
        blocks = range(lo, min(lo + width, n_blocks))
        if pool is None:
            yield run_block(plan, lo)
            continue
        futures: list[Future[list[BlockResult]]] = [
            pool.submit(run_task, plan, [b]) for b in blocks
        ]
        try:
            for fut in futures:
                yield from fut.result()
        finally:
            for fut in futures:
                fut.cancel()


def execute_to_precision(
    plan: Plan,
    targets: Mapping[str, float],
    *,
    workers: int,
    executor: Executor | None,
    pool: Executor | None,
    progress: Callable[[int, int], None] | None,
) -> tuple[Plan, Collected, dict[str, dict[str, Any]]]:
    """Run blocks of ``plan`` in order until every target is met or ``plan.n`` is reached.

    Parameters
    ----------
    plan : Plan
        The plan for at most ``plan.n`` (the cap) replications.
    targets : mapping of str to float
        Target half-width per outcome (:func:`check_targets`).
    workers : int
        Worker processes (sets how many blocks run at once).
    executor : Executor, optional
        The caller's executor, if any (then its workers set the wave width:
        :func:`scenario.engine.manifest.executor_slots`).
    pool : Executor, optional
        The executor to submit to; ``None`` runs serially.
    progress : callable, optional
        ``progress(done, cap)`` after each block.

    Returns
    -------
    tuple of (Plan, Collected, dict)
        The plan cut to the replications used, their results, and the
        :func:`precision_report` at the stopping block.
    """
    done: list[BlockResult] = []
    report: dict[str, dict[str, Any]] = {}
    waves = _waves(plan, workers, executor, pool)
    try:
        for res in waves:
            done.append(res)
            if progress is not None:
                progress(res.start + res.size, plan.n)
            report = precision_report(done, targets)
            if all(r["met"] for r in report.values()):
                break
    finally:
        waves.close()
    used = done[-1].start + done[-1].size
    cut = replace(plan, n=used, keep_series=min(used, plan.config.run.series_replications))
    acc = Collected.empty(cut)
    for res in done:
        acc.add(res)
    acc.failures.sort(key=lambda f: f.index)
    return cut, acc, report


def default_cap(block_size: int) -> int:
    """The default ``max_replications`` of a precision run: 100 blocks."""
    return 100 * block_size
