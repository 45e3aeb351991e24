"""A calibrated posterior as a joint input: weighted rows of parameter values from a CSV file.

A scenario may name, at top level, a posterior written by a calibration:

.. code-block:: yaml

    posterior:
      file: ../calibrated/baseline_posterior.csv   # relative to the YAML file that sets it
      source: "ABC-SMC on configs/record/kursk_2024_2025.yaml (fit points to 2025-01-31)"
      as_of: 2026-11-27
      confidence: medium
      method: abc-smc

The file is CSV in UTF-8: ``#`` comment lines (provenance), then a header with one column
per parameter key ``group.name`` plus a column ``weight``, then one row ``theta_j`` per
particle with its weight ``w_j >= 0`` (finite, not all zero; they need not sum to 1). The
loader resolves ``file`` against the directory of the YAML file that set it (or the working
directory, for ``--set`` and configs built in Python) and stores the absolute path, so a
scenario that ``extends`` a calibrated one still finds the file.

Method. The weighted rows are a discrete approximation of the posterior,

.. math::

    \\pi(\\theta \\mid y) \\approx \\sum_j p_j \\, \\delta_{\\theta_j}, \\qquad
    p_j = w_j / \\textstyle\\sum_i w_i,

the particle population of ABC-SMC (Toni et al. 2009, *J. R. Soc. Interface* 6, 187-202).
Replication ``r`` draws one row independently, ``J_r ~ Categorical(p)`` (multinomial
resampling; Gordon, Salmond and Smith 1993, *IEE Proc. F* 140(2), 107-113), by inverting
the cumulative weights at one uniform draw of its block's posterior stream
(:func:`scenario.engine.rng.posterior_rng`):

.. math::

    J_r = \\min\\{ j : F_j > u_r \\}, \\qquad F_j = \\textstyle\\sum_{i \\le j} p_i,
    \\qquad u_r \\sim U[0, 1),

and takes ``theta_{J_r}`` for every parameter the file has a column for. The joint
distribution of the calibrated parameters (their correlations) is kept; the parameters
without a column are drawn from their own streams, exactly as without a posterior; two
scenarios run on the same seed draw the same rows (common random numbers). A row of zero
weight is never drawn. The effective sample size of the rows is Kish's (1965, *Survey
Sampling*, sec. 11.7) ``ESS = (sum w)^2 / sum w^2``, the number of equally weighted rows that
would carry as much information; the manifest records it.

Precedence: a design column (:mod:`scenario.engine.design`) over a posterior column over
sampling. A parameter with a column keeps its distribution spec under ``parameters:`` (the
prior, which ``scenario params`` shows), but its draws are replaced; it cannot also be in
``correlations``.

Reading: :func:`read_posterior` (errors located in the CSV), :func:`load_posterior` (at
``posterior.file``), :func:`check_posterior` (against a model's parameters).
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import Field

from scenario.config.distribution_specs import Provenance
from scenario.config.locations import SourceMap, issue_at
from scenario.config.names import closest_parameter
from scenario.errors import ConfigError, ConfigIssue

if TYPE_CHECKING:
    from scenario.config.schema import ScenarioConfig

__all__ = [
    "WEIGHT_COLUMN",
    "Posterior",
    "PosteriorInput",
    "check_posterior",
    "draw_rows",
    "load_posterior",
    "posterior_record",
    "read_posterior",
    "resolve_posterior_file",
]

WEIGHT_COLUMN = "weight"
"""The header of the column that holds each row's weight."""


class PosteriorInput(Provenance):
    """The ``posterior:`` entry of a scenario: a weighted CSV file and its provenance."""

    file: str = Field(
        min_length=1,
        description=(
            "CSV file of weighted parameter rows (header: group.name columns and 'weight'), "
            "relative to the YAML file that sets it."
        ),
    )
    method: str = Field(
        min_length=1, description="How the rows were obtained (abc-smc, abc-rejection, ...)."
    )


