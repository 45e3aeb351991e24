r"""Executors that run blocks of replications, and the progress they report.

Everything goes through :class:`concurrent.futures.Executor`, so any executor with that
interface works (a ``dask.distributed`` client's ``get_executor()`` included); the core never
imports dask. Tasks are contiguous ranges of blocks, a few per worker, never one task per
replication.

**Progress within a block.** While the engine simulates a block it installs a *block hook*
(:func:`progress_hook` returns it, or ``None``). A model may call it as
``hook(first_index, n, done)``: of the ``n`` replications from global index ``first_index``
that its current ``simulate`` call runs, ``done`` replication-equivalents are finished (the
daily composition reports :math:`n\,(t+1)/H` after day :math:`t` of a horizon of :math:`H`
days). :class:`ProgressTracker` turns these reports into the run's ``progress(done, total)``:

.. math:: \mathrm{done} = \sum_{b\ \mathrm{finished}} n_b
          + \sum_{b\ \mathrm{under\ way}} \min\bigl(n_b,\ \max_{\mathrm{reports}}
          (i_0 - s_b + \mathrm{done})\bigr)

with :math:`s_b, n_b` the start and size of block :math:`b` and :math:`i_0` a report's
``first_index``. Each term only grows (a block re-run in sub-blocks after a failure
cannot lower it), so ``done`` is monotone, and it equals ``total`` when every block
is finished. Reports inside a block are passed on at most once per :data:`PROGRESS_INTERVAL`
seconds; a finished block is always passed on. In the process pool, workers send their
reports through a queue given to them when the pool starts (:func:`make_executor`), and the
engine drains it while it waits for tasks; a caller's own executor gets progress per task
only. The hook never touches a random stream, so results do not depend on it.

**Stopping.** While the engine runs its own pool, :func:`stop_pool_on_signals` turns SIGTERM
and SIGINT into terminating the workers and unwinding the run (a second signal exits at
once). Workers ignore SIGINT (the terminal sends Ctrl-C to the whole process group; the
main process decides) and exit by themselves within :data:`PARENT_POLL` seconds when the
main process dies, even by ``kill -9``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue as queue_module
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextvars import ContextVar
from typing import Any

from scenario.engine.blocks import BlockResult, Plan, run_block

__all__ = [
    "PROGRESS_INTERVAL",
    "BlockHook",
    "ProgressTracker",
    "WorkerPool",
    "installed_hook",
    "make_executor",
    "progress_hook",
    "reporting_task",
    "stop_pool_on_signals",
    "terminate_workers",
    "worker_pool",
]

BlockHook = Callable[[int, int, float], None]
"""``hook(first_index, n, done)``: ``done`` of the ``n`` replications from ``first_index``
that the current ``simulate`` call runs are finished (fractions allowed)."""

PROGRESS_INTERVAL = 0.1
"""Seconds between two reports from inside a block (finished blocks are always reported)."""

PARENT_POLL = 0.5
"""Seconds between a worker's checks that the main process is still alive."""

_HOOK: ContextVar[BlockHook | None] = ContextVar("scenario_block_hook", default=None)


def progress_hook() -> BlockHook | None:
    """The block hook the engine installed for the block being simulated, or ``None``.

    A model calls it, if not ``None``, as ``hook(first_index, n, done)`` (module docstring);
    fetch it once per ``simulate`` call.
    """
    return _HOOK.get()


@contextlib.contextmanager
def installed_hook(hook: BlockHook | None) -> Iterator[None]:
    """Install ``hook`` as the block hook of this thread for the duration of the block."""
    token = _HOOK.set(hook)
    try:
        yield
    finally:
        _HOOK.reset(token)


