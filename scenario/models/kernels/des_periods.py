"""The discrete-event loss system run period after period, draws made by the caller.

:class:`LossPeriods` serves callers that run many short periods (the campaign's
air-defence submodel: one per replication-day) with the engine of
:mod:`scenario.models.kernels.engagement`: the per-unit lists are built once per set of
units (:meth:`LossPeriods.units`), one simpy environment serves every period, and each
period is given its threats already in time order with their detection and kill draws in
the layout :func:`~scenario.models.kernels.engagement.run_des` uses when it draws them
itself. Given the same draws, a period gives exactly what ``run_des`` gives.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import simpy

from scenario.models.kernels.engagement import FireUnit, _LossEngine, _Plan, _UnitLists

__all__ = ["LossPeriods"]


def _made_plan(
    lists: _UnitLists,
    times: list[float],
    classes: list[int],
    detected: list[bool],
    kill: list[float],
    warning: list[float],
) -> _Plan:
    """A plan from draws made elsewhere (no exponential holds)."""
    plan = _Plan.__new__(_Plan)
    plan.__dict__.update(lists.__dict__)
    plan.n = len(times)
    plan.times = times
    plan.cls = classes
    plan.detected = detected
    plan.kill = kill
    plan.holds = []
    plan.warning = warning
    return plan


class LossPeriods:
    """The loss system run period after period on one environment (module docstring)."""

    def __init__(self) -> None:
        self.env = simpy.Environment()

    @staticmethod
    def units(units: Sequence[FireUnit]) -> _UnitLists:
        """The per-unit lists of ``units`` (no exponential holds), to reuse every period."""
        lists = _UnitLists(units)
        if lists.any_expo:
            raise ValueError("LossPeriods: exponential look times are drawn by run_des only")
        return lists

    def run(
        self,
        lists: _UnitLists,
        start: float,
        times: list[float],
        classes: list[int],
        detected: list[bool],
        kill: list[float],
        warning: list[float],
        ready: list[float],
        day: int,
    ) -> tuple[list[int], list[float], list[float], float]:
        """One period from clock time ``start``; ``ready`` (per unit) is updated in place.

        Returns leakers per class, interceptors used and dry day per unit (``inf`` if the
        magazine did not run dry), and the clock time at the end of the period.
        """
        env = self.env
        if env._queue:  # a period always runs to the end: nothing is left pending
            raise RuntimeError("LossPeriods: events pending from a previous period")
        env._now = start
        dry = [math.inf] * len(ready)
        plan = _made_plan(lists, times, classes, detected, kill, warning)
        tally = _LossEngine(env, plan, ready, dry, day).run()
        return tally.leakers, tally.used, dry, float(env.now)