@dataclass(frozen=True, eq=False)
class Posterior:
    """The rows of a posterior file, checked: values by column, weights, where they came from.

    Attributes
    ----------
    path : str
        Absolute path of the file.
    sha256 : str
        SHA-256 of the file's bytes.
    columns : dict of str to numpy.ndarray
        Parameter key to its read-only ``float64`` values, one per row, in header order.
    weights : numpy.ndarray
        Read-only ``float64`` weights as written (non-negative, finite, not all zero).
    """

    path: str
    sha256: str
    columns: dict[str, np.ndarray]
    weights: np.ndarray

    @property
    def rows(self) -> int:
        """Number of rows."""
        return int(self.weights.shape[0])

    @property
    def probabilities(self) -> np.ndarray:
        """``p_j = w_j / sum w``: the probability that a replication draws row ``j``."""
        p: np.ndarray = self.weights / self.weights.sum()
        return p

    @property
    def ess(self) -> float:
        """Kish's effective sample size ``(sum w)^2 / sum w^2``."""
        w = self.weights
        return float(w.sum() ** 2 / np.dot(w, w))

    @property
    def distinct_rows(self) -> int:
        """Number of distinct rows (a resampled population repeats rows at equal weights)."""
        table = np.column_stack([*self.columns.values(), self.weights])
        return int(np.unique(table, axis=0).shape[0])


def resolve_posterior_file(data: Mapping[str, Any], source_map: SourceMap) -> dict[str, Any]:
    """``data`` with ``posterior.file`` made absolute, relative to the file that set it.

    Parameters
    ----------
    data : mapping
        A merged scenario document (plain data, before validation).
    source_map : SourceMap
        Where each key was written: ``posterior.file`` is resolved against the directory of
        its file, or the working directory for an override (``<--set ...>``) or Python.

    Returns
    -------
    dict
        A shallow copy of ``data``; without a ``posterior.file`` string, unchanged.
    """
    out = dict(data)
    post = out.get("posterior")
    if not isinstance(post, dict) or not isinstance(post.get("file"), str):
        return out
    raw = post["file"]
    if not raw.strip():
        return out
    loc = source_map.locations.get(("posterior", "file"))
    from_file = loc is not None and not loc.file.startswith("<")
    base = Path(loc.file).parent if loc is not None and from_file else Path.cwd()
    target = (base / Path(raw).expanduser()).resolve()
    out["posterior"] = {**post, "file": str(target)}
    return out


def _problem(path: str, line: int, key: str, message: str) -> ConfigError:
    return ConfigError(ConfigIssue(path, line, 1 if line else 0, key, message))


