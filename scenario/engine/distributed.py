"""Running the engine's blocks on a ``dask.distributed`` cluster (the extra ``distributed``).

This is the only module that imports dask, and only inside its functions, so ``import
scenario`` never needs it. Install it with ``pip install "scenario[distributed]"`` on the
machine that runs ``scenario`` (the client), on the scheduler and on every worker, with the
same versions of ``scenario`` and its dependencies everywhere (:func:`connect` checks).

* :func:`connect` joins a running cluster (``dask scheduler`` and ``dask worker``) by its
  address, ``tcp://HOST:PORT``; :func:`local_cluster` starts a ``LocalCluster`` of worker
  processes on 127.0.0.1 and closes it afterwards. Both are context managers yielding a
  :class:`DaskExecutor` to pass to :func:`scenario.run` (``executor=``).
* The engine submits contiguous ranges of blocks, about four tasks per worker thread
  (:func:`scenario.engine.manifest.executor_slots`), never one task per replication. A block
  draws only from its own streams, so the results are bit-identical to a serial run.
* A worker that dies while running a task (out of memory, a crash) is replaced by its nanny
  and dask re-runs the task elsewhere, up to ``distributed.scheduler.allowed-failures``
  times (default 3). When dask gives up (``KilledWorker``), or the scheduler goes away, the
  run raises :class:`~scenario.errors.EngineError` naming the blocks, not a dask traceback.
* The manifest records ``executor: dask`` and the cluster's worker threads
  (:meth:`DaskExecutor.manifest_entry`).
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, InvalidStateError
from typing import Any

from scenario.errors import EngineError

__all__ = [
    "CONNECT_TIMEOUT",
    "INSTALL_HINT",
    "DaskExecutor",
    "check_versions",
    "cluster_executor",
    "connect",
    "local_cluster",
]

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a scheduler to answer, and for a cluster to have a worker."""

INSTALL_HINT = 'pip install "scenario[distributed]"'
"""What to install for dask (on the client, the scheduler and every worker)."""


def _require_distributed() -> Any:
    """The ``distributed`` package, or an :class:`EngineError` saying what to install."""
    try:
        import distributed
    except ImportError:
        raise EngineError(
            f"running on a dask cluster needs the 'distributed' extra: {INSTALL_HINT} "
            "(on this machine, the scheduler and every worker)"
        ) from None
    return distributed


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _describe_blocks(args: Sequence[Any]) -> str:
    """``"blocks 4-7 (replications 4,000-7,999)"`` for a task ``fn(plan, blocks)``."""
    blocks = args[1] if len(args) >= 2 else None
    if not isinstance(blocks, Sequence) or not blocks:
        return "a task"
    lo, hi = min(blocks), max(blocks)
    which = f"block {lo}" if lo == hi else f"blocks {lo}-{hi}"
    size, n = getattr(args[0], "block_size", None), getattr(args[0], "n", None)
    if isinstance(size, int) and isinstance(n, int):
        which += f" (replications {lo * size:,}-{min((hi + 1) * size, n) - 1:,})"
    return which


