"""Running one block of replications: sampling its inputs, calling the model, failures.

A block ``b`` of a :class:`Plan` covers replications ``b*B .. min((b+1)*B, n)-1`` and draws
only from its own streams (:mod:`scenario.engine.rng`). :func:`block_inputs` builds its
inputs: a parameter given by the plan's design takes the design's rows
``design[k][b*B : b*B + size]``; with a calibrated posterior, each replication draws one row
of it on the block's posterior stream (:mod:`scenario.config.posterior`), and a parameter
with a column (and no design column) takes that row's value; every other parameter is
sampled from its own stream, and the correlated ones are then reordered by the
Iman–Conover method on the block's correlation stream (:mod:`scenario.config.correlations`).
:func:`run_block` calls the model once for the whole block; if that call raises, it isolates
the failures by re-running the block in :data:`SPLIT` = 4 sub-blocks, and each sub-block
that raises in 4 smaller ones, down to single replications. A replication that raises alone,
or returns a non-finite outcome, becomes a failure (index and message) with NaN outcomes.
With ``f`` failing replications in a block of ``B`` this takes at most about
``4 f log_4 B`` model calls instead of ``B``. Sub-block ``lo .. hi-1`` of block ``b`` draws
from its own model streams: ``spawn_key=(b, 1, h(stream), 1 + lo)`` for a single replication
(the convention of :mod:`scenario.engine.rng`) and ``(b, 1, h(stream), 1 + lo, 1 + hi)`` for
a longer span, so the result is a pure function of the seed, whatever the worker count. A
model that breaks the protocol (wrong output type or shapes, undeclared outcomes) raises
:class:`~scenario.errors.ModelError`.

:func:`run_task` runs a few blocks in one executor task; it and :class:`Plan` are pickled
to worker processes. :func:`scenario.engine.runner.run` plans the blocks and collects them.
"""

from __future__ import annotations

import itertools
import os
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scenario.config.correlations import RankCorrelation, iman_conover
from scenario.config.distributions import sample
from scenario.config.posterior import Posterior, draw_rows
from scenario.config.schema import ScenarioConfig
from scenario.engine.rng import (
    MODEL_BRANCH,
    correlation_rng,
    model_rng,
    parameter_rng,
    posterior_rng,
    stable_hash,
)
from scenario.errors import ModelError
from scenario.models.protocol import Block, BlockOutput, Model
from scenario.results import Failure

__all__ = ["BlockResult", "Collected", "Plan", "block_inputs", "run_block", "run_task"]


@dataclass(frozen=True)
class Plan:
    """Everything a block needs: config, model, sizes, seed, the parameter specs, the
    design's columns (``name -> array of length n``), the correlations to impose and the
    posterior's rows (read once per run)."""

    config: ScenarioConfig
    model: Model
    n: int
    seed: int
    block_size: int
    keep_series: int
    specs: dict[str, Any]
    design: dict[str, np.ndarray] = field(default_factory=dict)
    correlations: tuple[RankCorrelation, ...] = ()
    posterior: Posterior | None = None


@dataclass
class BlockResult:
    """One block's sampled inputs, outcomes, kept series and failures."""

    block: int
    start: int
    size: int
    inputs: dict[str, np.ndarray]
    outcomes: dict[str, np.ndarray]
    series: dict[str, np.ndarray]
    failures: list[Failure]


@dataclass
class Collected:
    """A run's arrays, filled in block by block (in any order)."""

    outcomes: dict[str, np.ndarray]
    inputs: dict[str, np.ndarray]
    series: dict[str, np.ndarray]
    failures: list[Failure]
    done: int = 0

    @classmethod
    def empty(cls, plan: Plan) -> Collected:
        """Arrays for the ``plan.n`` replications of ``plan`` (series rows NaN)."""
        n, horizon = plan.n, plan.config.horizon_days
        return cls(
            outcomes={o.name: np.empty(n) for o in plan.model.outcomes},
            inputs={k: np.empty(n) for k in plan.specs},
            series={
                x.name: np.full((plan.keep_series, horizon), np.nan, np.float32)
                for x in plan.model.series
            },
            failures=[],
        )

    def add(self, res: BlockResult) -> None:
        """Copy one block's results into place."""
        sl = slice(res.start, res.start + res.size)
        for k in self.outcomes:
            self.outcomes[k][sl] = res.outcomes[k]
        for k in self.inputs:
            self.inputs[k][sl] = res.inputs[k]
        for k, arr in res.series.items():
            self.series[k][res.start : res.start + arr.shape[0]] = arr
        self.failures.extend(res.failures)
        self.done += res.size


