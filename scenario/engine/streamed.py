"""A run that streams its blocks to disk and can be resumed: :func:`run_to_directory`.

The engine is :func:`scenario.engine.runner.run`'s, block for block (the same plan, seeds,
failure isolation, executors and progress); only the sink differs: each finished block goes
to a :class:`~scenario.results_stream.BlockStore` on disk instead of into memory, and the
results directory is assembled from the blocks at the end (:mod:`scenario.results_stream`).
Memory is checked for the streamed footprint (:func:`scenario.engine.planning.estimate_memory`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from concurrent.futures import Executor
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from scenario.config.schema import ScenarioConfig
from scenario.engine.blocks import Plan
from scenario.engine.manifest import describe_executor
from scenario.engine.planning import prepare
from scenario.engine.runner import (
    ProgressCallback,
    _assemble,
    _execute,
    check_config,
    resolve_model,
)
from scenario.errors import EngineError, ResultsError
from scenario.models.protocol import Model
from scenario.results import Results, install, write_manifest, write_series
from scenario.results_files import claim, located
from scenario.results_stream import BlockStore, InputMode, ParquetColumns

__all__ = ["regenerate_inputs", "run_to_directory"]


def run_to_directory(
    config: ScenarioConfig,
    directory: str | os.PathLike[str],
    *,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    model: Model | None = None,
    executor: Executor | None = None,
    resume: bool = False,
    overwrite: bool = False,
    inputs: InputMode = "full",
) -> Results:
    """Run a scenario, writing each block to disk as it finishes; return the saved results.

    The results directory holds the same tables as ``scenario.run(...).save(directory)``
    would write, row for row, but the run never holds more than the blocks under way, so
    its memory does not grow with the replications.

    Parameters
    ----------
    config : ScenarioConfig
        A validated scenario without a ``sweep:`` block.
    directory : path
        The results directory; it must not exist (or be empty) unless ``overwrite``.
    replications, seed, workers, progress, model, executor
        As for :func:`scenario.run`.
    resume : bool
        Continue the run a kill or a crash stopped (its finished blocks are in
        ``PARENT/.NAME.partial``); it must be the same run (same config, seed,
        replications, model and ``inputs``). Without a stopped run, start afresh.
    overwrite : bool
        Replace earlier results in ``directory`` and discard a stopped run's blocks.
    inputs : {"full", "float32", "none"}
        Store the sampled inputs as ``float64``, as ``float32``, or not at all
        (:mod:`scenario.results_stream`).

    Returns
    -------
    Results
        Whose ``outcomes`` and ``inputs`` read their columns from the Parquet files on
        access (:class:`~scenario.results_stream.ParquetColumns`).

    Raises
    ------
    ConfigError
        The config does not fit the model, or even the streamed run cannot fit in memory.
    ResultsError
        The directory is taken or cannot be written, or a stopped run is there and neither
        ``resume`` nor ``overwrite`` is given, or it is another run.
    EngineError
        As :func:`scenario.run` (bad arguments, a worker died).
    """
    _check_runnable(config)
    mdl = resolve_model(config, model)
    notes = check_config(config, mdl)
    plan, w, _, more = prepare(
        config, mdl, replications, seed, workers, None, None, None, streamed=True
    )
    target = Path(directory)
    with claim(target, overwrite):
        try:
            store = BlockStore(target, plan, inputs)
            todo = store.open(resume=resume, overwrite=overwrite)
        except OSError as exc:
            raise ResultsError(located(target, exc)) from None
        meta, manifest = _run_blocks(plan, w, executor, progress, store, todo, [*notes, *more])
        _finish(store, target, overwrite, meta, manifest)
    return Results(
        config=meta.config,
        outcomes=ParquetColumns(target / "outcomes.parquet"),
        inputs=ParquetColumns(target / "inputs.parquet"),
        series=meta.series,
        dates=meta.dates,
        failures=meta.failures,
        manifest=manifest,
        outcome_info=meta.outcome_info,
    )


def _check_runnable(config: object) -> None:
    if not isinstance(config, ScenarioConfig):
        raise EngineError(
            f"config must be a ScenarioConfig (got {type(config).__name__}); "
            "use scenario.load_config(path)"
        )
    if config.sweep:
        raise EngineError(
            f"config {config.name!r} has a sweep: block; run its points with "
            "scenario.run_sweep(config) (CLI: scenario run CONFIG --out DIR saves each point)"
        )


def _run_blocks(
    plan: Plan,
    workers: int,
    executor: Executor | None,
    progress: ProgressCallback | None,
    store: BlockStore,
    todo: list[int],
    notes: list[str],
) -> tuple[Results, dict[str, object]]:
    """Run the blocks ``todo`` into ``store``; return the run's (empty) results, for their
    metadata, and its manifest."""
    started = dt.datetime.now(dt.UTC)
    _execute(plan, workers, executor, progress, None, sink=store, blocks=todo)
    finished = dt.datetime.now(dt.UTC)
    kind, used = describe_executor(executor, workers)
    store.failures.sort(key=lambda f: f.index)
    acc = SimpleNamespace(outcomes={}, inputs={}, series=store.series, failures=store.failures)
    meta = _assemble(
        plan,
        acc,  # type: ignore[arg-type]
        workers=used,
        executor=kind,
        notes=notes,
        started=started,
        finished=finished,
        report=None,
        cap=plan.n,
    )
    manifest = dict(meta.manifest)
    if store.inputs != "full":
        manifest["inputs"] = store.inputs
    if todo != list(range(store.n_blocks)):
        manifest["resumed_blocks"] = store.n_blocks - len(todo)
    return meta, manifest


def _finish(
    store: BlockStore, target: Path, overwrite: bool, meta: Results, manifest: dict[str, object]
) -> None:
    """Assemble the tables and the manifest in the partial directory, rename them into
    place, and remove the blocks."""
    final = store.dir / "final"
    shutil.rmtree(final, ignore_errors=True)
    try:
        final.mkdir()
        rows = store.write_tables(final)
        horizon = len(meta.dates)
        rows["series.parquet"] = write_series(meta.series, horizon, final / "series.parquet")
        write_manifest(final, manifest, meta.failures, np.asarray(meta.dates), rows)
        install(final, target, overwrite)
    except OSError as exc:
        shutil.rmtree(final, ignore_errors=True)
        raise ResultsError(f"{located(target, exc)}; {store.kept()}") from None
    store.remove()


def regenerate_inputs(
    results: Results, *, start: int = 0, stop: int | None = None, model: Model | None = None
) -> dict[str, np.ndarray]:
    """The sampled inputs of replications ``start .. stop - 1`` of a run, drawn again.

    Block ``b``'s inputs come from the run's seed and ``b`` alone
    (:func:`scenario.engine.blocks.block_inputs`), so a run saved with ``inputs="none"``
    (or any run) gets them back exactly, a block at a time, without storing them.

    Parameters
    ----------
    results : Results
        A run (loaded or returned).
    start, stop : int
        Replications wanted (default: all; mind the memory: 155 inputs x 8 bytes each).
    model : Model, optional
        The model object the run used, if it is not registered.

    Returns
    -------
    dict of str to numpy.ndarray
        One ``float64`` column per sampled parameter.

    Raises
    ------
    ResultsError
        The run used a design (its rows are not stored), or was made by another version of
        ``scenario``, or its posterior file changed, or the range is outside the run.
    """
    from scenario import __version__
    from scenario.engine.blocks import block_inputs

    n = results.replications
    stop = n if stop is None else stop
    if not 0 <= start <= stop <= n:
        raise ResultsError(f"replications {start}..{stop} are outside the run's 0..{n}")
    if results.design_columns:
        raise ResultsError(
            "the run used a design (" + ", ".join(results.design_columns) + "): its rows "
            "were not stored, so its inputs cannot be drawn again"
        )
    made_by = results.manifest.get("versions", {}).get("scenario")
    if made_by is not None and made_by != __version__:
        raise ResultsError(
            f"the run was made by scenario {made_by}; this is {__version__}: its draws may "
            "differ, so its inputs are not drawn again"
        )
    mdl = resolve_model(results.config, model)
    plan, _, _, _ = prepare(
        results.config, mdl, n, results.manifest["seed"], None, None, None, None, streamed=True
    )
    recorded = results.manifest.get("posterior")
    if recorded and plan.posterior is not None and recorded.get("sha256") != plan.posterior.sha256:
        raise ResultsError("the run's posterior file has changed since: inputs not drawn again")
    if start == stop:
        return {k: np.empty(0) for k in plan.specs}
    first, last = start // plan.block_size, (stop - 1) // plan.block_size
    parts = [block_inputs(plan, b) for b in range(first, last + 1)]
    lo = start - first * plan.block_size
    return {
        k: np.concatenate([part[k] for part in parts])[lo : lo + stop - start] for k in plan.specs
    }
