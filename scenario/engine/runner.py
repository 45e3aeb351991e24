"""Running a scenario: blocks of replications, seeding, failures, progress.

``run(config)`` samples every uncertain parameter and runs the model in fixed-size blocks.
Block ``b`` covers replications ``b*B .. min((b+1)*B, n)-1`` and draws only from its own
streams (:mod:`scenario.engine.rng`), so results are identical for any worker count. A block
whose model call raises is re-run one replication at a time; the replications that still
raise, or return a non-finite outcome, are recorded as failures (index and message) and
their outcomes are NaN. The run always finishes and reports how many failed.

One block is run by :mod:`scenario.engine.blocks`; this module checks the arguments, plans
the blocks, runs them serially or on an executor, and assembles the :class:`Results`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import numpy as np

from scenario.config.locations import issue_at
from scenario.config.schema import MAX_REPLICATIONS, ScenarioConfig
from scenario.engine.blocks import BlockResult, Plan, run_block, run_task
from scenario.engine.executors import make_executor
from scenario.engine.manifest import build_manifest
from scenario.errors import ConfigError, ConfigIssue, EngineError
from scenario.models.protocol import Model
from scenario.models.registry import default_registry
from scenario.results import Failure, OutcomeMeta, Results

__all__ = ["ProgressCallback", "check_config", "estimate_memory", "resolve_model", "run"]

ProgressCallback = Callable[[int, int], None]
"""``progress(done, total)``: replications finished so far and in all."""


def resolve_model(config: ScenarioConfig, model: Model | None = None) -> Model:
    """The model ``config`` runs: ``model`` or the registered ``config.model``, restricted
    to ``config.submodels`` when given.

    Raises
    ------
    ConfigError
        ``submodels`` names an unknown submodel, or the model is not a composition.
    """
    mdl = model if model is not None else default_registry().get(config.model)
    if config.submodels is None:
        return mdl
    with_submodels = getattr(mdl, "with_submodels", None)
    if with_submodels is None:
        raise ConfigError(
            issue_at(
                config,
                ("submodels",),
                f"model {mdl.name!r} is not composed of submodels; remove submodels",
            )
        )
    from scenario.models.registry import submodel_registry

    reg = submodel_registry()
    issues: list[ConfigIssue] = []
    for i, name in enumerate(config.submodels):
        if name not in reg:
            close = difflib.get_close_matches(name, reg.names(), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            issues.append(
                issue_at(
                    config,
                    ("submodels", i),
                    f"unknown submodel; {hint}registered: {', '.join(reg.names())} (got {name!r})",
                )
            )
    if not config.submodels:
        issues.append(issue_at(config, ("submodels",), "must name at least one submodel"))
    if issues:
        raise ConfigError(issues)
    composed: Model = with_submodels(list(config.submodels))
    return composed


def check_config(config: ScenarioConfig, model: Model) -> list[str]:
    """Check that ``config.parameters`` holds the parameters ``model`` declares, and any
    config issue the model itself can see (for a composition: triggers on undeclared
    events).

    Parameters of submodels known to a composition but not in it are ignored (not
    sampled); the returned notes say so, in one line.

    Returns
    -------
    list of str
        Notes for the user (may be empty).

    Raises
    ------
    ConfigError
        One located issue per missing or unknown parameter, or per model-level issue.
    """
    declared = {p.key: p for p in model.parameters}
    ignorable: frozenset[str] = getattr(model, "ignored_parameters", frozenset())
    given = config.flat_parameters()
    issues: list[ConfigIssue] = []
    for key, info in declared.items():
        if key not in given:
            issues.append(
                issue_at(
                    config,
                    ("parameters", info.group, info.name),
                    f"required by model {model.name!r} ({info.meaning}, {info.unit}) but "
                    "missing: give a distribution with source, as_of and confidence",
                    value=False,
                )
            )
    ignored = sorted(k for k in given if k not in declared and k in ignorable)
    for key in given:
        if key not in declared and key not in ignorable:
            group, name = key.split(".", 1)
            close = difflib.get_close_matches(key, list(declared), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            issues.append(
                issue_at(
                    config,
                    ("parameters", group, name),
                    f"unknown parameter for model {model.name!r}{hint}",
                    value=False,
                )
            )
    model_issues = getattr(model, "config_issues", None)
    if model_issues is not None:
        for path, message in model_issues(config):
            issues.append(issue_at(config, path, message))
    if issues:
        raise ConfigError(issues)
    notes: list[str] = []
    if ignored:
        groups = sorted({k.split(".", 1)[0] for k in ignored})
        notes.append(
            f"note: {len(ignored)} parameters of submodels not in this composition were "
            f"ignored (groups: {', '.join(groups)})"
        )
    return notes


def estimate_memory(config: ScenarioConfig, model: Model, replications: int) -> int:
    """Bytes the results of ``replications`` will hold (outcomes, inputs, kept series)."""
    per_rep = (len(model.outcomes) + len(model.parameters)) * 8
    keep = min(replications, config.run.series_replications)
    series = keep * config.horizon_days * len(model.series) * 4
    block = min(replications, config.run.block_size)
    working = block * config.horizon_days * 8 * 4 + block * per_rep * 4
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


def _replication_issue(config: ScenarioConfig, from_arg: bool, message: str) -> ConfigError:
    if from_arg:
        return ConfigError(ConfigIssue("<argument>", 0, 0, "replications", message))
    return ConfigError(issue_at(config, ("run", "replications"), message))


def _chunks(n_blocks: int, n_tasks: int) -> Iterator[range]:
    per = math.ceil(n_blocks / max(n_tasks, 1))
    for lo in range(0, n_blocks, per):
        yield range(lo, min(lo + per, n_blocks))


def _check_arguments(
    config: ScenarioConfig,
    model: Model,
    replications: int | None,
    seed: int | None,
    workers: int | None,
) -> tuple[int, int, int]:
    """``(replications, seed, workers)`` to run with, after checking each and the memory
    the replications need."""
    from_arg = replications is not None
    n = config.run.replications if replications is None else replications
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_REPLICATIONS:
        raise _replication_issue(
            config, from_arg, f"must be an integer in [1, {MAX_REPLICATIONS:,}] (got {n!r})"
        )
    need = estimate_memory(config, model, n)
    avail = _available_memory()
    if need > 0.8 * avail:
        raise _replication_issue(
            config,
            from_arg,
            f"{n:,} replications need about {need / 2**30:.1f} GiB for outcomes, inputs and "
            f"series, but only {avail / 2**30:.1f} GiB is available; lower the replications "
            f"or run.series_replications (got {n})",
        )
    s = config.run.seed if seed is None else seed
    if isinstance(s, bool) or not isinstance(s, int) or not 0 <= s < 2**63:
        raise EngineError(f"seed must be an integer in [0, 2**63) (got {s!r})")
    w = 1 if workers is None else workers
    if isinstance(w, bool) or not isinstance(w, int) or w < 1:
        raise EngineError(f"workers must be a positive integer (got {workers!r})")
    return n, s, w


def _make_plan(config: ScenarioConfig, model: Model, n: int, seed: int) -> Plan:
    """What every block needs: the model, sizes, seed and the specs of its parameters."""
    declared_keys = {p.key for p in model.parameters}
    return Plan(
        config=config,
        model=model,
        n=n,
        seed=seed,
        block_size=config.run.block_size,
        keep_series=min(n, config.run.series_replications),
        specs={k: v for k, v in config.flat_parameters().items() if k in declared_keys},
    )


@dataclass
class _Collected:
    """The run's arrays, filled in block by block (in any order)."""

    outcomes: dict[str, np.ndarray]
    inputs: dict[str, np.ndarray]
    series: dict[str, np.ndarray]
    failures: list[Failure]
    done: int = 0

    @classmethod
    def empty(cls, plan: Plan) -> _Collected:
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
        sl = slice(res.start, res.start + res.size)
        for k in self.outcomes:
            self.outcomes[k][sl] = res.outcomes[k]
        for k in self.inputs:
            self.inputs[k][sl] = res.inputs[k]
        for k, arr in res.series.items():
            self.series[k][res.start : res.start + arr.shape[0]] = arr
        self.failures.extend(res.failures)
        self.done += res.size


