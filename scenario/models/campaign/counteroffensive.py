r"""The Russian counter-offensive phase (February-March 2025 in the record): supply-line
interdiction and pressure on the ground held.

The phase starts on day :math:`D` (``start_day``; on from the first whole day
:math:`t \ge D`, the outcome ``counteroffensive_day``, the horizon if never); escalation to
level 2 or more ("Russian sensitive technology to North Korea", read from the day before)
first seen on day :math:`t` brings a phase not yet started forward, once, to
:math:`\max(D - \delta, t)` (``escalation_advance_days`` :math:`\delta`). With
:math:`x = t - D` days into the phase and ramp time :math:`\rho` (``ramp_days``),

.. math::

    P_t = 1 + (P_{max} - 1)\,(1 - e^{-x/\rho}), \qquad
    i_t = i_{max}\,(1 - e^{-x/\rho})\qquad (x \ge 0),

with :math:`P_t = 1`, :math:`i_t = 0` before. :math:`P_t` (``pressure_max`` at full ramp)
multiplies the force ratio in the ground model's equation for ground held (signal
``ru_offensive_pressure``), so the rate of ground loss rises while attrition is unchanged;
:math:`i_t` (``interdiction_per_day``) is the share of Ukrainian logistics capacity cut per
day by fire on the supply roads (signal ``supply_interdiction``, read by the logistics
submodel). The event ``ru_counteroffensive`` marks the start (levers may trigger on it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenario.models.campaign.signals import (
    ESCALATION_LEVEL,
    RU_COUNTEROFFENSIVE,
    RU_OFFENSIVE_PRESSURE,
    SUPPLY_INTERDICTION,
)
from scenario.models.daily import SubmodelContext, yesterday
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["ADVANCE_LEVEL", "CounteroffensiveSubmodel"]

ADVANCE_LEVEL = 2
"""Escalation level from which the counter-offensive is brought forward (definition of
level 2 of the ladder, :mod:`scenario.models.campaign.escalation`)."""


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="counteroffensive", name=name, unit=unit, meaning=meaning)


@dataclass
class _CounterState:
    start: np.ndarray  # day the phase starts
    advance: np.ndarray
    advanced: np.ndarray  # the start was already brought forward
    p_max: np.ndarray
    i_max: np.ndarray
    ramp: np.ndarray


class CounteroffensiveSubmodel:
    """The Russian counter-offensive phase (equations: module docstring)."""

    name = "counteroffensive"
    parameters = (
        _p("start_day", "day", "Day the counter-offensive phase starts"),
        _p("escalation_advance_days", "days", "Days it comes earlier at escalation level 2+"),
        _p("pressure_max", "ratio", "Multiplier on the force ratio for ground at full ramp"),
        _p("interdiction_per_day", "fraction/day", "Logistics capacity cut per day at full ramp"),
        _p("ramp_days", "days", "Time constant of the phase's build-up"),
    )
    levers = ()
    reads = (yesterday(ESCALATION_LEVEL),)
    writes = (RU_OFFENSIVE_PRESSURE, SUPPLY_INTERDICTION)
    events = (RU_COUNTEROFFENSIVE,)
    outcomes = (
        OutcomeInfo(
            name="counteroffensive_day",
            unit="day",
            description="Day the Russian counter-offensive started (horizon if not within it)",
            censored=True,
        ),
    )
    series: tuple[SeriesInfo, ...] = ()

    def start(self, ctx: SubmodelContext) -> _CounterState:
        """The phase's timing and strength."""
        g = "counteroffensive."
        return _CounterState(
            start=ctx.p(g + "start_day").copy(),
            advance=ctx.p(g + "escalation_advance_days"),
            advanced=np.zeros(ctx.n, dtype=bool),
            p_max=ctx.p(g + "pressure_max"),
            i_max=ctx.p(g + "interdiction_per_day"),
            ramp=ctx.p(g + "ramp_days"),
        )

    def step(self, ctx: SubmodelContext, s: _CounterState, t: int) -> None:
        """Today's pressure and interdiction."""
        # Escalation brings a phase that has not started forward (never before today).
        escalated = (ctx.read(ESCALATION_LEVEL) >= ADVANCE_LEVEL) & ~s.advanced & (s.start > t)
        if escalated.any():
            s.start = np.where(escalated, np.maximum(s.start - s.advance, t), s.start)
            s.advanced |= escalated
        x = t - s.start
        on = x >= 0
        ramp = np.where(on, 1.0 - np.exp(-np.maximum(x, 0.0) / s.ramp), 0.0)
        ctx.write(RU_OFFENSIVE_PRESSURE, 1.0 + (s.p_max - 1.0) * ramp)
        ctx.write(SUPPLY_INTERDICTION, s.i_max * ramp)
        ctx.mark(RU_COUNTEROFFENSIVE, on, t)

    def finish(self, ctx: SubmodelContext, s: _CounterState) -> BlockOutput:
        """Outcomes of the block."""
        H = float(ctx.horizon)
        began = s.start <= H - 1  # the phase is on from day ceil(start)
        first = np.maximum(np.ceil(np.where(began, s.start, 0.0)), 0.0)
        return BlockOutput(outcomes={"counteroffensive_day": np.where(began, first, H)})
