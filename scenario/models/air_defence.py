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
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy
from scipy import special

from scenario.models.daily import Context
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = [
    "AD_OUTCOMES",
    "AD_PARAMETERS",
    "CLASSES",
    "AirDefenceSubmodel",
    "DayResult",
    "FastUnit",
    "FireUnit",
    "UnitState",
    "erlang_b",
    "erlang_c",
    "fast_day",
    "fast_unit",
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
    n = int(arrivals.size)
    env = simpy.Environment() if env is None else env
    # Channels are simpy resources only in queue mode; the loss system counts them.
    res: list[simpy.Resource] = []
    if queue:
        res = (
            [simpy.Resource(env, capacity=u.channels) for u in units]
            if resources is None
            else list(resources)
        )
    if n == 0:
        zero = np.zeros(4)
        return DayResult(
            zero,
            zero.copy(),
            zero.copy(),
            zero.copy(),
            zero.copy(),
            used={u.name: 0.0 for u in units},
        )
    times_arr = np.asarray(arrivals, dtype=np.float64)
    cls_arr = np.asarray(classes, dtype=np.int64)
    # Arrivals are walked in time order, one pending arrival at a time, so the event queue
    # holds only what is in flight (a large heap slows every event).
    order = np.argsort(times_arr, kind="stable")
    times_arr, cls_arr = times_arr[order], cls_arr[order]
    times = times_arr.tolist()
    cls = cls_arr.tolist()
    n_units = max(len(units), 1)
    salvos: list[int] = []
    chans: list[int] = []
    looks_u: list[int] = []
    look_time_u: list[float] = []
    pk_by_class: list[list[float]] = [[], [], [], []]
    any_expo = False
    for unit in units:
        salvos.append(unit.salvo)
        chans.append(unit.channels)
        looks_u.append(unit.looks)
        look_time_u.append(unit.look_time)
        for c in range(4):
            pk_by_class[c].append(unit.pk[c])
        any_expo = any_expo or unit.exponential_hold
    engaging = [[ui for ui, pk in enumerate(pks) if pk > 0] for pks in pk_by_class]
    max_shots = max((k * m for k, m in zip(salvos, looks_u, strict=True)), default=1)
    max_looks = max(looks_u, default=1)
    # All randomness drawn up front, vectorised; flat lists are fastest to index in Python:
    # detection draw of threat i is draws[i]; kill draw j of unit ui for threat i is
    # kill_u[(i * n_units + ui) * max_shots + j].
    draws = rng.random(n * (1 + n_units * max_shots))
    detected = (draws[:n] < p_detect).tolist()
    kill_u = draws[n:].tolist()
    holds = rng.exponential(1.0, n * n_units * max_looks).tolist() if any_expo else []
    leakers = [0, 0, 0, 0]
    engaged = [0, 0, 0, 0]
    intercepted = [0, 0, 0, 0]
    det = [0, 0, 0, 0]
    used = [0.0] * len(units)
    counters = [0, 0, 0.0]  # blocked, waited, wait_time
    busy = [0] * len(units)  # engagements in progress per unit (loss mode)
    timeout = env.timeout

    def engage(i: int, c: int, ui: int, deadline: float) -> Generator[simpy.Event, Any, bool]:
        k, looks, look_time, expo = (
            salvos[ui],
            looks_u[ui],
            look_time_u[ui],
            units[ui].exponential_hold,
        )
        st = states[ui]
        pk = pk_by_class[c][ui]
        base = (i * n_units + ui) * max_shots
        hbase = (i * n_units + ui) * max_looks
        shot = 0
        for look in range(looks):
            hold = look_time * holds[hbase + look] if expo else look_time
            if env.now + hold > deadline + 1e-9:
                break
            if st.ready < k:
                if st.dry_day == math.inf:
                    st.dry_day = float(day)
                break
            st.ready -= k
            st.used += k
            used[ui] += k
            yield timeout(hold)
            for j in range(base + shot, base + shot + k):
                if kill_u[j] < pk:
                    intercepted[c] += 1
                    return True
            shot += k
        return False

    def threat(i: int) -> Generator[simpy.Event, Any, None]:
        """Queue mode: a process per threat, waiting for a channel of the first unit."""
        c = cls[i]
        if not detected[i]:
            leakers[c] += 1
            return
        det[c] += 1
        deadline = env.now + warning[c]
        for ui in engaging[c]:
            look_time, expo = look_time_u[ui], units[ui].exponential_hold
            req = res[ui].request()
            if not req.triggered:
                counters[1] += 1
                start = env.now
                patience = deadline - env.now - (0.0 if expo else look_time)
                if math.isfinite(patience):
                    got = yield req | timeout(max(patience, 0.0))
                else:
                    yield req
                    got = {req: None}
                counters[2] += env.now - start
                if req not in got:
                    req.cancel()
                    counters[0] += 1
                    leakers[c] += 1
                    return
            engaged[c] += 1
            killed = yield from engage(i, c, ui, deadline)
            res[ui].release(req)
            if not killed:
                leakers[c] += 1
            return
        counters[0] += 1
        leakers[c] += 1

    # Loss mode (the campaign's): event callbacks, no process per threat. An arrival event
    # assigns the threat to the first unit with a free channel and missiles; each look is a
    # timeout whose callback checks the kill and schedules the next look. Magazines live in
    # plain lists during the run and are written back to ``states`` at the end.
    ready = [st.ready for st in states]
    dry = [st.dry_day for st in states]
    inf = math.inf
    fday = float(day)

    # Each pending event carries its own data as attributes (``t``: its time; ``i``: the
    # threat; ``eng``: the engagement), so callbacks need no closures or partials and never
    # read the clock: event times are known when the events are scheduled.
    t0 = env.now

    def start_look(now: float, kb: int, c: int, ui: int, deadline: float, look: int) -> None:
        # kb: index of this look's first kill draw in kill_u. Whether the look kills is
        # known from the pre-drawn uniforms; it takes effect when the look's time is up.
        k = salvos[ui]
        if look < looks_u[ui]:
            hold = look_time_u[ui]
            if any_expo and units[ui].exponential_hold:
                i = kb // (n_units * max_shots)
                hold *= holds[(i * n_units + ui) * max_looks + look]
            if now + hold <= deadline + 1e-9 and ready[ui] >= k:
                ready[ui] -= k
                used[ui] += k
                pk = pk_by_class[c][ui]
                hit = (kill_u[kb] < pk) if k == 1 else any(x < pk for x in kill_u[kb : kb + k])
                ev = timeout(hold)
                ev.t = now + hold  # type: ignore[attr-defined]
                ev.eng = (kb, c, ui, deadline, look, hit)  # type: ignore[attr-defined]
                ev.callbacks.append(look_done)
                return
            if ready[ui] < k and dry[ui] == inf:
                dry[ui] = fday
        busy[ui] -= 1
        leakers[c] += 1

    def look_done(ev: Any) -> None:
        kb, c, ui, deadline, look, hit = ev.eng
        if hit:
            intercepted[c] += 1
            busy[ui] -= 1
        else:
            start_look(ev.t, kb + salvos[ui], c, ui, deadline, look + 1)

    def arrive(ev: Any) -> None:
        i = ev.i
        now = ev.t
        if i + 1 < n:  # schedule the next arrival first (same order as a source process)
            nxt = timeout(times[i + 1] - times[i])
            nxt.i = i + 1  # type: ignore[attr-defined]
            nxt.t = t0 + times[i + 1]  # type: ignore[attr-defined]
            nxt.callbacks.append(arrive)
        c = cls[i]
        if not detected[i]:
            leakers[c] += 1
            return
        det[c] += 1
        for ui in engaging[c]:
            if busy[ui] >= chans[ui] or ready[ui] < salvos[ui]:
                if ready[ui] < salvos[ui] and dry[ui] == inf:
                    dry[ui] = fday
                continue
            busy[ui] += 1
            engaged[c] += 1
            start_look(now, (i * n_units + ui) * max_shots, c, ui, now + warning[c], 0)
            return
        counters[0] += 1
        leakers[c] += 1

    if queue:

        def source() -> Generator[simpy.Event, Any, None]:
            last = 0.0
            for i in range(n):
                gap = times[i] - last
                if gap > 0:
                    yield timeout(gap)
                last = times[i]
                env.process(threat(i))

        env.process(source())
    else:
        first = timeout(times[0])
        first.i = 0  # type: ignore[attr-defined]
        first.t = t0 + times[0]  # type: ignore[attr-defined]
        first.callbacks.append(arrive)
    env.run()
    if not queue:
        for ui, st in enumerate(states):
            st.used += used[ui]
            st.ready = ready[ui]
            st.dry_day = dry[ui]
    return DayResult(
        threats=np.bincount(cls_arr, minlength=4).astype(np.float64),
        detected=np.asarray(det, dtype=np.float64),
        engaged=np.asarray(engaged, dtype=np.float64),
        intercepted=np.asarray(intercepted, dtype=np.float64),
        leakers=np.asarray(leakers, dtype=np.float64),
        blocked=int(counters[0]),
        waited=int(counters[1]),
        wait_time=float(counters[2]),
        used={u.name: used[ui] for ui, u in enumerate(units)},
    )


def erlang_b(channels: np.ndarray | int, load: np.ndarray | float) -> np.ndarray:
    """Erlang-B blocking probability ``B(c, a)`` (stable recursion, vectorised).

    ``B(0, a) = 1``; ``B(n, a) = a B(n-1, a) / (n + a B(n-1, a))``. Where the bound
    ``B(c, a) <= a**c / c!`` is below 1e-15 the result is that bound (it is the exact value
    to within 1e-15 absolute); the recursion runs only on the other elements.
    """
    c = np.asarray(channels, dtype=np.int64)
    a = np.asarray(load, dtype=np.float64)
    c, a = np.broadcast_arrays(c, a)
    with np.errstate(divide="ignore", over="ignore"):
        bound = np.exp(c * np.log(np.maximum(a, 1e-300)) - special.gammaln(c + 1.0))
    out = np.where(a > 0, np.minimum(bound, 1.0), np.where(c == 0, 1.0, 0.0))
    idx = np.flatnonzero((bound > 1e-15) & (a > 0))
    if idx.size:
        cs = c.ravel()[idx]
        as_ = a.ravel()[idx]
        b = np.ones(idx.size)
        for k in range(1, int(cs.max()) + 1):
            nb = as_ * b / (k + as_ * b)
            b = np.where(k <= cs, nb, b)
        flat = out.reshape(-1)
        flat[idx] = b
    return out


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


@dataclass(frozen=True)
class FastUnit:
    """A fire unit prepared for the fast kernel (arrays over replications).

    Build with :func:`fast_unit`; ``eligible``, ``leak``, ``e_looks`` and ``hold`` have
    shape ``(n, 4)``, ``channels`` shape ``(n,)``.
    """

    eligible: np.ndarray
    leak: np.ndarray
    e_looks: np.ndarray
    hold: np.ndarray
    channels: np.ndarray
    salvo: int
    any_active: bool


def fast_unit(
    active: np.ndarray,
    channels: np.ndarray,
    look_time: np.ndarray,
    salvo: int,
    looks: int,
    pk: np.ndarray,
    warning: np.ndarray,
) -> FastUnit:
    """Per-class engagement statistics of a unit: looks that fit the warning time,
    P(leak | engaged), E[looks | engaged] and channel holding time."""
    L = np.minimum(looks, np.floor(warning / look_time[:, None]))
    eligible = (pk > 0) & (L >= 1) & active[:, None]
    leak, e_looks = _leak_stats(pk, salvo, L)
    return FastUnit(
        eligible=eligible.astype(np.float64),
        leak=leak,
        e_looks=e_looks,
        hold=look_time[:, None] * e_looks,
        channels=np.asarray(channels),
        salvo=salvo,
        any_active=bool(eligible.any()),
    )


def fast_day(
    threats: np.ndarray,
    units: Sequence[FastUnit],
    ready: Sequence[np.ndarray],
    *,
    p_detect: np.ndarray,
    window: np.ndarray | float,
    rng: np.random.Generator,
    rate: np.ndarray | None = None,
    cache: dict[int, tuple[np.ndarray, np.ndarray]] | None = None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """One period of the fast kernel, vectorised over replications.

    Parameters
    ----------
    threats : array (n, 4)
        Threats per class this period (realised).
    units : sequence of FastUnit
        Fire units in the order they are tried (:func:`fast_unit`).
    ready : sequence of arrays (n,)
        Ready interceptors per unit.
    p_detect : array (n,)
        Detection probability.
    window : float or array (n,)
        Seconds over which the period's threats arrive (raid window).
    rng : numpy.random.Generator
    rate : array (n, 4), optional
        Expected threats per class this period; the Erlang-B offered load uses it (a rate,
        as in the steady-state formula). Defaults to ``threats``.
    cache : dict, optional
        Reuses each unit's blocking while its offered rate is unchanged (pass the same dict
        every period).

    Returns
    -------
    leakers : array (n, 4)
        Binomial leakers per class.
    used : list of arrays (n,)
        Expected interceptors used per unit (capped by the ready magazine).
    """
    n = threats.shape[0]
    remaining = np.ones((n, 4))  # P(threat reaches this unit unengaged | detected)
    p_kill_total = np.zeros((n, 4))
    used: list[np.ndarray] = []
    pd = p_detect[:, None]
    expected = threats if rate is None else rate
    for ui, (unit, mag) in enumerate(zip(units, ready, strict=True)):
        if not unit.any_active:
            used.append(np.zeros(n))
            continue
        reach = pd * remaining * unit.eligible  # P(offered to this unit)
        offered_rate = expected * reach
        hit = cache.get(ui) if cache is not None else None
        if hit is not None and np.array_equal(hit[0], offered_rate):
            free = hit[1]
        else:
            load = (offered_rate * unit.hold).sum(axis=1) / window
            free = 1.0 - erlang_b(unit.channels, load)
            if cache is not None:
                cache[ui] = (offered_rate, free)
        demand = (threats * reach * unit.e_looks).sum(axis=1) * free * unit.salvo
        phi = np.minimum(1.0, mag / np.maximum(demand, 1e-9))
        engage = unit.eligible * (free * phi)[:, None]
        p_eng = remaining * engage
        p_kill_total += p_eng * (1.0 - unit.leak)
        remaining = remaining * (1.0 - engage)
        used.append(np.minimum(demand * phi, mag))
    p_leak = np.clip(1.0 - pd * p_kill_total, 0.0, 1.0)
    leakers = rng.binomial(threats.astype(np.int64), p_leak).astype(np.float64)
    return leakers, used


# --------------------------------------------------------------------------------------
# The air-defence submodel of the daily campaign.
# --------------------------------------------------------------------------------------


def _ad(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="air_defence", name=name, unit=unit, meaning=meaning)


AD_PARAMETERS: tuple[ParameterInfo, ...] = (
    _ad("ballistic_per_day", "threats/day", "Lower-tier ballistic missiles at the defended area"),
    _ad("cruise_per_day", "threats/day", "Cruise missiles at the defended area"),
    _ad("aircraft_per_day", "threats/day", "Russian aircraft entering the area's envelope"),
    _ad("drone_per_day", "threats/day", "Attack drones at the defended area"),
    _ad("raid_window_hours", "hours", "Hours over which a day's threats arrive"),
    _ad("p_detect", "probability", "Probability a threat is detected in time"),
    _ad("warning_ballistic_s", "s", "Warning time of a ballistic missile after detection"),
    _ad("warning_cruise_s", "s", "Warning time of a cruise missile"),
    _ad("warning_aircraft_s", "s", "Time an aircraft stays engageable"),
    _ad("warning_drone_s", "s", "Warning time of a drone"),
    _ad("ua_channels", "engagements", "Simultaneous engagements of existing Ukrainian AD"),
    _ad("ua_ready", "interceptors", "Ready interceptors of existing Ukrainian AD"),
    _ad("ua_resupply_per_day", "interceptors/day", "Ukrainian interceptor resupply"),
    _ad("ua_look_time_s", "s", "Time one Ukrainian engagement look holds a channel"),
    _ad("ua_pk_ballistic", "probability", "Ukrainian AD single-shot kill, ballistic"),
    _ad("ua_pk_cruise", "probability", "Ukrainian AD single-shot kill, cruise"),
    _ad("ua_pk_aircraft", "probability", "Ukrainian AD single-shot kill, aircraft"),
    _ad("ua_pk_drone", "probability", "Ukrainian AD single-shot kill, drone"),
    _ad("msam_channels_per_battery", "engagements", "Simultaneous engagements per battery"),
    _ad("msam_reaction_s", "s", "M-SAM reaction time"),
    _ad("msam_flight_s", "s", "M-SAM interceptor time of flight to intercept"),
    _ad("msam_pk_ballistic", "probability", "M-SAM single-shot kill, ballistic"),
    _ad("msam_pk_cruise", "probability", "M-SAM single-shot kill, cruise"),
    _ad("msam_pk_aircraft", "probability", "M-SAM single-shot kill, aircraft"),
)

AD_OUTCOMES: tuple[OutcomeInfo, ...] = (
    OutcomeInfo(name="ad_threats", unit="threats", description="Threats at the defended area"),
    OutcomeInfo(
        name="ad_intercepted",
        unit="threats",
        description="Threats intercepted",
        direction="maximize",
    ),
    *(
        OutcomeInfo(
            name=f"ad_leakers_{c}",
            unit="threats",
            description=f"{c.capitalize()} leakers",
            direction="minimize",
        )
        for c in CLASSES
    ),
    OutcomeInfo(
        name="ad_leakers", unit="threats", description="All leakers", direction="minimize"
    ),
    OutcomeInfo(
        name="ad_intercept_rate",
        unit="fraction",
        description="Intercepted / threats",
        direction="maximize",
    ),
    OutcomeInfo(
        name="msam_interceptors_used", unit="interceptors", description="M-SAM interceptors fired"
    ),
    OutcomeInfo(
        name="ua_interceptors_used",
        unit="interceptors",
        description="Existing Ukrainian AD interceptors fired",
    ),
    OutcomeInfo(
        name="msam_dry_day",
        unit="day",
        description="Day the M-SAM magazine first ran dry (horizon if never or no M-SAM)",
    ),
    OutcomeInfo(
        name="msam_ran_dry",
        unit="0/1",
        description="M-SAM magazine ran dry within the horizon",
        direction="minimize",
    ),
)

AD_SERIES: tuple[SeriesInfo, ...] = (
    SeriesInfo(name="ad_leakers_daily", unit="threats", description="Leakers per day"),
    SeriesInfo(name="msam_ready", unit="interceptors", description="M-SAM ready interceptors"),
)


class _ADState:
    def __init__(self, ctx: Context) -> None:
        n = ctx.n

        def p(name: str) -> np.ndarray:
            return ctx.p(f"air_defence.{name}")

        self.rate = np.stack(
            [
                p("ballistic_per_day"),
                p("cruise_per_day"),
                p("aircraft_per_day"),
                p("drone_per_day"),
            ],
            axis=1,
        )
        self.window = p("raid_window_hours") * 3600.0
        self.p_detect = p("p_detect")
        self.warning = np.stack(
            [
                p("warning_ballistic_s"),
                p("warning_cruise_s"),
                p("warning_aircraft_s"),
                p("warning_drone_s"),
            ],
            axis=1,
        )
        self.ua_channels = np.maximum(np.rint(p("ua_channels")), 1).astype(np.int64)
        self.ua_ready = p("ua_ready").copy()
        self.ua_capacity = p("ua_ready").copy()
        self.ua_resupply = p("ua_resupply_per_day")
        self.ua_look = p("ua_look_time_s")
        self.ua_pk = np.stack(
            [p("ua_pk_ballistic"), p("ua_pk_cruise"), p("ua_pk_aircraft"), p("ua_pk_drone")],
            axis=1,
        )
        ms = ctx.config.policy.msam
        self.ms = ms
        self.ms_salvo = ms.salvo_size
        self.ms_looks = ms.looks if ms.doctrine == "shoot_look_shoot" else 1
        self.ms_channels = np.maximum(
            np.rint(p("msam_channels_per_battery")) * ms.batteries, 1
        ).astype(np.int64)
        self.ms_look = p("msam_reaction_s") + p("msam_flight_s")
        self.ms_pk = np.stack(
            [p("msam_pk_ballistic"), p("msam_pk_cruise"), p("msam_pk_aircraft"), np.zeros(n)],
            axis=1,
        )
        self.ms_capacity = float(
            ms.batteries * ms.launchers_per_battery * ms.missiles_per_launcher
        )
        self.ms_ready = np.zeros(n)
        self.ms_reserve = np.zeros(n)
        self.ms_delivered = np.zeros(n, dtype=bool)
        self.ms_dry = np.full(n, np.inf)
        self.threats = np.zeros((n, 4))
        self.leakers = np.zeros((n, 4))
        self.ms_used = np.zeros(n)
        self.ua_used = np.zeros(n)
        self.m, self.series = ctx.series_buffers(AD_SERIES)
        # Threats and engagements on separate child streams of the submodel's stream, so
        # both engines (and any M-SAM setting) see the same threats: common random numbers.
        threat_rng, engage_rng = ctx.rng("air_defence").spawn(2)
        self.rngs = (threat_rng, engage_rng)
        self.cache_key: bytes | None = None
        self.zeros = np.zeros(n)  # shared, read-only: a signal of "none today"
        self.p_detect_base = np.minimum(self.p_detect, 0.99)
        self.cache_units: list[FastUnit] = []
        self.block_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        # Discrete-event engine: one simpy environment per replication, kept across days.
        self.envs: list[simpy.Environment] = []


class AirDefenceSubmodel:
    """Air and missile defence of one defended area, day by day (fast kernel or DES).

    Reads ``ad_detect_bonus`` and ``ad_warning_factor`` (BICES, from intel) and
    ``nk_sorties_exposed`` (North Korean sorties entering the envelope, from air_ops).
    Publishes ``nk_aircraft_lost_today``.
    """

    name = "air_defence"
    parameters = AD_PARAMETERS
    levers = ("policy.msam",)
    outcomes = AD_OUTCOMES
    series = AD_SERIES

    def start(self, ctx: Context) -> None:
        """Set up magazines and, for the DES engine, one environment per replication."""
        st = _ADState(ctx)
        if ctx.config.air_defence.engine == "des":
            st.envs = [simpy.Environment() for _ in range(ctx.n)]
        ctx.state[self.name] = st

    def step(self, ctx: Context, t: int) -> None:
        """One day of raids against the defended area."""
        st: _ADState = ctx.state[self.name]
        threat_rng, rng = st.rngs
        ms = st.ms
        # M-SAM delivery, reload and resupply.
        since = ctx.days_active("msam", t)
        if ms.deploy:
            arrived = (since >= 0) & ~st.ms_delivered
            if arrived.any():
                st.ms_delivered |= arrived
                st.ms_ready = np.where(arrived, st.ms_capacity, st.ms_ready)
                st.ms_reserve = np.where(arrived, float(ms.interceptor_stock), st.ms_reserve)
            st.ms_reserve = st.ms_reserve + np.where(
                st.ms_delivered, ms.resupply_per_month / 30.0, 0.0
            )
            take = np.minimum(st.ms_capacity - st.ms_ready, st.ms_reserve) * st.ms_delivered
            st.ms_ready += take
            st.ms_reserve -= take
        st.ua_ready = np.minimum(st.ua_ready + st.ua_resupply, st.ua_capacity)
        ms_on = st.ms_delivered & (since >= ms.training_days)

        bonus = ctx.signals.get("ad_detect_bonus")
        factor = ctx.signals.get("ad_warning_factor")
        if (bonus is None or not bonus.any()) and (factor is None or np.all(factor == 1.0)):
            p_detect, warning = st.p_detect_base, st.warning  # no BICES effect today
        else:
            b = np.zeros(ctx.n) if bonus is None else bonus
            f = np.ones(ctx.n) if factor is None else factor
            p_detect = np.minimum(st.p_detect + b, 0.99)
            warning = st.warning * f[:, None]
        nk_air = ctx.signal("nk_sorties_exposed", 0.0)
        if nk_air.any():
            lam = st.rate.copy()
            lam[:, 2] += nk_air
        else:
            lam = st.rate
        threats = threat_rng.poisson(lam).astype(np.float64)
        if ctx.config.air_defence.engine == "des":
            leakers, ms_used, ua_used = self._des_day(
                ctx, st, t, threats, ms_on, p_detect, warning, rng
            )
        else:
            units = self._units(ctx, st, ms_on, warning)
            leakers, (ms_used, ua_used) = fast_day(
                threats,
                units,
                [st.ms_ready, st.ua_ready],
                p_detect=p_detect,
                window=st.window,
                rng=rng,
                rate=lam,
                cache=st.block_cache,
            )
            st.ms_ready = st.ms_ready - ms_used
            st.ua_ready = st.ua_ready - ua_used
            need_more = ms_on & (st.ms_ready < st.ms_salvo) & (ms_used > 0)
            st.ms_dry = np.where(need_more & ~np.isfinite(st.ms_dry), float(t), st.ms_dry)
        st.threats += threats
        st.leakers += leakers
        st.ms_used += ms_used
        st.ua_used += ua_used
        if np.any(nk_air > 0):
            air_killed = threats[:, 2] - leakers[:, 2]
            nk_share = nk_air / np.maximum(lam[:, 2], 1e-300)
            ctx.signals["nk_aircraft_lost_today"] = air_killed * nk_share
        else:
            ctx.signals["nk_aircraft_lost_today"] = st.zeros
        if st.m:
            st.series["ad_leakers_daily"][:, t] = leakers[: st.m].sum(axis=1)
            st.series["msam_ready"][:, t] = st.ms_ready[: st.m]

    def _units(
        self, ctx: Context, st: _ADState, ms_on: np.ndarray, warning: np.ndarray
    ) -> list[FastUnit]:
        """Fast-kernel units, recomputed only when M-SAM status or warning times change."""
        key = ms_on.tobytes()
        # Warning times differ from the static ones only while BICES acts: recompute then.
        if st.cache_key != key or warning is not st.warning:
            st.cache_units = [
                fast_unit(
                    ms_on, st.ms_channels, st.ms_look, st.ms_salvo, st.ms_looks, st.ms_pk, warning
                ),
                fast_unit(
                    np.ones(ctx.n, dtype=bool), st.ua_channels, st.ua_look, 1, 2, st.ua_pk, warning
                ),
            ]
            st.cache_key = key
            st.block_cache.clear()
        return st.cache_units

    def _des_day(
        self,
        ctx: Context,
        st: _ADState,
        t: int,
        threats: np.ndarray,
        ms_on: np.ndarray,
        p_detect: np.ndarray,
        warning: np.ndarray,
        rng: np.random.Generator,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = ctx.n
        leakers = np.zeros((n, 4))
        ms_used = np.zeros(n)
        ua_used = np.zeros(n)
        for i in range(n):
            env = st.envs[i]
            day_start = t * 86400.0
            if env.now < day_start:
                env.run(until=day_start)
            counts = threats[i].astype(np.int64)
            cls = np.repeat(np.arange(4), counts)
            times = rng.uniform(0.0, st.window[i], cls.size)
            units = []
            states = []
            if ms_on[i]:
                units.append(
                    FireUnit(
                        "msam",
                        int(st.ms_channels[i]),
                        tuple(st.ms_pk[i]),  # type: ignore[arg-type]
                        float(st.ms_look[i]),
                        st.ms_salvo,
                        st.ms_looks,
                    )
                )
                states.append(UnitState(ready=float(st.ms_ready[i]), capacity=st.ms_capacity))
            units.append(
                FireUnit(
                    "ua",
                    int(st.ua_channels[i]),
                    tuple(st.ua_pk[i]),  # type: ignore[arg-type]
                    float(st.ua_look[i]),
                    1,
                    2,
                )
            )
            states.append(
                UnitState(ready=float(st.ua_ready[i]), capacity=float(st.ua_capacity[i]))
            )
            out = run_des(
                times,
                cls,
                units,
                states,
                warning=warning[i].tolist(),
                p_detect=float(p_detect[i]),
                rng=rng,
                day=t,
                env=env,
            )
            leakers[i] = out.leakers
            if ms_on[i]:
                ms_used[i] = out.used["msam"]
                st.ms_ready[i] = states[0].ready
                if math.isfinite(states[0].dry_day) and not math.isfinite(st.ms_dry[i]):
                    st.ms_dry[i] = float(t)
            ua_used[i] = out.used["ua"]
            st.ua_ready[i] = states[-1].ready
        return leakers, ms_used, ua_used

    def finish(self, ctx: Context) -> BlockOutput:
        """Outcomes of the block."""
        st: _ADState = ctx.state[self.name]
        total = st.threats.sum(axis=1)
        leak = st.leakers.sum(axis=1)
        ran_dry = np.isfinite(st.ms_dry)
        outcomes = {
            "ad_threats": total,
            "ad_intercepted": total - leak,
            **{f"ad_leakers_{c}": st.leakers[:, j] for j, c in enumerate(CLASSES)},
            "ad_leakers": leak,
            "ad_intercept_rate": np.where(total > 0, (total - leak) / np.maximum(total, 1.0), 0.0),
            "msam_interceptors_used": st.ms_used,
            "ua_interceptors_used": st.ua_used,
            "msam_dry_day": np.where(
                ran_dry, np.where(ran_dry, st.ms_dry, 0.0), float(ctx.horizon)
            ),
            "msam_ran_dry": ran_dry.astype(np.float64),
        }
        return BlockOutput(outcomes=outcomes, series=st.series)