def _execute(
    plan: Plan,
    workers: int,
    executor: Executor | None,
    progress: ProgressCallback | None,
) -> _Collected:
    """Run every block, serially or as tasks on an executor, and collect the results."""
    acc = _Collected.empty(plan)
    n_blocks = math.ceil(plan.n / plan.block_size)
    own_pool = executor is None and workers > 1
    pool = make_executor(workers) if own_pool else executor
    try:
        if pool is None:
            for b in range(n_blocks):
                acc.add(run_block(plan, b))
                if progress is not None:
                    progress(acc.done, plan.n)
        else:
            tasks = 4 * (workers if executor is None else max(os.cpu_count() or 1, 1))
            futures: list[Future[list[BlockResult]]] = [
                pool.submit(run_task, plan, list(chunk)) for chunk in _chunks(n_blocks, tasks)
            ]
            for fut in futures:
                for res in fut.result():
                    acc.add(res)
                if progress is not None:
                    progress(acc.done, plan.n)
    except BrokenProcessPool as exc:
        raise EngineError(
            f"a worker process died during the run ({exc}); nothing was returned. "
            "Re-run with workers=1 to see the model's own error."
        ) from None
    finally:
        if own_pool and pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    acc.failures.sort(key=lambda f: f.index)
    return acc


def _assemble(
    plan: Plan,
    acc: _Collected,
    *,
    workers: int,
    notes: list[str],
    started: dt.datetime,
    finished: dt.datetime,
) -> Results:
    """The :class:`Results` of a finished run, with its manifest."""
    config, mdl = plan.config, plan.model
    dates = np.datetime64(config.start_date, "D") + np.arange(config.horizon_days)
    manifest = build_manifest(
        config,
        model_name=mdl.name,
        outcomes=[o.model_dump() for o in mdl.outcomes],
        series=[x.model_dump() for x in mdl.series],
        n=plan.n,
        seed=plan.seed,
        workers=workers,
        started=started,
        finished=finished,
        n_failures=len(acc.failures),
        notes=notes,
    )
    return Results(
        config=config,
        outcomes=acc.outcomes,
        inputs=acc.inputs,
        series=acc.series if plan.keep_series else {},
        dates=dates,
        failures=tuple(acc.failures),
        manifest=manifest,
        outcome_info=tuple(
            OutcomeMeta(name=o.name, unit=o.unit, description=o.description, direction=o.direction)
            for o in mdl.outcomes
        ),
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
        Called as ``progress(done, total)`` after each finished block or task.
    model : Model, optional
        Use this model object instead of looking ``config.model`` up in the registry.
    executor : concurrent.futures.Executor, optional
        Run tasks on this executor (for example a dask client's ``get_executor()``);
        the caller owns it. Overrides ``workers``.

    Returns
    -------
    Results
        Per-replication outcomes and sampled inputs, kept daily series, failures, manifest.

    Raises
    ------
    ConfigError
        The config does not fit the model, or the replications cannot fit in memory.
    EngineError
        Bad arguments, or a worker process died.
    ModelError
        The model broke the model protocol (wrong output shapes, unknown name).
    """
    if not isinstance(config, ScenarioConfig):
        raise EngineError(
            f"config must be a ScenarioConfig (got {type(config).__name__}); "
            "use scenario.load_config(path)"
        )
    mdl = resolve_model(config, model)
    notes = check_config(config, mdl)
    n, s, w = _check_arguments(config, mdl, replications, seed, workers)
    plan = _make_plan(config, mdl, n, s)
    started = dt.datetime.now(dt.UTC)
    acc = _execute(plan, w, executor, progress)
    finished = dt.datetime.now(dt.UTC)
    return _assemble(plan, acc, workers=w, notes=notes, started=started, finished=finished)
