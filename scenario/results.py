"""Results of a run as plain data: per-replication outcomes and inputs, series, manifest.

:class:`Results` keeps one ``float64`` column per outcome and per sampled input (row ``i`` is
replication ``i``; failed replications have NaN outcomes), the daily series kept for the
first replications, the failures, the outcomes' metadata (:class:`OutcomeMeta`) and a
manifest (resolved config, seed, package versions, config hash, timestamps, notes).
:meth:`Results.save` writes Parquet files plus ``manifest.json`` atomically (a temporary
directory renamed into place, so results are never half-written); :func:`load_results` reads
them back equal.

This module is plain data: it imports nothing from :mod:`scenario.analysis` nor from
:mod:`scenario.models` at import time. Summaries are
:func:`scenario.analysis.summary.summarize_results`; manifests are built by
:func:`scenario.engine.manifest.build_manifest`. In a notebook a :class:`Results` shows a
compact summary (``_repr_html_``, one table row per outcome, :mod:`scenario.display`); its
``repr`` is one line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
from pydantic import BaseModel, ConfigDict

from scenario.config.schema import ScenarioConfig
from scenario.errors import ResultsError
from scenario.results_files import (
    check_manifest,
    claim,
    file_sha256,
    located,
    read_tables,
    series_arrays,
)

__all__ = [
    "FORMAT_VERSION",
    "Direction",
    "Failure",
    "OutcomeMeta",
    "Results",
    "as_run",
    "load_results",
]

FORMAT_VERSION = 2

Direction = Literal["minimize", "maximize", "info"]
"""Which way an outcome is better: lower, higher, or neither (reported only)."""

_DIRECTIONS: tuple[str, ...] = get_args(Direction)


class Failure(BaseModel):
    """A replication that raised or returned a non-finite outcome."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    index: int
    error: str
    message: str


@dataclass(frozen=True, slots=True)
class OutcomeMeta:
    """What an outcome column measures: name, unit, description and preferred direction.

    Plain data (no dependence on the model that produced it), so results can be saved,
    loaded and summarised without importing any model.

    Attributes
    ----------
    name : str
        Column name in :attr:`Results.outcomes`.
    unit : str
        Unit of the values (``"troops"``, ``"USD m"``, ``"-"``).
    description : str
        What the outcome measures.
    direction : {"minimize", "maximize", "info"}
        Which way is better; ``"info"`` for outcomes that are only reported.
    censored : bool or str
        ``True``: the horizon value stands for "did not happen within the horizon"; a
        string names a 0/1 outcome that is 0 where it did not happen; ``False``: neither.
    """

    name: str
    unit: str = ""
    description: str = ""
    direction: Direction = "info"
    censored: bool | str = False

    def to_dict(self) -> dict[str, str | bool]:
        """Return ``{"name", "unit", "description", "direction"}`` and, for a censored
        outcome, ``"censored"`` (JSON-ready).

        Returns
        -------
        dict
            The fields, in declaration order.
        """
        out: dict[str, str | bool] = {
            "name": self.name,
            "unit": self.unit,
            "description": self.description,
            "direction": self.direction,
        }
        if self.censored:
            out["censored"] = self.censored
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OutcomeMeta:
        """Build from a mapping such as a manifest's ``outcomes`` entry.

        Parameters
        ----------
        data : mapping
            Needs ``name``; ``unit``, ``description`` and ``direction`` are optional
            (defaults ``""``, ``""``, ``"info"``). Other keys are ignored.

        Returns
        -------
        OutcomeMeta

        Raises
        ------
        ResultsError
            ``data`` is not a mapping, ``name`` is missing or not a string, a text field is
            not a string, or ``direction`` is not one of minimize, maximize, info.
        """
        if not isinstance(data, Mapping):
            raise ResultsError(
                f"outcome metadata must be a mapping (got {type(data).__name__}: {data!r})"
            )
        name = data.get("name")
        if not isinstance(name, str) or not name:
            raise ResultsError(f"outcome metadata needs a non-empty 'name' (got {name!r})")
        unit = data.get("unit", "")
        description = data.get("description", "")
        for key, value in (("unit", unit), ("description", description)):
            if not isinstance(value, str):
                raise ResultsError(f"outcome {name!r}: {key} must be a string (got {value!r})")
        direction = data.get("direction", "info")
        if direction not in _DIRECTIONS:
            raise ResultsError(
                f"outcome {name!r}: direction must be one of {', '.join(_DIRECTIONS)} "
                f"(got {direction!r})"
            )
        censored = data.get("censored", False)
        if not isinstance(censored, bool | str):
            raise ResultsError(
                f"outcome {name!r}: censored must be true, false or an outcome name "
                f"(got {censored!r})"
            )
        return cls(
            name=name, unit=unit, description=description, direction=direction, censored=censored
        )


