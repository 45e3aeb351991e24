r"""Russian manpower front-wide: losses, recruitment, and the North Korean offset.

Front-wide Russian casualties on day :math:`t` are those of the other sectors plus those of
the Kursk sector from the ground model (signal ``ru_sector_casualties_today``,
:math:`K_t`). The other sectors lose
:math:`O_t = \max\big(0, (1 - \kappa)\,c\,(1 + v Z_t)\big)`, :math:`Z_t \sim N(0, 1)`,
with :math:`c` the front-wide mean (``ru_daily_casualties``), :math:`v` its day-to-day
variation and :math:`\kappa` the Kursk sector's share of it in the record
(``kursk_share``). Recruits arrive at :math:`\rho` a day (``ru_daily_recruits``). North
Korean troops committed to combat (:math:`D_{NK}`, signal ``nk_deployed``) offset Russian
losses one for one, less their own casualties (:math:`C_{NK}`, the sum of
``nk_casualties_today``). Over the horizon :math:`H`:

.. math::

    C = \sum_t (O_t + K_t), \qquad
    \Delta M = \rho H - C + (D_{NK} - C_{NK}), \qquad
    \text{offset share} = (D_{NK} - C_{NK}) / C .

So every option that changes Russian or North Korean casualties in Kursk moves Russia's
manpower balance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenario.models.campaign.signals import (
    NK_CASUALTIES_TODAY,
    NK_DEPLOYED,
    RU_SECTOR_CASUALTIES_TODAY,
)
from scenario.models.daily import SubmodelContext, today
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["ManpowerSubmodel"]


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="manpower", name=name, unit=unit, meaning=meaning)


@dataclass
class _ManpowerState:
    other: np.ndarray  # mean daily casualties outside the Kursk sector
    v: np.ndarray  # day-to-day coefficient of variation
    rho: np.ndarray  # recruits per day
    cas: np.ndarray  # front-wide casualties so far
    nk_cas: np.ndarray  # North Korean casualties so far


class ManpowerSubmodel:
    """Russian front-wide losses against recruitment and North Korean troops."""

    name = "manpower"
    parameters = (
        _p("ru_daily_casualties", "troops/day", "Russian casualties per day, whole front"),
        _p("ru_daily_variation", "cv", "Day-to-day coefficient of variation of casualties"),
        _p("ru_daily_recruits", "troops/day", "Russian recruits per day"),
        _p("kursk_share", "fraction", "Kursk sector's share of front-wide Russian casualties"),
    )
    levers = ()
    reads = (today(RU_SECTOR_CASUALTIES_TODAY), today(NK_CASUALTIES_TODAY), today(NK_DEPLOYED))
    writes = ()
    events = ()
    outcomes = (
        OutcomeInfo(
            name="ru_frontwide_casualties",
            unit="troops",
            description="Russian casualties over the horizon, whole front",
            direction="maximize",
        ),
        OutcomeInfo(
            name="ru_net_manpower_change",
            unit="troops",
            description="Recruits + NK troops still fighting - casualties over the horizon",
            direction="minimize",
        ),
        OutcomeInfo(
            name="nk_offset_share",
            unit="fraction",
            description="Share of Russian losses offset by North Korean troops still fighting",
            direction="minimize",
        ),
    )
    series: tuple[SeriesInfo, ...] = ()

    def start(self, ctx: SubmodelContext) -> _ManpowerState:
        """Mean losses outside Kursk, variation and recruitment."""
        g = "manpower."
        return _ManpowerState(
            other=ctx.p(g + "ru_daily_casualties") * (1.0 - ctx.p(g + "kursk_share")),
            v=ctx.p(g + "ru_daily_variation"),
            rho=ctx.p(g + "ru_daily_recruits"),
            cas=np.zeros(ctx.n),
            nk_cas=np.zeros(ctx.n),
        )

    def step(self, ctx: SubmodelContext, s: _ManpowerState, t: int) -> None:
        """Today's front-wide losses: the other sectors plus Kursk."""
        z = ctx.rng().standard_normal(ctx.n)
        s.cas += np.maximum(s.other * (1.0 + s.v * z), 0.0) + ctx.read(RU_SECTOR_CASUALTIES_TODAY)
        s.nk_cas += ctx.read(NK_CASUALTIES_TODAY)

    def finish(self, ctx: SubmodelContext, s: _ManpowerState) -> BlockOutput:
        """Outcomes of the block (North Korean troops deployed by the last day)."""
        nk_net = ctx.read(NK_DEPLOYED) - s.nk_cas
        recruits = s.rho * ctx.horizon
        return BlockOutput(
            outcomes={
                "ru_frontwide_casualties": s.cas,
                "ru_net_manpower_change": recruits + nk_net - s.cas,
                "nk_offset_share": nk_net / np.maximum(s.cas, 1.0),
            }
        )
