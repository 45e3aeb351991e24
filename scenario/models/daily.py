"""Daily composition of submodels: shared context, levers that start on a day or a trigger.

A :class:`DailyModel` is a :class:`~scenario.models.protocol.Model` made of submodels that
advance together one day at a time over the replications of a block. Each day:

1. levers whose trigger event was observed by the end of the previous day are activated
   (``activation = max(start_day, event_day + 1 + delay_days)``);
2. each submodel's ``step(ctx, t)`` runs in order, reading and writing *signals*
   (cross-submodel quantities, arrays of shape ``(n,)``; a signal keeps its latest value, so
   a submodel that runs earlier in the day sees what a later one wrote the day before) and
   *quantities* (cumulative values that triggers watch).

Every submodel draws only from its own random stream (named after it), so turning a lever on
in one submodel does not shift another submodel's random draws. (A submodel whose *inputs*
a lever changes, through a signal, may still consume its own stream differently: numpy's
gamma and Poisson samplers use rejection, so the number of uniforms they take depends on
their arguments.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from scenario.config.schema import ScenarioConfig, Trigger
from scenario.errors import ModelError
from scenario.models.protocol import (
    Block,
    BlockOutput,
    Declares,
    OutcomeInfo,
    ParameterInfo,
    SeriesInfo,
)

__all__ = ["LEVERS", "Context", "DailyModel", "Submodel", "lever_settings"]

LEVERS: tuple[str, ...] = ("advisors", "offensive_aid", "msam", "bices", "european_troops")
"""Policy levers that can start on a day or on a trigger."""


def lever_settings(config: ScenarioConfig, lever: str) -> tuple[bool, int, Trigger | None]:
    """``(enabled, start_day, trigger)`` of a lever in ``config.policy``."""
    pol = config.policy
    match lever:
        case "advisors":
            a = pol.advisors
            return a.deploy, a.arrival_day, a.trigger
        case "offensive_aid":
            o = pol.offensive_aid
            return o.deploy, o.start_day, o.trigger
        case "msam":
            m = pol.msam
            return m.deploy, m.delivery_day, m.trigger
        case "bices":
            b = pol.bices
            return b.join, b.start_day, b.trigger
        case "european_troops":
            e = pol.european_troops
            return e.deploy, e.start_day, e.trigger
    raise ModelError(f"unknown lever {lever!r} (levers: {', '.join(LEVERS)})")


# Event name -> (quantity it watches, comparison) for threshold events; the others are set
# directly by submodels through Context.mark_event.
_THRESHOLD_EVENTS: dict[str, tuple[str, str]] = {
    "nk_casualties_above": ("nk_casualties_cum", "above"),
    "nk_captured_above": ("nk_captured_cum", "above"),
    "ground_held_below": ("ground_held_km2", "below"),
    "escalation_level_at_least": ("escalation_level", "at_least"),
}


class Context:
    """Per-block state shared by the submodels of a :class:`DailyModel`."""

    def __init__(self, block: Block) -> None:
        self.block = block
        self.config: ScenarioConfig = block.config
        self.n: int = block.n
        self.horizon: int = block.config.horizon_days
        self.signals: dict[str, np.ndarray] = {}
        self.quantities: dict[str, np.ndarray] = {}
        self.event_day: dict[str, np.ndarray] = {}
        self.state: dict[str, Any] = {}
        self.activation: dict[str, np.ndarray] = {}
        self._triggers: dict[str, tuple[int, Trigger]] = {}
        for lever in LEVERS:
            enabled, start, trigger = lever_settings(self.config, lever)
            if not enabled:
                self.activation[lever] = np.full(self.n, math.inf)
            elif trigger is None:
                self.activation[lever] = np.full(self.n, float(start))
            else:
                self.activation[lever] = np.full(self.n, math.inf)
                self._triggers[lever] = (start, trigger)

    def p(self, key: str) -> np.ndarray:
        """Sampled input ``group.name`` as a float array (n,)."""
        try:
            return np.asarray(self.block.inputs[key], dtype=np.float64)
        except KeyError:
            raise ModelError(f"parameter {key!r} was not sampled for this model") from None

    def rng(self, stream: str) -> np.random.Generator:
        """The generator of a submodel's stream."""
        return self.block.rngs[stream]

    def series_buffers(self, infos: Sequence[SeriesInfo]) -> tuple[int, dict[str, np.ndarray]]:
        """``(m, buffers)``: float32 arrays (m, horizon) for the first ``m`` replications
        whose daily series are kept (``m`` may be 0, then no buffers)."""
        m = min(self.block.keep_series, self.n)
        if not m:
            return 0, {}
        return m, {s.name: np.zeros((m, self.horizon), dtype=np.float32) for s in infos}

    def signal(self, name: str, default: float = 0.0) -> np.ndarray:
        """Today's value of a signal, or ``default`` if no submodel produced it."""
        value = self.signals.get(name)
        return np.full(self.n, default) if value is None else value

    def active(self, lever: str, t: int) -> np.ndarray:
        """Boolean (n,): is ``lever`` active on day ``t``."""
        return self.activation[lever] <= t

    def days_active(self, lever: str, t: int) -> np.ndarray:
        """Days since ``lever`` started (negative or -inf if not yet)."""
        return t - self.activation[lever]

    def mark_event(self, name: str, happened: np.ndarray, t: int) -> None:
        """Record day ``t`` as the first day of event ``name`` where ``happened``."""
        day = self.event_day.setdefault(name, np.full(self.n, math.inf))
        np.copyto(day, float(t), where=happened & ~np.isfinite(day))

    def _update_threshold_events(self, t: int) -> None:
        for lever, (_, trig) in self._triggers.items():
            if trig.event not in _THRESHOLD_EVENTS:
                continue
            qname, cmp = _THRESHOLD_EVENTS[trig.event]
            q = self.quantities.get(qname)
            if q is None:
                continue
            thr = float(trig.threshold if trig.threshold is not None else 0.0)
            hit = q > thr if cmp == "above" else (q < thr if cmp == "below" else q >= thr)
            self.mark_event(f"{trig.event}:{thr:g}:{lever}", hit, t)

    def _activate_triggers(self, t: int) -> None:
        for lever, (start, trig) in self._triggers.items():
            if trig.event in _THRESHOLD_EVENTS:
                thr = float(trig.threshold if trig.threshold is not None else 0.0)
                key = f"{trig.event}:{thr:g}:{lever}"
            else:
                key = trig.event
            day = self.event_day.get(key)
            if day is None:
                continue
            act = np.maximum(float(start), day + 1.0 + trig.delay_days)
            cur = self.activation[lever]
            np.copyto(cur, act, where=~np.isfinite(cur) & np.isfinite(day))


