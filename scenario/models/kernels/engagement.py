r"""Air and missile defence engagements as a discrete-event model (simpy).

Threats of four classes (``ballistic`` lower-tier, ``cruise``, ``aircraft``, ``drone``)
arrive at a defended area. A threat of class :math:`c` is detected with probability
:math:`p_d`; once detected it is :math:`W_c` seconds from impact (warning time). Fire units
are tried in order (M-SAM batteries first for the classes they engage, then the existing
Ukrainian air defence as one aggregate unit). A unit engages a threat if it has a free
engagement channel and at least :math:`k` ready interceptors; otherwise the threat overflows
to the next unit (loss system), or, with ``queue=True``, waits for a channel of the first
unit for as long as a look can still finish before impact.

An engagement holds one channel for up to :math:`L = \min(m, \lfloor W_c / h \rfloor)`
looks, :math:`h` the time of one look (reaction plus flight time; fixed, or exponential for
the queueing validations). Each look fires a salvo of :math:`k` interceptors, each killing
independently with probability :math:`p`; the look kills with :math:`q = 1 - (1-p)^k`.
Hence, for an engaged threat,

.. math::

    P(\text{leak}) = (1 - q)^L, \qquad
    E[\text{looks}] = \frac{1 - (1 - q)^L}{q}, \qquad
    E[\text{interceptors}] = k\,E[\text{looks}]

(``salvo`` doctrine is :math:`m = 1`; shoot-look-shoot with :math:`k = 1` gives the classic
:math:`(1-(1-p)^m)/p`). Ready magazines are reloaded each day from a reserve stock that
grows with resupply.

The fast vectorised kernel of the same mechanism is
:mod:`scenario.models.kernels.fast_engagement`; the campaign submodel that uses both is
:mod:`scenario.models.campaign.air_defence`.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

__all__ = ["CLASSES", "DayResult", "FireUnit", "UnitState", "run_des"]

CLASSES: tuple[str, ...] = ("ballistic", "cruise", "aircraft", "drone")
"""Threat classes, in the order used by every array of the air-defence modules."""


@dataclass(frozen=True)
class FireUnit:
    """One fire unit (an M-SAM battery group or the Ukrainian aggregate).

    Attributes
    ----------
    name : str
        ``"msam"`` or ``"ua"`` (any label).
    channels : int
        Simultaneous engagements.
    pk : tuple of float
        Single-shot kill probability per class (order of :data:`CLASSES`); 0 = not engaged.
    look_time : float
        Seconds one look holds a channel (reaction plus flight time).
    salvo : int
        Interceptors per look, ``k``.
    looks : int
        Maximum looks, ``m`` (1 for salvo doctrine).
    exponential_hold : bool
        Exponential look times with mean ``look_time`` (queueing validations).
    """

    name: str
    channels: int
    pk: tuple[float, float, float, float]
    look_time: float
    salvo: int = 1
    looks: int = 1
    exponential_hold: bool = False


@dataclass
class UnitState:
    """Magazine of a fire unit: ready interceptors and reserve stock."""

    ready: float
    capacity: float
    reserve: float = 0.0
    used: float = 0.0
    dry_day: float = math.inf

    def reload(self) -> None:
        """Fill the ready magazine from the reserve (done once a day)."""
        take = min(self.capacity - self.ready, self.reserve)
        if take > 0:
            self.ready += take
            self.reserve -= take


@dataclass
class DayResult:
    """Per-class counts of one engagement period (a day or a validation run).

    Arrays have one entry per class (order of :data:`CLASSES`); ``used`` maps unit name to
    interceptors fired; ``blocked`` counts detected threats no unit could engage,
    ``waited``/``wait_time`` the threats that queued (queue mode) and their total wait.
    """

    threats: np.ndarray
    detected: np.ndarray
    engaged: np.ndarray
    intercepted: np.ndarray
    leakers: np.ndarray
    blocked: int = 0
    waited: int = 0
    wait_time: float = 0.0
    used: dict[str, float] = field(default_factory=dict)


class _UnitLists:
    """Per-unit lists of a fixed set of fire units: built once, shared by every period."""

    def __init__(self, units: Sequence[FireUnit]) -> None:
        self.n_units = max(len(units), 1)
        self.salvos = [u.salvo for u in units]
        self.chans = [u.channels for u in units]
        self.looks = [u.looks for u in units]
        self.look_time = [u.look_time for u in units]
        self.expo = [u.exponential_hold for u in units]
        self.pk = [[u.pk[c] for u in units] for c in range(4)]
        self.any_expo = any(self.expo)
        self.engaging = [[ui for ui, pk in enumerate(pks) if pk > 0] for pks in self.pk]
        self.max_shots = max((u.salvo * u.looks for u in units), default=1)
        self.max_looks = max(self.looks, default=1)


class _Plan:
    """Threats in time order and every random draw of one period, made up front.

    Flat lists are fastest to index in Python: the detection draw of threat ``i`` is
    ``detected[i]``; kill draw ``j`` of unit ``ui`` for threat ``i`` is
    ``kill[(i * n_units + ui) * max_shots + j]``; look ``l`` holds for
    ``look_time * holds[(i * n_units + ui) * max_looks + l]`` for exponential units. The
    per-unit lists (:class:`_UnitLists`) are copied in as attributes.
    """

    n_units: int
    salvos: list[int]
    chans: list[int]
    looks: list[int]
    look_time: list[float]
    expo: list[bool]
    pk: list[list[float]]
    any_expo: bool
    engaging: list[list[int]]
    max_shots: int
    max_looks: int

    def __init__(
        self,
        arrivals: np.ndarray,
        classes: np.ndarray,
        units: Sequence[FireUnit],
        warning: Sequence[float],
        p_detect: float,
        rng: np.random.Generator,
    ) -> None:
        n = int(arrivals.size)
        times_arr = np.asarray(arrivals, dtype=np.float64)
        cls_arr = np.asarray(classes, dtype=np.int64)
        # Arrivals are walked in time order, one pending arrival at a time, so the event
        # queue holds only what is in flight (a large heap slows every event).
        order = np.argsort(times_arr, kind="stable")
        self.cls_arr = cls_arr[order]
        self.n = n
        self.times: list[float] = times_arr[order].tolist()
        self.cls: list[int] = self.cls_arr.tolist()
        self.__dict__.update(_UnitLists(units).__dict__)
        self.warning = list(warning)
        draws = rng.random(n * (1 + self.n_units * self.max_shots))
        self.detected: list[bool] = (draws[:n] < p_detect).tolist()
        self.kill: list[float] = draws[n:].tolist()
        self.holds: list[float] = (
            rng.exponential(1.0, n * self.n_units * self.max_looks).tolist()
            if self.any_expo
            else []
        )


class _Tally:
    """Counts of one period, per class and per unit."""

    def __init__(self, n_units: int) -> None:
        self.leakers = [0, 0, 0, 0]
        self.engaged = [0, 0, 0, 0]
        self.intercepted = [0, 0, 0, 0]
        self.detected = [0, 0, 0, 0]
        self.used = [0.0] * n_units
        self.blocked = 0
        self.waited = 0
        self.wait_time = 0.0

    def result(self, plan: _Plan, units: Sequence[FireUnit]) -> DayResult:
        return DayResult(
            threats=np.bincount(plan.cls_arr, minlength=4).astype(np.float64),
            detected=np.asarray(self.detected, dtype=np.float64),
            engaged=np.asarray(self.engaged, dtype=np.float64),
            intercepted=np.asarray(self.intercepted, dtype=np.float64),
            leakers=np.asarray(self.leakers, dtype=np.float64),
            blocked=self.blocked,
            waited=self.waited,
            wait_time=self.wait_time,
            used={u.name: self.used[ui] for ui, u in enumerate(units)},
        )


class _LossEngine:
    """Loss system (the campaign's): event callbacks, no process per threat.

    An arrival event assigns the threat to the first unit with a free channel and
    missiles; each look is a timeout whose callback checks the kill and schedules the next
    look. Pending events carry their data as attributes (``t``: their time; ``i``: the
    threat; ``eng``: the engagement), so callbacks never read the clock. Magazines live in
    plain lists during the run and are written back to the unit states at the end.
    """

    def __init__(
        self, env: simpy.Environment, plan: _Plan, ready: list[float], dry: list[float], day: int
    ) -> None:
        self.env = env
        self.plan = plan
        self.tally = _Tally(len(ready))
        self.ready = ready
        self.dry = dry
        self.busy = [0] * len(ready)
        self.fday = float(day)
        self.t0 = env.now

    def run(self) -> _Tally:
        """Schedule the first arrival and run the period; ``ready`` and ``dry`` (lists
        per unit) are updated in place."""
        plan = self.plan
        first = self.env.timeout(plan.times[0])
        first.i = 0  # type: ignore[attr-defined]
        first.t = self.t0 + plan.times[0]  # type: ignore[attr-defined]
        first.callbacks.append(self.arrive)
        self.env.run()
        return self.tally

    def start_look(self, now: float, kb: int, c: int, ui: int, deadline: float, look: int) -> None:
        """Fire look ``look`` of unit ``ui`` at threat class ``c`` if it fits the deadline
        and the magazine; ``kb`` indexes the look's first kill draw. Whether the look kills
        is known from the pre-drawn uniforms; it takes effect when the look's time is up."""
        plan = self.plan
        ready = self.ready
        k = plan.salvos[ui]
        if look < plan.looks[ui]:
            hold = plan.look_time[ui]
            if plan.any_expo and plan.expo[ui]:
                i = kb // (plan.n_units * plan.max_shots)
                hold *= plan.holds[(i * plan.n_units + ui) * plan.max_looks + look]
            if now + hold <= deadline + 1e-9 and ready[ui] >= k:
                ready[ui] -= k
                self.tally.used[ui] += k
                pk = plan.pk[c][ui]
                kill = plan.kill
                hit = (kill[kb] < pk) if k == 1 else any(x < pk for x in kill[kb : kb + k])
                ev = self.env.timeout(hold)
                ev.t = now + hold  # type: ignore[attr-defined]
                ev.eng = (kb, c, ui, deadline, look, hit)  # type: ignore[attr-defined]
                ev.callbacks.append(self.look_done)
                return
            if ready[ui] < k and self.dry[ui] == math.inf:
                self.dry[ui] = self.fday
        self.busy[ui] -= 1
        self.tally.leakers[c] += 1

    def look_done(self, ev: Any) -> None:
        """A look's time is up: the threat is killed, or the next look starts."""
        kb, c, ui, deadline, look, hit = ev.eng
        if hit:
            self.tally.intercepted[c] += 1
            self.busy[ui] -= 1
        else:
            self.start_look(ev.t, kb + self.plan.salvos[ui], c, ui, deadline, look + 1)

    def arrive(self, ev: Any) -> None:
        """Threat ``ev.i`` arrives: schedule the next arrival, then engage or leak."""
        plan = self.plan
        i = ev.i
        now = ev.t
        if i + 1 < plan.n:  # schedule the next arrival first (same order as a source process)
            nxt = self.env.timeout(plan.times[i + 1] - plan.times[i])
            nxt.i = i + 1  # type: ignore[attr-defined]
            nxt.t = self.t0 + plan.times[i + 1]  # type: ignore[attr-defined]
            nxt.callbacks.append(self.arrive)
        c = plan.cls[i]
        tally = self.tally
        if not plan.detected[i]:
            tally.leakers[c] += 1
            return
        tally.detected[c] += 1
        ready, busy = self.ready, self.busy
        for ui in plan.engaging[c]:
            k = plan.salvos[ui]
            if busy[ui] >= plan.chans[ui] or ready[ui] < k:
                if ready[ui] < k and self.dry[ui] == math.inf:
                    self.dry[ui] = self.fday
                continue
            busy[ui] += 1
            tally.engaged[c] += 1
            kb = (i * plan.n_units + ui) * plan.max_shots
            self.start_look(now, kb, c, ui, now + plan.warning[c], 0)
            return
        tally.blocked += 1
        tally.leakers[c] += 1


class _QueueEngine:
    """Queue mode (validations against Erlang-C): a process per threat that waits for a
    channel of the first eligible unit as long as a look can still finish before impact."""

    def __init__(
        self,
        env: simpy.Environment,
        plan: _Plan,
        states: Sequence[UnitState],
        resources: Sequence[simpy.Resource],
        day: int,
    ) -> None:
        self.env = env
        self.plan = plan
        self.states = states
        self.res = resources
        self.tally = _Tally(len(states))
        self.day = day

    def run(self) -> _Tally:
        """Run the source process and every threat to the end."""
        self.env.process(self.source())
        self.env.run()
        return self.tally

    def source(self) -> Generator[simpy.Event, Any, None]:
        """Release threats at their arrival times."""
        last = 0.0
        for i, at in enumerate(self.plan.times):
            gap = at - last
            if gap > 0:
                yield self.env.timeout(gap)
            last = at
            self.env.process(self.threat(i))

    def engage(
        self, i: int, c: int, ui: int, deadline: float
    ) -> Generator[simpy.Event, Any, bool]:
        """Shoot-look-shoot at threat ``i`` with unit ``ui`` while time and missiles last."""
        plan, env = self.plan, self.env
        k, expo = plan.salvos[ui], plan.expo[ui]
        st = self.states[ui]
        pk = plan.pk[c][ui]
        base = (i * plan.n_units + ui) * plan.max_shots
        hbase = (i * plan.n_units + ui) * plan.max_looks
        shot = 0
        for look in range(plan.looks[ui]):
            hold = plan.look_time[ui] * plan.holds[hbase + look] if expo else plan.look_time[ui]
            if env.now + hold > deadline + 1e-9:
                break
            if st.ready < k:
                if st.dry_day == math.inf:
                    st.dry_day = float(self.day)
                break
            st.ready -= k
            st.used += k
            self.tally.used[ui] += k
            yield env.timeout(hold)
            for j in range(base + shot, base + shot + k):
                if plan.kill[j] < pk:
                    self.tally.intercepted[c] += 1
                    return True
            shot += k
        return False

    def threat(self, i: int) -> Generator[simpy.Event, Any, None]:
        """One threat: wait for a channel (with patience), then be engaged."""
        plan, env, tally = self.plan, self.env, self.tally
        c = plan.cls[i]
        if not plan.detected[i]:
            tally.leakers[c] += 1
            return
        tally.detected[c] += 1
        deadline = env.now + plan.warning[c]
        for ui in plan.engaging[c]:
            req = self.res[ui].request()
            if not req.triggered:
                tally.waited += 1
                start = env.now
                patience = deadline - env.now - (0.0 if plan.expo[ui] else plan.look_time[ui])
                if math.isfinite(patience):
                    got = yield req | env.timeout(max(patience, 0.0))
                else:
                    yield req
                    got = {req: None}
                tally.wait_time += env.now - start
                if req not in got:
                    req.cancel()
                    tally.blocked += 1
                    tally.leakers[c] += 1
                    return
            tally.engaged[c] += 1
            killed = yield from self.engage(i, c, ui, deadline)
            self.res[ui].release(req)
            if not killed:
                tally.leakers[c] += 1
            return
        tally.blocked += 1
        tally.leakers[c] += 1


def run_des(
    arrivals: np.ndarray,
    classes: np.ndarray,
    units: Sequence[FireUnit],
    states: Sequence[UnitState],
    *,
    warning: Sequence[float],
    p_detect: float,
    rng: np.random.Generator,
    queue: bool = False,
    day: int = 0,
    env: simpy.Environment | None = None,
    resources: Sequence[simpy.Resource] | None = None,
) -> DayResult:
    """Simulate one engagement period as a discrete-event model.

    Parameters
    ----------
    arrivals : array of float
        Arrival (detection) times in seconds, from the environment's current time.
    classes : array of int
        Class index of each threat (see :data:`CLASSES`).
    units, states : sequences
        Fire units in the order they are tried, and their magazines (mutated).
    warning : sequence of float
        Seconds from detection to impact, per class.
    p_detect : float
        Probability a threat is detected at all.
    rng : numpy.random.Generator
        Stream for detection, kill and hold-time draws (drawn up front, vectorised).
    queue : bool
        Wait for a channel of the first eligible unit instead of overflowing.
    day : int
        Day index recorded when a magazine first runs dry.
    env : simpy.Environment, optional
        Reuse an environment across days (one environment per replication); a fresh one is
        built when omitted.
    resources : sequence of simpy.Resource, optional
        Queue mode only: the units' channel resources, to reuse them across calls.

    Returns
    -------
    DayResult
    """
    env = simpy.Environment() if env is None else env
    res: list[simpy.Resource] = []
    if queue:  # channels are simpy resources only in queue mode; the loss system counts
        res = (
            [simpy.Resource(env, capacity=u.channels) for u in units]
            if resources is None
            else list(resources)
        )
    if arrivals.size == 0:
        zero = np.zeros(4)
        return DayResult(
            zero,
            zero.copy(),
            zero.copy(),
            zero.copy(),
            zero.copy(),
            used=dict.fromkeys((u.name for u in units), 0.0),
        )
    plan = _Plan(arrivals, classes, units, warning, p_detect, rng)
    if queue:
        tally = _QueueEngine(env, plan, states, res, day).run()
    else:
        ready = [st.ready for st in states]
        dry = [st.dry_day for st in states]
        tally = _LossEngine(env, plan, ready, dry, day).run()
        for ui, st in enumerate(states):
            st.used += tally.used[ui]
            st.ready = ready[ui]
            st.dry_day = dry[ui]
    return tally.result(plan, units)
