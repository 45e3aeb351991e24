r"""Paired comparison of options on common random numbers.

Runs with the same seed and replications see the same uncertain-parameter draws and the
same exogenous events, so replication :math:`i` of each is a matched pair. For an outcome
with values :math:`x_i` (option) and :math:`y_i` (reference) on the :math:`n` replications
where both are finite, the paired difference :math:`d_i = x_i - y_i` gives

* mean difference :math:`\bar d \pm 1.96\,s_d/\sqrt{n}` (95 % normal interval), next to
  the unpaired interval :math:`\bar d \pm 1.96\,\sqrt{s_x^2/n + s_y^2/n}` that independent
  runs would give: since :math:`s_d^2 = s_x^2 + s_y^2 - 2\,\mathrm{cov}(x, y)`, pairing
  narrows the interval whenever the runs are positively correlated (common random
  numbers; Law 2015, *Simulation Modeling and Analysis*, 5th ed., section 11.2);
* the probability the option is better in a replication, :math:`P(d_i > 0)` for an outcome
  to maximize and :math:`P(d_i < 0)` to minimize, with a 95 % Wilson interval; the
  probability of a tie :math:`P(d_i = 0)` (common when a lever cannot act) and of doing
  worse, reported separately so that "never better" is not read as "always worse".

:func:`compare_options` runs (or loads) several options on one seed and returns a
:class:`Comparison`: per outcome, each option's mean and p5/p50/p95, its paired difference
against the base, a direction-aware ranking by mean (``info`` outcomes are not ranked), and
the robustness measures of :mod:`scenario.analysis.robustness`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from scenario.analysis.objectives import (
    default_objective_names,
    objective,
    resolve_objectives,
    restrict_objectives,
)
from scenario.analysis.robustness import Robustness, check_paired, robustness
from scenario.analysis.summary import summarize_outcome, wilson_interval
from scenario.errors import ResultsError

if TYPE_CHECKING:
    from scenario.analysis.sweep import Sweep
    from scenario.config.objectives import Objectives
    from scenario.config.schema import ScenarioConfig
    from scenario.results import Results

__all__ = [
    "Comparison",
    "OptionOutcome",
    "OutcomeComparison",
    "PairedDifference",
    "compare",
    "compare_options",
    "paired_difference",
]

_Z = 1.959963984540054  # two-sided 95 % normal quantile


class PairedDifference(BaseModel):
    """Paired difference of one outcome between an option and a reference run."""

    model_config = ConfigDict(frozen=True)

    outcome: str
    unit: str
    direction: str
    n: int
    reference_mean: float
    option_mean: float
    diff_mean: float
    diff_lo: float
    diff_hi: float
    unpaired_lo: float
    unpaired_hi: float
    p_better: float
    p_better_lo: float
    p_better_hi: float
    p_tie: float
    p_worse: float


def paired_difference(
    name: str, x: np.ndarray, y: np.ndarray, *, unit: str = "", direction: str = "info"
) -> PairedDifference:
    """Paired difference ``x - y`` of one outcome (see module docstring).

    Parameters
    ----------
    name : str
        Outcome name.
    x, y : numpy.ndarray
        Option and reference values, replication by replication.
    unit : str
        Unit of the outcome.
    direction : {"minimize", "maximize", "info"}
        Which way is better; ``info`` counts an increase as "better".

    Returns
    -------
    PairedDifference

    Raises
    ------
    ResultsError
        No replication is finite in both.
    """
    ok = np.isfinite(x) & np.isfinite(y)
    d = x[ok] - y[ok]
    n = int(d.size)
    if n == 0:
        raise ResultsError(f"outcome {name!r}: no replication is finite in both runs")
    mean = float(d.mean())
    half = _Z * float(d.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
    unpaired = (
        _Z * math.sqrt((float(x[ok].var(ddof=1)) + float(y[ok].var(ddof=1))) / n)
        if n > 1
        else math.nan
    )
    better = d < 0 if direction == "minimize" else d > 0
    k = int(better.sum())
    ties = int(np.sum(d == 0))
    lo, hi = wilson_interval(k, n)
    return PairedDifference(
        outcome=name,
        unit=unit,
        direction=direction,
        n=n,
        reference_mean=float(y[ok].mean()),
        option_mean=float(x[ok].mean()),
        diff_mean=mean,
        diff_lo=mean - half,
        diff_hi=mean + half,
        unpaired_lo=mean - unpaired,
        unpaired_hi=mean + unpaired,
        p_better=k / n,
        p_better_lo=lo,
        p_better_hi=hi,
        p_tie=ties / n,
        p_worse=(n - k - ties) / n,
    )


def compare(
    option: Results, reference: Results, outcomes: list[str] | None = None
) -> list[PairedDifference]:
    """Paired differences ``option - reference`` for each outcome (see module docstring).

    Parameters
    ----------
    option, reference : Results
        Two runs on the same seed and replications.
    outcomes : list of str, optional
        Outcomes to compare; default every outcome.

    Returns
    -------
    list of PairedDifference
        One per outcome, in order.

    Raises
    ------
    ResultsError
        If the runs are not paired (different seed, replications, block size or model).
    """
    check_paired({"option": option, "reference": reference})
    info = {o.name: o for o in option.outcome_info}
    names = outcomes if outcomes is not None else list(option.outcomes)
    return [
        paired_difference(
            name,
            option.outcome(name),
            reference.outcome(name),
            unit=info[name].unit if name in info else "",
            direction=info[name].direction if name in info else "info",
        )
        for name in names
    ]


class OptionOutcome(BaseModel):
    """One option on one outcome: its distribution, rank and difference from the base."""

    model_config = ConfigDict(frozen=True)

    option: str
    n: int
    failed: int
    mean: float
    mean_lo: float
    mean_hi: float
    p5: float
    p50: float
    p95: float
    rank: int | None
    diff: PairedDifference | None


class OutcomeComparison(BaseModel):
    """Every option on one outcome (the base first) and their ranking."""

    model_config = ConfigDict(frozen=True)

    outcome: str
    unit: str
    direction: str
    description: str
    options: tuple[OptionOutcome, ...]
    ranking: tuple[str, ...]

    def option(self, name: str) -> OptionOutcome:
        """The row of option ``name``.

        Raises
        ------
        ResultsError
            No option of that name.
        """
        for row in self.options:
            if row.option == name:
                return row
        names = ", ".join(r.option for r in self.options)
        raise ResultsError(f"no option {name!r} (options: {names})")


@dataclass(frozen=True, eq=False)
class Comparison:
    """Options compared on common random numbers (see :func:`compare_options`).

    Attributes
    ----------
    base : str
        Name of the base option (differences are against it).
    options : tuple of str
        Every option's name, the base first.
    seed, replications : int
        The seed and replications every option ran with.
    outcomes : tuple of OutcomeComparison
        One per compared outcome or objective.
    robustness : Robustness
        Regret, share best, satisficing and expected shortfall over the options.
    notes : tuple of str
        What was adjusted to pair the runs.
    results : mapping of str to Results
        The runs, by option name (for :func:`scenario.robustness` with other settings).
    """

    base: str
    options: tuple[str, ...]
    seed: int
    replications: int
    outcomes: tuple[OutcomeComparison, ...]
    robustness: Robustness
    notes: tuple[str, ...] = ()
    results: Mapping[str, Results] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        from scenario.display import short

        return (
            f"<Comparison of {len(self.options)} options against {short(self.base)}: "
            f"{self.replications:,} replications, seed {self.seed}, "
            f"{len(self.outcomes)} outcomes>"
        )

    def _repr_html_(self) -> str:
        """A compact table for notebooks (:func:`scenario.display.comparison_html`)."""
        from scenario.display import comparison_html

        return comparison_html(self)

    def outcome(self, name: str) -> OutcomeComparison:
        """The comparison on outcome ``name``.

        Raises
        ------
        ResultsError
            The outcome was not compared.
        """
        for oc in self.outcomes:
            if oc.outcome == name:
                return oc
        names = ", ".join(o.outcome for o in self.outcomes)
        raise ResultsError(f"outcome {name!r} was not compared (compared: {names})")


def _values(res: Results, name: str, objs: Objectives) -> tuple[np.ndarray, str, str, str]:
    """Values, unit, direction and description of an outcome (info allowed) or objective."""
    meta = {o.name: o for o in res.outcome_info}.get(name)
    if (
        name in res.outcomes
        and name not in objs.weighted
        and meta is not None
        and meta.direction == "info"
    ):
        return res.outcome(name), meta.unit, "info", meta.description
    ov = objective(res, name, objectives=objs)
    return ov.values, ov.unit, ov.direction, ov.description


def _ranks(means: Sequence[float], direction: str) -> list[int | None]:
    """Competition ranks by mean (1 is best; equal means share a rank); None for info/NaN."""
    if direction == "info":
        return [None] * len(means)
    sign = -1.0 if direction == "minimize" else 1.0
    ranks: list[int | None] = []
    for m in means:
        if math.isnan(m):
            ranks.append(None)
            continue
        ranks.append(1 + sum(1 for o in means if not math.isnan(o) and sign * o > sign * m))
    return ranks


def _outcome_comparison(
    name: str, named: Mapping[str, Results], base: str, objs: Objectives
) -> OutcomeComparison:
    cols = {o: _values(r, name, objs) for o, r in named.items()}
    _, unit, direction, description = cols[base]
    summaries = {
        o: summarize_outcome(name, v, unit=unit, direction=direction)
        for o, (v, *_) in cols.items()
    }
    ranks = _ranks([summaries[o].mean for o in named], direction)
    rows = []
    for (option, s), rank in zip(summaries.items(), ranks, strict=True):
        diff = None
        if option != base:
            diff = paired_difference(
                name, cols[option][0], cols[base][0], unit=unit, direction=direction
            )
        rows.append(
            OptionOutcome(
                option=option,
                n=s.n,
                failed=s.failed,
                mean=s.mean,
                mean_lo=s.mean_lo,
                mean_hi=s.mean_hi,
                p5=s.p5,
                p50=s.p50,
                p95=s.p95,
                rank=rank,
                diff=diff,
            )
        )
    ranked = sorted((r for r in rows if r.rank is not None), key=lambda r: r.rank or 0)
    return OutcomeComparison(
        outcome=name,
        unit=unit,
        direction=direction,
        description=description,
        options=tuple(rows),
        ranking=tuple(r.option for r in ranked),
    )


def compare_options(
    base: ScenarioConfig | Results | Sweep | str | os.PathLike[str],
    *options: ScenarioConfig | Results | Sweep | str | os.PathLike[str],
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    outcomes: Sequence[str] | None = None,
    objectives: Objectives | Mapping[str, Any] | None = None,
) -> Comparison:
    """Run (or load) options on the same seed and compare them with the base, paired.

    Also available as ``scenario.compare_options``.

    Parameters
    ----------
    base, *options : ScenarioConfig, Results, Sweep, or path
        Each a config, a path to a YAML scenario file, a saved results directory (it holds
        ``manifest.json``), results in memory, or a :class:`~scenario.analysis.sweep.Sweep`.
        A config (or file) with a ``sweep:`` block stands for its points, and so does a
        Sweep; the first point of ``base`` is then the base.
    replications, seed : int, optional
        For every run; default those of the first loaded results, else of the base config.
        Loaded results must match them.
    workers : int, optional
        Worker processes shared by the runs (results do not depend on it). The runs keep
        no daily series.
    outcomes : sequence of str, optional
        Outcomes (``info`` ones included) or weighted objectives to compare; default every
        outcome with a direction, then the base config's weighted objectives.
    objectives : Objectives or mapping, optional
        Thresholds and weighted objectives; default the base config's ``objectives``.

    Returns
    -------
    Comparison
        Per outcome, each option's distribution, paired difference from the base and rank,
        and the robustness section.

    Raises
    ------
    ResultsError
        Loaded results do not match the seed or replications (the message names which), an
        outcome is unknown, or the runs are not paired.
    ConfigError, EngineError
        A config cannot be loaded or run.
    """
    from scenario.analysis.sweep import gather_runs

    given = resolve_objectives(objectives) if objectives is not None else None
    named, notes = gather_runs(
        [base, *options],
        replications=replications,
        seed=seed,
        workers=workers,
        outcomes=outcomes,
        objectives=given,
    )
    check_paired(named)
    base_name = next(iter(named))
    base_res = named[base_name]
    objs = given if given is not None else resolve_objectives(None, base_res)
    objs, dropped = restrict_objectives(objs, list(base_res.outcomes))
    notes = [*notes, *dropped]
    names = list(outcomes) if outcomes is not None else default_objective_names(base_res, objs)
    rows = tuple(_outcome_comparison(n, named, base_name, objs) for n in names)
    directed = [r.outcome for r in rows if r.direction != "info"]
    return Comparison(
        base=base_name,
        options=tuple(named),
        seed=int(base_res.manifest["seed"]),
        replications=base_res.replications,
        outcomes=rows,
        robustness=robustness(named, objectives=objs, outcomes=directed),
        notes=tuple(notes),
        results=named,
    )
