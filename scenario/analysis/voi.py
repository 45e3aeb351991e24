r"""Value of information: which uncertainty, if resolved, would change the choice, by how much.

A choice among options :math:`d` is made by an objective (an outcome with its direction,
or a weighted objective declared in ``objectives:``), turned into a net benefit
:math:`NB_d` to maximize (minimized outcomes are negated). The options are run on the same
seed, so replication :math:`i` of each sees the same inputs :math:`\theta_i` (paired runs).

* **EVPI**, the expected value of perfect information on the parameters:
  :math:`E_\theta[\max_d E(NB_d \mid \theta)] - \max_d E[NB_d]`.
* **EVPPI** of a parameter or group :math:`\varphi`:
  :math:`E_\varphi[\max_d E(NB_d \mid \varphi)] - \max_d E[NB_d]`.

Both are estimated by the regression method of Strong, Oakley & Brennan (2014, *Medical
Decision Making* 34:311): the incremental net benefits :math:`INB_d = NB_d - NB_1` are
regressed on :math:`\varphi` with a generalised additive model
(:mod:`scenario.analysis.smoothing`: a penalised cubic regression spline for one input, a
tensor-product spline for two, an additive spline model beyond, the smoothing chosen by
generalised cross-validation), whose fitted values :math:`\hat g_d(\varphi_i)` estimate
:math:`E(INB_d \mid \varphi_i)`:

.. math:: \widehat{EVPPI} = \frac1n \sum_i \max_d \hat g_d(\varphi_i)
          - \max_d \frac1n \sum_i \hat g_d(\varphi_i), \qquad \hat g_1 \equiv 0 .

EVPI is the same estimate with :math:`\varphi` = every parameter (an additive model, which
misses interactions between parameters); it needs at least 10 replications per varied
parameter and is reported as not estimated below that. The regression basis is kept to at
most :math:`n/10` columns (:mod:`scenario.analysis.smoothing`), so a small run does not fit
its noise exactly; at least 50 paired replications are required. The model's own
randomness is not information anyone can buy, so it is averaged out by the regression; the
per-replication value :math:`\frac1n\sum_i \max_d NB_{d,i} - \max_d \overline{NB_d}`, which
would also "resolve" that randomness, is reported separately as an upper bound. Standard
errors are those of the mean of the fitted maxima (they ignore the uncertainty of the fit).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict

from scenario.errors import ResultsError

if TYPE_CHECKING:
    from scenario.config.schema import ScenarioConfig
    from scenario.results import Results

__all__ = ["ValueOfInformation", "VoiRow", "evpi_per_replication", "evppi", "voi"]

_FROZEN = ConfigDict(frozen=True)


class VoiRow(BaseModel):
    """EVPPI of one parameter or group."""

    model_config = _FROZEN

    factor: str
    parameters: tuple[str, ...]
    evppi: float
    se: float
    share_of_evpi: float


class ValueOfInformation(BaseModel):
    """The choice, its expected net benefits, EVPI and the EVPPI of each factor."""

    model_config = _FROZEN

    objective: str
    unit: str
    direction: str
    options: tuple[str, ...]
    means: tuple[float, ...]
    best: str
    replications: int
    evpi: float
    evpi_se: float
    evpi_upper: float
    dropped: int
    rows: tuple[VoiRow, ...]


def evpi_per_replication(nb: np.ndarray) -> float:
    """``mean_i max_d NB[d, i] - max_d mean_i NB[d, i]`` for net benefits ``(options, n)``."""
    values = np.asarray(nb, dtype=np.float64)
    return float(values.max(axis=0).mean() - values.mean(axis=1).max())


def evppi(nb: np.ndarray, x: np.ndarray) -> tuple[float, float]:
    """EVPPI of the inputs ``x`` (n, m) for net benefits ``nb`` (options, n), by regression.

    Returns
    -------
    (evppi, se) : tuple of float
        The estimate (module docstring) and the standard error of its first term.
    """
    values = np.asarray(nb, dtype=np.float64)
    inputs = np.asarray(x, dtype=np.float64)
    if inputs.ndim == 1:
        inputs = inputs[:, None]
    if values.ndim != 2 or values.shape[0] < 2 or inputs.shape[0] != values.shape[1]:
        raise ResultsError(
            f"evppi: need nb (options >= 2, n) and x (n, m) (got {values.shape}, {inputs.shape})"
        )
    from scenario.analysis.smoothing import fit_additive

    inb = values[1:] - values[0]
    g = np.vstack([np.zeros(values.shape[1]), np.atleast_2d(fit_additive(inputs, inb))])
    best = g.max(axis=0)
    est = float(best.mean() - g.mean(axis=1).max())
    se = float(best.std(ddof=1) / math.sqrt(best.size))
    return max(est, 0.0), se


def _load(item: ScenarioConfig | Results | str | Path) -> ScenarioConfig | Results:
    from scenario.config.loader import load_config
    from scenario.results import load_results

    if isinstance(item, (str, Path)):
        p = Path(item)
        return load_results(p) if (p / "manifest.json").is_file() else load_config(p)
    return item


def _runs(
    items: Sequence[ScenarioConfig | Results | str | Path],
    replications: int | None,
    seed: int | None,
    workers: int | None,
) -> list[Results]:
    from scenario.engine.executors import pool_for
    from scenario.engine.runner import run
    from scenario.results import Results

    loaded = [_load(i) for i in items]
    out: list[Results] = []
    to_run = sum(not isinstance(item, Results) for item in loaded)
    with pool_for(workers if to_run > 1 else None) as pool:  # one pool for every run
        w = None if pool is not None else workers
        for item in loaded:
            if isinstance(item, Results):
                out.append(item)
            else:
                s = item.run.seed if seed is None else seed
                out.append(run(item, replications=replications, seed=s, workers=w, executor=pool))
    first = out[0]
    for r in out[1:]:
        if (r.replications, r.manifest["seed"]) != (first.replications, first.manifest["seed"]):
            raise ResultsError(
                f"{r.config.name!r} ran {r.replications} replications with seed "
                f"{r.manifest['seed']}, {first.config.name!r} {first.replications} with seed "
                f"{first.manifest['seed']}: value of information needs paired runs"
            )
    return out


MIN_REPLICATIONS = 50
"""Fewest paired replications for which value of information is estimated."""


def _check_shared_inputs(runs: Sequence[Results]) -> None:
    """The options must see the same inputs in every replication (same parameter
    distributions and seed), or EVPPI has no common parameter to condition on."""
    first = runs[0]
    for r in runs[1:]:
        differ = [
            k
            for k, v in first.inputs.items()
            if k in r.inputs and not np.array_equal(v, r.inputs[k], equal_nan=True)
        ]
        if differ:
            raise ResultsError(
                f"{r.config.name!r} drew other inputs than {first.config.name!r} for "
                f"{len(differ)} parameter(s), e.g. {differ[0]!r}: value of information needs "
                "options that differ only in their levers (same parameters, same seed)"
            )


def _factor_inputs(
    first: Results, groups: bool, parameters: Sequence[str] | None
) -> dict[str, tuple[str, ...]]:
    keys = [k for k in first.inputs if np.ptp(first.inputs[k]) > 0]
    table: dict[str, tuple[str, ...]] = {}
    for k in keys:
        name = k.split(".", 1)[0] if groups else k
        table[name] = (*table.get(name, ()), k)
    if parameters is not None:
        missing = [p for p in parameters if p not in table]
        if missing:
            raise ResultsError(f"parameters: not varied inputs of these runs: {missing}")
        table = {p: table[p] for p in parameters}
    return table


def _rows(
    nb: np.ndarray,
    first: Results,
    ok: np.ndarray,
    table: dict[str, tuple[str, ...]],
    evpi: float,
) -> list[VoiRow]:
    """EVPPI of every factor."""
    rows = []
    for factor, keys in table.items():
        x = np.column_stack([first.inputs[k][ok] for k in keys])
        est, se = evppi(nb, x)
        rows.append(
            VoiRow(
                factor=factor,
                parameters=keys,
                evppi=est,
                se=se,
                share_of_evpi=est / evpi if evpi > 0 else math.nan,
            )
        )
    return rows


def voi(
    base: ScenarioConfig | Results | str | Path,
    *options: ScenarioConfig | Results | str | Path,
    objective: str,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    groups: bool = False,
    parameters: Sequence[str] | None = None,
) -> ValueOfInformation:
    """EVPI and the EVPPI of each parameter (or group) for choosing among the options.

    Parameters
    ----------
    base, *options : ScenarioConfig, Results, or path (YAML file or results directory)
        The choices (at least two in all); configs are run on the same seed.
    objective : str
        An outcome with a direction, or a weighted objective of the base's ``objectives:``.
    replications, seed, workers
        For the runs (default: each config's own settings; paired runs need the same).
    groups : bool
        One EVPPI per parameter group instead of per parameter.
    parameters : sequence of str, optional
        Only these parameters (or groups).

    Returns
    -------
    ValueOfInformation
        Factors sorted by decreasing EVPPI, in the objective's unit.
    """
    from scenario.analysis.objectives import objective as objective_values

    if not options:
        raise ResultsError("voi: give a base and at least one option")
    runs = _runs([base, *options], replications, seed, workers)
    values = [objective_values(r, objective) for r in runs]
    sign = -1.0 if values[0].direction == "minimize" else 1.0
    nb = np.vstack([sign * v.values for v in values])
    ok = np.all(np.isfinite(nb), axis=0)
    nb = nb[:, ok]
    if nb.shape[1] < MIN_REPLICATIONS:
        raise ResultsError(
            f"replications: value of information needs at least {MIN_REPLICATIONS} paired "
            f"replications with a finite {objective!r} (got {nb.shape[1]})"
        )
    first = runs[0]
    _check_shared_inputs(runs)
    table = _factor_inputs(first, groups, parameters)
    all_x = np.column_stack([first.inputs[k][ok] for ks in table.values() for k in ks])
    try:
        evpi, evpi_se = evppi(nb, all_x)
    except ResultsError:  # too few replications for a regression on every input at once
        evpi, evpi_se = math.nan, math.nan
    rows = _rows(nb, first, ok, table, evpi)
    rows.sort(key=lambda r: -r.evppi)
    means = nb.mean(axis=1) * sign
    names = tuple(r.config.name for r in runs)
    return ValueOfInformation(
        objective=objective,
        unit=values[0].unit,
        direction=values[0].direction,
        options=names,
        means=tuple(float(m) for m in means),
        best=names[int(np.argmax(nb.mean(axis=1)))],
        replications=int(nb.shape[1]),
        evpi=evpi,
        evpi_se=evpi_se,
        dropped=int((~ok).sum()),
        evpi_upper=evpi_per_replication(nb),
        rows=tuple(rows),
    )