def block_inputs(plan: Plan, b: int) -> dict[str, np.ndarray]:
    """The inputs of block ``b`` of ``plan``: design rows, posterior rows, draws, correlated
    reordering.

    Parameters
    ----------
    plan : Plan
        The run's plan.
    b : int
        Block index.

    Returns
    -------
    dict of str to numpy.ndarray
        One ``float64`` array of the block's size per parameter, in ``plan.specs`` order.
    """
    start = b * plan.block_size
    size = min(plan.block_size, plan.n - start)
    inputs: dict[str, np.ndarray] = {}
    post = plan.posterior
    rows = None if post is None else draw_rows(post, size, rng=posterior_rng(plan.seed, b))
    for name, spec in plan.specs.items():
        column = plan.design.get(name)
        if column is not None:
            inputs[name] = np.array(column[start : start + size], dtype=np.float64)
        elif post is not None and rows is not None and name in post.columns:
            inputs[name] = post.columns[name][rows]
        else:
            inputs[name] = sample(spec, size, rng=parameter_rng(plan.seed, b, name))
    if plan.correlations:
        inputs.update(iman_conover(inputs, plan.correlations, rng=correlation_rng(plan.seed, b)))
    for column in inputs.values():  # models read inputs; results keep them unchanged
        column.setflags(write=False)
    return inputs


def run_block(plan: Plan, b: int) -> BlockResult:
    """Run block ``b`` of ``plan`` (see module docstring)."""
    start = b * plan.block_size
    size = min(plan.block_size, plan.n - start)
    inputs = block_inputs(plan, b)
    keep = max(0, min(size, plan.keep_series - start))
    model = plan.model
    names = [o.name for o in model.outcomes]
    H = plan.config.horizon_days
    failures: list[Failure] = []
    try:
        outcomes, series = _simulate(plan, b, inputs, 0, size, keep, _block_rngs)
    except ModelError:
        raise
    except Exception:
        outcomes = {k: np.full(size, np.nan) for k in names}
        series = {s.name: np.full((keep, H), np.nan, dtype=np.float32) for s in model.series}
        run = _SubBlocks(plan, b, inputs, keep, outcomes, series, failures)
        for lo, hi in _split(0, size):
            run.isolate(lo, hi)
    # Non-finite outcomes are failures too.
    bad = np.zeros(size, dtype=bool)
    for k in names:
        bad |= ~np.isfinite(outcomes[k])
    already = {f.index for f in failures}
    for i in np.flatnonzero(bad).tolist():
        idx = start + i
        if idx in already:
            continue
        which = [k for k in names if not np.isfinite(outcomes[k][i])]
        failures.append(
            Failure(
                index=idx,
                error="NonFiniteOutcome",
                message=f"outcome(s) {', '.join(which)} not finite",
            )
        )
        for k in names:
            outcomes[k][i] = np.nan
    failures.sort(key=lambda f: f.index)
    return BlockResult(b, start, size, inputs, outcomes, series, failures)


SPLIT = 4
"""Sub-blocks a failed (sub-)block is split into while isolating its failures."""

RngFactory = Callable[[int, int, str, int, int], np.random.Generator]


def _block_rngs(seed: int, b: int, stream: str, lo: int, hi: int) -> np.random.Generator:
    return model_rng(seed, b, stream)


