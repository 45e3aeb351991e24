r"""Global sensitivity: Morris elementary effects and Sobol indices (SALib), and the share of
the variance that is the model's own randomness.

Designs on the unit hypercube map onto the config's marginals through each parameter's
quantile function and run through the engine's design seam (see
:mod:`scenario.analysis.sensitivity` for factors and groups).

**Morris** (Morris 1991; :math:`\mu^*` of Campolongo, Cariboni & Saltelli 2007), sampled and
analysed by SALib. Along :math:`r` trajectories on a :math:`p`-level grid with step
:math:`\Delta = p / (2(p-1))`, the elementary effect of factor :math:`j` is
:math:`EE_j = (Y(u + \Delta e_j) - Y(u)) / \Delta`; reported: :math:`\mu` (mean),
:math:`\mu^* = E|EE_j|` with a bootstrap interval, and :math:`\sigma` (interactions or
non-linearity). Effects are per unit of quantile range.

**Sobol** (Saltelli 2002; Saltelli et al. 2010; Jansen 1999), sampled with a scrambled
Sobol' sequence and analysed by SALib: first-order :math:`S_j = V[E(Y|X_j)]/V(Y)` and total
:math:`S_{Tj} = E[V(Y|X_{\sim j})]/V(Y)`, with bootstrap intervals, from
:math:`N(k + 2)` runs.

**The model's own randomness.** A stochastic model's output varies even with every factor
fixed. Its share, :math:`S_\varepsilon = E[V(Y|X)]/V(Y)`, is estimated by running the
:math:`N` base points twice with independent model streams (another seed):
:math:`E[V(Y|X)] \approx \frac{1}{2N}\sum_i (Y_i - Y_i')^2`, with a bootstrap interval. It is
reported on its own, not folded into the factors. It includes the variation of parameters
left out of the analysis (``parameters=``). The Jansen total-effect estimator then equals
:math:`S_{Tj} + S_\varepsilon` in expectation, because the two runs it differences differ in
their noise too; ``st_net`` removes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from scenario.analysis.sensitivity import (
    _check_outcome,
    _design,
    _outcome,
    _seed,
    _unit,
    factors,
)
from scenario.errors import EngineError, ResultsError

if TYPE_CHECKING:
    from scenario.config.schema import ScenarioConfig

__all__ = ["MorrisResult", "MorrisRow", "SobolResult", "SobolRow", "morris", "sobol"]

_FROZEN = ConfigDict(frozen=True)


class MorrisRow(BaseModel):
    """Elementary-effect statistics of one factor."""

    model_config = _FROZEN

    factor: str
    mu: float
    mu_star: float
    mu_star_lo: float
    mu_star_hi: float
    sigma: float


class MorrisResult(BaseModel):
    """Morris screening of an outcome, by decreasing :math:`\\mu^*`."""

    model_config = _FROZEN

    outcome: str
    unit: str
    trajectories: int
    levels: int
    runs: int
    seed: int
    rows: tuple[MorrisRow, ...]

    def __repr__(self) -> str:
        from scenario.display import short

        top = f"; largest mu* {self.rows[0].factor}" if self.rows else ""
        return (
            f"<MorrisResult of {short(self.outcome)}: {len(self.rows)} factors, "
            f"{self.trajectories} trajectories, {self.runs:,} runs, seed {self.seed}{top}>"
        )

    def _repr_html_(self) -> str:
        """A compact table for notebooks (:func:`scenario.display.morris_html`)."""
        from scenario.display import morris_html

        return morris_html(self)


class SobolRow(BaseModel):
    """First-order and total Sobol indices of one factor, with intervals."""

    model_config = _FROZEN

    factor: str
    s1: float
    s1_lo: float
    s1_hi: float
    st: float
    st_lo: float
    st_hi: float
    st_net: float


class SobolResult(BaseModel):
    """Sobol indices of an outcome, by decreasing total index, and the noise share."""

    model_config = _FROZEN

    outcome: str
    unit: str
    n: int
    runs: int
    seed: int
    conf_level: float
    noise_share: float
    noise_lo: float
    noise_hi: float
    rows: tuple[SobolRow, ...]

    def __repr__(self) -> str:
        from scenario.display import fmt_number, short

        top = f"; largest ST {self.rows[0].factor}" if self.rows else ""
        return (
            f"<SobolResult of {short(self.outcome)}: {len(self.rows)} factors, "
            f"{self.runs:,} runs, seed {self.seed}, noise share "
            f"{fmt_number(self.noise_share)}{top}>"
        )

    def _repr_html_(self) -> str:
        """A compact table for notebooks (:func:`scenario.display.sobol_html`)."""
        from scenario.display import sobol_html

        return sobol_html(self)


def _varying(y: np.ndarray, outcome: str) -> np.ndarray:
    """Refuse an outcome that does not vary over the design (its indices are undefined)."""
    if float(np.ptp(y)) == 0.0:
        raise ResultsError(
            f"outcome {outcome!r} is the same ({y[0]:g}) in every run of the design: its "
            "sensitivity indices are undefined (is the lever that drives it off?)"
        )
    return y


def _salib(module: str) -> Any:
    """Import a SALib module, or say how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise EngineError(
            "Morris and Sobol analyses need SALib: pip install -e '.[analysis]' in the "
            "repository (or pip install SALib)"
        ) from None