class DaskExecutor(Executor):
    """A :class:`concurrent.futures.Executor` running the engine's tasks on a dask client.

    Unlike ``client.get_executor()``, a task lost with its workers, or with the scheduler,
    fails with an :class:`~scenario.errors.EngineError` naming its blocks; tasks are
    submitted as impure (never merged with an identical earlier task) under readable keys
    (``scenario-blocks-LO-HI-...``); results are released on the cluster once fetched.

    Parameters
    ----------
    client : distributed.Client
        A connected client; the caller (or :func:`connect`, :func:`local_cluster`) owns it.
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self.address: str = str(client.scheduler.address)
        """The scheduler's address, ``tcp://HOST:PORT``."""
        self._pending: set[Any] = set()
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Run ``fn(*args, **kwargs)`` on the cluster (the engine: ``fn(plan, blocks)``)."""
        if self._closed:
            raise RuntimeError("cannot submit to a DaskExecutor after shutdown")
        what = _describe_blocks(args)
        blocks = args[1] if len(args) >= 2 and isinstance(args[1], Sequence) else ()
        span = f"{min(blocks)}-{max(blocks)}" if blocks else "task"
        key = f"scenario-blocks-{span}-{uuid.uuid4().hex}"
        result: Future[Any] = Future()  # cancelling it (before it is done) cancels the task
        task = self.client.submit(fn, *args, key=key, pure=False, **kwargs)
        with self._lock:
            self._pending.add(task)
        task.add_done_callback(lambda done: self._settle(done, result, what))
        result.add_done_callback(lambda mine: self._cancel(task) if mine.cancelled() else None)
        return result

    def _cancel(self, task: Any) -> None:
        with contextlib.suppress(Exception):
            task.cancel()

    def _settle(self, task: Any, result: Future[Any], what: str) -> None:
        """Pass a finished dask task's outcome on to ``result`` (in dask's callback thread)."""
        with self._lock:
            self._pending.discard(task)
        if result.cancelled():
            return
        try:
            if task.status == "finished":
                with contextlib.suppress(InvalidStateError):  # cancelled meanwhile
                    result.set_result(task.result())
                return
            error = task.exception() if task.status == "error" else None
        except BaseException as exc:  # the result could not be fetched: connection lost
            error = exc
        try:
            failure = self._translate(error, what)
        except Exception as exc:  # never leave the run waiting for this task
            failure = exc
        with contextlib.suppress(InvalidStateError):
            result.set_exception(failure)

    def _translate(self, error: BaseException | None, what: str) -> BaseException:
        """The exception a run raises for a task that failed with ``error`` on dask."""
        from distributed.scheduler import KilledWorker

        if isinstance(error, KilledWorker):
            return EngineError(
                f"{what}: the dask worker running them died and dask gave up after "
                "retrying them on other workers (distributed.scheduler.allowed-failures); "
                "a worker dies when it runs out of memory or its process crashes. Give the "
                "workers more memory, or run these replications serially to see the error"
            )
        if error is None or not isinstance(error, Exception) or _is_connection(error):
            reason = "the task was cancelled" if error is None else _one_line(error)
            return EngineError(
                f"{what}: lost on the dask cluster at {self.address} ({reason}); the "
                "scheduler went away or the client lost its connection to it"
            )
        return error  # the task's own exception (a ModelError, ...), as a pool raises it

    def manifest_entry(self) -> tuple[str, int]:
        """``("dask", worker threads of the cluster now)`` for the manifest (0 if unknown);
        read by :func:`scenario.engine.manifest.describe_executor`."""
        try:
            return "dask", sum(int(t) for t in self.client.nthreads().values())
        except Exception:  # a cluster that cannot answer: record the count as unknown
            return "dask", 0

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Refuse new tasks; cancel those still on the cluster (``cancel_futures``) or wait
        for them (``wait``). The client stays open: its owner closes it."""
        self._closed = True
        with self._lock:
            pending = list(self._pending)
        if not pending:
            return
        with contextlib.suppress(Exception):
            if cancel_futures:
                self.client.cancel(pending)
            elif wait:
                _require_distributed().wait(pending)


def _is_connection(error: BaseException) -> bool:
    from distributed.comm.core import CommClosedError

    return isinstance(error, CommClosedError | OSError | TimeoutError)


@contextlib.contextmanager
def _closing_quietly(thing: Any) -> Iterator[Any]:
    """Close ``thing`` (a client or a cluster) at exit without dask's log lines about the
    connections and tasks that closing drops (after Ctrl-C, or a scheduler gone)."""
    try:
        yield thing
    finally:
        handlers = logging.getLogger("distributed").handlers
        for handler in handlers:
            handler.addFilter(_drop)
        try:
            thing.close()
        finally:
            for handler in handlers:
                handler.removeFilter(_drop)


def _drop(record: logging.LogRecord) -> bool:
    return False


@contextlib.contextmanager
def _executor_of(client: Any) -> Iterator[DaskExecutor]:
    """A :class:`DaskExecutor` on ``client``, cancelling its unfinished tasks at exit."""
    executor = DaskExecutor(client)
    try:
        yield executor
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def check_versions(client: Any) -> None:
    """Refuse a cluster whose workers run other versions of ``scenario`` or of the packages
    the manifest records (results depend on them); Python must agree to the minor version.

    Raises
    ------
    EngineError
        One line naming the first worker and package that differ.
    """
    from scenario.engine.manifest import package_versions

    def comparable(versions: dict[str, str]) -> dict[str, str]:
        python = ".".join(versions.get("python", "").split(".")[:2])
        return {**versions, "python": python}

    here = comparable(package_versions())
    remote: dict[str, dict[str, str]] = client.run(package_versions)
    for worker, versions in sorted(remote.items()):
        there = comparable(versions)
        for pkg, version in here.items():
            if there.get(pkg) != version:
                raise EngineError(
                    f"dask worker {worker} has {pkg} {there.get(pkg)} but this machine has "
                    f"{version}: install the same versions everywhere ({INSTALL_HINT})"
                )


