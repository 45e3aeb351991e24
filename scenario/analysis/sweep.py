"""Sweeps over levers: run a config at every point of its ``sweep:`` grid, on one seed.

A config's ``sweep:`` block (:mod:`scenario.config.sweep`) maps dotted lever keys to lists
of values; the points are the cartesian product of the lists in key order (the last key
varies fastest). Each point is the config with its values applied through the loader's
override mechanism (:func:`scenario.config.loader.apply_overrides`), so a value the lever
refuses is a ``ConfigError`` located at that value in the ``sweep:`` block; the
``sweep:`` block itself is removed, and the point's name is ``NAME[key=value]``. Every
point runs on the same seed and replications, so the points are paired on common random
numbers (replication ``i`` of every point sees the same uncertain inputs), and their
differences are the effect of the levers.

:func:`run_configs` runs several configs, in parallel when ``workers > 1``: every run's
blocks go to one shared process pool, so a comparison of many single-block runs (the
baseline's 10,000 replications are one block) uses every worker. Results do not depend on
the number of workers.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from scenario.config.sweep import point_name
from scenario.errors import ConfigError, ConfigIssue, EngineError, ResultsError

if TYPE_CHECKING:
    from scenario.config.objectives import Objectives
    from scenario.config.schema import ScenarioConfig
    from scenario.results import Results

__all__ = [
    "Sweep",
    "SweepPoint",
    "gather_runs",
    "run_configs",
    "run_sweep",
    "sweep_configs",
    "sweep_grid",
]


class SweepPoint(NamedTuple):
    """One point of a sweep: the lever values it sets, and its results."""

    coordinates: dict[str, Any]
    results: Results


@dataclass(frozen=True, eq=False)
class Sweep:
    """The runs of every point of a config's sweep, on the same seed and replications.

    Attributes
    ----------
    config : ScenarioConfig
        The config with the ``sweep:`` block.
    keys : tuple of str
        The swept lever keys, in order.
    points : tuple of SweepPoint
        ``(coordinates, results)`` per point, in grid order (the first is the base of a
        comparison; see :meth:`with_base`).
    """

    config: ScenarioConfig
    keys: tuple[str, ...]
    points: tuple[SweepPoint, ...]

    def name(self, point: SweepPoint | Mapping[str, Any] | int) -> str:
        """Name of a point, e.g. ``"policy.msam.batteries=2"``.

        Parameters
        ----------
        point : SweepPoint, mapping or int
            A point, its coordinates, or its index in :attr:`points`.

        Returns
        -------
        str
            ``key=value`` pairs joined by ``", "``.
        """
        if isinstance(point, int):
            point = self.points[point]
        coords = point.coordinates if isinstance(point, SweepPoint) else point
        return point_name(dict(coords))

    def names(self) -> list[str]:
        """Names of every point, in order."""
        return [self.name(p) for p in self.points]

    def results_by_name(self) -> dict[str, Results]:
        """``{point name: Results}`` in point order (for :func:`scenario.robustness`)."""
        return {self.name(p): p.results for p in self.points}

    def with_base(self, point: str | int) -> Sweep:
        """The same sweep with ``point`` (name or index) first, as the comparison's base.

        Raises
        ------
        ResultsError
            No point has that name or index.
        """
        from scenario.errors import ResultsError

        names = self.names()
        if isinstance(point, str):
            if point not in names:
                raise ResultsError(f"no sweep point {point!r} (points: {'; '.join(names)})")
            index = names.index(point)
        elif 0 <= point < len(self.points):
            index = point
        else:
            raise ResultsError(f"point index must be in [0, {len(self.points)}) (got {point!r})")
        rest = [p for i, p in enumerate(self.points) if i != index]
        return replace(self, points=(self.points[index], *rest))


def sweep_grid(config: ScenarioConfig) -> list[dict[str, Any]]:
    """Coordinates of every point of ``config.sweep``: the cartesian product, in key order.

    Returns
    -------
    list of dict
        One ``{lever key: value}`` per point; empty if the config has no sweep.
    """
    keys = list(config.sweep)
    if not keys:
        return []
    return [
        dict(zip(keys, combo, strict=True)) for combo in itertools.product(*config.sweep.values())
    ]


def _point_config(config: ScenarioConfig, coords: dict[str, Any]) -> ScenarioConfig:
    """``config`` without its sweep block and with ``coords`` applied as located overrides."""
    from scenario.config.loader import Document, apply_overrides, config_from_dict
    from scenario.config.locations import SourceMap

    smap = config.locations or SourceMap()
    data = config.model_dump(mode="json")
    data.pop("sweep", None)
    data["name"] = f"{config.name}[{point_name(coords)}]"  # saved points stay distinct
    doc = Document(data, SourceMap(dict(smap.locations), smap.root, smap.files))
    texts = [f"{k}={json.dumps(v, default=str)}" for k, v in coords.items()]
    new = apply_overrides(doc, texts)
    locs = dict(new.source_map.locations)
    for key, value in coords.items():
        parts = tuple(key.split("."))
        index = config.sweep[key].index(value)
        where = smap.locations.get(("sweep", key, index))
        if where is not None:
            for path in [p for p in locs if p[: len(parts)] == parts]:
                locs[path] = where
    try:
        return config_from_dict(
            new.data, source_map=SourceMap(locs, smap.root, new.source_map.files)
        )
    except ConfigError as exc:
        name = point_name(coords)
        raise ConfigError(
            [
                ConfigIssue(i.file, i.line, i.column, i.key, f"{i.message} in sweep point {name}")
                for i in exc.issues
            ]
        ) from None


def sweep_configs(config: ScenarioConfig) -> list[tuple[dict[str, Any], ScenarioConfig]]:
    """The config of every point of ``config.sweep``, validated before anything runs.

    Parameters
    ----------
    config : ScenarioConfig
        A config with a ``sweep:`` block.

    Returns
    -------
    list of (dict, ScenarioConfig)
        Coordinates and config of each point, in grid order; each config has no ``sweep:``.

    Raises
    ------
    EngineError
        The config has no ``sweep:`` block.
    ConfigError
        A value does not fit its lever; located at that value in the ``sweep:`` block.
    """
    if not config.sweep:
        raise EngineError(
            f"config {config.name!r} has no sweep: block; add one (sweep: "
            "{policy.msam.batteries: [1, 2, 4]}) or run it with scenario.run"
        )
    return [(coords, _point_config(config, coords)) for coords in sweep_grid(config)]


def run_configs(
    configs: Sequence[ScenarioConfig],
    *,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
) -> list[Results]:
    """Run several configs, their blocks sharing one process pool when ``workers > 1``.

    Parameters
    ----------
    configs : sequence of ScenarioConfig
        Configs to run (none may have a ``sweep:`` block).
    replications, seed : int, optional
        Override every config's ``run.replications`` and ``run.seed``.
    workers : int, optional
        Worker processes shared by all the runs; None or 1 runs them one after the other.

    Returns
    -------
    list of Results
        In the order of ``configs``; identical for any ``workers``.

    Raises
    ------
    EngineError
        ``workers`` is not a positive integer, or a run failed to complete.
    """
    from scenario.engine.runner import run
    from scenario.models.registry import default_registry

    w = 1 if workers is None else workers
    if isinstance(w, bool) or not isinstance(w, int) or w < 1:
        raise EngineError(f"workers must be a positive integer (got {workers!r})")
    if w == 1 or len(configs) < 2:
        return [run(c, replications=replications, seed=seed, workers=w) for c in configs]
    from scenario.engine.executors import make_executor

    default_registry()  # build the registry once, before the threads look models up
    pool = make_executor(w)
    try:
        with ThreadPoolExecutor(max_workers=len(configs)) as threads:
            futures = [
                threads.submit(
                    run, c, replications=replications, seed=seed, workers=w, executor=pool
                )
                for c in configs
            ]
            return [f.result() for f in futures]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_sweep(
    config: ScenarioConfig,
    *,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
) -> Sweep:
    """Run every point of ``config.sweep`` on the same seed and replications.

    Also available as ``scenario.run_sweep``.

    Parameters
    ----------
    config : ScenarioConfig
        A config with a ``sweep:`` block (:func:`scenario.load_config`).
    replications : int, optional
        Overrides ``config.run.replications`` for every point.
    seed : int, optional
        Overrides ``config.run.seed`` for every point.
    workers : int, optional
        Worker processes shared by the points (results do not depend on it).

    Returns
    -------
    Sweep
        The points as ``(coordinates, Results)``, in grid order.

    Raises
    ------
    EngineError
        The config has no ``sweep:`` block, or bad ``workers``.
    ConfigError
        A swept value does not fit its lever (located in the ``sweep:`` block), or a point's
        config does not fit the model.
    """
    points = sweep_configs(config)
    results = run_configs(
        [cfg for _, cfg in points], replications=replications, seed=seed, workers=workers
    )
    return Sweep(
        config=config,
        keys=tuple(config.sweep),
        points=tuple(SweepPoint(c, r) for (c, _), r in zip(points, results, strict=True)),
    )


def _expand(source: Any, index: int) -> list[tuple[str, ScenarioConfig | Results]]:
    """``(name, config or results)`` of each option a source stands for."""
    from scenario.config.loader import load_config
    from scenario.config.schema import ScenarioConfig
    from scenario.results import Results, load_results

    if isinstance(source, Sweep):
        return [(source.name(p), p.results) for p in source.points]
    if isinstance(source, Results):
        return [(source.config.name, source)]
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.is_dir():
            res = load_results(path)
            return [(res.config.name, res)]
        source = load_config(path)
    if isinstance(source, ScenarioConfig):
        if source.sweep:
            return [(point_name(c), cfg) for c, cfg in sweep_configs(source)]
        return [(source.name, source)]
    raise ResultsError(
        f"option {index}: expected a ScenarioConfig, Results, Sweep, a YAML file or a results "
        f"directory (got {type(source).__name__}: {source!r})"
    )


def _check_outcomes(
    base: ScenarioConfig | Results, outcomes: Sequence[str], objectives: Objectives | None
) -> None:
    """Refuse unknown outcome names before anything runs."""
    from scenario.analysis.objectives import check_names
    from scenario.engine.runner import resolve_model
    from scenario.results import Results

    if isinstance(base, Results):
        declared, cfg = list(base.outcomes), base.config
    else:
        declared, cfg = [o.name for o in resolve_model(base).outcomes], base
    from scenario.analysis.objectives import restrict_objectives

    objs = objectives if objectives is not None else cfg.objectives
    objs, _ = restrict_objectives(objs, declared)
    check_names([*outcomes, *objs.thresholds], declared, list(objs.weighted))


def _unique(names: list[str]) -> list[str]:
    """``names`` with repeats made unique by a suffix ``#2``, ``#3``, ..."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    return out


