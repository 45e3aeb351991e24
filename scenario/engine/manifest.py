"""The manifest stored beside results: everything needed to reproduce and audit a run.

:func:`build_manifest` takes plain data (the config, the outcome and series metadata as
dicts, the model's name, run settings, notes) and returns a JSON-ready dict: format version,
scenario and model name, replications, seed, block size, executor and workers, failures,
notes, start and finish times, :func:`config_hash`, the files the config came from, package
versions, the outcome and series metadata, the assumptions register and the resolved config
*as run* (``run.replications`` and ``run.seed`` are those used, whatever overrode them).

Package versions are looked up once per process (``importlib.metadata`` scans the
installed distributions on every call, which cost about 7.5 ms per run).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
import os
import platform
from collections.abc import Mapping, Sequence
from typing import Any

from scenario.config.distributions import describe, is_assumption
from scenario.config.schema import ScenarioConfig
from scenario.results import FORMAT_VERSION, as_run

__all__ = [
    "VERSIONED_PACKAGES",
    "build_manifest",
    "config_hash",
    "describe_executor",
    "executor_slots",
    "package_versions",
]

VERSIONED_PACKAGES: tuple[str, ...] = (
    "scenario",
    "numpy",
    "scipy",
    "pydantic",
    "simpy",
    "pyarrow",
    "ruamel.yaml",
    "typer",
)
"""Distributions whose versions every manifest records (besides Python's)."""


def config_hash(config: ScenarioConfig) -> str:
    """SHA-256 of the canonical JSON of the resolved config.

    Parameters
    ----------
    config : ScenarioConfig
        The resolved config; where its keys were written does not enter the hash.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    text = json.dumps(config.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def _distribution_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def package_versions() -> dict[str, str]:
    """Versions of Python and of :data:`VERSIONED_PACKAGES` (cached per process).

    Returns
    -------
    dict of str to str
        ``{"python": "3.11.9", "numpy": "2.1.0", ...}``; a missing package is
        ``"not installed"``. A new dict on every call.
    """
    out = {"python": platform.python_version()}
    for pkg in VERSIONED_PACKAGES:
        out[pkg] = _distribution_version(pkg)
    return out


def describe_executor(executor: Any, workers: int) -> tuple[str, int]:
    """What ran a run's blocks and with how many workers, for the manifest.

    Parameters
    ----------
    executor : concurrent.futures.Executor or None
        A caller's executor (``None``: the run's own pool, or serial).
    workers : int
        The ``workers`` the run was given.

    Returns
    -------
    tuple of (str, int)
        ``("serial", 1)``, ``("processes", workers)``, or for an executor its kind
        (``"dask"`` for a dask client's executor, else the class name) and its workers
        (a dask cluster's worker threads, else ``_max_workers`` where the executor has one;
        0 when unknown). An executor with a ``manifest_entry()`` method (such as
        :class:`scenario.engine.distributed.DaskExecutor`) says it itself.
    """
    if executor is None:
        return ("serial", 1) if workers <= 1 else ("processes", workers)
    entry = getattr(executor, "manifest_entry", None)
    if callable(entry):
        kind, count = entry()
        return str(kind), int(count)
    kind = type(executor).__name__
    client = getattr(executor, "_client", None)
    if client is not None and type(executor).__module__.startswith("distributed"):
        try:
            info = client.scheduler_info()["workers"]
            count = sum(int(w.get("nthreads", 1)) for w in info.values())
        except Exception:  # a dask client that cannot answer: record it as unknown
            count = 0
        return "dask", count
    count = getattr(executor, "_max_workers", 0)
    return kind, count if isinstance(count, int) else 0


def executor_slots(executor: Any) -> int:
    """Tasks a caller's ``executor`` runs at once, to size the engine's tasks: its workers
    by :func:`describe_executor`, or this machine's CPU count when unknown."""
    count = describe_executor(executor, 1)[1]
    return count if count > 0 else max(os.cpu_count() or 1, 1)


def build_manifest(
    config: ScenarioConfig,
    *,
    model_name: str,
    outcomes: Sequence[Mapping[str, Any]],
    series: Sequence[Mapping[str, Any]],
    n: int,
    seed: int,
    workers: int,
    started: dt.datetime,
    finished: dt.datetime,
    n_failures: int,
    notes: Sequence[str] = (),
    executor: str | None = None,
) -> dict[str, Any]:
    """The manifest stored beside results: everything needed to reproduce them.

    Parameters
    ----------
    config : ScenarioConfig
        The resolved config that was run.
    model_name : str
        Name of the model that ran.
    outcomes : sequence of mappings
        One ``{"name", "unit", "description", "direction"}`` per outcome, in column order.
    series : sequence of mappings
        One ``{"name", "unit", "description"}`` per daily series the model declares.
    n : int
        Replications run.
    seed : int
        Root seed.
    workers : int
        Workers used (results do not depend on it; :func:`describe_executor`).
    started, finished : datetime
        When the run started and finished (timezone-aware).
    n_failures : int
        Replications that failed.
    notes : sequence of str
        Remarks about the run for the reader (for example ignored parameters); default none.
    executor : str, optional
        What ran the blocks; default ``"serial"`` for one worker, else ``"processes"``.

    Returns
    -------
    dict
        JSON-ready; :meth:`scenario.results.Results.save` writes it as ``manifest.json``.
    """
    config = as_run(config, n, seed)  # the config as run: its replications and seed
    smap = config.locations
    files = list(smap.files) if smap is not None else []
    return {
        "format_version": FORMAT_VERSION,
        "name": config.name,
        "model": model_name,
        "replications": n,
        "seed": seed,
        "block_size": config.run.block_size,
        "executor": executor or ("serial" if workers == 1 else "processes"),
        "workers": workers,
        "failures": n_failures,
        "notes": [str(note) for note in notes],
        "started": started.isoformat(),
        "finished": finished.isoformat(),
        "config_hash": config_hash(config),
        "config_files": files,
        "versions": package_versions(),
        "outcomes": [dict(o) for o in outcomes],
        "series": [dict(s) for s in series],
        "parameters": {
            key: {
                "distribution": describe(spec),
                "source": spec.source,
                "as_of": spec.as_of.isoformat(),
                "confidence": spec.confidence,
                "assumption": is_assumption(spec),
            }
            for key, spec in config.flat_parameters().items()
        },
        "config": config.model_dump(mode="json"),
    }
