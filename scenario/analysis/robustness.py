r"""Robustness of options across replications: regret, satisficing, expected shortfall.

Options run on the same seed and replications are paired: replication :math:`i` of every
option sees the same uncertain inputs. For an objective with value :math:`v_{d,i}` of option
:math:`d` in replication :math:`i` (direction-aware, :mod:`scenario.analysis.objectives`),
following Lempert, Popper and Bankes (2003), *Shaping the Next One Hundred Years* (RAND
MR-1626) and McPhail et al. (2018), Earth's Future 6:

* **regret** :math:`r_{d,i} = \max_{d'} v_{d',i} - v_{d,i} \ge 0` to maximize
  (:math:`v_{d,i} - \min_{d'} v_{d',i}` to minimize), reported as its mean, 95th
  percentile and maximum over the replications finite for every option;
* **share best**: the share of replications in which :math:`d` is best, a tie among
  :math:`m` options giving each :math:`1/m` (the shares sum to one);
* **satisficing**: :math:`P(v_d \le t)` for ``at_most: t`` (:math:`P(v_d \ge t)` for
  ``at_least``), with a 95 % Wilson interval;
* **expected shortfall** (CVaR) at level :math:`\alpha`: the mean of the worst
  :math:`p = 1-\alpha` share of replications (the lowest values to maximize, the highest
  to minimize). With sorted worst-first values :math:`x_{(1)}, \dots` and
  :math:`m = np`, :math:`\widehat{ES} = \big(\sum_{j \le \lfloor m \rfloor} x_{(j)} +
  (m - \lfloor m \rfloor)\,x_{(\lfloor m \rfloor + 1)}\big)/m` (Acerbi and Tasche 2002,
  J. Banking & Finance 26). Its 95 % interval is the asymptotic normal one,
  :math:`\widehat{ES} \pm 1.96\,\sqrt{[\,s^2_{\text{tail}} + \alpha\,(\widehat{ES} -
  \hat q)^2\,]/(n p)}` with :math:`\hat q` the :math:`p`-quantile on the worst side and
  :math:`s^2_{\text{tail}}` the variance of the tail values (Brazauskas, Jones, Puri and
  Zitikis 2008, J. Statistical Planning and Inference 138; Manistre and Hancock 2005,
  North American Actuarial Journal 9). It needs no random numbers, so it is the same on
  every call.

For a normal objective to maximize, :math:`ES = \mu - \sigma\,\varphi(z_\alpha)/(1-\alpha)`;
for two independent normal options, the mean regret of :math:`A` is
:math:`E[\max(B-A, 0)] = \mu\Phi(\mu/s) + s\varphi(\mu/s)` with :math:`\mu = \mu_B-\mu_A`,
:math:`s^2 = \sigma_A^2+\sigma_B^2` (both tested).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from scenario.analysis.objectives import (
    ObjectiveValues,
    check_objectives,
    default_objective_names,
    objective,
    resolve_objectives,
)
from scenario.analysis.summary import wilson_interval
from scenario.config.objectives import Objectives
from scenario.errors import ResultsError

if TYPE_CHECKING:
    from scenario.analysis.compare import Comparison
    from scenario.analysis.sweep import Sweep
    from scenario.results import Results

__all__ = [
    "Robustness",
    "RobustnessRow",
    "SatisficingRow",
    "check_paired",
    "expected_shortfall",
    "robustness",
]

_Z = 1.959963984540054
_PAIRING_KEYS = ("seed", "replications", "block_size", "model")


class RobustnessRow(BaseModel):
    """Regret, share best and expected shortfall of one option on one objective."""

    model_config = ConfigDict(frozen=True)

    objective: str
    option: str
    unit: str
    direction: str
    n: int
    regret_mean: float
    regret_p95: float
    regret_max: float
    share_best: float
    cvar: float
    cvar_lo: float
    cvar_hi: float


class SatisficingRow(BaseModel):
    """Probability that one option keeps one objective within its threshold."""

    model_config = ConfigDict(frozen=True)

    objective: str
    option: str
    threshold: str
    n: int
    p: float
    p_lo: float
    p_hi: float


class Robustness(BaseModel):
    """Robustness measures of paired options (see module docstring)."""

    model_config = ConfigDict(frozen=True)

    options: tuple[str, ...]
    objectives: tuple[str, ...]
    cvar_level: float
    rows: tuple[RobustnessRow, ...]
    satisficing: tuple[SatisficingRow, ...]

    def row(self, option: str, objective: str) -> RobustnessRow:
        """The row of ``option`` on ``objective``.

        Raises
        ------
        ResultsError
            No such option or objective.
        """
        for r in self.rows:
            if r.option == option and r.objective == objective:
                return r
        raise ResultsError(
            f"no robustness row for option {option!r} and objective {objective!r} (options: "
            f"{', '.join(self.options)}; objectives: {', '.join(self.objectives)})"
        )

    def least_regret(self, objective: str) -> str:
        """The option with the smallest mean regret on ``objective`` (first on ties)."""
        rows = [r for r in self.rows if r.objective == objective]
        if not rows:
            raise ResultsError(
                f"no objective {objective!r} (objectives: {', '.join(self.objectives)})"
            )
        return min(rows, key=lambda r: r.regret_mean).option


def check_paired(results_by_option: Mapping[str, Results]) -> None:
    """Check that runs are paired: same seed, replications, block size and model.

    Raises
    ------
    ResultsError
        Naming the first option that differs from the first one, the key and both values.
    """
    items = list(results_by_option.items())
    if not items:
        raise ResultsError("no options given (got an empty mapping)")
    first_name, first = items[0]
    for name, res in items[1:]:
        for key in _PAIRING_KEYS:
            a, b = first.manifest.get(key), res.manifest.get(key)
            if a != b:
                raise ResultsError(
                    f"runs are not paired: {key} of {name!r} is {b!r} but of {first_name!r} "
                    f"is {a!r}; run every option with the same seed and replications"
                )


def expected_shortfall(
    values: np.ndarray, level: float, direction: str
) -> tuple[float, float, float]:
    """Expected shortfall (CVaR) of the worst ``1 - level`` share, with its 95 % interval.

    Parameters
    ----------
    values : numpy.ndarray
        Values per replication; non-finite ones are dropped.
    level : float
        CVaR level in (0, 1): 0.9 averages the worst 10 %.
    direction : {"maximize", "minimize"}
        The worst values are the lowest to maximize, the highest to minimize.

    Returns
    -------
    tuple of float
        ``(es, lo, hi)``; NaNs when no value is finite.
    """
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return math.nan, math.nan, math.nan
    sign = -1.0 if direction == "minimize" else 1.0
    s = np.sort(sign * x)  # worst first
    p = 1.0 - level
    m = n * p
    k = math.floor(m)
    if k >= n:
        es, q, tail = float(s.mean()), float(s[-1]), s
    else:
        es = (float(s[:k].sum()) + (m - k) * float(s[k])) / m
        q, tail = float(s[k]), s[: max(k, 1)]
    var_tail = float(tail.var(ddof=1)) if tail.size > 1 else 0.0
    half = _Z * math.sqrt((var_tail + level * (es - q) ** 2) / (n * p))
    lo, hi = sign * (es - half) + 0.0, sign * (es + half) + 0.0  # + 0.0: no negative zero
    return sign * es + 0.0, min(lo, hi), max(lo, hi)


def _named_results(source: Mapping[str, Results] | Comparison | Sweep) -> dict[str, Results]:
    """``{option: Results}`` from a mapping, a Comparison or a Sweep."""
    from scenario.analysis.compare import Comparison
    from scenario.analysis.sweep import Sweep

    if isinstance(source, Comparison):
        return dict(source.results)
    if isinstance(source, Sweep):
        return source.results_by_name()
    if isinstance(source, Mapping):
        return dict(source)
    raise ResultsError(
        "results_by_option must be a mapping of option name to Results, a Comparison or a "
        f"Sweep (got {type(source).__name__})"
    )


def _objective_rows(
    name: str, values: Mapping[str, ObjectiveValues], level: float
) -> list[RobustnessRow]:
    options = list(values)
    first = values[options[0]]
    mat = np.vstack([values[o].values for o in options])
    ok = np.all(np.isfinite(mat), axis=0)
    n = int(ok.sum())
    if n == 0:
        raise ResultsError(f"objective {name!r}: no replication is finite for every option")
    oriented = mat[:, ok] if first.direction == "maximize" else -mat[:, ok]
    best = oriented.max(axis=0)
    regret = best - oriented
    is_best = oriented == best
    share = (is_best / is_best.sum(axis=0)).mean(axis=1)
    rows: list[RobustnessRow] = []
    for i, option in enumerate(options):
        es, lo, hi = expected_shortfall(mat[i], level, first.direction)
        rows.append(
            RobustnessRow(
                objective=name,
                option=option,
                unit=first.unit,
                direction=first.direction,
                n=n,
                regret_mean=float(regret[i].mean()),
                regret_p95=float(np.quantile(regret[i], 0.95)),
                regret_max=float(regret[i].max()),
                share_best=float(share[i]),
                cvar=es,
                cvar_lo=lo,
                cvar_hi=hi,
            )
        )
    return rows


def _satisficing_rows(named: Mapping[str, Results], objs: Objectives) -> list[SatisficingRow]:
    rows: list[SatisficingRow] = []
    for name, threshold in objs.thresholds.items():
        for option, res in named.items():
            v = objective(res, name, objectives=objs).values
            v = v[np.isfinite(v)]
            met = v <= threshold.bound if threshold.kind == "at_most" else v >= threshold.bound
            k, n = int(met.sum()), int(v.size)
            lo, hi = wilson_interval(k, n)
            rows.append(
                SatisficingRow(
                    objective=name,
                    option=option,
                    threshold=threshold.describe(),
                    n=n,
                    p=k / n if n else math.nan,
                    p_lo=lo,
                    p_hi=hi,
                )
            )
    return rows


def robustness(
    results_by_option: Mapping[str, Results] | Comparison | Sweep,
    *,
    objectives: Objectives | Mapping[str, Any] | None = None,
    cvar_level: float = 0.9,
    outcomes: Sequence[str] | None = None,
) -> Robustness:
    """Regret, share best, satisficing and expected shortfall of paired options.

    Also available as ``scenario.robustness``. See the module docstring for the measures.

    Parameters
    ----------
    results_by_option : mapping of str to Results, Comparison or Sweep
        The options' runs, by name, all on the same seed and replications; a
        :class:`~scenario.analysis.compare.Comparison` or a
        :class:`~scenario.analysis.sweep.Sweep` gives its own runs.
    objectives : Objectives or mapping, optional
        Thresholds (satisficing) and weighted objectives; default the first option's
        ``config.objectives`` (the base of a comparison).
    cvar_level : float
        Level of the expected shortfall, in (0, 1); 0.9 averages the worst 10 %.
    outcomes : sequence of str, optional
        Objectives to measure (outcome names or weighted objectives); default every outcome
        with a direction, then every weighted objective.

    Returns
    -------
    Robustness
        One :class:`RobustnessRow` per objective and option (objective-major), and one
        :class:`SatisficingRow` per threshold and option.

    Raises
    ------
    ResultsError
        The runs are not paired, ``cvar_level`` is outside (0, 1), or an objective or a
        threshold names an unknown outcome (the message names the closest).
    """
    named = _named_results(results_by_option)
    check_paired(named)
    if isinstance(cvar_level, bool) or not 0.0 < float(cvar_level) < 1.0:
        raise ResultsError(f"cvar_level must be in (0, 1) (got {cvar_level!r})")
    first = next(iter(named.values()))
    objs = resolve_objectives(objectives, first)
    check_objectives(first, objs)
    names = list(outcomes) if outcomes is not None else default_objective_names(first, objs)
    rows: list[RobustnessRow] = []
    for name in names:
        values = {o: objective(r, name, objectives=objs) for o, r in named.items()}
        rows.extend(_objective_rows(name, values, float(cvar_level)))
    return Robustness(
        options=tuple(named),
        objectives=tuple(names),
        cvar_level=float(cvar_level),
        rows=tuple(rows),
        satisficing=tuple(_satisficing_rows(named, objs)),
    )
