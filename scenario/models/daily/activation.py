"""Lever activation, the same for every lever (the fields of
:class:`scenario.config.levers.Lever`).

For replication ``i`` a lever's activation day is

* ``inf`` if ``deploy`` is false;
* ``start_day`` if it has no trigger;
* ``max(start_day, e_i + 1 + delay_days)`` once its trigger event is first observed on day
  ``e_i`` (``inf`` until then).

A lever is active on day ``t`` when ``activation <= t``. Threshold events are evaluated on
the watched quantity's value at the end of each day, so a response starts at the earliest
on the next day.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from scenario.config.levers import Lever, Trigger
from scenario.config.schema import Policy
from scenario.errors import ModelError
from scenario.models.daily.declarations import Event, ThresholdEvent

__all__ = ["Activation", "lever_name"]


def lever_name(lever: type[Lever] | str, policy: Policy | None = None) -> str:
    """The policy name of a lever given by class or name.

    A class maps to the :class:`~scenario.config.schema.Policy` field annotated with it, or
    to the name it was registered under with :func:`scenario.register_lever`.
    """
    if isinstance(lever, str):
        return lever
    for name, f in Policy.model_fields.items():
        if f.annotation is lever:
            return name
    from scenario.config.levers import registered_levers

    for name, cls in registered_levers().items():
        if cls is lever:
            return name
    raise ModelError(
        f"lever class {lever.__name__!r} is neither a Policy field nor registered "
        "(scenario.register_lever)"
    )


@dataclass
class _Pending:
    lever: str
    start: int
    trigger: Trigger
    event: Event
    key: str


class Activation:
    """Activation days of every lever over one block (see module docstring)."""

    def __init__(self, policy: Policy, n: int, events: Mapping[str, Event]) -> None:
        self.n = n
        self.days: dict[str, np.ndarray] = {}
        self.settings: dict[str, Lever] = policy.levers()
        self._pending: list[_Pending] = []
        for name, lever in self.settings.items():
            if not lever.deploy:
                self.days[name] = np.full(n, math.inf)
            elif lever.trigger is None:
                self.days[name] = np.full(n, float(lever.start_day))
            else:
                self.days[name] = np.full(n, math.inf)
                trig = lever.trigger
                event = events.get(trig.event)
                if event is None:
                    raise ModelError(
                        f"policy.{name}.trigger.event: {trig.event!r} is not declared by any "
                        f"submodel of this model (declared: {', '.join(sorted(events))})"
                    )
                key = trig.event
                if isinstance(event, ThresholdEvent):
                    key = f"{trig.event}:{float(trig.threshold or 0.0):g}:{name}"
                self._pending.append(_Pending(name, lever.start_day, trig, event, key))

    def watch(
        self,
        quantities: Mapping[str, np.ndarray],
        mark: Callable[[str, np.ndarray, int], None],
        t: int,
    ) -> None:
        """Mark the threshold events of pending triggers on day ``t`` (end of the day)."""
        for p in self._pending:
            ev = p.event
            if not isinstance(ev, ThresholdEvent) or ev.quantity is None:
                continue
            q = quantities.get(ev.quantity.name)
            if q is None:
                continue
            thr = float(p.trigger.threshold if p.trigger.threshold is not None else 0.0)
            if ev.compare == "above":
                hit = q > thr
            elif ev.compare == "below":
                hit = q < thr
            else:
                hit = q >= thr
            mark(p.key, hit, t)

    def activate(self, event_day: Mapping[str, np.ndarray]) -> None:
        """Start the levers whose trigger event has been observed."""
        for p in self._pending:
            day = event_day.get(p.key)
            if day is None:
                continue
            act = np.maximum(float(p.start), day + 1.0 + p.trigger.delay_days)
            cur = self.days[p.lever]
            np.copyto(cur, act, where=~np.isfinite(cur) & np.isfinite(day))