def _header(path: str, lines: Sequence[str]) -> tuple[int, list[str]]:
    """The index of the header line (after ``#`` comments and blank lines) and its names."""
    for i, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        names = [name.strip() for name in next(csv.reader([line]))]
        twice = [name for j, name in enumerate(names) if name in names[:j]]
        problem = ""
        if "" in names:
            problem = f"column {names.index('') + 1} has no name"
        elif twice:
            problem = f"column {twice[0]!r} appears twice"
        elif WEIGHT_COLUMN not in names:
            problem = f"no {WEIGHT_COLUMN!r} column; give each row's weight"
        elif len(names) < 2:
            problem = "no parameter columns"
        if problem:
            raise _problem(path, i + 1, "", f"header: {problem} (got {line.strip()!r})")
        return i, names
    raise _problem(
        path,
        len(lines),
        "",
        "no header: expected a line of parameter keys group.name and 'weight' after the "
        f"'#' comments (got {len(lines)} comment or blank line(s))",
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _values(
    path: str, lines: Sequence[str], start: int, names: list[str]
) -> tuple[np.ndarray, list[int]]:
    """The numbers below the header, one row per record, and each row's line number."""
    rows: list[list[float]] = []
    line_of: list[int] = []
    reader = csv.reader(lines[start + 1 :])
    for record in reader:
        line = start + 1 + reader.line_num
        if not record:
            continue
        if len(record) != len(names):
            raise _problem(
                path,
                line,
                "",
                f"row {len(rows) + 1} has {len(record)} field(s) but the header has "
                f"{len(names)} (got {','.join(record)[:60]!r})",
            )
        try:
            rows.append(list(map(float, record)))
        except ValueError:
            j = next(j for j, field in enumerate(record) if not _is_number(field))
            message = f"row {len(rows) + 1}: not a number (got {record[j]!r})"
            raise _problem(path, line, names[j], message) from None
        line_of.append(line)
    if not rows:
        raise _problem(path, start + 1, "", "no rows below the header (got 0 rows)")
    return np.array(rows, dtype=np.float64), line_of


def _check_numbers(path: str, table: np.ndarray, line_of: list[int], names: list[str]) -> None:
    """Finite values everywhere; non-negative weights, not all zero."""
    bad = ~np.isfinite(table)
    if bad.any():
        i, j = (int(x) for x in np.argwhere(bad)[0])
        raise _problem(
            path,
            line_of[i],
            names[j],
            f"row {i + 1}: not finite; {int(bad.sum())} non-finite value(s) in the file "
            f"(got {float(table[i, j])!r})",
        )
    w = table[:, names.index(WEIGHT_COLUMN)]
    negative = np.flatnonzero(w < 0)
    if negative.size:
        i = int(negative[0])
        message = f"row {i + 1}: must not be negative ({negative.size} are) (got {float(w[i])!r})"
        raise _problem(path, line_of[i], WEIGHT_COLUMN, message)
    if not (w > 0).any():
        message = (
            f"every weight is zero; one row at least needs a positive weight (got {float(w[0])!r})"
        )
        raise _problem(path, line_of[0], WEIGHT_COLUMN, message)


def read_posterior(path: str | os.PathLike[str]) -> Posterior:
    """Read and check a posterior file.

    Parameters
    ----------
    path : str or path-like
        The CSV file: ``#`` comment lines, a header of parameter keys and ``weight``, rows
        of numbers.

    Returns
    -------
    Posterior
        Its rows by column (header order), the weights, its absolute path and SHA-256.

    Raises
    ------
    ConfigError
        One issue located in the CSV file (``FILE:LINE:1: column: message (got VALUE)``):
        the file is missing, unreadable or not UTF-8; no header; a header column without a
        name, twice, or no ``weight`` column or no parameter column; a row of the wrong
        length; a value that is not a number or not finite; a negative weight; every weight
        zero; no rows.
    """
    p = Path(path).expanduser().resolve()
    where = str(p)
    try:
        raw = p.read_bytes()
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise _problem(where, 0, "", f"posterior file not found (got {str(path)!r})") from None
    except (OSError, UnicodeError) as exc:
        why = getattr(exc, "strerror", None) or f"not UTF-8 text ({exc})"
        raise _problem(where, 0, "", f"cannot read: {why} (got {str(path)!r})") from None
    lines = text.splitlines()
    start, names = _header(where, lines)
    table, line_of = _values(where, lines, start, names)
    _check_numbers(where, table, line_of, names)
    table.setflags(write=False)
    columns = {name: table[:, j] for j, name in enumerate(names) if name != WEIGHT_COLUMN}
    weights = table[:, names.index(WEIGHT_COLUMN)]
    return Posterior(where, hashlib.sha256(raw).hexdigest(), columns, weights)


def load_posterior(config: ScenarioConfig) -> Posterior | None:
    """Read the posterior file ``config`` names, if any.

    Parameters
    ----------
    config : ScenarioConfig
        A scenario; its ``posterior.file`` is absolute when loaded from YAML, otherwise
        taken relative to the working directory.

    Returns
    -------
    Posterior or None
        ``None`` when the scenario names no posterior.

    Raises
    ------
    ConfigError
        A problem with the file (see :func:`read_posterior`), located at ``posterior.file``
        of the YAML file that set it; the message names the place in the CSV.
    """
    spec = config.posterior
    if spec is None:
        return None
    try:
        return read_posterior(spec.file)
    except ConfigError as exc:
        issues = []
        for inner in exc.issues:
            key = f"{inner.key}: " if inner.key else ""
            place = f"{inner.file}:{inner.line}" if inner.line else inner.file
            issues.append(
                issue_at(config, ("posterior", "file"), f"{place}: {key}{inner.message}")
            )
        raise ConfigError(issues) from None


def check_posterior(
    config: ScenarioConfig,
    declared: Collection[str],
    ignorable: Collection[str] = frozenset(),
    *,
    model_name: str = "",
) -> tuple[list[ConfigIssue], list[str]]:
    """Check a scenario's posterior file against the parameters a model declares.

    Parameters
    ----------
    config : ScenarioConfig
        The scenario.
    declared : collection of str
        The keys of the parameters the model samples.
    ignorable : collection of str
        Keys of parameters the model knows but does not sample (submodels left out of a
        composition): their columns are ignored, with a note.
    model_name : str
        The model's name, for the messages.

    Returns
    -------
    tuple of (list of ConfigIssue, list of str)
        Located issues (empty when all is well) and notes for the user.
    """
    try:
        post = load_posterior(config)
    except ConfigError as exc:
        return list(exc.issues), []
    if post is None:
        return [], []
    issues: list[ConfigIssue] = []
    ignored = [name for name in post.columns if name not in declared and name in ignorable]
    model = f"model {model_name!r}" if model_name else "the model"
    for name in post.columns:
        if name in declared or name in ignorable:
            continue
        close = closest_parameter(name, sorted(declared))
        hint = f"; did you mean {close!r}?" if close else ""
        issues.append(
            issue_at(
                config,
                ("posterior", "file"),
                f"{post.path}: a column is not a parameter of {model}{hint} (got {name!r})",
            )
        )
    for i, corr in enumerate(config.correlations):
        for j, name in enumerate(corr.between):
            if name in post.columns and name in declared:
                issues.append(
                    issue_at(
                        config,
                        ("correlations", i, "between", j),
                        f"{name} is a column of the posterior ({post.path}), which sets its "
                        "joint distribution with the other calibrated parameters; drop the "
                        f"correlation or the column (got {name!r})",
                    )
                )
    notes = []
    if ignored:
        notes.append(
            f"note: {len(ignored)} posterior column(s) of submodels not in this composition "
            f"were ignored ({', '.join(ignored)})"
        )
    return issues, notes


def draw_rows(posterior: Posterior, size: int, *, rng: np.random.Generator) -> np.ndarray:
    """Draw ``size`` row indices independently with probability proportional to weight.

    Parameters
    ----------
    posterior : Posterior
        The rows and their weights.
    size : int
        Replications to draw for.
    rng : numpy.random.Generator
        The block's posterior stream (:func:`scenario.engine.rng.posterior_rng`); exactly
        ``size`` uniforms are taken from it.

    Returns
    -------
    numpy.ndarray
        ``int64`` indices ``J_r = min{j : F_j > u_r}`` (see the module docstring).
    """
    cdf = np.cumsum(posterior.weights)
    cdf /= cdf[-1]
    u = rng.random(size)
    return np.searchsorted(cdf, u, side="right").astype(np.int64)


def posterior_record(posterior: Posterior, spec: PosteriorInput | None) -> dict[str, Any]:
    """The manifest's record of a posterior: file, hash, size, ESS and provenance.

    Parameters
    ----------
    posterior : Posterior
        The rows that were used.
    spec : PosteriorInput or None
        The config's entry (its provenance), if any.

    Returns
    -------
    dict
        JSON-ready: ``file`` (absolute), ``sha256``, ``rows``, ``columns``,
        ``effective_sample_size``, ``distinct_rows`` and, with ``spec``, ``source``,
        ``as_of``, ``confidence``, ``method`` and ``note``.
    """
    out: dict[str, Any] = {
        "file": posterior.path,
        "sha256": posterior.sha256,
        "rows": posterior.rows,
        "columns": list(posterior.columns),
        "effective_sample_size": posterior.ess,
        "distinct_rows": posterior.distinct_rows,
    }
    if spec is not None:
        out.update(
            source=spec.source,
            as_of=spec.as_of.isoformat(),
            confidence=spec.confidence,
            method=spec.method,
            note=spec.note,
        )
    return out
