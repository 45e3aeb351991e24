r"""North Korean munitions to Russia: artillery shells for Russian fire in the sector and
KN-23/24 ballistic missiles at the defended area.

The historical record (and so the baseline's Russian kill rate) already contains the North
Korean flow; this submodel says what changes when it stops (``adversary.nk_munitions:
false``, ``configs/adversary/no_nk_munitions.yaml``). With the flow stopped on day 0,
shells already in Russian depots run down with time constant :math:`\tau`
(``stock_days``), so the North Korean part of supply is :math:`a_t = e^{-t/\tau}`
(:math:`a_t = 1` while the flow continues). With North Korea's share :math:`s` of Russian
artillery ammunition (``shell_share``) and the share of Russian fire that needs no shells
:math:`f_0` (``fire_floor``: drones, mortars, aviation),

.. math::

    m_t = f_0 + (1 - f_0)\,\big((1 - s) + s\,a_t\big) = 1 - (1 - f_0)\,s\,(1 - a_t)

multiplies Russian fire in the ground model (signal ``red_fire_multiplier``; 1 with the
flow, :math:`f_0 + (1 - f_0)(1 - s)` once the stocks are gone).

Missiles: :math:`\mu` KN-23/24 a month (``missiles_per_month``), a share :math:`q`
(``area_share``) at the defended area: :math:`\mu q a_t / 30` expected ballistic threats a
day (signal ``nk_missiles_at_area_today``), added to the Russian ballistic threats of the
air-defence submodel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenario.models.campaign.signals import NK_MISSILES_TODAY, RED_FIRE_MULTIPLIER
from scenario.models.daily import SubmodelContext
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["NkMunitionsSubmodel"]

DAYS_PER_MONTH = 30.0


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="nk_munitions", name=name, unit=unit, meaning=meaning)


@dataclass
class _MunitionsState:
    share: np.ndarray
    floor: np.ndarray
    stock: np.ndarray
    missiles: np.ndarray  # expected per day at the area with the flow on
    flowing: bool
    fire_sum: np.ndarray
    missiles_sum: np.ndarray


class NkMunitionsSubmodel:
    """North Korean shells and missiles for Russia (equations: module docstring)."""

    name = "nk_munitions"
    parameters = (
        _p("shell_share", "fraction", "North Korean share of Russian artillery ammunition"),
        _p("fire_floor", "fraction", "Share of Russian fire that needs no artillery shells"),
        _p("stock_days", "days", "Time constant of Russian shell stocks once the flow stops"),
        _p("missiles_per_month", "missiles/month", "KN-23/24 fired at Ukraine per month"),
        _p("area_share", "fraction", "Share of those missiles aimed at the defended area"),
    )
    levers = ()  # reads the structural setting adversary.nk_munitions
    reads = ()
    writes = (RED_FIRE_MULTIPLIER, NK_MISSILES_TODAY)
    events = ()
    outcomes = (
        OutcomeInfo(
            name="red_fire_multiplier_mean",
            unit="ratio",
            description="Mean Russian fire multiplier from North Korean shells (1 = as recorded)",
        ),
        OutcomeInfo(
            name="nk_missiles_at_area",
            unit="missiles",
            description="Expected North Korean missiles at the defended area",
        ),
    )
    series: tuple[SeriesInfo, ...] = ()

    def start(self, ctx: SubmodelContext) -> _MunitionsState:
        """Shares and rates; whether the flow continues is a structural setting."""
        g = "nk_munitions."
        return _MunitionsState(
            share=ctx.p(g + "shell_share"),
            floor=ctx.p(g + "fire_floor"),
            stock=ctx.p(g + "stock_days"),
            missiles=ctx.p(g + "missiles_per_month") * ctx.p(g + "area_share") / DAYS_PER_MONTH,
            flowing=ctx.adversary.nk_munitions,
            fire_sum=np.zeros(ctx.n),
            missiles_sum=np.zeros(ctx.n),
        )

    def step(self, ctx: SubmodelContext, s: _MunitionsState, t: int) -> None:
        """Today's North Korean part of Russian supply and missiles."""
        a = np.ones(ctx.n) if s.flowing else np.exp(-t / s.stock)
        mult = 1.0 - (1.0 - s.floor) * s.share * (1.0 - a)  # exactly 1 while flowing
        rate = s.missiles * a
        ctx.write(RED_FIRE_MULTIPLIER, mult)
        ctx.write(NK_MISSILES_TODAY, rate)
        s.fire_sum += mult
        s.missiles_sum += rate

    def finish(self, ctx: SubmodelContext, s: _MunitionsState) -> BlockOutput:
        """Outcomes of the block."""
        return BlockOutput(
            outcomes={
                "red_fire_multiplier_mean": s.fire_sum / ctx.horizon,
                "nk_missiles_at_area": s.missiles_sum,
            }
        )
