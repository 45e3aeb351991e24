"""What a submodel sees of its block: a :class:`SubmodelContext`, a checked view of the
block's shared state (:class:`BlockState`).

A submodel reads and writes only what it declared: its parameters (``ctx.p``), its own
random stream (``ctx.rng()``), the signals it reads (``ctx.read``) and writes
(``ctx.write``), the events it marks (``ctx.mark``) and the levers it declared
(``ctx.lever``, ``ctx.active``, ``ctx.days_active``). Anything else raises
:class:`~scenario.errors.ModelError` naming the submodel and the closest declared name.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar, overload

import numpy as np

from scenario.config.levers import Lever
from scenario.config.schema import Adversary, AirDefenceSettings
from scenario.errors import ModelError
from scenario.models.daily.activation import Activation, lever_name
from scenario.models.daily.declarations import Event, Signal, Timing
from scenario.models.protocol import Block, SeriesInfo

__all__ = ["BlockState", "SubmodelContext"]

L = TypeVar("L", bound=Lever)


def _closest(name: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(names), n=1)
    return f"; closest declared: {close[0]!r}" if close else ""


class BlockState:
    """Signals, quantities, events and lever activation shared by one block's submodels.

    ``values`` holds the latest value written of every signal; ``previous`` holds, for the
    signals someone reads with ``yesterday``, the value at the end of the previous day.
    """

    def __init__(
        self,
        block: Block,
        events: Mapping[str, Event],
        lagged: Sequence[str],
        defaults: Mapping[str, float],
    ) -> None:
        self.block = block
        self.n = block.n
        self.horizon = block.config.horizon_days
        self.values: dict[str, np.ndarray] = {}
        self.previous: dict[str, np.ndarray] = {}
        self.event_day: dict[str, np.ndarray] = {}
        self.activation = Activation(block.config.policy, self.n, events)
        self._lagged = tuple(lagged)
        self._defaults = {k: np.full(self.n, v) for k, v in defaults.items()}

    def default(self, name: str) -> np.ndarray:
        """The (shared, read-only) default array of a signal."""
        return self._defaults[name]

    def mark(self, key: str, happened: np.ndarray, t: int) -> None:
        """Record day ``t`` as the first day of event ``key`` where ``happened``."""
        day = self.event_day.get(key)
        if day is None:
            day = self.event_day[key] = np.full(self.n, math.inf)
        np.copyto(day, float(t), where=happened & ~np.isfinite(day))

    def begin_day(self, t: int) -> None:
        """Threshold events of yesterday's end, then trigger activation for day ``t``."""
        if t > 0:
            self.activation.watch(self.values, self.mark, t - 1)
        self.activation.activate(self.event_day)

    def end_day(self) -> None:
        """Keep today's values of the signals read with ``yesterday``."""
        for name in self._lagged:
            value = self.values.get(name)
            if value is not None:
                self.previous[name] = value.copy()