def _span_rngs(seed: int, b: int, stream: str, lo: int, hi: int) -> np.random.Generator:
    """Stream of sub-block ``lo .. hi-1`` of failed block ``b``: a replication alone keeps
    the convention's ``(b, 1, h(stream), 1 + lo)``; a longer span adds ``1 + hi``."""
    if hi - lo == 1:
        return model_rng(seed, b, stream, lo)
    key = (b, MODEL_BRANCH, stable_hash(stream), 1 + lo, 1 + hi)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def _split(lo: int, hi: int) -> list[tuple[int, int]]:
    """``lo .. hi-1`` cut into at most :data:`SPLIT` near-equal non-empty spans."""
    edges = sorted({lo + (hi - lo) * j // SPLIT for j in range(SPLIT + 1)})
    return list(itertools.pairwise(edges))


def _simulate(
    plan: Plan,
    b: int,
    inputs: dict[str, np.ndarray],
    lo: int,
    hi: int,
    keep: int,
    rngs: RngFactory,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Call the model on replications ``lo .. hi-1`` of block ``b`` and check its output."""
    model = plan.model
    sub_keep = max(0, min(hi, keep) - lo)
    whole = lo == 0 and hi == min(plan.block_size, plan.n - b * plan.block_size)
    out = model.simulate(
        Block(
            config=plan.config,
            inputs=inputs if whole else {k: v[lo:hi] for k, v in inputs.items()},
            rngs={s: rngs(plan.seed, b, s, lo, hi) for s in model.streams},
            n=hi - lo,
            first_index=b * plan.block_size + lo,
            keep_series=sub_keep,
        )
    )
    return _check_output(model, out, hi - lo, sub_keep, plan.config.horizon_days)


@dataclass
class _SubBlocks:
    """Isolating the failures of a failed block by re-running it in sub-blocks."""

    plan: Plan
    b: int
    inputs: dict[str, np.ndarray]
    keep: int
    outcomes: dict[str, np.ndarray]
    series: dict[str, np.ndarray]
    failures: list[Failure]

    def isolate(self, lo: int, hi: int) -> None:
        """Run ``lo .. hi-1``; if that raises, split it and recurse; a replication that
        raises alone is a failure."""
        try:
            oc, se = _simulate(self.plan, self.b, self.inputs, lo, hi, self.keep, _span_rngs)
        except ModelError:
            raise
        except Exception as exc:
            if hi - lo == 1:
                self.failures.append(_failure(self.b * self.plan.block_size + lo, exc))
                return
            for sub_lo, sub_hi in _split(lo, hi):
                self.isolate(sub_lo, sub_hi)
            return
        for k, arr in oc.items():
            self.outcomes[k][lo:hi] = arr
        for k, arr in se.items():
            if k in self.series:
                self.series[k][lo : lo + arr.shape[0]] = arr


def _failure(index: int, exc: BaseException) -> Failure:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" at {os.path.basename(tb[-1].filename)}:{tb[-1].lineno}" if tb else ""
    return Failure(index=index, error=type(exc).__name__, message=f"{exc}{where}")


def _check_output(
    model: Model, out: Any, size: int, keep: int, horizon: int
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    if not isinstance(out, BlockOutput):
        raise ModelError(
            f"model {model.name!r}: simulate() must return a BlockOutput "
            f"(got {type(out).__name__})"
        )
    outcomes: dict[str, np.ndarray] = {}
    for info in model.outcomes:
        if info.name not in out.outcomes:
            raise ModelError(f"model {model.name!r}: outcome {info.name!r} missing from output")
        arr = np.asarray(out.outcomes[info.name], dtype=np.float64)
        if arr.shape != (size,):
            raise ModelError(
                f"model {model.name!r}: outcome {info.name!r} must have shape ({size},) "
                f"(got {arr.shape})"
            )
        outcomes[info.name] = arr
    extra = set(out.outcomes) - {o.name for o in model.outcomes}
    if extra:
        raise ModelError(f"model {model.name!r}: undeclared outcome(s) {sorted(extra)}")
    series: dict[str, np.ndarray] = {}
    if keep:
        for s in model.series:
            if s.name not in out.series:
                continue
            arr = np.asarray(out.series[s.name], dtype=np.float32)
            if arr.shape != (keep, horizon):
                raise ModelError(
                    f"model {model.name!r}: series {s.name!r} must have shape "
                    f"({keep}, {horizon}) (got {arr.shape})"
                )
            series[s.name] = arr
    return outcomes, series


def run_task(plan: Plan, blocks: Sequence[int]) -> list[BlockResult]:
    """Run ``blocks`` of ``plan`` in order: one executor task."""
    return [run_block(plan, b) for b in blocks]