def _problem(table: Mapping[str, tuple[str, ...]], groups: bool) -> dict[str, Any]:
    names = [k for ks in table.values() for k in ks]
    problem: dict[str, Any] = {
        "num_vars": len(names),
        "names": names,
        "bounds": [[0.0, 1.0]] * len(names),
    }
    if groups:
        problem["groups"] = [f for f, ks in table.items() for _ in ks]
    return problem


def _morris_rows(out: Mapping[str, Any]) -> list[MorrisRow]:
    """Rows of SALib's Morris analysis (mu* interval as estimate +- its half-width)."""
    names = list(out["names"])
    return [
        MorrisRow(
            factor=str(names[j]),
            mu=float(out["mu"][j]),
            mu_star=float(out["mu_star"][j]),
            mu_star_lo=float(out["mu_star"][j] - out["mu_star_conf"][j]),
            mu_star_hi=float(out["mu_star"][j] + out["mu_star_conf"][j]),
            sigma=float(out["sigma"][j]),
        )
        for j in range(len(names))
    ]


def morris(
    config: ScenarioConfig,
    *,
    outcome: str,
    trajectories: int = 20,
    levels: int = 4,
    seed: int | None = None,
    workers: int | None = None,
    groups: bool = False,
    parameters: Sequence[str] | None = None,
    conf_level: float = 0.95,
) -> MorrisResult:
    """Morris elementary effects of ``outcome`` (SALib), by decreasing :math:`\\mu^*`.

    Runs ``trajectories x (factors + 1)`` replications, one per design point.

    Parameters
    ----------
    config : ScenarioConfig
        The scenario to analyse.
    outcome : str
        Outcome name.
    trajectories : int
        Morris trajectories ``r``.
    levels : int
        Grid levels ``p`` (even).
    seed : int, optional
        Seeds the trajectories, the bootstrap and the run (default: the config's).
    workers : int, optional
        Worker processes.
    groups, parameters
        See :func:`factors`.
    conf_level : float
        Level of the bootstrap interval of :math:`\\mu^*`.
    """
    morris_analyze = _salib("SALib.analyze.morris")
    morris_sample = _salib("SALib.sample.morris")

    from scenario.engine.runner import run

    if trajectories < 2 or levels < 2 or levels % 2:
        raise EngineError(
            f"morris: need trajectories >= 2 and an even levels >= 2 "
            f"(got trajectories={trajectories}, levels={levels})"
        )
    _check_outcome(config, outcome)
    s = _seed(config, seed)
    table = factors(config, groups=groups, parameters=parameters)
    problem = _problem(table, groups)
    unit = morris_sample.sample(problem, trajectories, num_levels=levels, seed=s)
    res = run(
        config,
        replications=unit.shape[0],
        seed=s,
        workers=workers,
        design=_design(config, table, unit),
    )
    y = _varying(_outcome(res, outcome), outcome)
    out = morris_analyze.analyze(
        problem, unit, y, num_levels=levels, conf_level=conf_level, seed=s, num_resamples=1000
    )
    rows = _morris_rows(out)
    rows.sort(key=lambda r: -r.mu_star)
    return MorrisResult(
        outcome=outcome,
        unit=_unit(res, outcome),
        trajectories=trajectories,
        levels=levels,
        runs=int(unit.shape[0]),
        seed=s,
        rows=tuple(rows),
    )


