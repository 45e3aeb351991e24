r"""Which uncertain inputs drive an outcome: tornado, Morris elementary effects, Sobol indices.

Every method re-runs the model through the engine's design seam
(:func:`scenario.run` with ``design=``), so runs keep the seeding, the blocks and the
failure recording of a normal run. A *factor* is one parameter (``group.name``) or, with
``groups=True``, one YAML parameter group (``air_defence``) moved as a whole. A point
:math:`u \in [0, 1]^k` of the unit hypercube maps onto the config's marginals through each
parameter's quantile function, :math:`x_j = F_j^{-1}(u_j)`, so the designs below explore
exactly the declared distributions.

**Tornado** (one at a time, on common random numbers). For factor :math:`j`, two runs of
``replications`` set its parameters to their quantiles :math:`F^{-1}(q_{lo})` and
:math:`F^{-1}(q_{hi})` (default p10, p90) in every replication; every other parameter and
the model's own randomness are drawn exactly as in the base run. The swing is the mean of
the paired difference :math:`\bar d_j = \overline{Y(q_{hi}) - Y(q_{lo})}` with its 95 %
interval :math:`\bar d_j \pm 1.96\, s_d / \sqrt{n}`.

Morris screening and Sobol indices, with the model's own randomness as its own share of
the variance, are in :mod:`scenario.analysis.global_sensitivity`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from scenario.errors import EngineError, ResultsError

if TYPE_CHECKING:
    from scenario.analysis.global_sensitivity import MorrisResult, SobolResult
    from scenario.config.schema import ScenarioConfig
    from scenario.results import Results

__all__ = ["Tornado", "TornadoRow", "factors", "sensitivity", "tornado"]

_Z = 1.959963984540054
_EDGE = 1e-9  # unit-cube points are kept in [EDGE, 1 - EDGE] so every quantile is finite

_FROZEN = ConfigDict(frozen=True)


class TornadoRow(BaseModel):
    """One factor of a tornado: the outcome's mean at its low and high quantiles."""

    model_config = _FROZEN

    factor: str
    parameters: tuple[str, ...]
    mean_low: float
    mean_high: float
    swing: float
    swing_lo: float
    swing_hi: float


class Tornado(BaseModel):
    """One-at-a-time swings of an outcome, largest first (see module docstring)."""

    model_config = _FROZEN

    outcome: str
    unit: str
    quantiles: tuple[float, float]
    replications: int
    seed: int
    base_mean: float
    rows: tuple[TornadoRow, ...]

    def __repr__(self) -> str:
        from scenario.display import fmt_number, short

        top = f"; largest swing {self.rows[0].factor} ({fmt_number(self.rows[0].swing)})"
        return (
            f"<Tornado of {short(self.outcome)}: {len(self.rows)} factors, "
            f"{self.replications:,} replications per run, seed {self.seed}"
            + (top if self.rows else "")
            + ">"
        )

    def _repr_html_(self) -> str:
        """A compact table for notebooks (:func:`scenario.display.tornado_html`)."""
        from scenario.display import tornado_html

        return tornado_html(self)


