r"""Censored outcomes: which replications had no event within the horizon.

A censored outcome (:attr:`scenario.models.protocol.OutcomeInfo.censored`) is a time to an
event. In replication :math:`i` the event did not happen within the horizon :math:`H` when
:math:`x_i \ge H` (``censored=True``) or when the named 0/1 outcome is 0. With :math:`k`
such replications among :math:`n` finite ones, "never" is :math:`k/n` with a 95 % Wilson
interval. Let :math:`c` be the smallest censored value. Below :math:`c` the empirical
distribution is that of the event time (no censored value lies there); at or above it, it
is only a lower bound, so a quantile, minimum or maximum :math:`\ge c` is a lower bound
(``≥180``: not within the 180 days), and so is the mean, which counts censored values as
they are, whenever :math:`k > 0`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scenario.errors import ScenarioError

if TYPE_CHECKING:
    import numpy as np

    from scenario.results import Results

__all__ = ["Censoring", "censoring", "censoring_of"]


@dataclass(frozen=True)
class Censoring:
    """Which replications of a censored outcome had no event within the horizon.

    Attributes
    ----------
    horizon : int
        The horizon in days.
    never, never_lo, never_hi : float
        Share of finite replications without the event, and its 95 % Wilson interval.
    floor : float
        Smallest censored value: statistics at or above it are lower bounds (inf if the
        event happened in every replication).
    """

    horizon: int
    never: float
    never_lo: float
    never_hi: float
    floor: float

    def bound(self, x: float) -> bool:
        """True if ``x`` is only a lower bound (at or above the smallest censored value)."""
        return math.isfinite(x) and x >= self.floor


def censoring(values: np.ndarray, horizon: int, happened: np.ndarray | None = None) -> Censoring:
    """The censoring of one outcome column (see module docstring).

    Parameters
    ----------
    values : numpy.ndarray
        The outcome, one value per replication (NaN where it failed).
    horizon : int
        The horizon in days.
    happened : numpy.ndarray, optional
        0/1 per replication, 1 where the event happened; default ``values < horizon``.
    """
    import numpy as np

    from scenario.analysis.summary import wilson_interval

    x = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(x)
    cut = ok & (np.asarray(happened) == 0) if happened is not None else ok & (x >= horizon)
    n, k = int(ok.sum()), int(cut.sum())
    lo, hi = wilson_interval(k, n)
    floor = float(x[cut].min()) if k else math.inf
    return Censoring(horizon, k / n if n else math.nan, lo, hi, floor)


def censoring_of(results: Results) -> dict[str, Censoring]:
    """The censoring of every censored outcome of ``results``, by outcome name.

    Which outcomes are censored comes from the outcome metadata when it carries
    ``censored``, else from the declarations of the registered model ``config.model``
    (none for a model that is not registered).
    """
    kinds = {m.name: getattr(m, "censored", False) for m in results.outcome_info}
    if not any(hasattr(m, "censored") for m in results.outcome_info):
        from scenario.models.registry import default_registry

        try:
            model = default_registry().get(results.config.model)
        except ScenarioError:
            return {}
        kinds = {o.name: getattr(o, "censored", False) for o in model.outcomes}
    found: dict[str, Censoring] = {}
    for name, kind in kinds.items():
        if kind is False or name not in results.outcomes:
            continue
        flag = results.outcomes.get(kind) if isinstance(kind, str) else None
        found[name] = censoring(results.outcomes[name], results.config.horizon_days, flag)
    return found
