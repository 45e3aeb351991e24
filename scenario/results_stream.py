"""Results streamed to disk block by block, in bounded memory, and resumed after a kill.

:func:`run_to_directory` runs a scenario like :func:`scenario.run` but never holds every
replication: each finished block is written to ``PARENT/.NAME.partial/blocks/`` (its
outcomes, its inputs and its failures; a small JSON file written last, by an atomic rename,
marks the block as complete) and dropped. At the end the blocks are copied in order into
``outcomes.parquet`` and ``inputs.parquet``, one Parquet row group per block, the kept daily
series into ``series.parquet``, the manifest is written with each file's SHA-256 (read in
chunks) and row count, and the directory is renamed to ``NAME`` (:mod:`scenario.results_files`
claims it first, exclusively). The tables are the ones :meth:`Results.save` writes for the
same run: the same columns and values, row for row.

A run that is killed leaves ``.NAME.partial`` with its finished blocks, never a ``NAME``
that loads as complete. ``resume=True`` (``scenario run ... --out NAME --resume``) checks
that the partial run is the same run (a fingerprint of the config as run, the seed, the
replications, the block size, the model, its outcomes and parameters, and the input mode)
and runs only the blocks that are missing. Blocks draw only from their own streams, so the
resumed results equal an uninterrupted run's.

The returned :class:`~scenario.results.Results` reads its outcome and input columns from
the Parquet files on access (:class:`ParquetColumns`), one column at a time, so the summary
(mean, sd, quantiles with their intervals) is exact and needs one column in memory.

Inputs are stored as ``float64`` (``inputs="full"``), ``float32`` (``"float32"``: half the
disk) or not at all (``"none"``: ``inputs.parquet`` holds the replication index only; the
manifest records ``inputs: "none"``; they can be drawn again from the seed and block).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from scenario.errors import ResultsError

if TYPE_CHECKING:
    from scenario.engine.blocks import BlockResult, Plan
    from scenario.results import Failure

__all__ = ["INPUT_MODES", "BlockStore", "InputMode", "ParquetColumns", "fingerprint"]

InputMode = Literal["full", "float32", "none"]
INPUT_MODES: tuple[str, ...] = ("full", "float32", "none")
"""How a streamed run stores its sampled inputs (module docstring)."""

FINGERPRINT_VERSION = 1


class ParquetColumns(Mapping[str, np.ndarray]):
    """The columns of a Parquet file (but ``replication``), each read on access.

    Nothing is cached: ``columns[name]`` reads that column from disk every time, so walking
    the columns one by one holds one column in memory.
    """

    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq

        self.path = path
        names = pq.read_schema(path).names
        self._names = tuple(n for n in names if n != "replication")

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._names:
            raise KeyError(name)
        import pyarrow.parquet as pq

        column = pq.read_table(self.path, columns=[name]).column(0)
        return np.asarray(column.to_numpy(), dtype=np.float64)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return f"ParquetColumns({str(self.path)!r}, {len(self)} columns)"


def fingerprint(plan: Plan, inputs: str) -> str:
    """What makes two runs the same run, hashed (module docstring)."""
    from scenario import __version__

    doc = {
        "version": FINGERPRINT_VERSION,
        "scenario": __version__,
        "config": plan.config.model_dump(mode="json"),
        "seed": plan.seed,
        "n": plan.n,
        "block_size": plan.block_size,
        "keep_series": plan.keep_series,
        "model": plan.model.name,
        "outcomes": [o.name for o in plan.model.outcomes],
        "parameters": list(plan.specs),
        "inputs": inputs,
    }
    text = json.dumps(doc, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class BlockStore:
    """The partial directory of a streamed run: finished blocks, one set of files each.

    Parameters
    ----------
    target : Path
        The results directory the run will end in.
    plan : Plan
        The run's plan.
    inputs : {"full", "float32", "none"}
        How inputs are stored.
    """

    def __init__(self, target: Path, plan: Plan, inputs: str) -> None:
        if inputs not in INPUT_MODES:
            raise ResultsError(f"inputs must be one of {', '.join(INPUT_MODES)} (got {inputs!r})")
        self.target = target
        self.plan = plan
        self.inputs = inputs
        self.dir = target.parent / f".{target.name}.partial"
        self.blocks = self.dir / "blocks"
        self.n_blocks = math.ceil(plan.n / plan.block_size)
        self.failures: list[Failure] = []
        horizon = plan.config.horizon_days
        self.series = {
            x.name: np.full((plan.keep_series, horizon), np.nan, np.float32)
            for x in plan.model.series
        }
        self.done: set[int] = set()

    # --- opening -------------------------------------------------------------------------

    def open(self, *, resume: bool, overwrite: bool) -> list[int]:
        """Prepare the partial directory; return the blocks still to run.

        Raises
        ------
        ResultsError
            A partial run is there and neither ``resume`` nor ``overwrite`` is given, or
            ``resume`` finds a partial run of another run.
        """
        mark = self.dir / "run.json"
        want = fingerprint(self.plan, self.inputs)
        if self.dir.exists() and not mark.exists():  # killed before its first block
            shutil.rmtree(self.dir)
        if self.dir.exists():
            found = self._finished_on_disk()
            if resume:
                self._check_same_run(mark, want)
                for b in sorted(found):
                    self._reload(b)
            elif overwrite:
                shutil.rmtree(self.dir)
            else:
                raise ResultsError(
                    f"{self.target}: a run that was stopped left {len(found)} of "
                    f"{self.n_blocks} blocks in {self.dir}; continue it with --resume "
                    "(resume=True), or start afresh with --overwrite"
                )
        self.blocks.mkdir(parents=True, exist_ok=True)
        if not mark.exists():
            _atomic_write(mark, json.dumps({"fingerprint": want, "blocks": self.n_blocks}))
        return [b for b in range(self.n_blocks) if b not in self.done]

    def _check_same_run(self, mark: Path, want: str) -> None:
        try:
            have = json.loads(mark.read_text(encoding="utf-8"))["fingerprint"]
        except (OSError, ValueError, KeyError, TypeError):
            have = None
        if have != want:
            raise ResultsError(
                f"{self.target}: the stopped run in {self.dir} is not this run (another "
                "config, seed, replications, block size, model or inputs mode); resume it "
                "with the same command, or start afresh with --overwrite"
            )

    def _finished_on_disk(self) -> set[int]:
        if not self.blocks.is_dir():
            return set()
        found = set()
        for entry in self.blocks.glob("b*.json"):
            stem = entry.name[1:-5]
            if stem.isdigit() and int(stem) < self.n_blocks:
                found.add(int(stem))
        return found

    def _reload(self, b: int) -> None:
        """Take back a finished block's failures and kept series from disk."""
        from scenario.results import Failure

        try:
            doc = json.loads(self._path(b, "json").read_text(encoding="utf-8"))
            self.failures.extend(Failure(**f) for f in doc["failures"])
            if doc.get("series"):
                with np.load(self._path(b, "series.npz"), allow_pickle=False) as data:
                    for name in self.series:
                        arr = data[name]
                        self.series[name][doc["start"] : doc["start"] + arr.shape[0]] = arr
            for kind in ("outcomes", "inputs"):
                if not self._path(b, f"{kind}.parquet").is_file():
                    raise OSError(f"block {b}: {kind}.parquet is missing")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ResultsError(
                f"{self.target}: block {b} of the stopped run in {self.dir} is unreadable "
                f"({exc}); start afresh with --overwrite"
            ) from None
        self.done.add(b)

    # --- writing -------------------------------------------------------------------------

    def _path(self, b: int, suffix: str) -> Path:
        return self.blocks / f"b{b:08d}.{suffix}"

    def kept(self) -> str:
        """What is left for ``--resume`` (for an error message)."""
        return (
            f"the {len(self.done)} finished blocks are kept in {self.dir}: fix the cause and "
            "run the same command with --resume"
        )

    def add(self, res: BlockResult) -> None:
        """Write one finished block (its marker last) and keep its failures and series.

        Raises
        ------
        ResultsError
            The block cannot be written (disk full, permission denied); the blocks written
            before it are kept for ``--resume``.
        """
        try:
            self._write_block(res)
        except OSError as exc:
            from scenario.results_files import located

            raise ResultsError(f"{located(self.target, exc)}; {self.kept()}") from None
        for k, arr in res.series.items():
            self.series[k][res.start : res.start + arr.shape[0]] = arr
        self.failures.extend(res.failures)
        self.done.add(res.start // self.plan.block_size)

    def _write_block(self, res: BlockResult) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        b = res.start // self.plan.block_size
        _atomic_parquet(pq, pa.table(dict(res.outcomes)), self._path(b, "outcomes.parquet"))
        _atomic_parquet(pq, pa.table(self._inputs_of(res)), self._path(b, "inputs.parquet"))
        has_series = any(arr.shape[0] for arr in res.series.values())
        if has_series:
            tmp = self._path(b, "series.tmp.npz")
            arrays: dict[str, Any] = {k: np.asarray(v) for k, v in res.series.items()}
            np.savez(tmp, **arrays)
            os.replace(tmp, self._path(b, "series.npz"))
        doc = {
            "start": res.start,
            "size": res.size,
            "failures": [f.model_dump() for f in res.failures],
            "series": has_series,
        }
        _atomic_write(self._path(b, "json"), json.dumps(doc))

    def _inputs_of(self, res: BlockResult) -> dict[str, Any]:
        if self.inputs == "none":
            return {"_size": np.zeros(res.size, dtype=np.int8)}
        dtype = np.float32 if self.inputs == "float32" else np.float64
        return {k: np.asarray(v, dtype=dtype) for k, v in res.inputs.items()}

    # --- finishing -----------------------------------------------------------------------

    def write_tables(self, directory: Path) -> dict[str, int]:
        """Copy the blocks, in order, into ``outcomes.parquet`` and ``inputs.parquet`` of
        ``directory`` (a row group per block); return each file's rows."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = {}
        for kind in ("outcomes", "inputs"):
            writer = None
            try:
                for b in range(self.n_blocks):
                    table = pq.read_table(self._path(b, f"{kind}.parquet"))
                    if "_size" in table.column_names:
                        table = table.drop(["_size"])
                    start = b * self.plan.block_size
                    idx = pa.array(np.arange(start, start + table.num_rows, dtype=np.int64))
                    table = table.add_column(0, "replication", idx)
                    if writer is None:
                        writer = pq.ParquetWriter(directory / f"{kind}.parquet", table.schema)
                    writer.write_table(table)
            finally:
                if writer is not None:
                    writer.close()
            rows[f"{kind}.parquet"] = self.plan.n
        return rows

    def remove(self) -> None:
        """Delete the partial directory (after the results are in place)."""
        shutil.rmtree(self.dir, ignore_errors=True)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _atomic_parquet(pq: Any, table: Any, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)