class ProgressTracker:
    """Turns block reports into ``callback(done, total)`` calls (module docstring).

    Parameters
    ----------
    callback : callable
        ``callback(done, total)``, ``done`` a float, monotone, ending at ``total``.
    total : int
        Replications of the run.
    block_size : int
        The plan's block size (maps a replication index to its block).
    interval : float, optional
        Least seconds between two reports from inside blocks (default
        :data:`PROGRESS_INTERVAL`, read when the tracker is made).
    """

    def __init__(
        self,
        callback: Callable[[float, int], None],
        total: int,
        block_size: int,
        interval: float | None = None,
    ) -> None:
        self.callback = callback
        self.total = total
        self.block_size = block_size
        self.interval = PROGRESS_INTERVAL if interval is None else interval
        self._complete = 0
        self._finished: set[int] = set()
        self._partial: dict[int, float] = {}
        self._floor = 0.0
        self._last = 0.0
        self._last_time = -float("inf")
        self._error: Exception | None = None

    def _size(self, b: int) -> int:
        return max(0, min(self.block_size, self.total - b * self.block_size))

    def done(self) -> float:
        """Replication-equivalents finished so far."""
        return max(self._floor, self._complete + sum(self._partial.values()))

    def partial(self, first_index: int, n: int, done: float) -> None:
        """A report from inside a block (the block hook); throttled. An exception raised
        by the callback is kept and raised at the next finished block, not inside the
        model (where it would be taken for a failed replication)."""
        b = first_index // self.block_size
        if b in self._finished or self._error is not None:
            return
        offset = first_index - b * self.block_size
        value = min(float(self._size(b)), offset + min(max(done, 0.0), float(n)))
        if value <= self._partial.get(b, 0.0):
            return
        self._partial[b] = value
        try:
            self.emit(force=False)
        except Exception as exc:
            self._error = exc

    def finished(self, start: int, size: int) -> None:
        """Block starting at ``start`` is finished (call :meth:`emit` afterwards)."""
        self._raise_pending()
        b = start // self.block_size
        if b not in self._finished:
            self._finished.add(b)
            self._partial.pop(b, None)
            self._complete += size

    def floor(self, done: float, total: int) -> None:
        """At least ``done`` replications are finished (a precision run's per-block report);
        reports it."""
        self._raise_pending()
        self._floor = max(self._floor, float(done))
        self.emit(force=True)

    def emit(self, *, force: bool) -> None:
        """Call the callback if ``done`` grew (and, unless ``force``, the interval passed)."""
        now = time.monotonic()
        if not force and now - self._last_time < self.interval:
            return
        value = self.done()
        if value <= self._last:
            return
        self._last, self._last_time = value, now
        self.callback(float(value), self.total)

    def drain(self, q: Any) -> None:
        """Apply every report waiting in the workers' queue ``q``."""
        while True:
            try:
                first, n, done = q.get_nowait()
            except queue_module.Empty:
                return
            self.partial(first, n, done)

    def _raise_pending(self) -> None:
        if self._error is not None:
            err, self._error = self._error, None
            raise err


class _QueueHook:
    """A worker's block hook: puts throttled reports on the engine's queue."""

    def __init__(self, q: Any, interval: float) -> None:
        self.queue = q
        self.interval = interval
        self._last = -float("inf")

    def __call__(self, first_index: int, n: int, done: float) -> None:
        now = time.monotonic()
        if done >= n or now - self._last >= self.interval:
            self._last = now
            self.queue.put((first_index, n, float(done)))


def _init_worker(q: Any, interval: float, parent: int) -> None:
    """Pool initializer: every block this worker runs reports to ``q`` (if any); Ctrl-C is
    left to the main process (:func:`stop_pool_on_signals`), and the worker exits when the
    main process ``parent`` is gone (even after ``kill -9``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if q is not None:
        q.cancel_join_thread()  # a worker never waits at exit for reports nobody reads
        _HOOK.set(_QueueHook(q, interval))


def _watch_parent(parent: int) -> None:
    """Exit this worker as soon as its parent process has died (it is re-parented)."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(1)