@runtime_checkable
class Submodel(Declares, Protocol):
    """One part of a daily campaign (ground, air defence, ...).

    It has the declarations of :class:`~scenario.models.protocol.Declares` (its ``name`` is
    also the name of its random stream) and three methods: ``start`` sets up state in
    ``ctx.state[name]``, ``step`` advances one day, ``finish`` returns the submodel's
    outcomes and series.
    """

    def start(self, ctx: Context) -> None:
        """Initialise state for a block."""
        ...

    def step(self, ctx: Context, t: int) -> None:
        """Advance one day."""
        ...

    def finish(self, ctx: Context) -> BlockOutput:
        """Outcomes (n,) and series (keep, horizon) of the block."""
        ...


class DailyModel:
    """A model made of submodels stepped together day by day (see module docstring)."""

    def __init__(self, name: str, submodels: Sequence[Submodel]) -> None:
        self.name = name
        self.submodels = tuple(submodels)
        self.parameters: tuple[ParameterInfo, ...] = tuple(
            p for sm in self.submodels for p in sm.parameters
        )
        self.levers: tuple[str, ...] = tuple(
            dict.fromkeys(lv for sm in self.submodels for lv in sm.levers)
        )
        self.outcomes: tuple[OutcomeInfo, ...] = tuple(
            o for sm in self.submodels for o in sm.outcomes
        )
        self.series: tuple[SeriesInfo, ...] = tuple(s for sm in self.submodels for s in sm.series)
        self.streams: tuple[str, ...] = tuple(sm.name for sm in self.submodels)
        names = [o.name for o in self.outcomes]
        if len(set(names)) != len(names):
            raise ModelError(f"model {name!r}: submodels declare the same outcome twice")

    def simulate(self, block: Block) -> BlockOutput:
        """Run all submodels over the horizon for one block."""
        ctx = Context(block)
        for sm in self.submodels:
            sm.start(ctx)
        for t in range(ctx.horizon):
            if t > 0:
                ctx._update_threshold_events(t - 1)
            ctx._activate_triggers(t)
            for sm in self.submodels:
                sm.step(ctx, t)
        outcomes: dict[str, np.ndarray] = {}
        series: dict[str, np.ndarray] = {}
        for sm in self.submodels:
            out = sm.finish(ctx)
            outcomes.update(out.outcomes)
            series.update(out.series)
        return BlockOutput(outcomes=outcomes, series=series)