def factors(
    config: ScenarioConfig,
    *,
    groups: bool = False,
    parameters: Sequence[str] | None = None,
) -> dict[str, tuple[str, ...]]:
    """The factors of an analysis: ``{factor: (parameter keys)}``.

    Parameters
    ----------
    config : ScenarioConfig
        Its model's parameters are the candidates (those of submodels left out of the
        composition are not).
    groups : bool
        One factor per parameter group instead of per parameter.
    parameters : sequence of str, optional
        Restrict to these parameters (``group.name``) or, with ``groups``, group names.

    Raises
    ------
    EngineError
        An unknown parameter or group, with the closest name.
    """
    from scenario.engine.runner import resolve_model

    model = resolve_model(config)
    keys = [p.key for p in model.parameters]
    if groups:
        table: dict[str, tuple[str, ...]] = {}
        for k in keys:
            g = k.split(".", 1)[0]
            table[g] = (*table.get(g, ()), k)
    else:
        table = {k: (k,) for k in keys}
    if parameters is None:
        return table
    out: dict[str, tuple[str, ...]] = {}
    for name in parameters:
        if name not in table:
            import difflib

            close = difflib.get_close_matches(name, list(table), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            what = "parameter group" if groups else "parameter"
            raise EngineError(f"parameters: unknown {what} {name!r}{hint}")
        out[name] = table[name]
    return out


def _outcome(results: Results, outcome: str) -> np.ndarray:
    y = results.outcome(outcome)
    bad = int(np.count_nonzero(~np.isfinite(y)))
    if bad:
        raise ResultsError(
            f"outcome {outcome!r}: {bad} of {y.size} replications failed; sensitivity "
            "analysis needs every run (see results.failures)"
        )
    return y


def _unit(results: Results, outcome: str) -> str:
    return next((o.unit for o in results.outcome_info if o.name == outcome), "")


def _design(
    config: ScenarioConfig, table: Mapping[str, tuple[str, ...]], unit: np.ndarray
) -> dict[str, np.ndarray]:
    """Map unit-cube columns (one per parameter, in table order) onto the marginals."""
    from scenario.config.distributions import ppf

    specs = config.flat_parameters()
    keys = [k for ks in table.values() for k in ks]
    u = np.clip(unit, _EDGE, 1.0 - _EDGE)
    return {k: ppf(specs[k], u[:, j]) for j, k in enumerate(keys)}


def _check_independent(config: ScenarioConfig) -> None:
    """Refuse a config with rank correlations: the designs set each parameter on its own."""
    if config.correlations:
        pairs = ", ".join(" ~ ".join(c.between) for c in config.correlations)
        raise EngineError(
            "sensitivity analysis moves each factor on its own and needs independent inputs, "
            f"but this config declares rank correlations ({pairs}); run it on a copy without "
            "them (--set 'correlations=[]') and read the result for independent inputs"
        )


def _check_outcome(config: ScenarioConfig, outcome: str) -> None:
    from scenario.engine.runner import resolve_model

    _check_independent(config)
    names = [o.name for o in resolve_model(config).outcomes]
    if outcome not in names:
        import difflib

        close = difflib.get_close_matches(outcome, names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ResultsError(f"outcome: unknown outcome {outcome!r}{hint}")


def _seed(config: ScenarioConfig, seed: int | None) -> int:
    return config.run.seed if seed is None else seed


def _at_quantile(
    specs: Mapping[str, Any], keys: Sequence[str], q: float, n: int
) -> dict[str, np.ndarray]:
    """A design setting each of ``keys`` to its ``q`` quantile in all ``n`` replications."""
    from scenario.config.distributions import ppf

    return {k: np.full(n, float(ppf(specs[k], np.array([q]))[0])) for k in keys}


def _row(factor: str, keys: tuple[str, ...], low: np.ndarray, high: np.ndarray) -> TornadoRow:
    """One factor's swing ``high - low``, paired, with its 95 % interval."""
    d = high - low
    half = _Z * float(d.std(ddof=1)) / math.sqrt(d.size) if d.size > 1 else math.inf
    return TornadoRow(
        factor=factor,
        parameters=keys,
        mean_low=float(low.mean()),
        mean_high=float(high.mean()),
        swing=float(d.mean()),
        swing_lo=float(d.mean()) - half,
        swing_hi=float(d.mean()) + half,
    )


def tornado(
    config: ScenarioConfig,
    *,
    outcome: str,
    replications: int = 1000,
    seed: int | None = None,
    workers: int | None = None,
    quantiles: tuple[float, float] = (0.1, 0.9),
    groups: bool = False,
    parameters: Sequence[str] | None = None,
) -> Tornado:
    """One-at-a-time swings of ``outcome`` on common random numbers (module docstring).

    Parameters
    ----------
    config : ScenarioConfig
        The scenario to analyse.
    outcome : str
        Outcome name.
    replications : int
        Replications of each run (two runs per factor, plus the base run).
    seed : int, optional
        Root seed (default: the config's).
    workers : int, optional
        Worker processes per run.
    quantiles : (float, float)
        Low and high quantile each factor is set to (default p10, p90).
    groups, parameters
        See :func:`factors`. A group is set to the quantile in all its parameters at once.

    Returns
    -------
    Tornado
    """
    from scenario.engine.executors import pool_for
    from scenario.engine.runner import run

    lo_q, hi_q = quantiles
    if not 0.0 < lo_q < hi_q < 1.0:
        raise EngineError(f"quantiles: need 0 < low < high < 1 (got {quantiles})")
    _check_outcome(config, outcome)
    s = _seed(config, seed)
    table = factors(config, groups=groups, parameters=parameters)
    specs = config.flat_parameters()
    with pool_for(workers) as pool:  # one pool for every run of the analysis
        w = None if pool is not None else workers
        base = run(config, replications=replications, seed=s, workers=w, executor=pool)
        swings = {
            factor: [
                _outcome(
                    run(
                        config,
                        replications=replications,
                        seed=s,
                        workers=w,
                        executor=pool,
                        design=_at_quantile(specs, keys, q, replications),
                    ),
                    outcome,
                )
                for q in (lo_q, hi_q)
            ]
            for factor, keys in table.items()
        }
    rows = [_row(factor, keys, *swings[factor]) for factor, keys in table.items()]
    rows.sort(key=lambda r: -abs(r.swing))
    return Tornado(
        outcome=outcome,
        unit=_unit(base, outcome),
        quantiles=(lo_q, hi_q),
        replications=replications,
        seed=s,
        base_mean=float(_outcome(base, outcome).mean()),
        rows=tuple(rows),
    )


Method = Literal["tornado", "morris", "sobol"]


def sensitivity(
    config: ScenarioConfig, *, method: Method, outcome: str, **options: Any
) -> Tornado | MorrisResult | SobolResult:
    """Run one method (:func:`tornado`, :func:`~scenario.analysis.global_sensitivity.morris`
    or :func:`~scenario.analysis.global_sensitivity.sobol`) with ``options``."""
    from scenario.analysis.global_sensitivity import morris, sobol

    if method == "tornado":
        return tornado(config, outcome=outcome, **options)
    if method == "morris":
        return morris(config, outcome=outcome, **options)
    if method == "sobol":
        return sobol(config, outcome=outcome, **options)
    raise EngineError(f"method: one of tornado, morris, sobol (got {method!r})")