def _noise_share(
    config: ScenarioConfig,
    design: Mapping[str, np.ndarray],
    rows: np.ndarray,
    y: np.ndarray,
    *,
    outcome: str,
    seed: int,
    workers: int | None,
    level: float,
) -> tuple[float, float, float]:
    """Share of variance from the model's own randomness (module docstring): the design's
    ``rows`` run again on other model streams, with a bootstrap interval."""
    from scenario.engine.runner import run

    again = run(
        config,
        replications=rows.size,
        seed=(seed + 1) % 2**63,
        workers=workers,
        design={c: v[rows] for c, v in design.items()},
    )
    sq = 0.5 * (y[rows] - _outcome(again, outcome)) ** 2
    var_y = float(np.var(y, ddof=1))
    if var_y <= 0:
        return 0.0, 0.0, 0.0
    rng = np.random.default_rng(seed)
    boot = np.array([sq[rng.integers(0, sq.size, sq.size)].mean() for _ in range(1000)])
    lo, hi = np.quantile(boot / var_y, [(1 - level) / 2, (1 + level) / 2])
    return float(sq.mean() / var_y), float(lo), float(hi)


def _sobol_rows(out: Mapping[str, Any], names: list[str], share: float) -> list[SobolRow]:
    """Rows of SALib's Sobol analysis (intervals as estimate +- half-width)."""
    return [
        SobolRow(
            factor=name,
            s1=float(out["S1"][j]),
            s1_lo=float(out["S1"][j] - out["S1_conf"][j]),
            s1_hi=float(out["S1"][j] + out["S1_conf"][j]),
            st=float(out["ST"][j]),
            st_lo=float(out["ST"][j] - out["ST_conf"][j]),
            st_hi=float(out["ST"][j] + out["ST_conf"][j]),
            st_net=float(out["ST"][j]) - share,
        )
        for j, name in enumerate(names)
    ]


def sobol(
    config: ScenarioConfig,
    *,
    outcome: str,
    n: int = 1024,
    seed: int | None = None,
    workers: int | None = None,
    groups: bool = False,
    parameters: Sequence[str] | None = None,
    conf_level: float = 0.95,
) -> SobolResult:
    """First-order and total Sobol indices of ``outcome`` (SALib) and the noise share.

    Runs ``n x (factors + 2)`` design points plus ``n`` points again with independent model
    randomness (module docstring).

    Parameters
    ----------
    config : ScenarioConfig
        The scenario to analyse.
    outcome : str
        Outcome name.
    n : int
        Base sample size, a power of 2.
    seed : int, optional
        Seeds the scrambled Sobol' sequence, the bootstrap and the runs.
    workers : int, optional
        Worker processes.
    groups, parameters
        See :func:`factors`.
    conf_level : float
        Level of the bootstrap intervals.
    """
    sobol_analyze = _salib("SALib.analyze.sobol")
    sobol_sample = _salib("SALib.sample.sobol")

    from scenario.engine.runner import run

    if n < 2 or n & (n - 1):
        raise EngineError(f"n: the Sobol base sample must be a power of 2 (got {n})")
    _check_outcome(config, outcome)
    s = _seed(config, seed)
    table = factors(config, groups=groups, parameters=parameters)
    problem = _problem(table, groups)
    unit = sobol_sample.sample(problem, n, calc_second_order=False, seed=s)
    design = _design(config, table, unit)
    res = run(config, replications=unit.shape[0], seed=s, workers=workers, design=design)
    y = _varying(_outcome(res, outcome), outcome)
    out = sobol_analyze.analyze(
        problem, y, calc_second_order=False, conf_level=conf_level, seed=s, num_resamples=1000
    )
    base_rows = np.arange(n) * (len(table) + 2)  # the A matrix: first row of each block
    share, lo, hi = _noise_share(
        config, design, base_rows, y, outcome=outcome, seed=s, workers=workers, level=conf_level
    )
    rows = _sobol_rows(out, list(table), share)
    rows.sort(key=lambda r: -r.st)
    return SobolResult(
        outcome=outcome,
        unit=_unit(res, outcome),
        n=n,
        runs=int(unit.shape[0]) + n,
        seed=s,
        conf_level=conf_level,
        noise_share=share,
        noise_lo=lo,
        noise_hi=hi,
        rows=tuple(rows),
    )
