"""The design seam: run a scenario on given input rows instead of sampled ones.

``run(config, design={"group.name": array, ...})`` runs one replication per row of the
design. Replication ``i`` of block ``b`` takes ``design[k][i]`` for every design column
``k``; every parameter without a column is sampled as usual from its own stream
(:mod:`scenario.engine.rng`), and the model's streams are the usual ones. So two designs
that differ in one column see the same draws of every other parameter and the same model
randomness (common random numbers), and a column equal to the values a plain run samples
reproduces that run bit for bit. Sensitivity analysis (Morris, Sobol), value of information
and sweeps map a unit-hypercube design onto the marginals with
:func:`scenario.config.distributions.ppf` and run it through this seam.

:func:`check_design` turns what the caller gave (a mapping of columns, or a DataFrame-like
object with ``.columns`` and ``.to_numpy()``) into read-only ``float64`` columns, with
clear errors for unknown columns (naming the closest declared parameter), columns of the
wrong length or shape, non-numeric and non-finite values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from scenario.config.names import closest_parameter
from scenario.errors import EngineError

__all__ = ["check_design", "design_columns"]


def design_columns(design: Any) -> dict[str, Any]:
    """The columns of ``design`` as a plain ``{name: values}`` dict (not yet checked).

    Parameters
    ----------
    design : mapping or DataFrame-like
        A mapping of column name to values, or an object with ``.columns`` and
        ``.to_numpy()`` (a pandas DataFrame; pandas is not imported).

    Returns
    -------
    dict of str to object

    Raises
    ------
    EngineError
        ``design`` is neither.
    """
    if isinstance(design, Mapping):
        return dict(design)
    if hasattr(design, "columns") and hasattr(design, "to_numpy"):
        return {c: design[c].to_numpy() for c in design.columns}
    raise EngineError(
        "design must be a mapping {'group.name': array} or a DataFrame "
        f"(got {type(design).__name__})"
    )


def _column(name: Any, values: Any, declared: Sequence[str]) -> np.ndarray:
    """One design column as a read-only float64 copy, after its name and values pass."""
    if not isinstance(name, str) or name not in declared:
        close = closest_parameter(str(name), declared)
        hint = f"; did you mean {close!r}?" if close else ""
        raise EngineError(
            f"design column {name!r} is not a sampled parameter of this run{hint} "
            f"(parameters: {', '.join(declared)})"
        )
    try:
        arr = np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise EngineError(
            f"design column {name!r} must hold numbers "
            f"(got {type(values).__name__}: {str(values)[:60]})"
        ) from None
    if arr.ndim != 1:
        raise EngineError(
            f"design column {name!r} must be one-dimensional, one value per replication "
            f"(got shape {arr.shape})"
        )
    bad = np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        i = int(bad[0])
        raise EngineError(
            f"design column {name!r} holds {bad.size} non-finite value(s), first at row {i} "
            f"(got {float(arr[i])!r})"
        )
    arr.setflags(write=False)
    return arr


def check_design(
    design: Any, declared: Sequence[str], replications: int | None
) -> tuple[dict[str, np.ndarray], int]:
    """Check a design against a run's parameters and replication count.

    Parameters
    ----------
    design : mapping or DataFrame-like
        ``{"group.name": values}``, one row per replication (see :func:`design_columns`).
    declared : sequence of str
        The parameters the run samples (its model's, given by the config).
    replications : int, optional
        The replications asked for; ``None`` takes the design's length.

    Returns
    -------
    tuple of (dict of str to numpy.ndarray, int)
        Read-only ``float64`` copies of the columns, sorted by name, and the replications.

    Raises
    ------
    EngineError
        No columns; an unknown column (the message names the closest declared parameter);
        values that are not numbers, not one-dimensional or not finite; columns of
        different lengths; a length different from ``replications``.
    """
    raw = design_columns(design)
    if not raw:
        raise EngineError("design has no columns; give at least one 'group.name': values")
    columns = {str(k): _column(k, v, declared) for k, v in raw.items()}
    first = min(columns)
    n = columns[first].shape[0]
    for name in sorted(columns):
        size = columns[name].shape[0]
        if size != n:
            raise EngineError(
                f"design column {name!r} has {size} rows, but column {first!r} has {n}; "
                "every column needs one value per replication"
            )
    if n < 1:
        raise EngineError(f"design columns are empty (column {first!r} has 0 rows)")
    if replications is not None and replications != n:
        raise EngineError(
            f"replications must equal the design's length {n} (column {first!r}) or be "
            f"left out (got replications={replications!r})"
        )
    return {k: columns[k] for k in sorted(columns)}, n