def _check_address(address: str) -> None:
    """Refuse an address dask cannot parse before trying to connect to it."""
    from distributed.comm.registry import backends

    found = re.fullmatch(r"(?:([a-z]+)://)?(\[[0-9a-fA-F:.]+\]|[^\s:/\[\]]+):(\d{1,5})", address)
    if found is None or (found.group(1) or "tcp") not in backends:
        raise EngineError(
            f"a dask scheduler's address is tcp://HOST:PORT, as `dask scheduler` prints it "
            f"(got {address!r})"
        )


@contextlib.contextmanager
def connect(address: str, *, timeout: float | None = None) -> Iterator[DaskExecutor]:
    """Connect to a running dask scheduler and yield an executor on its cluster.

    Parameters
    ----------
    address : str
        The scheduler's address, ``tcp://HOST:PORT`` (``dask scheduler`` prints it).
    timeout : float, optional
        Seconds to wait for the scheduler, and for it to have a worker (default
        :data:`CONNECT_TIMEOUT`).

    Yields
    ------
    DaskExecutor
        Pass it to :func:`scenario.run` as ``executor=``; the client is closed at exit.

    Raises
    ------
    EngineError
        dask is not installed, the scheduler cannot be reached, it has no worker, or the
        workers run other package versions (:func:`check_versions`).
    """
    distributed = _require_distributed()
    _check_address(address)
    wait = CONNECT_TIMEOUT if timeout is None else timeout
    try:
        client = distributed.Client(address, timeout=wait, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise EngineError(
            f"cannot reach the dask scheduler at {address} within {wait:g} s "
            f"({_one_line(exc)}); is `dask scheduler` running there and the port open?"
        ) from None
    with _closing_quietly(client):
        try:
            client.wait_for_workers(1, timeout=wait)
        except (OSError, TimeoutError) as exc:
            raise EngineError(
                f"the dask scheduler at {address} has no worker after {wait:g} s "
                f"({_one_line(exc)}); start some with `dask worker {address}`"
            ) from None
        check_versions(client)
        with _executor_of(client) as executor:
            yield executor


@contextlib.contextmanager
def local_cluster(workers: int, *, threads_per_worker: int = 1) -> Iterator[DaskExecutor]:
    """Start a dask ``LocalCluster`` on 127.0.0.1 and yield an executor on it.

    Worker processes (each with a nanny that replaces it if it dies), no dashboard, every
    port chosen free on 127.0.0.1; the cluster is closed at exit.

    Parameters
    ----------
    workers : int
        Worker processes, at least 1.
    threads_per_worker : int, optional
        Threads per worker (default 1: the models hold the GIL for much of their time).

    Yields
    ------
    DaskExecutor
        Pass it to :func:`scenario.run` as ``executor=``.

    Raises
    ------
    EngineError
        dask is not installed, or ``workers`` is not a positive integer.
    """
    distributed = _require_distributed()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise EngineError(f"a local dask cluster needs workers >= 1 (got {workers!r})")
    cluster = distributed.LocalCluster(
        n_workers=workers,
        threads_per_worker=threads_per_worker,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,  # no dashboard, and its HTTP server on a free port:
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # never 8787 (taken?)
    )
    with _closing_quietly(cluster):
        client = distributed.Client(cluster, set_as_default=False)
        with _closing_quietly(client):
            client.wait_for_workers(workers)
            with _executor_of(client) as executor:
                yield executor


def cluster_executor(
    scheduler: str | None, cluster: str | None, workers: int
) -> contextlib.AbstractContextManager[DaskExecutor]:
    """The executor of the CLI's ``--scheduler ADDRESS`` or ``--cluster local --workers N``.

    The options and the dask installation are checked now; the cluster is joined or started
    when the returned context is entered.

    Raises
    ------
    EngineError
        Both or neither option, ``--cluster`` other than ``local``, ``--workers`` with
        ``--scheduler``, or dask not installed.
    """
    if scheduler is not None and cluster is not None:
        raise EngineError("give --scheduler (an existing cluster) or --cluster local, not both")
    if scheduler is None and cluster is None:
        raise EngineError("give --scheduler tcp://HOST:PORT or --cluster local")
    if cluster is not None and cluster != "local":
        raise EngineError(f"--cluster must be 'local' (got {cluster!r})")
    if scheduler is not None and workers != 1:
        raise EngineError(
            "--workers sizes a --cluster local; an existing cluster (--scheduler) has the "
            "workers its `dask worker` commands started"
        )
    _require_distributed()
    return connect(scheduler) if scheduler is not None else local_cluster(workers)
