"""Composing submodels into a daily model, with its wiring checked at construction.

A :class:`DailyModel` is a :class:`~scenario.models.protocol.Model` made of submodels that
advance together one day at a time over the replications of a block. Each day ``t``:

1. threshold events are evaluated on the quantities at the end of day ``t - 1`` and levers
   whose trigger event was observed start (:mod:`scenario.models.daily.activation`);
2. each submodel's ``step(ctx, state, t)`` runs, in an order where every producer of a
   signal read with ``today`` runs before its reader (ties keep the listed order);
3. the values of signals read with ``yesterday`` are kept for the next day;
4. the block reports ``n * (t + 1) / H`` of its ``n`` replications done to the engine's
   progress hook, if one is installed (:mod:`scenario.engine.executors`); it draws nothing.

Construction checks the wiring (:class:`Wiring`): every signal a submodel reads is declared
and has exactly one producer in the composition, or a default when its producer is not
part of it; a submodel writes and marks only signals and events it produces; same-day reads
have no cycle. Writes nobody reads are listed in :attr:`Wiring.unread`.

Every submodel draws only from its own random stream (named after it), so turning a lever
on in one submodel does not shift another submodel's random draws (a submodel whose
*inputs* change through a signal may still consume its own stream differently: numpy's
gamma and Poisson samplers use rejection).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from scenario.config.levers import Lever
from scenario.config.schema import Policy, ScenarioConfig
from scenario.errors import ModelError
from scenario.models.daily.activation import lever_name
from scenario.models.daily.context import BlockState, SubmodelContext
from scenario.models.daily.declarations import Event, Read, Signal, ThresholdEvent, Timing
from scenario.models.protocol import Block, BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["DailyModel", "Submodel", "Wiring"]

ConfigPath = tuple[str | int, ...]


@runtime_checkable
class Submodel(Protocol):
    """One part of a daily campaign (ground, air defence, ...).

    Attributes
    ----------
    name : str
        Registry name; also the name of its random stream.
    parameters : sequence of ParameterInfo
        Uncertain parameters it reads.
    levers : sequence of Lever classes (or policy names)
        Levers it reads; ``ctx.lever`` refuses any other.
    reads : sequence of Read
        Signals it reads, each with ``today`` or ``yesterday``.
    writes : sequence of Signal
        Signals (and quantities) it produces.
    events : sequence of Event
        Events it marks or, for threshold events, whose quantity it produces.
    outcomes, series : sequences of OutcomeInfo, SeriesInfo
        What it returns.

    ``start(ctx)`` returns the submodel's state for a block (a small typed object),
    ``step(ctx, state, t)`` advances it one day and ``finish(ctx, state)`` returns its
    outcomes and series.
    """

    @property
    def name(self) -> str: ...

    @property
    def parameters(self) -> Sequence[ParameterInfo]: ...

    @property
    def levers(self) -> Sequence[type[Lever] | str]: ...

    @property
    def reads(self) -> Sequence[Read]: ...

    @property
    def writes(self) -> Sequence[Signal]: ...

    @property
    def events(self) -> Sequence[Event]: ...

    @property
    def outcomes(self) -> Sequence[OutcomeInfo]: ...

    @property
    def series(self) -> Sequence[SeriesInfo]: ...

    def start(self, ctx: SubmodelContext) -> Any:
        """Initial state for a block."""
        ...

    def step(self, ctx: SubmodelContext, state: Any, t: int) -> None:
        """Advance one day."""
        ...

    def finish(self, ctx: SubmodelContext, state: Any) -> BlockOutput:
        """Outcomes (n,) and series (keep, horizon) of the block."""
        ...


_REQUIRED = (
    "name",
    "parameters",
    "levers",
    "reads",
    "writes",
    "events",
    "outcomes",
    "series",
    "start",
    "step",
    "finish",
)


@dataclass(frozen=True)
class Wiring:
    """The checked wiring of a composition.

    Attributes
    ----------
    order : tuple of str
        Submodels in the order they step each day.
    signals : dict
        Every signal read or written, by name.
    producers : dict
        Signal name -> the submodel that writes it (signals whose producer is absent are
        not in it).
    readers : dict
        Signal name -> ``((submodel, timing), ...)``.
    unread : tuple of str
        Signals written that no submodel in the composition reads and no trigger watches.
    watched : tuple of str
        Quantities that threshold events (and so triggers) watch.
    defaulted : tuple of str
        Signals read whose producer is not in the composition: readers see the default.
    events : dict
        Events declared by the composed submodels, by name.
    """

    order: tuple[str, ...]
    signals: dict[str, Signal]
    producers: dict[str, str]
    readers: dict[str, tuple[tuple[str, Timing], ...]]
    unread: tuple[str, ...]
    watched: tuple[str, ...]
    defaulted: tuple[str, ...]
    events: dict[str, Event]

    def describe(self) -> str:
        """A plain-text table of the wiring (one line per signal and event)."""
        lines = [f"order: {' -> '.join(self.order)}", "signals:"]
        for name, sig in sorted(self.signals.items()):
            prod = self.producers.get(name) or f"(absent: default {sig.default})"
            reads = ", ".join(f"{r} ({w})" for r, w in self.readers.get(name, ()))
            if name in self.watched:
                reads = ", ".join(x for x in (reads, "triggers") if x)
            reads = reads or "(unread)"
            lines.append(f"  {name} [{sig.unit}] {prod} -> {reads}: {sig.meaning}")
        lines.append("events:")
        for name, ev in sorted(self.events.items()):
            extra = " (needs threshold)" if ev.needs_threshold else ""
            lines.append(f"  {name}{extra} by {ev.producer}: {ev.meaning}")
        return "\n".join(lines)


def _check_submodel(sm: object) -> None:
    missing = [a for a in _REQUIRED if not hasattr(sm, a)]
    if missing:
        raise ModelError(
            f"submodel {type(sm).__name__!r} lacks {', '.join(missing)} required by the "
            "submodel protocol (see scenario.models.daily.Submodel)"
        )


def _order(subs: Sequence[Submodel], after: dict[str, set[str]]) -> tuple[str, ...]:
    """Stable topological order: producers of same-day reads first, else list order."""
    names = [sm.name for sm in subs]
    done: list[str] = []
    left = list(names)
    while left:
        ready = [nm for nm in left if after[nm] <= set(done)]
        if not ready:
            cycle = ", ".join(f"{nm} after {sorted(after[nm] - set(done))}" for nm in left)
            raise ModelError(
                f"same-day reads form a cycle ({cycle}); make one of them a yesterday read"
            )
        done.append(ready[0])
        left.remove(ready[0])
    return tuple(done)


def _productions(
    subs: Sequence[Submodel], stand_in: str | None
) -> tuple[dict[str, Signal], dict[str, str], dict[str, Event]]:
    """Signals written (by name), their producers, and events, checked."""
    declared: dict[str, Signal] = {}
    producers: dict[str, str] = {}
    events: dict[str, Event] = {}
    for sm in subs:
        for sig in sm.writes:
            if sig.producer != sm.name and sm.name != stand_in:
                raise ModelError(
                    f"submodel {sm.name!r} writes {sig.name!r}, whose declared producer is "
                    f"{sig.producer!r}"
                )
            if sig.name in producers:
                raise ModelError(
                    f"signal {sig.name!r} has two producers: {producers[sig.name]!r} and "
                    f"{sm.name!r}"
                )
            declared[sig.name] = sig
            producers[sig.name] = sm.name
        for ev in sm.events:
            if ev.producer != sm.name:
                raise ModelError(
                    f"submodel {sm.name!r} declares event {ev.name!r}, whose producer is "
                    f"{ev.producer!r}"
                )
            if ev.name in events:
                raise ModelError(f"event {ev.name!r} is declared twice")
            events[ev.name] = ev
    return declared, producers, events


def _resolve(
    sm: Submodel, rd: Read, known: dict[str, Signal], declared: dict[str, Signal]
) -> Signal:
    """The declaration a read refers to, checked against its producer's."""
    sig = rd.signal if isinstance(rd.signal, Signal) else known.get(rd.signal)
    if sig is None:
        close = difflib.get_close_matches(rd.name, list(known), n=1)
        hint = f"; closest declared: {close[0]!r}" if close else ""
        raise ModelError(
            f"submodel {sm.name!r} reads signal {rd.name!r}, which no submodel declares{hint}"
        )
    if sig.name in declared and declared[sig.name] != sig:
        raise ModelError(
            f"submodel {sm.name!r} reads {sig.name!r} with a declaration that differs from "
            f"its producer's ({declared[sig.name]!r})"
        )
    if sig.default is None and rd.when == "yesterday":
        raise ModelError(
            f"submodel {sm.name!r} reads {sig.name!r} with yesterday, which needs a default "
            "for day 0 (the signal declares none)"
        )
    return sig


