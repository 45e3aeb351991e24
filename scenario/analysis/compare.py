r"""Paired comparison of two runs on common random numbers.

Two runs with the same seed and replications see the same uncertain-parameter draws and the
same exogenous events, so replication :math:`i` of each is a matched pair. For an outcome
with values :math:`x_i` (option) and :math:`y_i` (reference) on the replications where both
are finite, the paired difference :math:`d_i = x_i - y_i` gives

* mean difference :math:`\bar d \pm 1.96\,s_d/\sqrt{n}` (95 % normal interval);
* the probability the option is better in that replication, :math:`P(d_i > 0)` for an
  outcome to maximize and :math:`P(d_i < 0)` to minimize, with a Wilson interval;
* the probability of a tie, :math:`P(d_i = 0)` (common when an option cannot act).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict

from scenario.analysis.summary import wilson_interval
from scenario.errors import ResultsError

if TYPE_CHECKING:
    from scenario.results import Results

__all__ = ["PairedDifference", "compare"]

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
    p_better: float
    p_better_lo: float
    p_better_hi: float
    p_tie: float


def compare(
    option: Results, reference: Results, outcomes: list[str] | None = None
) -> list[PairedDifference]:
    """Paired differences ``option - reference`` for each outcome (see module docstring).

    Raises
    ------
    ResultsError
        If the runs are not paired (different seed, replications or model).
    """
    for key in ("seed", "replications", "block_size", "model"):
        if option.manifest.get(key) != reference.manifest.get(key):
            raise ResultsError(
                f"runs are not paired: {key} differs ({option.manifest.get(key)!r} vs "
                f"{reference.manifest.get(key)!r}); run both with the same seed and size"
            )
    info = {o.name: o for o in option.outcome_info}
    names = outcomes if outcomes is not None else list(option.outcomes)
    rows: list[PairedDifference] = []
    for name in names:
        x, y = option.outcome(name), reference.outcome(name)
        ok = np.isfinite(x) & np.isfinite(y)
        d = x[ok] - y[ok]
        n = int(d.size)
        direction = info[name].direction if name in info else "info"
        if n == 0:
            raise ResultsError(f"outcome {name!r}: no replication is finite in both runs")
        mean = float(d.mean())
        half = _Z * float(d.std(ddof=1)) / math.sqrt(n) if n > 1 else math.nan
        better = d > 0 if direction != "minimize" else d < 0
        k = int(better.sum())
        lo, hi = wilson_interval(k, n)
        rows.append(
            PairedDifference(
                outcome=name,
                unit=info[name].unit if name in info else "",
                direction=direction,
                n=n,
                reference_mean=float(y[ok].mean()),
                option_mean=float(x[ok].mean()),
                diff_mean=mean,
                diff_lo=mean - half,
                diff_hi=mean + half,
                p_better=k / n,
                p_better_lo=lo,
                p_better_hi=hi,
                p_tie=float(np.mean(d == 0)),
            )
        )
    return rows
