"""The ``--scheduler`` and ``--cluster`` options of ``scenario run``: its blocks on dask.

Kept apart from :mod:`scenario.cli` so the command stays short; dask itself is only
imported by :mod:`scenario.engine.distributed`, when one of the options is given.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from scenario.config.schema import ScenarioConfig

__all__ = ["ClusterOpt", "SchedulerOpt", "dask_executor"]

SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="Run the blocks on this running dask cluster (extra: distributed).",
        show_default=False,
    ),
]
ClusterOpt = Annotated[
    str | None,
    typer.Option(
        "--cluster",
        metavar="local",
        help="'local': run the blocks on a dask cluster of --workers processes on 127.0.0.1, "
        "started for this run (extra: distributed).",
        show_default=False,
    ),
]


def dask_executor(
    cfg: ScenarioConfig, scheduler: str | None, cluster: str | None, workers: int
) -> contextlib.AbstractContextManager[Executor | None]:
    """The dask executor of ``--scheduler`` or ``--cluster local`` (options and the extra
    checked now; the cluster joined or started on entry, closed on exit), else none.

    Raises
    ------
    EngineError
        A sweep config, or an error of
        :func:`scenario.engine.distributed.cluster_executor`.
    """
    if scheduler is None and cluster is None:
        return contextlib.nullcontext()
    from scenario.engine.distributed import cluster_executor
    from scenario.errors import EngineError

    if cfg.sweep:
        raise EngineError("--scheduler and --cluster do not run sweep configs; run without them")
    return cluster_executor(scheduler, cluster, workers)
