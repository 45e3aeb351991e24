"""Planning a run: checking its arguments together and building the :class:`Plan`.

:func:`prepare` checks what :func:`scenario.engine.runner.run` was given (replications,
seed, workers, a design, precision targets and their cap), refuses replication counts whose
results cannot fit in memory (:func:`estimate_memory` against 80 % of the available memory),
and builds the :class:`~scenario.engine.blocks.Plan` every block reads: the specs of the
parameters the model samples, the design's columns, the correlations among the sampled
parameters (a correlation with a parameter the composition does not sample is left out
with a note; one with a design column is an error, since the design sets those values
exactly), and the rows of the scenario's calibrated posterior, read once per run
(:mod:`scenario.config.posterior`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from scenario.config.correlations import RankCorrelation
from scenario.config.locations import issue_at
from scenario.config.posterior import load_posterior
from scenario.config.schema import MAX_REPLICATIONS, ScenarioConfig
from scenario.engine.blocks import Plan
from scenario.engine.design import check_design
from scenario.engine.precision import check_targets, default_cap
from scenario.errors import ConfigError, ConfigIssue, EngineError
from scenario.models.protocol import Model

__all__ = ["estimate_memory", "prepare"]


def estimate_memory(
    config: ScenarioConfig, model: Model, replications: int, *, streamed: bool = False
) -> int:
    """Bytes the results of ``replications`` will hold (outcomes, inputs, kept series).

    ``streamed``: the run writes each block to disk as it finishes
    (:mod:`scenario.results_stream`) and holds only the blocks under way (a few per worker)
    and the kept series; the outcomes are summarised one column at a time from disk, so one
    column of ``replications`` doubles (and the few copies sorting it takes) counts too.
    """
    per_rep = (len(model.outcomes) + len(model.parameters)) * 8
    keep = min(replications, config.run.series_replications)
    series = keep * config.horizon_days * len(model.series) * 4
    block = min(replications, config.run.block_size)
    working = block * config.horizon_days * 8 * 4 + block * per_rep * 4
    if streamed:
        return 3 * block * per_rep + series + working + 6 * replications * 8
    return replications * per_rep + series + working


def _available_memory() -> int:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return 8 * 1024**3


def _replication_issue(
    config: ScenarioConfig, from_arg: bool, message: str, key: str = "replications"
) -> ConfigError:
    if from_arg:
        return ConfigError(ConfigIssue("<argument>", 0, 0, key, message))
    return ConfigError(issue_at(config, ("run", "replications"), message))


def _check_arguments(
    config: ScenarioConfig,
    model: Model,
    replications: int | None,
    seed: int | None,
    workers: int | None,
    key: str = "replications",
    streamed: bool = False,
) -> tuple[int, int, int]:
    """``(replications, seed, workers)`` to run with, after checking each and the memory
    the replications need (``key`` names the argument the replications came from)."""
    from_arg = replications is not None
    n = config.run.replications if replications is None else replications
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_REPLICATIONS:
        raise _replication_issue(
            config,
            from_arg,
            f"must be an integer in [1, {MAX_REPLICATIONS:,}] (got {n!r})",
            key,
        )
    need = estimate_memory(config, model, n, streamed=streamed)
    avail = _available_memory()
    if need > 0.8 * avail:
        raise _replication_issue(
            config,
            from_arg,
            f"{n:,} replications need about {need / 2**30:.1f} GiB for outcomes, inputs and "
            f"series, but only {avail / 2**30:.1f} GiB is available; lower the replications "
            f"or run.series_replications"
            + ("" if streamed else ", or save to disk as the run goes (--out DIR)")
            + f" (got {n})",
            key,
        )
    s = config.run.seed if seed is None else seed
    if isinstance(s, bool) or not isinstance(s, int) or not 0 <= s < 2**63:
        raise EngineError(f"seed must be an integer in [0, 2**63) (got {s!r})")
    w = 1 if workers is None else workers
    if isinstance(w, bool) or not isinstance(w, int) or w < 1:
        raise EngineError(f"workers must be a positive integer (got {workers!r})")
    return n, s, w


def _precision_cap(config: ScenarioConfig, model: Model, max_replications: int | None) -> int:
    """``max_replications``, or the default cap (100 blocks) lowered in whole blocks until
    it fits the memory guard."""
    if max_replications is not None:
        return max_replications
    size = config.run.block_size
    n = min(default_cap(size), MAX_REPLICATIONS)
    limit = 0.8 * _available_memory()
    while n > size and estimate_memory(config, model, n) > limit:
        n = max(size, n // 2 // size * size)
    return n


def prepare(
    config: ScenarioConfig,
    model: Model,
    replications: int | None,
    seed: int | None,
    workers: int | None,
    design: Any,
    precision: Mapping[str, float] | None,
    max_replications: int | None,
    *,
    streamed: bool = False,
) -> tuple[Plan, int, dict[str, float] | None, list[str]]:
    """Check the arguments of :func:`scenario.engine.runner.run` together and plan the run.

    Parameters
    ----------
    config : ScenarioConfig
        The scenario (already checked against ``model``).
    model : Model
        The model that runs.
    replications, seed, workers : int, optional
        As given to ``run`` (``None``: the config's, or serial).
    design : mapping or DataFrame-like, optional
        Input rows (:func:`scenario.engine.design.check_design`).
    precision : mapping of str to float, optional
        Target half-widths (:func:`scenario.engine.precision.check_targets`).
    max_replications : int, optional
        Cap of a precision run; default 100 blocks, lowered in whole blocks to what
        memory allows.
    streamed : bool
        The blocks go to disk as they finish: memory is checked for that footprint
        (:func:`estimate_memory`).

    Returns
    -------
    tuple of (Plan, int, dict or None, list of str)
        The plan (for a precision run, over the cap), the workers, the targets (``None``
        for a plain run) and notes for the user.

    Raises
    ------
    EngineError
        Arguments that do not go together (precision with design or replications,
        max_replications without precision), a bad design, bad targets, seed or workers.
    ConfigError
        Replications (or the cap) out of range or too large for memory.
    """
    targets = None
    key = "replications"
    if precision is not None:
        if design is not None:
            raise EngineError(
                "precision cannot be combined with design: a design fixes the replications "
                "(got both)"
            )
        if replications is not None:
            raise EngineError(
                "replications cannot be combined with precision, which adds blocks until "
                f"the targets are met; bound it with max_replications (got {replications!r})"
            )
        targets = check_targets(precision, [o.name for o in model.outcomes])
        replications = _precision_cap(config, model, max_replications)
        key = "max_replications"
    elif max_replications is not None:
        raise EngineError(
            "max_replications bounds a precision run; give precision={outcome: half-width} "
            f"too (got max_replications={max_replications!r})"
        )
    columns = None
    if design is not None:
        declared = {p.key for p in model.parameters}
        sampled = [k for k in config.flat_parameters() if k in declared]
        columns, replications = check_design(design, sampled, replications)
    n, s, w = _check_arguments(config, model, replications, seed, workers, key, streamed)
    plan, notes = _make_plan(config, model, n, s, columns)
    return plan, w, targets, notes


def _make_plan(
    config: ScenarioConfig,
    model: Model,
    n: int,
    seed: int,
    design: dict[str, np.ndarray] | None = None,
) -> tuple[Plan, list[str]]:
    """What every block needs (the model, sizes, seed, the specs of its parameters, the
    design, the correlations to impose and the posterior's rows), and notes for the user."""
    declared_keys = {p.key for p in model.parameters}
    specs = {k: v for k, v in config.flat_parameters().items() if k in declared_keys}
    correlations, notes = _correlations_for(config, specs, design or {})
    plan = Plan(
        config=config,
        model=model,
        n=n,
        seed=seed,
        block_size=config.run.block_size,
        keep_series=min(n, config.run.series_replications),
        specs=specs,
        design=design or {},
        correlations=correlations,
        posterior=load_posterior(config),
    )
    return plan, notes


def _correlations_for(
    config: ScenarioConfig, specs: Mapping[str, Any], design: Mapping[str, np.ndarray]
) -> tuple[tuple[RankCorrelation, ...], list[str]]:
    """The correlations among the sampled parameters; a note for those left out because a
    parameter is not sampled (its submodel is not composed); an error for a design column."""
    kept: list[RankCorrelation] = []
    dropped = 0
    for i, corr in enumerate(config.correlations):
        fixed = [name for name in corr.between if name in design]
        if fixed:
            raise EngineError(
                f"parameter {fixed[0]!r} is given by the design and is correlated at "
                f"correlations[{i}] ({corr.between[0]}, {corr.between[1]}); a design sets "
                "its values exactly, so drop the column or the correlation"
            )
        if all(name in specs for name in corr.between):
            kept.append(corr)
        else:
            dropped += 1
    notes = []
    if dropped:
        notes.append(
            f"note: {dropped} correlation(s) between parameters this composition does not "
            "sample were ignored"
        )
    return tuple(kept), notes
