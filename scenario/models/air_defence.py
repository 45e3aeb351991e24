r"""Air and missile defence: a discrete-event engagement model (simpy) and a fast kernel.

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

The **fast kernel** evaluates the same mechanism in expectation, vectorised over
replications: threats per class :math:`N_c \sim \text{Poisson}(\lambda_c)`, channel
blocking by Erlang-B :math:`B(c, a)` with offered load :math:`a = \Lambda\,h\,E[\text{looks}]`
(:math:`\Lambda` the arrival rate during the raid window), a magazine factor
:math:`\phi = \min(1, M / \text{demand})`, and leakers
:math:`\sim \text{Binomial}(N_c, P_{\text{leak},c})`. It is exact when channels and
magazines do not bind, matches the discrete-event means when raids are long against the
engagement time (Erlang-B steady state) or when salvo doctrine meets a finite magazine, and
is an approximation otherwise (overflow traffic is treated as Poisson).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import simpy

__all__ = [
    "CLASSES",
    "DayResult",
    "FireUnit",
    "UnitState",
    "erlang_b",
    "erlang_c",
    "fast_day",
    "run_des",
]

CLASSES: tuple[str, ...] = ("ballistic", "cruise", "aircraft", "drone")
"""Threat classes, in the order used by every array of this module."""


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

    def engages(self, c: int) -> bool:
        """Whether this unit engages class index ``c`` at all."""
        return self.pk[c] > 0


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
    """Per-class counts of one engagement period (a day or a validation run)."""

    threats: np.ndarray = field(default_factory=lambda: np.zeros(4))
    detected: np.ndarray = field(default_factory=lambda: np.zeros(4))
    engaged: np.ndarray = field(default_factory=lambda: np.zeros(4))
    intercepted: np.ndarray = field(default_factory=lambda: np.zeros(4))
    leakers: np.ndarray = field(default_factory=lambda: np.zeros(4))
    blocked: int = 0
    waited: int = 0
    wait_time: float = 0.0
    events: int = 0
    used: dict[str, float] = field(default_factory=dict)


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
    env, resources : optional
        Reuse a simpy environment and its channel resources across days (one environment
        per replication); fresh ones are built when omitted.

    Returns
    -------
    DayResult
    """
    n = int(arrivals.size)
    env = simpy.Environment() if env is None else env
    res = (
        [simpy.Resource(env, capacity=u.channels) for u in units]
        if resources is None
        else list(resources)
    )
    out = DayResult(used={u.name: 0.0 for u in units})
    if n == 0:
        return out
    order = np.argsort(arrivals, kind="stable")
    times = np.asarray(arrivals, dtype=np.float64)[order]
    cls = np.asarray(classes, dtype=np.int64)[order]
    n_units = max(len(units), 1)
    max_shots = max((u.salvo * u.looks for u in units), default=1)
    max_looks = max((u.looks for u in units), default=1)
    detected = (rng.random(n) < p_detect).tolist()
    kill_u = rng.random((n, n_units, max_shots))
    holds = rng.exponential(1.0, (n, n_units, max_looks))
    np.add.at(out.threats, cls, 1)
    timeout = env.timeout

    def engage(i: int, c: int, ui: int, deadline: float):  # type: ignore[no-untyped-def]
        unit, st = units[ui], states[ui]
        k = unit.salvo
        pk = unit.pk[c]
        shot = 0
        for look in range(unit.looks):
            hold = unit.look_time * holds[i, ui, look] if unit.exponential_hold else unit.look_time
            if env.now + hold > deadline + 1e-9:
                break
            if st.ready < k:
                if not math.isfinite(st.dry_day):
                    st.dry_day = float(day)
                break
            st.ready -= k
            st.used += k
            out.used[unit.name] += k
            yield timeout(hold)
            out.events += 1
            if (kill_u[i, ui, shot : shot + k] < pk).any():
                out.intercepted[c] += 1
                return True
            shot += k
        return False

    def threat(i: int):  # type: ignore[no-untyped-def]
        c = int(cls[i])
        if not detected[i]:
            out.leakers[c] += 1
            return
        out.detected[c] += 1
        deadline = env.now + warning[c]
        for ui, unit in enumerate(units):
            if not unit.engages(c):
                continue
            st = states[ui]
            if queue:
                req = res[ui].request()
                if not req.triggered:
                    out.waited += 1
                    start = env.now
                    patience = (
                        deadline - env.now - (0.0 if unit.exponential_hold else unit.look_time)
                    )
                    if math.isfinite(patience):
                        got = yield req | timeout(max(patience, 0.0))
                    else:
                        got = yield req
                        got = {req: None}
                    out.events += 1
                    out.wait_time += env.now - start
                    if req not in got:
                        req.cancel()
                        out.blocked += 1
                        out.leakers[c] += 1
                        return
                out.engaged[c] += 1
                killed = yield from engage(i, c, ui, deadline)
                res[ui].release(req)
                if not killed:
                    out.leakers[c] += 1
                return
            if res[ui].count >= unit.channels or st.ready < unit.salvo:
                if st.ready < unit.salvo and not math.isfinite(st.dry_day):
                    st.dry_day = float(day)
                continue
            req = res[ui].request()  # granted at once: a channel is free
            out.engaged[c] += 1
            killed = yield from engage(i, c, ui, deadline)
            res[ui].release(req)
            if not killed:
                out.leakers[c] += 1
            return
        out.blocked += 1
        out.leakers[c] += 1

    def source():  # type: ignore[no-untyped-def]
        last = 0.0
        for i in range(n):
            gap = times[i] - last
            if gap > 0:
                yield timeout(gap)
                out.events += 1
            last = times[i]
            env.process(threat(i))

    env.process(source())
    env.run()
    return out


