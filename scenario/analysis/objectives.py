r"""Objective values of a run: an outcome with its direction, or a declared weighted objective.

An *objective* is a per-replication quantity with a direction. It is either

* an outcome of the model whose direction is ``minimize`` or ``maximize``
  (:attr:`scenario.results.Results.outcome_info`); an ``info`` outcome has no direction, so
  asking for it is an error that says to declare one; or
* a weighted objective declared in the scenario's ``objectives.weighted`` block
  (:mod:`scenario.config.objectives`): in replication :math:`i`,

  .. math:: J_i = \sum_k w_k\,y_{k,i},

  to maximize (a replication where any weighted outcome failed gives NaN).

Weighted objectives are the usual multi-attribute value function with linear weights
(Keeney and Raiffa 1976, *Decisions with Multiple Objectives*, ch. 3), and outcomes named in
thresholds or weights are checked here, when the results exist: the config layer does not
know the models. Robustness (:mod:`scenario.analysis.robustness`) and value of information
read objectives through :func:`objective`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from scenario.config.objectives import Objectives
from scenario.errors import ResultsError

if TYPE_CHECKING:
    from scenario.results import Results

__all__ = [
    "ObjectiveValues",
    "check_names",
    "check_objectives",
    "default_objective_names",
    "objective",
    "resolve_objectives",
    "restrict_objectives",
]


@dataclass(frozen=True, eq=False)
class ObjectiveValues:
    """One objective's value in every replication of a run.

    Attributes
    ----------
    name : str
        Outcome name or weighted-objective name.
    values : numpy.ndarray
        One float64 per replication (NaN where the replication failed).
    direction : {"minimize", "maximize"}
        Which way is better.
    unit : str
        Unit of the values.
    description : str
        What the objective measures.
    """

    name: str
    values: np.ndarray
    direction: Literal["minimize", "maximize"]
    unit: str
    description: str = ""


def resolve_objectives(
    objectives: Objectives | Mapping[str, Any] | None, results: Results | None = None
) -> Objectives:
    """The objectives to use: ``objectives``, else those declared in ``results.config``.

    Parameters
    ----------
    objectives : Objectives, mapping or None
        An :class:`~scenario.config.objectives.Objectives` block, or the same as a mapping
        (``{"thresholds": {...}, "weighted": {...}}``); None takes the config's.
    results : Results, optional
        The run whose config declares the objectives when ``objectives`` is None.

    Returns
    -------
    Objectives

    Raises
    ------
    ResultsError
        ``objectives`` is a mapping that is not a valid objectives block.
    """
    if isinstance(objectives, Objectives):
        return objectives
    if objectives is None:
        return results.config.objectives if results is not None else Objectives()
    from pydantic import ValidationError

    try:
        return Objectives.model_validate(dict(objectives))
    except (ValidationError, TypeError, ValueError) as exc:
        raise ResultsError(f"objectives is not a valid objectives block: {exc}") from None


def _registered_outcomes() -> set[str]:
    """Outcomes of every registered model and submodel (known, even if not composed)."""
    from scenario.models.registry import default_registry, submodel_registry

    names = {o.name for m in default_registry() for o in default_registry().get(m).outcomes}
    subs = submodel_registry()
    names |= {o.name for n in subs.names() for o in subs.get(n).outcomes}
    return names


def restrict_objectives(
    objectives: Objectives, outcomes: Sequence[str]
) -> tuple[Objectives, list[str]]:
    """Drop thresholds and weighted objectives on outcomes of submodels that are not in the
    composition (``outcomes`` are the run's), with a one-line note; names that no registered
    model knows are kept, so that :func:`check_names` still reports them as mistakes."""
    have = set(outcomes)
    known = _registered_outcomes()
    thresholds = {
        k: v
        for k, v in objectives.thresholds.items()
        if k in have or k in objectives.weighted or k not in known
    }
    weighted = {
        k: v
        for k, v in objectives.weighted.items()
        if all(o in have or o not in known for o in v.weights)
    }
    dropped = [f"{k} (threshold)" for k in objectives.thresholds if k not in thresholds]
    dropped += [f"{k} (weighted)" for k in objectives.weighted if k not in weighted]
    thresholds = {k: v for k, v in thresholds.items() if k in have or k in weighted}
    if not dropped:
        return objectives, []
    note = (
        "note: objectives on outcomes of submodels not in this composition were ignored: "
        + ", ".join(dropped)
    )
    return Objectives(thresholds=thresholds, weighted=weighted), [note]


def _closest(name: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _outcome_values(results: Results, name: str) -> ObjectiveValues:
    info = {o.name: o for o in results.outcome_info}
    meta = info.get(name)
    direction = meta.direction if meta is not None else "info"
    if direction == "info":
        raise ResultsError(
            f"outcome {name!r} is reported only (direction info), so it has no better or "
            "worse; declare a direction with a weighted objective, e.g. "
            f"objectives.weighted.my_{name}: {{weights: {{{name}: 1.0}}}} to maximize it "
            f"(-1.0 to minimize) (got {name!r})"
        )
    return ObjectiveValues(
        name=name,
        values=np.asarray(results.outcome(name), dtype=np.float64),
        direction=direction,
        unit=meta.unit if meta is not None else "",
        description=meta.description if meta is not None else "",
    )


def _weighted_values(results: Results, name: str, objectives: Objectives) -> ObjectiveValues:
    spec = objectives.weighted[name]
    total = np.zeros(results.replications, dtype=np.float64)
    for outcome, weight in spec.weights.items():
        if outcome not in results.outcomes:
            raise ResultsError(
                f"objectives.weighted.{name}.weights: unknown outcome "
                f"{outcome!r}{_closest(outcome, list(results.outcomes))} (got {outcome!r})"
            )
        total = total + weight * np.asarray(results.outcomes[outcome], dtype=np.float64)
    return ObjectiveValues(
        name=name, values=total, direction="maximize", unit=spec.unit, description=spec.description
    )


def objective(
    results: Results, name: str, *, objectives: Objectives | Mapping[str, Any] | None = None
) -> ObjectiveValues:
    """The values of objective ``name`` in every replication of ``results``.

    Parameters
    ----------
    results : Results
        A run (:func:`scenario.run`) or saved results.
    name : str
        An outcome whose direction is minimize or maximize, or a weighted objective
        declared in ``objectives.weighted`` (direction maximize).
    objectives : Objectives or mapping, optional
        Where weighted objectives are declared; default ``results.config.objectives``.

    Returns
    -------
    ObjectiveValues
        Values per replication (NaN where failed), direction, unit and name.

    Raises
    ------
    ResultsError
        ``name`` is neither an outcome nor a declared objective (the message names the
        closest), is an ``info`` outcome, is both an outcome and a weighted objective, or a
        weight names an unknown outcome.
    """
    objs = resolve_objectives(objectives, results)
    in_outcomes = name in results.outcomes
    if in_outcomes and name in objs.weighted:
        raise ResultsError(
            f"objectives.weighted.{name}: the name is also an outcome of the model; rename "
            f"the weighted objective (got {name!r})"
        )
    if name in objs.weighted:
        return _weighted_values(results, name, objs)
    if in_outcomes:
        return _outcome_values(results, name)
    known = [*results.outcomes, *objs.weighted]
    raise ResultsError(
        f"no outcome or weighted objective {name!r}{_closest(name, known)} "
        f"(declared objectives: {', '.join(objs.weighted) or 'none'}) (got {name!r})"
    )


def check_objectives(results: Results, objectives: Objectives) -> None:
    """Check every name an objectives block uses against the outcomes of ``results``.

    Parameters
    ----------
    results : Results
        A run of the model the objectives are about.
    objectives : Objectives
        Thresholds and weighted objectives.

    Raises
    ------
    ResultsError
        A threshold or a weight names something that is neither an outcome nor a weighted
        objective (the message names the closest outcome).
    """
    known = [*results.outcomes, *objectives.weighted]
    for name in objectives.thresholds:
        if name not in known:
            raise ResultsError(
                f"objectives.thresholds: unknown outcome {name!r}{_closest(name, known)} "
                f"(got {name!r})"
            )
    for name in objectives.weighted:
        objective(results, name, objectives=objectives)


def default_objective_names(results: Results, objectives: Objectives | None = None) -> list[str]:
    """Outcomes with a direction (minimize or maximize), then the weighted objectives.

    Parameters
    ----------
    results : Results
        The run whose outcomes are listed, in column order.
    objectives : Objectives, optional
        Weighted objectives to add; default ``results.config.objectives``.

    Returns
    -------
    list of str
        Names :func:`objective` accepts.
    """
    objs = objectives if objectives is not None else results.config.objectives
    directed = {o.name for o in results.outcome_info if o.direction != "info"}
    return [n for n in results.outcomes if n in directed] + [
        n for n in objs.weighted if n not in results.outcomes
    ]


def check_names(names: Sequence[str], outcomes: Sequence[str], weighted: Sequence[str]) -> None:
    """Check names against a model's outcomes and the weighted objectives, before running.

    Parameters
    ----------
    names : sequence of str
        Names asked for.
    outcomes : sequence of str
        The model's outcome names.
    weighted : sequence of str
        The declared weighted objectives.

    Raises
    ------
    ResultsError
        A name is neither; the message names the closest.
    """
    known = [*outcomes, *weighted]
    for name in names:
        if name not in known:
            raise ResultsError(
                f"no outcome or weighted objective {name!r}{_closest(name, known)} "
                f"(declared objectives: {', '.join(weighted) or 'none'}) (got {name!r})"
            )