class SubmodelContext:
    """One submodel's checked view of a :class:`BlockState` (see module docstring)."""

    def __init__(
        self,
        state: BlockState,
        *,
        submodel: str,
        parameters: Iterable[str],
        reads: Mapping[str, Timing],
        writes: Iterable[str],
        events: Iterable[str],
        levers: Iterable[str],
    ) -> None:
        self._state = state
        self._block = state.block
        self.submodel = submodel
        self.n: int = state.n
        self.horizon: int = state.horizon
        self._params = frozenset(parameters)
        self._reads = dict(reads)
        self._writes = frozenset(writes)
        self._events = frozenset(events)
        self._levers = frozenset(levers)
        self._lever_names: dict[type[Lever] | str, str] = {}
        cfg = self._block.config
        self.start_date: dt.date = cfg.start_date
        self.adversary: Adversary = cfg.adversary
        self.air_defence: AirDefenceSettings = cfg.air_defence

    # -- parameters, streams, series ---------------------------------------------------
    def p(self, key: str) -> np.ndarray:
        """Sampled input ``group.name`` (declared by this submodel) as a float array (n,)."""
        if key not in self._params:
            raise ModelError(
                f"submodel {self.submodel!r} reads parameter {key!r}, which it does not "
                f"declare{_closest(key, self._params)}"
            )
        try:
            return np.asarray(self._block.inputs[key], dtype=np.float64)
        except KeyError:
            raise ModelError(f"parameter {key!r} was not sampled for this model") from None

    def rng(self) -> np.random.Generator:
        """This submodel's own random stream."""
        return self._block.rngs[self.submodel]

    @property
    def keep_series(self) -> int:
        """Replications of the block whose daily series are recorded."""
        return min(self._block.keep_series, self.n)

    def series_buffers(self, infos: Sequence[SeriesInfo]) -> tuple[int, dict[str, np.ndarray]]:
        """``(m, buffers)``: float32 arrays (m, horizon) for the first ``m`` replications
        whose daily series are kept (``m`` may be 0, then no buffers)."""
        m = self.keep_series
        if not m:
            return 0, {}
        return m, {s.name: np.zeros((m, self.horizon), dtype=np.float32) for s in infos}

    # -- signals ---------------------------------------------------------------------
    def _timing(self, signal: Signal | str) -> tuple[str, Timing]:
        name = signal if isinstance(signal, str) else signal.name
        when = self._reads.get(name)
        if when is None:
            raise ModelError(
                f"submodel {self.submodel!r} reads signal {name!r}, which it does not "
                f"declare in its reads{_closest(name, self._reads)}"
            )
        return name, when

    def read(self, signal: Signal | str) -> np.ndarray:
        """The declared value of ``signal``: today's or yesterday's, or its default when no
        value was written (or its producer is not in the composition)."""
        name, when = self._timing(signal)
        st = self._state
        value = (st.previous if when == "yesterday" else st.values).get(name)
        return st.default(name) if value is None else value

    def written(self, signal: Signal | str) -> np.ndarray | None:
        """The value :meth:`read` would give, or None where it would be the default (no
        value written yet, or the producer is not in the composition): lets a reader skip
        work that the default makes a no-op."""
        name, when = self._timing(signal)
        st = self._state
        return (st.previous if when == "yesterday" else st.values).get(name)

    def write(self, signal: Signal, value: np.ndarray) -> None:
        """Publish today's value of a signal this submodel declares in ``writes``."""
        if signal.name not in self._writes:
            raise ModelError(
                f"submodel {self.submodel!r} writes signal {signal.name!r}, which it does not "
                f"declare in its writes{_closest(signal.name, self._writes)}"
            )
        self._state.values[signal.name] = value

    def mark(self, event: Event, happened: np.ndarray, t: int) -> None:
        """Record day ``t`` as the first day of ``event`` where ``happened``."""
        if event.name not in self._events:
            raise ModelError(
                f"submodel {self.submodel!r} marks event {event.name!r}, which it does not "
                f"declare{_closest(event.name, self._events)}"
            )
        self._state.mark(event.name, happened, t)

    # -- levers ----------------------------------------------------------------------
    def _lever_name(self, lever: type[Lever] | str) -> str:
        name = self._lever_names.get(lever)
        if name is not None:
            return name
        name = lever_name(lever)
        if name not in self._levers:
            raise ModelError(
                f"submodel {self.submodel!r} uses lever {name!r}, which it does not declare"
                f"{_closest(name, self._levers)}"
            )
        self._lever_names[lever] = name
        return name

    @overload
    def lever(self, lever: type[L]) -> L: ...

    @overload
    def lever(self, lever: str) -> Lever: ...

    def lever(self, lever: type[L] | str) -> L | Lever:
        """The settings of a declared lever (``ctx.lever(Msam).batteries``)."""
        name = self._lever_name(lever)
        try:
            return self._state.activation.settings[name]
        except KeyError:
            raise ModelError(
                f"submodel {self.submodel!r}: lever {name!r} is not in the config's policy "
                "(register it with scenario.register_lever and give policy.added."
                f"{name})"
            ) from None

    def activation(self, lever: type[Lever] | str) -> np.ndarray:
        """Activation day of a declared lever per replication (``inf``: never)."""
        return self._state.activation.days[self._lever_name(lever)]

    def active(self, lever: type[Lever] | str, t: int) -> np.ndarray:
        """Boolean (n,): is ``lever`` active on day ``t``."""
        return self.activation(lever) <= t

    def days_active(self, lever: type[Lever] | str, t: int) -> np.ndarray:
        """Days since ``lever`` started (negative or -inf if not yet)."""
        return t - self.activation(lever)
