"""Files of saved results: an exclusive claim of the output directory, leftovers of killed
saves, checksums and the manifest's schema.

A save of ``PARENT/NAME`` first *claims* it: an exclusive ``flock(2)`` on the file
``PARENT/.NAME.lock`` (which then holds the saving process's id), which succeeds for exactly
one process and is released by the kernel when that process dies, even by ``kill -9``, so a
dead claim never needs taking over and two processes can never both take over one (on
Windows, without ``fcntl``, the file is hard-linked into place instead and a dead process's
claim is taken over). The claim is taken before a run
(``scenario run --out``), so a second run for the same path stops before running, and held
until the results are renamed into place. Files are written in ``PARENT/.NAME.tmp-PID-*``
and renamed to ``NAME`` at the end; an existing ``NAME`` is moved aside (to
``PARENT/.NAME.old-PID``) only with ``overwrite``. A process killed while saving leaves a
lock file, a temporary directory or a moved-aside directory named with its id; the next claim of
the same path removes them when that process is gone (restoring a moved-aside ``NAME`` that
was never replaced). Each file's SHA-256 and row count are recorded in the manifest
(``files``) and checked on load.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

try:
    import fcntl as _fcntl
except ImportError:  # Windows
    _fcntl = None  # type: ignore[assignment]

from scenario.errors import ResultsError

__all__ = [
    "check_file",
    "check_manifest",
    "check_target",
    "claim",
    "clean_leftovers",
    "file_sha256",
    "located",
    "read_tables",
    "series_arrays",
    "sha256",
]

_REQUIRED: dict[str, type | tuple[type, ...]] = {
    "format_version": int,
    "replications": int,
    "seed": int,
    "config": dict,
    "outcomes": list,
}
"""Fields every manifest has, with their JSON types."""

_OPTIONAL: dict[str, type | tuple[type, ...]] = {
    "failure_list": list,
    "series": list,
    "notes": list,
    "files": dict,
    "workers": int,
}


def located(path: Path, exc: OSError) -> str:
    """One line ``PATH: cannot write results: REASON`` for an operating-system error."""
    reason = exc.strerror or str(exc)
    return f"{path}: cannot write results: {reason}"


def sha256(data: bytes) -> str:
    """SHA-256 of ``data`` as 64 hexadecimal digits."""
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path, chunk: int = 1 << 22) -> str:
    """SHA-256 of a file, read in chunks of ``chunk`` bytes (a file of any size)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while data := fh.read(chunk):
            h.update(data)
    return h.hexdigest()


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _pid_in(name: str, prefix: str) -> int | None:
    head = name[len(prefix) :].split("-", 1)[0]
    return int(head) if head.isdigit() else None


def clean_leftovers(target: Path) -> list[Path]:
    """Remove what killed saves of ``target`` left beside it (their process is gone).

    Returns
    -------
    list of Path
        The temporary directories removed; a moved-aside ``target`` whose replacement never
        arrived is renamed back to ``target`` instead.
    """
    parent = target.parent
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    tmp_prefix, old_prefix = f".{target.name}.tmp-", f".{target.name}.old-"
    for entry in sorted(parent.iterdir()):
        for prefix in (tmp_prefix, old_prefix):
            pid = _pid_in(entry.name, prefix) if entry.name.startswith(prefix) else None
            if pid is None or _pid_alive(pid):
                continue
            if prefix == old_prefix and not target.exists():
                os.replace(entry, target)
                continue
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def check_target(target: Path, overwrite: bool) -> None:
    """Refuse a file, or a non-empty directory unless ``overwrite`` and it holds results."""
    if not target.exists():
        return
    if not target.is_dir():
        raise ResultsError(f"{target}: exists and is not a directory")
    if not any(target.iterdir()):
        return
    if not overwrite:
        raise ResultsError(
            f"{target}: exists and is not empty; pass overwrite=True (CLI: --overwrite) to "
            "replace earlier results"
        )
    if not (target / "manifest.json").is_file():
        raise ResultsError(
            f"{target}: is not empty and holds no scenario results; refusing to overwrite it"
        )


