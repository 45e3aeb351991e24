r"""What the defended area protects: Ukrainian energy and logistics capacity behind the
Kursk grouping, and the civilians around it.

Air-defence leakers (signals ``ad_leakers_<class>_today``) damage capacity; supply-line
interdiction during the Russian counter-offensive (signal ``supply_interdiction``) cuts it
further; repair restores a share of the missing capacity every day. With :math:`k_{c,t}`
leakers of class :math:`c` on day :math:`t`, damage per leaker :math:`d_c`
(``damage_<class>``), repair rate :math:`r` (``repair_per_day``) and interdiction
:math:`i_t`,

.. math::

    L_t = \big(L_{t-1} + r\,(1 - L_{t-1})\big)\,
          \exp\Big(-\sum_c d_c\,k_{c,t}\Big)\,(1 - i_t), \qquad L_{-1} = 1,

so each leaker removes the fraction :math:`1 - e^{-d_c}` of what is left, and with no
damage the capacity stays at 1. The ground model multiplies Ukrainian fire by
:math:`1 - \phi\,(1 - L_t)` (``ground.logistics_fire_dependence`` :math:`\phi`): degraded
logistics mean fewer shells, fuel and spares at the guns.

Civilian harm: casualties :math:`H \sim \text{Poisson}\big(\sum_{c,t} h_c\,k_{c,t}\big)`
(``civilians_per_<class>``), drawn once at the end of the block.

All damage and harm coefficients are ASSUMPTIONs (no public per-leaker figure exists for
the area); their ranges are wide so that sensitivity analysis shows whether they matter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenario.models.campaign.signals import AD_LEAKERS_TODAY, SUPPLY_INTERDICTION, UA_LOGISTICS
from scenario.models.daily import SubmodelContext, today
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["LogisticsSubmodel"]

_CLASSES = tuple(AD_LEAKERS_TODAY)


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="logistics", name=name, unit=unit, meaning=meaning)


@dataclass
class _LogisticsState:
    damage: np.ndarray  # (n, 4) capacity lost per leaker (log scale)
    harm: np.ndarray  # (n, 4) civilian casualties per leaker
    repair: np.ndarray
    capacity: np.ndarray
    low: np.ndarray
    total: np.ndarray  # sum of daily capacity
    expected_harm: np.ndarray
    m: int
    series: dict[str, np.ndarray]


class LogisticsSubmodel:
    """Energy and logistics capacity behind the Kursk grouping (equations: module doc)."""

    name = "logistics"
    parameters = (
        *(
            _p(f"damage_{c}", "fraction/leaker", f"Capacity lost per {c} leaker (log scale)")
            for c in _CLASSES
        ),
        _p("repair_per_day", "fraction/day", "Share of the missing capacity restored per day"),
        *(
            _p(f"civilians_per_{c}", "casualties/leaker", f"Civilian casualties per {c} leaker")
            for c in _CLASSES
        ),
    )
    levers = ()
    reads = (*(today(s) for s in AD_LEAKERS_TODAY.values()), today(SUPPLY_INTERDICTION))
    writes = (UA_LOGISTICS,)
    events = ()
    outcomes = (
        OutcomeInfo(
            name="logistics_capacity_mean",
            unit="fraction",
            description="Mean energy and logistics capacity behind the grouping (1 = intact)",
            direction="maximize",
        ),
        OutcomeInfo(
            name="logistics_capacity_min",
            unit="fraction",
            description="Lowest energy and logistics capacity over the horizon",
            direction="maximize",
        ),
        OutcomeInfo(
            name="civilian_casualties",
            unit="people",
            description="Civilian casualties from leakers at the defended area",
            direction="minimize",
        ),
    )
    series = (
        SeriesInfo(name="logistics_capacity", unit="fraction", description="Logistics capacity"),
    )

    def start(self, ctx: SubmodelContext) -> _LogisticsState:
        """Capacity starts intact."""
        g = "logistics."
        m, series = ctx.series_buffers(self.series)
        return _LogisticsState(
            damage=np.stack([ctx.p(f"{g}damage_{c}") for c in _CLASSES], axis=1),
            harm=np.stack([ctx.p(f"{g}civilians_per_{c}") for c in _CLASSES], axis=1),
            repair=ctx.p(g + "repair_per_day"),
            capacity=np.ones(ctx.n),
            low=np.ones(ctx.n),
            total=np.zeros(ctx.n),
            expected_harm=np.zeros(ctx.n),
            m=m,
            series=series,
        )

    def step(self, ctx: SubmodelContext, s: _LogisticsState, t: int) -> None:
        """Repair, then today's damage from leakers and interdiction."""
        hit = np.zeros(ctx.n)
        for j, c in enumerate(_CLASSES):
            k = ctx.read(AD_LEAKERS_TODAY[c])
            hit += s.damage[:, j] * k
            s.expected_harm += s.harm[:, j] * k
        cut = ctx.read(SUPPLY_INTERDICTION)
        repaired = s.capacity + s.repair * (1.0 - s.capacity)
        s.capacity = repaired * np.exp(-hit) * (1.0 - np.clip(cut, 0.0, 1.0))
        s.low = np.minimum(s.low, s.capacity)
        s.total += s.capacity
        ctx.write(UA_LOGISTICS, s.capacity)
        if s.m:
            s.series["logistics_capacity"][:, t] = s.capacity[: s.m]

    def finish(self, ctx: SubmodelContext, s: _LogisticsState) -> BlockOutput:
        """Outcomes of the block (civilian casualties drawn once from their expectation)."""
        harm = ctx.rng().poisson(s.expected_harm).astype(np.float64)
        return BlockOutput(
            outcomes={
                "logistics_capacity_mean": s.total / ctx.horizon,
                "logistics_capacity_min": s.low,
                "civilian_casualties": harm,
            },
            series=s.series,
        )