def terminate_workers(pool: Executor, timeout: float = 2.0) -> None:
    """Terminate the worker processes of a :class:`ProcessPoolExecutor` (SIGTERM, then
    SIGKILL after ``timeout`` seconds); the pool then counts as broken, and its owner's
    ``shutdown`` returns at once. Takes no lock of the pool, so a signal handler may call
    it whatever the main thread was doing."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.terminate()
    deadline = time.monotonic() + timeout
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join(1.0)


@contextlib.contextmanager
def stop_pool_on_signals(pool: Executor) -> Iterator[None]:
    """While the engine uses its own ``pool``, SIGTERM and SIGINT terminate the workers.

    The first signal terminates the workers, then calls the handler that was installed
    before (the CLI's prints one line and raises ``SystemExit``), else raises
    ``KeyboardInterrupt`` (SIGINT) or ``SystemExit(128 + signum)`` (SIGTERM) in the main
    thread, so the run unwinds and exits leaving no process behind; a second signal exits at
    once (``os._exit``). Outside the main thread (where Python cannot install handlers)
    nothing is installed.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def handler(signum: int, frame: Any) -> None:
        received.append(signum)
        if len(received) > 1:
            os._exit(128 + signum)
        terminate_workers(pool)
        previous = old.get(signal.Signals(signum))
        if callable(previous) and previous is not signal.default_int_handler:
            previous(signum, frame)  # e.g. the CLI's: one line, then it unwinds
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)

    old = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, previous in old.items():
            signal.signal(sig, previous)


def reporting_task(plan: Plan, blocks: Sequence[int]) -> list[BlockResult]:
    """Run ``blocks`` of ``plan`` in order (one executor task), reporting each finished
    block through the worker's block hook."""
    out = []
    for b in blocks:
        res = run_block(plan, b)
        hook = _HOOK.get()
        if hook is not None:
            hook(res.start, res.size, float(res.size))
        out.append(res)
    return out


def make_executor(
    workers: int, progress_queue: Any = None, interval: float | None = None
) -> Executor:
    """Return a process pool of ``workers`` processes (spawned, not forked).

    Spawned workers import the model afresh, so a model defined in a script must live at
    module level of an importable module or of the script guarded by
    ``if __name__ == "__main__":``.

    Parameters
    ----------
    workers : int
        Number of processes, at least 2.
    progress_queue : multiprocessing queue, optional
        From the ``spawn`` context: workers put their block reports on it (module
        docstring), at most once per ``interval`` seconds inside a block.
    interval : float, optional
        Seconds between two reports of a worker from inside a block (default
        :data:`PROGRESS_INTERVAL`).
    """
    if workers < 2:
        raise ValueError(f"workers must be >= 2 for a process pool (got {workers})")
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(
            progress_queue,
            PROGRESS_INTERVAL if interval is None else interval,
            os.getpid(),
        ),
    )


class WorkerPool(Executor):
    """A process pool of the engine's kind that outlives one run (:func:`worker_pool`).

    Pass it as ``executor=`` to :func:`scenario.run` (and the analyses that take
    ``executor``): runs reuse its worker processes instead of starting their own, and it is
    handled as the engine's own pool (progress from inside blocks, SIGINT and SIGTERM stop
    its workers), but it is not shut down after the run.

    Parameters
    ----------
    workers : int
        Number of processes, at least 2.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.queue: Any = multiprocessing.get_context("spawn").Queue()
        self.pool = make_executor(workers, self.queue, PROGRESS_INTERVAL)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Submit ``fn(*args, **kwargs)`` to the pool."""
        return self.pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop the worker processes (and close the progress queue)."""
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)
        self.queue.close()

    def discard_reports(self) -> None:
        """Drop progress reports a previous run left in the queue."""
        while True:
            try:
                self.queue.get_nowait()
            except (queue_module.Empty, OSError, ValueError):
                return

    def manifest_entry(self) -> tuple[str, int]:
        """``("processes", workers)`` for the manifest, as the engine's own pool."""
        return "processes", self.workers


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[WorkerPool]:
    """A pool of ``workers`` processes for several runs: start-up is paid once.

    Examples
    --------
    >>> with worker_pool(2) as pool:  # doctest: +SKIP
    ...     a = scenario.run(cfg, seed=1, executor=pool)
    ...     b = scenario.run(other, seed=1, executor=pool)
    """
    pool = WorkerPool(workers)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def pool_for(workers: int | None) -> contextlib.AbstractContextManager[WorkerPool | None]:
    """:func:`worker_pool` of ``workers`` processes for an analysis that makes several runs,
    or ``None`` (serial runs) when ``workers`` is ``None`` or 1; invalid values are left for
    :func:`scenario.run` to refuse."""
    if isinstance(workers, int) and not isinstance(workers, bool) and workers > 1:
        return worker_pool(workers)
    return contextlib.nullcontext(None)