def _take_lock(lock: Path) -> int | None:
    """Hold ``lock`` for this process: an exclusive ``flock`` on it (released by the kernel
    when the process dies, however), the file holding this process's id. Returns the open
    descriptor, or ``None`` if another open file holds the lock. Without ``fcntl`` (Windows),
    the file is hard-linked into place instead, which only one process can do."""
    if _fcntl is None:
        return _link_lock(lock)
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _fcntl.flock(fd, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        try:  # the holder before us may have unlinked the file we opened: lock the new one
            same = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode("ascii"))
            return fd
        os.close(fd)


def _link_lock(lock: Path) -> int | None:
    """Windows: link a file holding this process's id to ``lock``; a lock left by a dead
    process is taken over (``-1``: held, no descriptor), else ``None``."""
    for _ in range(2):
        fd, tmp = tempfile.mkstemp(prefix=f"{lock.name}.", dir=lock.parent)
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(str(os.getpid()))
            try:
                os.link(tmp, lock)
                return -1
            except FileExistsError:
                owner = _lock_owner(lock)
                if owner is None or owner == os.getpid() or _pid_alive(owner):
                    return None
                lock.unlink(missing_ok=True)  # left by a killed save
        finally:
            os.unlink(tmp)
    return None


def _release(lock: Path, fd: int) -> None:
    """Give up the lock: unlink the file while still holding it, then close it."""
    lock.unlink(missing_ok=True)
    if fd >= 0:
        os.close(fd)


def _lock_owner(lock: Path) -> int | None:
    try:
        text = lock.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


@contextlib.contextmanager
def claim(target: Path, overwrite: bool) -> Iterator[list[Path]]:
    """Hold ``target`` for this process (see module docstring); yield the leftovers removed.

    Re-entrant within one process: a claim this process already holds is yielded again
    (and released by the outer claim only).

    Raises
    ------
    ResultsError
        ``target`` is occupied (see :func:`check_target`), another live process holds it,
        or its parent cannot be created or written.
    """
    check_target(target, overwrite)
    lock = target.parent / f".{target.name}.lock"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = _take_lock(lock)
    except FileExistsError:  # mkdir met a file on the way
        raise ResultsError(
            f"{target}: cannot write results: a parent of it is not a directory"
        ) from None
    except OSError as exc:
        raise ResultsError(located(target, exc)) from None
    if fd is None:
        if _lock_owner(lock) == os.getpid():
            yield []
            return
        raise ResultsError(
            f"{target}: another run (pid {_lock_owner(lock)}) is writing results here; "
            f"wait for it or choose another output (lock file {lock})"
        )
    try:
        removed = clean_leftovers(target)
        check_target(target, overwrite)
        yield removed
    finally:
        _release(lock, fd)


def _check_type(name: str, value: Any, kind: type | tuple[type, ...]) -> None:
    if isinstance(value, bool) or not isinstance(value, kind):
        want = kind.__name__ if isinstance(kind, type) else kind[0].__name__
        raise ResultsError(
            f"manifest.json: {name} must be {want.replace('dict', 'an object')} "
            f"(got {type(value).__name__}: {str(value)[:60]})"
        )


def check_manifest(doc: Any) -> None:
    """Check the manifest's type and fields (``files``: see :func:`check_file`).

    Raises
    ------
    ResultsError
        ``doc`` is not an object, a required field is missing, or a field has the wrong
        type or an impossible value.
    """
    if not isinstance(doc, dict):
        raise ResultsError(
            f"manifest.json must be a JSON object (got {type(doc).__name__}: {str(doc)[:60]})"
        )
    for name, kind in _REQUIRED.items():
        if name not in doc:
            raise ResultsError(f"manifest.json: required field {name!r} is missing")
        _check_type(name, doc[name], kind)
    for name, kind in _OPTIONAL.items():
        if name in doc:
            _check_type(name, doc[name], kind)
    if doc["replications"] < 1:
        raise ResultsError(f"manifest.json: replications must be >= 1 (got {doc['replications']})")
    if doc["format_version"] >= 2 and "files" not in doc:
        raise ResultsError("manifest.json: required field 'files' is missing")