def wire(
    subs: Sequence[Submodel], catalog: Iterable[Signal] = (), stand_in: str | None = None
) -> Wiring:
    """Check the declarations of ``subs`` and return their :class:`Wiring`.

    ``catalog`` holds further declared signals (those of registered submodels that are not
    in the composition), so a read of one of them by name resolves to its default.
    ``stand_in`` names a submodel allowed to write signals declared for another producer
    (the test harness, feeding inputs in place of absent producers).
    """
    names = [sm.name for sm in subs]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ModelError(f"submodel(s) listed twice: {dup}")
    declared, producers, events = _productions(subs, stand_in)
    known = {s.name: s for s in catalog}
    known.update(declared)
    readers: dict[str, list[tuple[str, Timing]]] = {}
    after: dict[str, set[str]] = {nm: set() for nm in names}
    defaulted: list[str] = []
    for sm in subs:
        for rd in sm.reads:
            sig = _resolve(sm, rd, known, declared)
            known.setdefault(sig.name, sig)
            readers.setdefault(sig.name, []).append((sm.name, rd.when))
            prod = producers.get(sig.name)
            if prod is None:
                if sig.default is None:
                    raise ModelError(
                        f"submodel {sm.name!r} reads {sig.name!r}, whose producer "
                        f"{sig.producer!r} is not in the composition and which has no default"
                    )
                if sig.name not in defaulted:
                    defaulted.append(sig.name)
            elif prod == sm.name:
                raise ModelError(f"submodel {sm.name!r} reads its own signal {sig.name!r}")
            elif rd.when == "today":
                after[sm.name].add(prod)
    watched = {
        ev.quantity.name
        for ev in events.values()
        if isinstance(ev, ThresholdEvent) and ev.quantity is not None
    }
    return Wiring(
        order=_order(subs, after),
        signals={k: known[k] for k in sorted(set(declared) | set(readers))},
        producers=producers,
        readers={k: tuple(v) for k, v in readers.items()},
        unread=tuple(sorted(set(declared) - set(readers) - watched)),
        watched=tuple(sorted(watched)),
        defaulted=tuple(defaulted),
        events=events,
    )


