r"""Ukraine's withdrawal from the Kursk sector as a decision, not attrition to zero.

At the end of each day Ukraine decides to withdraw where any of these holds (thresholds
are ASSUMPTIONs about the command's judgement):

* the ground held :math:`A_t` is below :math:`A_{min}` (``min_area_km2``);
* the red-to-Ukrainian force ratio :math:`r_t` (signal ``force_ratio``) is above
  :math:`r_{max}` (``max_force_ratio``): encirclement risk;
* logistics capacity :math:`L_t` (signal ``ua_logistics_capacity``) is below
  :math:`L_{min}` (``min_logistics``): the grouping can no longer be supplied.

From the next day the grouping gives up :math:`A_{t_w} / W` km² a day (signal
``ua_withdrawal_km2_per_day``), where :math:`t_w` is the day of the decision and
:math:`W \ge 1` (``withdrawal_days``), until the held area reaches 0: :math:`W` days if
nothing else moves the line. The ground model then leaves the sector and its forces keep
fighting on the border (the ground model's post-exit accounting). A decision is not
revoked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenario.models.campaign.signals import (
    FORCE_RATIO,
    GROUND_HELD_KM2,
    UA_LOGISTICS,
    UA_WITHDRAWAL,
    UA_WITHDRAWING,
)
from scenario.models.daily import SubmodelContext, today
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["WithdrawalSubmodel"]


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="withdrawal", name=name, unit=unit, meaning=meaning)


@dataclass
class _WithdrawalState:
    min_area: np.ndarray
    max_ratio: np.ndarray
    min_logistics: np.ndarray
    days: np.ndarray
    decided: np.ndarray  # day of the decision (inf: none)
    rate: np.ndarray  # km2/day to give up once decided


class WithdrawalSubmodel:
    """The decision to leave the Kursk sector (equations: module docstring)."""

    name = "withdrawal"
    parameters = (
        _p("min_area_km2", "km2", "Held area below which Ukraine decides to withdraw"),
        _p("max_force_ratio", "ratio", "Force ratio above which Ukraine decides to withdraw"),
        _p("min_logistics", "fraction", "Logistics capacity below which Ukraine withdraws"),
        _p("withdrawal_days", "days", "Days to execute the withdrawal"),
    )
    levers = ()
    reads = (today(GROUND_HELD_KM2), today(FORCE_RATIO), today(UA_LOGISTICS))
    writes = (UA_WITHDRAWING,)
    events = (UA_WITHDRAWAL,)
    outcomes = (
        OutcomeInfo(
            name="ua_withdrew",
            unit="0/1",
            description="Ukraine decided to withdraw from the sector within the horizon",
            direction="minimize",
        ),
        OutcomeInfo(
            name="ua_withdrawal_day",
            unit="day",
            description="Day of the decision to withdraw (horizon if none)",
            direction="maximize",
            censored=True,
        ),
    )
    series: tuple[SeriesInfo, ...] = ()

    def start(self, ctx: SubmodelContext) -> _WithdrawalState:
        """Thresholds of the decision rule."""
        g = "withdrawal."
        return _WithdrawalState(
            min_area=ctx.p(g + "min_area_km2"),
            max_ratio=ctx.p(g + "max_force_ratio"),
            min_logistics=ctx.p(g + "min_logistics"),
            days=np.maximum(ctx.p(g + "withdrawal_days"), 1.0),
            decided=np.full(ctx.n, np.inf),
            rate=np.zeros(ctx.n),
        )

    def step(self, ctx: SubmodelContext, s: _WithdrawalState, t: int) -> None:
        """Today's decision, from the end-of-day state of the sector."""
        area = ctx.read(GROUND_HELD_KM2)
        holding = area > 0.0
        reason = (
            (area < s.min_area)
            | (ctx.read(FORCE_RATIO) > s.max_ratio)
            | (ctx.read(UA_LOGISTICS) < s.min_logistics)
        )
        new = holding & reason & ~np.isfinite(s.decided)
        if new.any():
            s.decided = np.where(new, float(t), s.decided)
            s.rate = np.where(new, area / s.days, s.rate)
            ctx.mark(UA_WITHDRAWAL, new, t)
        s.rate = np.where(holding, s.rate, 0.0)  # nothing left to give up
        ctx.write(UA_WITHDRAWING, s.rate)

    def finish(self, ctx: SubmodelContext, s: _WithdrawalState) -> BlockOutput:
        """Outcomes of the block."""
        decided = np.isfinite(s.decided)
        return BlockOutput(
            outcomes={
                "ua_withdrew": decided.astype(np.float64),
                "ua_withdrawal_day": np.where(decided, s.decided, float(ctx.horizon)),
            }
        )
