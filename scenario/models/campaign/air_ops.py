r"""North Korean pilots on Su-25s: training, sorties, losses.

Pilots :math:`P` start training on day :math:`d_0` (before the horizon if negative); the
course takes :math:`T \cdot \varphi` days, base length :math:`T` stretched by language and
doctrine friction :math:`\varphi`. From the day operational (and only if
``adversary.pilots_in_combat``), daily sorties are
:math:`S_t \sim \text{Poisson}(\min(r A_t, P))` with :math:`A_t` aircraft available and
:math:`r` sorties per aircraft-day. Each sortie adds :math:`e` troop-equivalents of fire to
the Russian side in the ground model (signal ``red_air_support``); a share :math:`x` of
sorties enters the defended air-defence envelope as aircraft threats
(``nk_sorties_exposed``), where the air-defence submodel may shoot them down; other losses
(MANPADS, accidents) are :math:`\text{Poisson}(S_t\,\ell)`. Lost aircraft are not replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenario.models.campaign.signals import (
    NK_AIRCRAFT_LOST_TODAY,
    NK_PILOTS_OPERATIONAL,
    NK_SORTIES_EXPOSED,
    RED_AIR_SUPPORT,
)
from scenario.models.daily import SubmodelContext, yesterday
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["AirOpsSubmodel"]


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="air_ops", name=name, unit=unit, meaning=meaning)


@dataclass
class _AirOpsState:
    ready: np.ndarray  # day pilots are operational
    pilots: np.ndarray
    aircraft: np.ndarray  # aircraft still available
    rate: np.ndarray
    eq: np.ndarray
    x: np.ndarray
    loss: np.ndarray
    sorties: np.ndarray
    lost: np.ndarray
    m: int
    series: dict[str, np.ndarray]


class AirOpsSubmodel:
    """North Korean pilots and Su-25 sorties (equations: module docstring)."""

    name = "air_ops"
    parameters = (
        _p("pilots", "pilots", "North Korean pilots sent to train"),
        _p("training_start_day", "day", "Day training started (negative: before start_date)"),
        _p("training_days", "days", "Base length of conversion training"),
        _p("friction", "ratio", "Stretch of training by language and doctrine friction"),
        _p("aircraft", "aircraft", "Su-25 available to North Korean pilots"),
        _p("sortie_rate", "sorties/aircraft/day", "Sorties per available aircraft per day"),
        _p("sortie_troop_equivalent", "troops", "Fire of one sortie in troop equivalents"),
        _p("envelope_share", "fraction", "Share of sorties entering the defended AD envelope"),
        _p("other_loss_per_sortie", "probability", "Losses per sortie outside that envelope"),
    )
    levers = ()  # reads the structural setting adversary.pilots_in_combat
    reads = (yesterday(NK_AIRCRAFT_LOST_TODAY),)
    writes = (RED_AIR_SUPPORT, NK_SORTIES_EXPOSED)
    events = (NK_PILOTS_OPERATIONAL,)
    outcomes = (
        OutcomeInfo(
            name="nk_sorties", unit="sorties", description="Su-25 sorties flown by NK pilots"
        ),
        OutcomeInfo(
            name="nk_aircraft_lost",
            unit="aircraft",
            description="Aircraft lost with NK pilots",
            direction="maximize",
        ),
        OutcomeInfo(
            name="nk_pilots_operational_day",
            unit="day",
            description="Day NK pilots finish training (censored at the horizon)",
        ),
    )
    series = (SeriesInfo(name="nk_sorties_daily", unit="sorties", description="Sorties per day"),)

    def start(self, ctx: SubmodelContext) -> _AirOpsState:
        """Training schedule and fleet."""
        g = "air_ops."
        ready = ctx.p(g + "training_start_day") + ctx.p(g + "training_days") * ctx.p(
            g + "friction"
        )
        m, series = ctx.series_buffers(self.series)
        return _AirOpsState(
            ready=ready,
            pilots=ctx.p(g + "pilots"),
            aircraft=np.floor(ctx.p(g + "aircraft")),
            rate=ctx.p(g + "sortie_rate"),
            eq=ctx.p(g + "sortie_troop_equivalent"),
            x=ctx.p(g + "envelope_share"),
            loss=ctx.p(g + "other_loss_per_sortie"),
            sorties=np.zeros(ctx.n),
            lost=np.zeros(ctx.n),
            m=m,
            series=series,
        )

    def step(self, ctx: SubmodelContext, s: _AirOpsState, t: int) -> None:
        """Today's sorties (after yesterday's losses to air defence)."""
        ctx.mark(NK_PILOTS_OPERATIONAL, t >= s.ready, t)
        if not ctx.adversary.pilots_in_combat:
            return
        rng = ctx.rng()
        shot = np.minimum(ctx.read(NK_AIRCRAFT_LOST_TODAY), s.aircraft)
        s.aircraft = s.aircraft - shot
        s.lost += shot
        flying = t >= s.ready
        lam = np.where(flying, np.minimum(s.rate * s.aircraft, s.pilots), 0.0)
        sorties = rng.poisson(lam).astype(np.float64)
        other = np.minimum(rng.poisson(sorties * s.loss).astype(np.float64), s.aircraft)
        s.aircraft = s.aircraft - other
        s.lost += other
        s.sorties += sorties
        ctx.write(RED_AIR_SUPPORT, sorties * s.eq)
        ctx.write(NK_SORTIES_EXPOSED, sorties * s.x)
        if s.m:
            s.series["nk_sorties_daily"][:, t] = sorties[: s.m]

    def finish(self, ctx: SubmodelContext, s: _AirOpsState) -> BlockOutput:
        """Outcomes of the block (losses include the last day's air-defence kills)."""
        last = np.minimum(ctx.read(NK_AIRCRAFT_LOST_TODAY), s.aircraft)
        return BlockOutput(
            outcomes={
                "nk_sorties": s.sorties,
                "nk_aircraft_lost": s.lost + last,
                "nk_pilots_operational_day": np.minimum(np.maximum(s.ready, 0.0), ctx.horizon),
            },
            series=s.series,
        )