def erlang_b(channels: np.ndarray | int, load: np.ndarray | float) -> np.ndarray:
    """Erlang-B blocking probability ``B(c, a)`` (stable recursion, vectorised).

    ``B(0, a) = 1``; ``B(n, a) = a B(n-1, a) / (n + a B(n-1, a))``.
    """
    c = np.asarray(channels, dtype=np.int64)
    a = np.asarray(load, dtype=np.float64)
    c, a = np.broadcast_arrays(c, a)
    b = np.ones(a.shape)
    top = int(c.max()) if c.size else 0
    for k in range(1, top + 1):
        nb = a * b / (k + a * b)
        b = np.where(k <= c, nb, b)
    return b


def erlang_c(channels: int, load: float) -> float:
    """Erlang-C probability of waiting ``C(c, a)`` for an M/M/c queue (``a < c``)."""
    if load >= channels:
        return 1.0
    b = float(erlang_b(channels, load))
    return channels * b / (channels - load * (1 - b))


def _leak_stats(pk: np.ndarray, salvo: int, looks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(leak | engaged) and E[looks | engaged] for per-look kill probability from ``pk``."""
    q = 1.0 - (1.0 - pk) ** salvo
    leak = (1.0 - q) ** looks
    with np.errstate(divide="ignore", invalid="ignore"):
        e_looks = np.where(q > 0, (1.0 - leak) / np.where(q > 0, q, 1.0), looks)
    return leak, e_looks


def fast_day(
    threats: np.ndarray,
    units: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray, int, int, np.ndarray]],
    ready: Sequence[np.ndarray],
    *,
    warning: np.ndarray,
    p_detect: np.ndarray,
    window: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """One period of the fast kernel, vectorised over replications.

    Parameters
    ----------
    threats : array (n, 4)
        Threats per class this period.
    units : sequence of tuples
        Per unit, in the order tried: ``(active (n,) bool, channels (n,), look_time (n,),
        salvo, looks, pk (n, 4))``.
    ready : sequence of arrays (n,)
        Ready interceptors per unit.
    warning : array (n, 4)
        Seconds from detection to impact per class.
    p_detect : array (n,)
        Detection probability.
    window : float
        Seconds over which the period's threats arrive (raid window), for offered load.
    rng : numpy.random.Generator

    Returns
    -------
    leakers : array (n, 4)
        Binomial leakers per class.
    used : list of arrays (n,)
        Expected interceptors used per unit (capped by the ready magazine).
    engaged_share : list of arrays (n, 4)
        Probability a threat of each class is engaged by each unit.
    """
    n = threats.shape[0]
    remaining = np.ones((n, 4))  # P(threat reaches this unit unengaged | detected)
    p_kill_total = np.zeros((n, 4))
    used: list[np.ndarray] = []
    shares: list[np.ndarray] = []
    for (active, channels, look_time, salvo, looks, pk), mag in zip(units, ready, strict=True):
        L = np.minimum(looks, np.floor(warning / look_time[:, None]))
        eligible = (pk > 0) & (L >= 1) & active[:, None]
        leak, e_looks = _leak_stats(pk, salvo, L)
        offered = threats * p_detect[:, None] * remaining * eligible
        hold = look_time[:, None] * e_looks
        load = (offered * hold).sum(axis=1) / window
        block = erlang_b(channels, load)
        demand = (offered * (1.0 - block[:, None]) * salvo * e_looks).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            phi = np.where(
                demand > 0, np.minimum(1.0, mag / np.where(demand > 0, demand, 1.0)), 1.0
            )
        engage = eligible * (1.0 - block)[:, None] * phi[:, None]
        p_eng = remaining * engage
        p_kill_total += p_eng * (1.0 - leak)
        remaining = remaining * (1.0 - engage)
        used.append(np.minimum(demand * phi, mag))
        shares.append(p_eng * p_detect[:, None])
    p_leak = 1.0 - p_detect[:, None] * p_kill_total
    leakers = rng.binomial(threats.astype(np.int64), np.clip(p_leak, 0.0, 1.0)).astype(np.float64)
    return leakers, used, shares