_VOLATILE = ("started", "finished", "resumed_blocks")
"""Manifest fields that differ between identical runs (ignored by ``Results.__eq__``)."""


def _stable(manifest: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in manifest.items() if k not in _VOLATILE}


def as_run(config: ScenarioConfig, replications: int, seed: int) -> ScenarioConfig:
    """``config`` with ``run.replications`` and ``run.seed`` set to those a run used.

    Parameters
    ----------
    config : ScenarioConfig
        The config given to the run.
    replications, seed : int
        What the run used (overrides, a design's length, a precision run's count).

    Returns
    -------
    ScenarioConfig
        ``config`` itself when they agree; else a copy (recorded locations kept).
    """
    run = config.run
    if run.replications == replications and run.seed == seed:
        return config
    new_run = run.model_copy(update={"replications": replications, "seed": seed})
    return config.model_copy(update={"run": new_run})


def _arrays_equal(a: Mapping[str, np.ndarray], b: Mapping[str, np.ndarray]) -> bool:
    return list(a) == list(b) and all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)


@dataclass(frozen=True, eq=False)
class Results:
    """Outcome distributions of one run (see module docstring)."""

    config: ScenarioConfig
    outcomes: Mapping[str, np.ndarray]
    inputs: Mapping[str, np.ndarray]
    series: dict[str, np.ndarray]
    dates: np.ndarray
    failures: tuple[Failure, ...]
    manifest: dict[str, Any]
    outcome_info: tuple[OutcomeMeta, ...] = field(default=())

    def __post_init__(self) -> None:
        # ``config`` is the config as run: its replications and seed are the manifest's.
        n, seed = self.manifest.get("replications"), self.manifest.get("seed")
        if isinstance(n, int) and isinstance(seed, int):
            object.__setattr__(self, "config", as_run(self.config, n, seed))

    @property
    def replications(self) -> int:
        """Number of replications run (failed ones included)."""
        return int(self.manifest["replications"])

    @property
    def n_failed(self) -> int:
        """Number of failed replications."""
        return len(self.failures)

    @property
    def design_columns(self) -> tuple[str, ...]:
        """Inputs that came from a design (``run(config, design=...)``), sorted; the
        other inputs were sampled. Empty for a plain run (or results saved before designs
        were recorded)."""
        return tuple(str(c) for c in self.manifest.get("design_columns", ()))

    def outcome(self, name: str) -> np.ndarray:
        """One outcome column (NaN where the replication failed)."""
        try:
            return self.outcomes[name]
        except KeyError:
            raise ResultsError(
                f"no outcome {name!r} (outcomes: {', '.join(self.outcomes)})"
            ) from None

    def series_on(self, name: str, date: str | dt.date) -> np.ndarray:
        """Values of daily series ``name`` on a calendar ``date`` across kept replications."""
        if name not in self.series:
            raise ResultsError(f"no series {name!r} (series: {', '.join(self.series) or 'none'})")
        day = np.datetime64(date, "D")
        idx = np.flatnonzero(self.dates == day)
        if idx.size == 0:
            raise ResultsError(
                f"date {date} is outside the horizon {self.dates[0]} .. {self.dates[-1]}"
            )
        return self.series[name][:, int(idx[0])].astype(np.float64)

    def to_pandas(self) -> Any:
        """One row per replication: outcome columns, then ``input:<name>`` columns.

        Requires pandas (``pip install scenario[pandas]``).
        """
        try:
            import pandas as pd
        except ImportError:
            raise ResultsError(
                "to_pandas() needs pandas: pip install -e '.[pandas]' in the repository "
                "(or pip install pandas)"
            ) from None
        data: dict[str, np.ndarray] = dict(self.outcomes)
        data.update({f"input:{k}": v for k, v in self.inputs.items()})
        return pd.DataFrame(data)

    def __repr__(self) -> str:
        from scenario.display import short

        model = str(self.manifest.get("model", self.config.model))
        return (
            f"<Results {short(self.config.name)} ({short(model)}): {self.replications:,} "
            f"replications, seed {self.manifest.get('seed')}, {len(self.outcomes)} outcomes, "
            f"{self.n_failed:,} failed>"
        )

    def _repr_html_(self) -> str:
        """A compact summary for notebooks (:func:`scenario.display.results_html`)."""
        from scenario.display import results_html

        return results_html(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Results):
            return NotImplemented
        return (
            self.config.model_dump(mode="json") == other.config.model_dump(mode="json")
            and _arrays_equal(self.outcomes, other.outcomes)
            and _arrays_equal(self.inputs, other.inputs)
            and _arrays_equal(self.series, other.series)
            and np.array_equal(self.dates, other.dates)
            and self.failures == other.failures
            and _stable(self.manifest) == _stable(other.manifest)
        )

    __hash__ = None  # type: ignore[assignment]

    def save(self, directory: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write ``outcomes.parquet``, ``inputs.parquet``, ``series.parquet`` and
        ``manifest.json`` (with each file's SHA-256 and rows) into ``directory``, atomically
        and exclusively (:mod:`scenario.results_files`).

        Parameters
        ----------
        directory : path
            Target directory; it must not exist (or be empty) unless ``overwrite`` is True
            (and then it must hold earlier results).
        overwrite : bool
            Replace existing results in ``directory``.

        Returns
        -------
        Path
            ``directory``.

        Raises
        ------
        ResultsError
            The target is occupied or claimed by another process, or cannot be written
            (permission denied, disk full: one line naming the path).
        """
        target = Path(directory)
        with claim(target, overwrite):
            try:
                tmp = Path(
                    tempfile.mkdtemp(
                        prefix=f".{target.name}.tmp-{os.getpid()}-", dir=target.parent
                    )
                )
            except OSError as exc:
                raise ResultsError(located(target, exc)) from None
            try:
                self._write_files(tmp)
                install(tmp, target, overwrite)
            except OSError as exc:
                shutil.rmtree(tmp, ignore_errors=True)
                raise ResultsError(located(target, exc)) from None
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
        return target

    def _write_files(self, tmp: Path) -> None:
        """Write the Parquet files, then the manifest with their checksums, into ``tmp``."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        idx = np.arange(self.replications, dtype=np.int64)
        pq.write_table(pa.table({"replication": idx, **self.outcomes}), tmp / "outcomes.parquet")
        pq.write_table(pa.table({"replication": idx, **self.inputs}), tmp / "inputs.parquet")
        rows = {"outcomes.parquet": len(idx), "inputs.parquet": len(idx)}
        rows["series.parquet"] = write_series(self.series, len(self.dates), tmp / "series.parquet")
        write_manifest(tmp, self.manifest, self.failures, self.dates, rows)


def write_manifest(
    directory: Path,
    manifest: Mapping[str, Any],
    failures: Sequence[Failure],
    dates: np.ndarray,
    rows: Mapping[str, int],
) -> None:
    """Write ``manifest.json`` into ``directory``: ``manifest`` plus the format version, the
    failures, the start date and each file's SHA-256 (read in chunks) and ``rows``."""
    doc = dict(manifest)
    doc["format_version"] = FORMAT_VERSION
    doc["failure_list"] = [f.model_dump() for f in failures]
    doc["start_date"] = str(dates[0]) if len(dates) else None
    doc["files"] = {
        name: {"sha256": file_sha256(directory / name), "rows": n} for name, n in rows.items()
    }
    (directory / "manifest.json").write_text(
        json.dumps(doc, indent=2, sort_keys=False, allow_nan=True), encoding="utf-8"
    )


def install(tmp: Path, target: Path, overwrite: bool) -> None:
    """Rename ``tmp`` to ``target``; an existing non-empty ``target`` is moved aside (and
    removed) only with ``overwrite`` (the caller holds the claim and checked it)."""
    if target.is_dir() and any(target.iterdir()):
        if not overwrite:  # appeared since the claim's check: never clobber
            raise ResultsError(f"{target}: exists and is not empty; refusing to replace it")
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(tmp, target)  # onto an empty directory at most


def write_series(series: Mapping[str, np.ndarray], horizon: int, path: Path) -> int:
    """Write kept daily series as a long table: one row (series, replication, values of
    ``horizon`` days) per series and kept replication; return the number of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names: list[str] = []
    reps: list[int] = []
    values: list[np.ndarray] = []
    for name, arr in series.items():
        for i in range(arr.shape[0]):
            names.append(name)
            reps.append(i)
            values.append(arr[i])
    flat = np.concatenate(values).astype(np.float32) if values else np.empty(0, dtype=np.float32)
    list_type = pa.list_(pa.float32(), horizon)
    col = pa.FixedSizeListArray.from_arrays(pa.array(flat, pa.float32()), horizon)
    pq.write_table(
        pa.table(
            {
                "series": pa.array(names, pa.string()),
                "replication": pa.array(reps, pa.int64()),
                "values": col.cast(list_type),
            }
        ),
        path,
    )
    return len(names)


def _first_line(exc: Exception) -> str:
    """A one-line reason (the first problem of a pydantic validation error)."""
    from pydantic import ValidationError

    if isinstance(exc, ValidationError) and exc.errors():
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    lines = str(exc).splitlines()
    return lines[0] if lines else type(exc).__name__


def load_results(directory: str | os.PathLike[str]) -> Results:
    """Read results written by :meth:`Results.save`, checking them first.

    Raises
    ------
    ResultsError
        ``directory`` holds no results, or they are corrupt: a manifest that is not an
        object or misses a field, a file whose SHA-256 or row count differs from the
        manifest's, malformed outcome metadata or failures, series of another horizon.
    """
    d = Path(directory)
    man_path = d / "manifest.json"
    if not man_path.is_file():
        raise ResultsError(f"{d} holds no manifest.json: not a scenario results directory")
    try:
        doc = json.loads(man_path.read_text(encoding="utf-8"))
        check_manifest(doc)
        tables = read_tables(d, doc)
        failures = tuple(Failure(**f) for f in doc.pop("failure_list", []))
        config = ScenarioConfig.model_validate(doc["config"])
        info = tuple(OutcomeMeta.from_dict(o) for o in doc["outcomes"])
    except ResultsError as exc:
        raise ResultsError(f"{d}: {exc}") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ResultsError(f"{d}: cannot read results: {_first_line(exc)}") from None
    doc.pop("start_date", None)
    doc.pop("files", None)
    outcomes, inputs = tables["outcomes.parquet"], tables["inputs.parquet"]
    names = [m.name for m in info]
    if names and list(outcomes) != names:
        raise ResultsError(
            f"{d}: outcomes.parquet columns {', '.join(outcomes)} differ from the "
            f"manifest's outcomes {', '.join(names)}"
        )
    bad = [f.index for f in failures if not 0 <= f.index < doc["replications"]]
    if bad:
        raise ResultsError(f"{d}: failure index {bad[0]} is outside the replications")
    try:
        series = series_arrays(tables["series.parquet"], config.horizon_days)
    except ResultsError as exc:
        raise ResultsError(f"{d}: {exc}") from None
    dates = np.datetime64(config.start_date, "D") + np.arange(config.horizon_days)
    return Results(
        config=config,
        outcomes=outcomes,
        inputs=inputs,
        series=series,
        dates=dates,
        failures=failures,
        manifest=doc,
        outcome_info=info,
    )
