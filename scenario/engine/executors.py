"""Executors that run blocks of replications: serial (default) or a process pool.

Everything goes through :class:`concurrent.futures.Executor`, so any executor with that
interface works (a ``dask.distributed`` client's ``get_executor()`` included); the core never
imports dask. Tasks are contiguous ranges of blocks, a few per worker, never one task per
replication.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor

__all__ = ["make_executor"]


def make_executor(workers: int) -> Executor:
    """Return a process pool of ``workers`` processes (spawned, not forked).

    Spawned workers import the model afresh, so a model defined in a script must live at
    module level of an importable module or of the script guarded by
    ``if __name__ == "__main__":``.
    """
    if workers < 2:
        raise ValueError(f"workers must be >= 2 for a process pool (got {workers})")
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn")
    )