def _settings(
    items: list[tuple[str, ScenarioConfig | Results]],
    replications: int | None,
    seed: int | None,
) -> tuple[int, int, int, str]:
    """``(replications, seed, block_size, origin)`` every option must share."""
    from scenario.results import Results

    loaded = [(n, r) for n, r in items if isinstance(r, Results)]
    configs = [c for _, c in items if not isinstance(c, Results)]
    if loaded:
        name, first = loaded[0]
        n, s, b = first.replications, int(first.manifest["seed"]), first.manifest["block_size"]
        origin = f"from the results {name!r}"
    else:
        cfg = configs[0]
        n, s, b, origin = cfg.run.replications, cfg.run.seed, cfg.run.block_size, "of the base"
    if replications is not None or seed is not None:
        origin = "from the arguments"
    n = n if replications is None else replications
    s = s if seed is None else seed
    return n, s, int(b), origin


def gather_runs(
    sources: Sequence[Any],
    *,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    outcomes: Sequence[str] | None = None,
    objectives: Objectives | None = None,
) -> tuple[dict[str, Results], list[str]]:
    """Load or run every option on one seed and replications (for ``compare_options``).

    Parameters
    ----------
    sources : sequence
        Each a ScenarioConfig (a sweep stands for its points), Results, Sweep, YAML path or
        results directory; the first is the base.
    replications, seed : int, optional
        For every run; default those of the first loaded results, else of the base config.
    workers : int, optional
        Worker processes shared by the runs.
    outcomes : sequence of str, optional
        Names checked, with the thresholds', against the base's outcomes and weighted
        objectives before anything runs.
    objectives : Objectives, optional
        Where weighted objectives are declared; default the base config's.

    Returns
    -------
    tuple of (dict of str to Results, list of str)
        The runs by unique option name (the base first), and notes on what was adjusted.

    Raises
    ------
    ResultsError
        Loaded results were run with another seed or replications (the message names them),
        or an outcome is unknown.
    """
    from scenario.results import Results

    items = [item for i, src in enumerate(sources) for item in _expand(src, i)]
    _check_outcomes(items[0][1], outcomes or [], objectives)
    names = _unique([n for n, _ in items])
    n, s, block, origin = _settings(items, replications, seed)
    notes: list[str] = []
    to_run: dict[str, ScenarioConfig] = {}
    for name, (_, item) in zip(names, items, strict=True):
        if isinstance(item, Results):
            got = (item.replications, int(item.manifest["seed"]))
            if got != (n, s):
                raise ResultsError(
                    f"results {name!r} were run with {got[0]:,} replications and seed {got[1]}, "
                    f"but the comparison uses {n:,} and seed {s} ({origin}); re-run them with "
                    "these, or pass replications= and seed= to match them"
                )
            continue
        if item.run.block_size != block:
            notes.append(
                f"note: {name!r} ran with block_size {block} (its config says "
                f"{item.run.block_size}) so that its draws pair with the others"
            )
        run_settings = item.run.model_copy(update={"block_size": block, "series_replications": 0})
        to_run[name] = item.model_copy(update={"run": run_settings})
    ran = dict(
        zip(
            to_run,
            run_configs(list(to_run.values()), replications=n, seed=s, workers=workers),
            strict=True,
        )
    )
    runs = {
        name: item if isinstance(item, Results) else ran[name]
        for name, (_, item) in zip(names, items, strict=True)
    }
    return runs, notes
