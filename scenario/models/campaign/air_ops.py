r"""North Korean pilots on Su-25s: training, commitment to combat, sorties, losses.

Pilots :math:`P` start training on day :math:`d_0` (before the horizon if negative); the
course takes :math:`T \cdot \varphi` days, base length :math:`T` stretched by language and
doctrine friction :math:`\varphi`, so they are operational from :math:`R = d_0 + T\varphi`.

**Commitment.** Pilots fly combat in replication :math:`i` from the first day :math:`t` with

.. math::

    c_{i,t} = \texttt{adversary.pilots\_in\_combat} \;\lor\;
      \big(u_i < q \;\land\; \exists\, s \le t:\ L_{i,s-1} \ge 3\big),

where :math:`L_{t-1}` is yesterday's escalation level (``escalation_level``; level 3 is the
"expanded North Korean role"), :math:`q` is ``commit_prob`` and :math:`u_i \sim U(0, 1)` is
drawn once per replication at the start, before any other draw of this stream. Once
committed, pilots stay committed. With :math:`q = 0` the coupling vanishes.

**Sorties.** On a day :math:`t \ge R` with :math:`c_{i,t}`,
:math:`S_t \sim \text{Poisson}(\min(r A_t, P))` with :math:`A_t` aircraft available and
:math:`r` sorties per aircraft-day (signal ``nk_sorties_today``). Each sortie adds
:math:`e` troop-equivalents of fire to the Russian side (signal ``red_air_support``).

**Losses.** Su-25s fly close air support over the front; only the share :math:`a`
(``attack_share``) of sorties that attack the defended (rear) area meets its air defence:
signal ``nk_sorties_exposed`` :math:`= a\,S_t`, and the air-defence submodel returns the
aircraft it shot down (``nk_aircraft_lost_today``, applied the next day). Other losses
(MANPADS and short-range air defence over the front, accidents) are
:math:`\min(\text{Poisson}(S_t\,\ell), A_t)` with :math:`\ell` ``other_loss_per_sortie``.
Lost aircraft are not replaced. Since the defended area kills at most every aircraft that
attacks it, the expected loss per sortie is at most :math:`\ell + a`.

Outcome ``nk_loss_per_sortie`` is aircraft lost over sorties flown (0 without sorties).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenario.models.campaign.signals import (
    ESCALATION_LEVEL,
    NK_AIRCRAFT_LOST_TODAY,
    NK_PILOTS_OPERATIONAL,
    NK_SORTIES_EXPOSED,
    NK_SORTIES_TODAY,
    RED_AIR_SUPPORT,
)
from scenario.models.daily import SubmodelContext, yesterday
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["COMMIT_LEVEL", "AirOpsSubmodel"]

COMMIT_LEVEL = 3.0
"""Escalation level ("expanded North Korean role") at which pilots may be committed."""


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="air_ops", name=name, unit=unit, meaning=meaning)


@dataclass
class _AirOpsState:
    ready: np.ndarray  # day pilots are operational
    pilots: np.ndarray
    aircraft: np.ndarray  # aircraft still available
    rate: np.ndarray
    eq: np.ndarray
    attack: np.ndarray
    loss: np.ndarray
    willing: np.ndarray  # would commit pilots once escalation reaches COMMIT_LEVEL
    committed: np.ndarray
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
        _p("attack_share", "fraction", "Share of sorties that attack the defended area"),
        _p(
            "other_loss_per_sortie",
            "aircraft/sortie",
            "Losses per sortie to front-line air defence and accidents",
        ),
        _p(
            "commit_prob",
            "probability",
            "Chance pilots are committed to combat once escalation reaches level 3",
        ),
    )
    levers = ()  # reads the structural setting adversary.pilots_in_combat
    reads = (yesterday(NK_AIRCRAFT_LOST_TODAY), yesterday(ESCALATION_LEVEL))
    writes = (RED_AIR_SUPPORT, NK_SORTIES_EXPOSED, NK_SORTIES_TODAY)
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
            name="nk_loss_per_sortie",
            unit="aircraft/sortie",
            description="Aircraft lost with NK pilots per sortie flown (0 without sorties)",
        ),
        OutcomeInfo(
            name="nk_pilots_committed",
            unit="0/1",
            description="1 if NK pilots were committed to combat (setting or escalation)",
        ),
        OutcomeInfo(
            name="nk_pilots_operational_day",
            unit="day",
            description="Day NK pilots finish training (censored at the horizon)",
            censored=True,
        ),
    )
    series = (SeriesInfo(name="nk_sorties_daily", unit="sorties", description="Sorties per day"),)

    def start(self, ctx: SubmodelContext) -> _AirOpsState:
        """Training schedule, fleet, and the per-replication commitment draw."""
        g = "air_ops."
        willing = ctx.rng().random(ctx.n) < ctx.p(g + "commit_prob")  # first draw of the stream
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
            attack=ctx.p(g + "attack_share"),
            loss=ctx.p(g + "other_loss_per_sortie"),
            willing=willing,
            committed=np.full(ctx.n, bool(ctx.adversary.pilots_in_combat)),
            sorties=np.zeros(ctx.n),
            lost=np.zeros(ctx.n),
            m=m,
            series=series,
        )

    def step(self, ctx: SubmodelContext, s: _AirOpsState, t: int) -> None:
        """Commitment, then today's sorties (after yesterday's losses to air defence)."""
        ctx.mark(NK_PILOTS_OPERATIONAL, t >= s.ready, t)
        level = ctx.written(ESCALATION_LEVEL)
        if level is not None and s.willing.any():
            s.committed |= s.willing & (level >= COMMIT_LEVEL)
        if not s.committed.any():
            return
        rng = ctx.rng()
        shot = np.minimum(ctx.read(NK_AIRCRAFT_LOST_TODAY), s.aircraft)
        s.aircraft = s.aircraft - shot
        s.lost += shot
        flying = s.committed & (t >= s.ready)
        lam = np.where(flying, np.minimum(s.rate * s.aircraft, s.pilots), 0.0)
        sorties = rng.poisson(lam).astype(np.float64)
        other = np.minimum(rng.poisson(sorties * s.loss).astype(np.float64), s.aircraft)
        s.aircraft = s.aircraft - other
        s.lost += other
        s.sorties += sorties
        ctx.write(NK_SORTIES_TODAY, sorties)
        ctx.write(RED_AIR_SUPPORT, sorties * s.eq)
        ctx.write(NK_SORTIES_EXPOSED, sorties * s.attack)
        if s.m:
            s.series["nk_sorties_daily"][:, t] = sorties[: s.m]

    def finish(self, ctx: SubmodelContext, s: _AirOpsState) -> BlockOutput:
        """Outcomes of the block (losses include the last day's air-defence kills)."""
        last = np.minimum(ctx.read(NK_AIRCRAFT_LOST_TODAY), s.aircraft)
        lost = s.lost + last
        return BlockOutput(
            outcomes={
                "nk_sorties": s.sorties,
                "nk_aircraft_lost": lost,
                "nk_loss_per_sortie": np.where(
                    s.sorties > 0, lost / np.maximum(s.sorties, 1.0), 0.0
                ),
                "nk_pilots_committed": s.committed.astype(np.float64),
                "nk_pilots_operational_day": np.minimum(np.maximum(s.ready, 0.0), ctx.horizon),
            },
            series=s.series,
        )