class DailyModel:
    """A model made of submodels stepped together day by day (see module docstring).

    Parameters
    ----------
    name : str
        Registry name of the composed model.
    submodels : sequence of Submodel
        The parts, in any order consistent with their same-day reads.
    catalog : iterable of Signal
        Signals of submodels that are known but not composed (their defaults apply).
    known_parameters : iterable of ParameterInfo
        Parameters of those submodels: a config may hold them; they are not sampled
        (:attr:`ignored_parameters`).
    stand_in : str, optional
        A submodel that may write signals declared for other producers (the harness).
    """

    def __init__(
        self,
        name: str,
        submodels: Sequence[Submodel],
        *,
        catalog: Iterable[Signal] = (),
        known_parameters: Iterable[ParameterInfo] = (),
        stand_in: str | None = None,
    ) -> None:
        for sm in submodels:
            _check_submodel(sm)
        if not submodels:
            raise ModelError(f"model {name!r}: a composition needs at least one submodel")
        self.name = name
        self.wiring = wire(submodels, catalog, stand_in)
        by_name = {sm.name: sm for sm in submodels}
        self.submodels: tuple[Submodel, ...] = tuple(by_name[n] for n in self.wiring.order)
        self.parameters: tuple[ParameterInfo, ...] = tuple(
            p for sm in submodels for p in sm.parameters
        )
        self._lever_names = {
            sm.name: tuple(dict.fromkeys(lever_name(lv) for lv in sm.levers)) for sm in submodels
        }
        builtin = set(Policy.model_fields)
        self.levers: tuple[str, ...] = tuple(
            dict.fromkeys(
                f"policy.{lv}" if lv in builtin else f"policy.added.{lv}"
                for sm in submodels
                for lv in self._lever_names[sm.name]
            )
        )
        self.outcomes: tuple[OutcomeInfo, ...] = tuple(o for sm in submodels for o in sm.outcomes)
        self.series: tuple[SeriesInfo, ...] = tuple(s for sm in submodels for s in sm.series)
        self.streams: tuple[str, ...] = tuple(sm.name for sm in submodels)
        outs = [o.name for o in self.outcomes]
        dup = sorted({o for o in outs if outs.count(o) > 1})
        if dup:
            raise ModelError(f"model {name!r}: submodels declare the same outcome(s) {dup}")
        own = {p.key for p in self.parameters}
        self.ignored_parameters: frozenset[str] = frozenset(
            p.key for p in known_parameters if p.key not in own
        )
        self._lagged = tuple(
            sorted({s for s, rs in self.wiring.readers.items() for _, w in rs if w == "yesterday"})
        )
        self._defaults = {
            k: float(s.default) for k, s in self.wiring.signals.items() if s.default is not None
        }

    def with_submodels(self, names: Sequence[str]) -> DailyModel:
        """This model restricted (or extended) to the registered submodels ``names``."""
        from scenario.models.registry import compose

        return compose(self.name, names)

    def config_issues(self, config: ScenarioConfig) -> list[tuple[ConfigPath, str]]:
        """Problems of ``config`` this composition can see: triggers on undeclared events,
        thresholds missing or given where the event takes none."""
        issues: list[tuple[ConfigPath, str]] = []
        events = self.wiring.events
        for lname, lever in config.policy.levers().items():
            trig = lever.trigger
            if trig is None:
                continue
            base: ConfigPath = (
                ("policy", lname)
                if lname in type(config.policy).model_fields
                else (
                    "policy",
                    "added",
                    lname,
                )
            )
            ev = events.get(trig.event)
            if ev is None:
                close = difflib.get_close_matches(trig.event, list(events), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                issues.append(
                    (
                        (*base, "trigger", "event"),
                        f"no submodel of model {self.name!r} declares this event{hint} "
                        f"(events: {', '.join(sorted(events))})",
                    )
                )
            elif ev.needs_threshold and trig.threshold is None:
                issues.append(
                    ((*base, "trigger"), f"event {ev.name!r} needs a threshold (got None)")
                )
            elif not ev.needs_threshold and trig.threshold is not None:
                issues.append(
                    (
                        (*base, "trigger", "threshold"),
                        f"event {ev.name!r} takes no threshold (got {trig.threshold})",
                    )
                )
        return issues

    def _contexts(self, state: BlockState) -> list[SubmodelContext]:
        out = []
        for sm in self.submodels:
            reads = {rd.name: rd.when for rd in sm.reads}
            out.append(
                SubmodelContext(
                    state,
                    submodel=sm.name,
                    parameters=[p.key for p in sm.parameters],
                    reads=reads,
                    writes=[s.name for s in sm.writes],
                    events=[e.name for e in sm.events if not isinstance(e, ThresholdEvent)],
                    levers=self._lever_names[sm.name],
                )
            )
        return out

    def run_block(
        self,
        block: Block,
        *,
        on_day_end: Callable[[int, Mapping[str, np.ndarray]], None] | None = None,
    ) -> tuple[BlockOutput, BlockState]:
        """Run all submodels over the horizon for one block; also return the shared state
        (events, lever activation). ``on_day_end(t, values)`` sees every signal's value at
        the end of each day (the harness records them). After each day ``t`` the block
        reports ``n * (t + 1) / horizon`` replications done to the engine's progress hook,
        if one is installed (:func:`scenario.engine.executors.progress_hook`)."""
        from scenario.engine.executors import progress_hook

        hook = progress_hook()
        shared = BlockState(block, self.wiring.events, self._lagged, self._defaults)
        ctxs = self._contexts(shared)
        states = [sm.start(ctx) for sm, ctx in zip(self.submodels, ctxs, strict=True)]
        steps = [
            (sm.step, ctx, st) for sm, ctx, st in zip(self.submodels, ctxs, states, strict=True)
        ]
        for t in range(shared.horizon):
            shared.begin_day(t)
            for step, ctx, st in steps:
                step(ctx, st, t)
            shared.end_day()
            if on_day_end is not None:
                on_day_end(t, shared.values)
            if hook is not None:
                hook(block.first_index, block.n, block.n * (t + 1) / shared.horizon)
        outcomes: dict[str, np.ndarray] = {}
        series: dict[str, np.ndarray] = {}
        for sm, ctx, st in zip(self.submodels, ctxs, states, strict=True):
            out = sm.finish(ctx, st)
            outcomes.update(out.outcomes)
            series.update(out.series)
        return BlockOutput(outcomes=outcomes, series=series), shared

    def simulate(self, block: Block) -> BlockOutput:
        """Run all submodels over the horizon for one block."""
        return self.run_block(block)[0]