def check_file(files: Mapping[str, Any], name: str, data: bytes) -> None:
    """Check ``data`` (the bytes of file ``name``) against the manifest's ``files``."""
    entry = files.get(name)
    if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
        raise ResultsError(f"manifest.json: files.{name}.sha256 is missing")
    if entry["sha256"] != sha256(data):
        raise ResultsError(
            f"{name}: SHA-256 differs from the manifest's (the file was changed or comes "
            "from another run)"
        )


def _columns(name: str, table: Any, n: int) -> dict[str, np.ndarray]:
    """The float columns of an outcomes or inputs table of ``n`` replications."""
    if table.num_rows != n:
        raise ResultsError(
            f"{name}: {table.num_rows} rows, but the manifest records {n} replications"
        )
    if "replication" not in table.column_names or not np.array_equal(
        table.column("replication").to_numpy(), np.arange(n)
    ):
        raise ResultsError(f"{name}: column 'replication' is not 0 .. {n - 1}")
    return {
        c: table.column(c).to_numpy().astype(np.float64)
        for c in table.column_names
        if c != "replication"
    }


def read_tables(directory: Path, doc: Mapping[str, Any]) -> dict[str, Any]:
    """Read and check the three Parquet files of checked manifest ``doc``.

    Returns
    -------
    dict
        ``outcomes.parquet`` and ``inputs.parquet``: ``{column: float64 array}``;
        ``series.parquet``: the Arrow table.

    Raises
    ------
    ResultsError
        A file's SHA-256 or rows differ from the manifest's ``files``, or an outcomes or
        inputs table does not have one row per replication, or a series row's replication
        is out of range.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    files = doc.get("files")
    n = int(doc["replications"])
    out: dict[str, Any] = {}
    for name in ("outcomes.parquet", "inputs.parquet", "series.parquet"):
        data = (directory / name).read_bytes()
        if files is not None:
            check_file(files, name, data)
        table = pq.read_table(pa.BufferReader(data))
        if files is not None and files[name].get("rows") != table.num_rows:
            raise ResultsError(
                f"{name}: {table.num_rows} rows, but the manifest records "
                f"{files[name].get('rows')}"
            )
        if name != "series.parquet":
            out[name] = _columns(name, table, n)
            continue
        if "replication" not in table.column_names or "series" not in table.column_names:
            raise ResultsError(f"{name}: needs columns series, replication and values")
        reps = table.column("replication").to_numpy()
        if reps.size and not (reps.min() >= 0 and reps.max() < n):
            raise ResultsError(f"{name}: replication {int(reps.max())} is not below {n}")
        out[name] = table
    return out


def series_arrays(table: Any, horizon: int) -> dict[str, np.ndarray]:
    """``{series: (kept replications, horizon) float32 array}`` from a series table."""
    import pyarrow as pa

    if table.num_rows == 0:
        return {}
    if "values" not in table.column_names:
        raise ResultsError("series.parquet: needs a column 'values'")
    kind = table.column("values").type
    days = kind.list_size if isinstance(kind, pa.FixedSizeListType) else None
    if days != horizon:
        raise ResultsError(
            f"series.parquet: {days} days per series, but the config's horizon is {horizon} "
            "days (the file comes from another run)"
        )
    names = table.column("series").to_pylist()
    flat = table.column("values").combine_chunks().flatten().to_numpy()
    mat = np.asarray(flat, dtype=np.float32).reshape(len(names), horizon)
    return {
        name: mat[[i for i, nm in enumerate(names) if nm == name]] for name in dict.fromkeys(names)
    }
