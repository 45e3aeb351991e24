r"""Russian manpower front-wide: losses, recruitment, and the North Korean offset.

Daily front-wide Russian casualties :math:`C_t \sim \text{Normal}(c, (v c)^2)` (clipped at 0)
with mean :math:`c` (``ru_daily_casualties``) and day-to-day variation :math:`v`; recruits
:math:`\rho` per day (``ru_daily_recruits``). North Korean troops committed to combat
(signal ``nk_deployed`` from the ground model) offset Russian losses one for one. Over the
horizon:

.. math::

    \Delta M = \sum_t (\rho - C_t) + D_{NK}, \qquad
    \text{offset share} = D_{NK} / \sum_t C_t .
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenario.models.campaign.signals import NK_DEPLOYED
from scenario.models.daily import SubmodelContext, today
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["ManpowerSubmodel"]


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="manpower", name=name, unit=unit, meaning=meaning)


@dataclass
class _ManpowerState:
    c: np.ndarray  # mean daily casualties
    v: np.ndarray  # day-to-day coefficient of variation
    rho: np.ndarray  # recruits per day
    cas: np.ndarray  # casualties so far


class ManpowerSubmodel:
    """Russian front-wide losses against recruitment and North Korean troops."""

    name = "manpower"
    parameters = (
        _p("ru_daily_casualties", "troops/day", "Russian casualties per day, whole front"),
        _p("ru_daily_variation", "cv", "Day-to-day coefficient of variation of casualties"),
        _p("ru_daily_recruits", "troops/day", "Russian recruits per day"),
    )
    levers = ()
    reads = (today(NK_DEPLOYED),)
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
            description="Recruits + NK troops - casualties over the horizon",
            direction="minimize",
        ),
        OutcomeInfo(
            name="nk_offset_share",
            unit="fraction",
            description="Share of Russian losses offset by North Korean troops",
            direction="minimize",
        ),
    )
    series: tuple[SeriesInfo, ...] = ()

    def start(self, ctx: SubmodelContext) -> _ManpowerState:
        """Daily mean losses, variation and recruitment."""
        return _ManpowerState(
            c=ctx.p("manpower.ru_daily_casualties"),
            v=ctx.p("manpower.ru_daily_variation"),
            rho=ctx.p("manpower.ru_daily_recruits"),
            cas=np.zeros(ctx.n),
        )

    def step(self, ctx: SubmodelContext, s: _ManpowerState, t: int) -> None:
        """Today's front-wide losses."""
        z = ctx.rng().standard_normal(ctx.n)
        s.cas += np.maximum(s.c * (1.0 + s.v * z), 0.0)

    def finish(self, ctx: SubmodelContext, s: _ManpowerState) -> BlockOutput:
        """Outcomes of the block (North Korean troops deployed by the last day)."""
        nk = ctx.read(NK_DEPLOYED)
        recruits = s.rho * ctx.horizon
        return BlockOutput(
            outcomes={
                "ru_frontwide_casualties": s.cas,
                "ru_net_manpower_change": recruits + nk - s.cas,
                "nk_offset_share": nk / np.maximum(s.cas, 1.0),
            }
        )
