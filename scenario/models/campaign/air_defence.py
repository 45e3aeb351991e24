r"""Air and missile defence of one defended area, day by day, as a campaign submodel.

Each day threats of the four classes arrive, :math:`N_c \sim \text{Poisson}(\lambda_c)`
(plus the North Korean sorties attacking the area, as aircraft, and North Korean KN-23/24
missiles, as ballistic threats, at the expected rates the air-ops and munitions submodels
write), and are engaged by the
M-SAM batteries (lever ``policy.msam``, once delivered and crews trained) and then the
existing Ukrainian air defence, by either engine:

* ``air_defence.engine: fast``: :mod:`scenario.models.kernels.fast_engagement`;
* ``air_defence.engine: des``: :mod:`scenario.models.kernels.engagement` (simpy), one
  environment per replication kept across days.

Magazines: M-SAM batteries arrive loaded (``batteries x launchers x missiles``) with a
reserve of ``interceptor_stock`` that grows by ``resupply_per_month / 30`` a day; the ready
magazine is refilled from the reserve every day. The Ukrainian magazine is refilled by
``ua_resupply_per_day`` up to its capacity. The existing Ukrainian air defence fires
``ua_salvo`` interceptors per look, at most ``ua_looks`` looks (fixed parameters). BICES
(signals from intel) raises detection (a US intelligence pause lowers it) and stretches
warning times; detection is capped at ``p_detect_max``. Today's leakers by class are
published for the logistics submodel (signals ``ad_leakers_<class>_today``); aircraft
killed are split between North Korean and other aircraft in proportion to their rates
(signal ``nk_aircraft_lost_today``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from scenario.config.levers import Msam
from scenario.errors import ModelError
from scenario.models.campaign.signals import (
    AD_DETECT_BONUS,
    AD_LEAKERS_TODAY,
    AD_WARNING_FACTOR,
    NK_AIRCRAFT_LOST_TODAY,
    NK_MISSILES_TODAY,
    NK_SORTIES_EXPOSED,
)
from scenario.models.daily import SubmodelContext, today
from scenario.models.kernels.des_periods import LossPeriods
from scenario.models.kernels.engagement import CLASSES, FireUnit, _UnitLists
from scenario.models.kernels.fast_engagement import FastUnit, fast_day, fast_unit
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["AD_OUTCOMES", "AD_PARAMETERS", "AD_SERIES", "AirDefenceSubmodel"]


def _ad(name: str, unit: str, meaning: str, **kind: Any) -> ParameterInfo:
    return ParameterInfo(group="air_defence", name=name, unit=unit, meaning=meaning, **kind)


_FIXED_WHOLE: dict[str, Any] = {"fixed": True, "whole": True, "support": (1.0, math.inf)}

AD_PARAMETERS: tuple[ParameterInfo, ...] = (
    _ad("ballistic_per_day", "threats/day", "Lower-tier ballistic missiles at the defended area"),
    _ad("cruise_per_day", "threats/day", "Cruise missiles at the defended area"),
    _ad("aircraft_per_day", "threats/day", "Russian aircraft entering the area's envelope"),
    _ad("drone_per_day", "threats/day", "Attack drones at the defended area"),
    _ad("raid_window_hours", "hours", "Hours over which a day's threats arrive"),
    _ad("p_detect", "probability", "Probability a threat is detected in time"),
    _ad("p_detect_max", "probability", "Cap on detection probability with every bonus"),
    _ad("warning_ballistic_s", "s", "Warning time of a ballistic missile after detection"),
    _ad("warning_cruise_s", "s", "Warning time of a cruise missile"),
    _ad("warning_aircraft_s", "s", "Time an aircraft stays engageable"),
    _ad("warning_drone_s", "s", "Warning time of a drone"),
    _ad("ua_channels", "engagements", "Simultaneous engagements of existing Ukrainian AD"),
    _ad("ua_ready", "interceptors", "Ready interceptors of existing Ukrainian AD"),
    _ad("ua_resupply_per_day", "interceptors/day", "Ukrainian interceptor resupply"),
    _ad("ua_look_time_s", "s", "Time one Ukrainian engagement look holds a channel"),
    _ad("ua_salvo", "interceptors", "Ukrainian interceptors fired per look", **_FIXED_WHOLE),
    _ad("ua_looks", "looks", "Most Ukrainian looks at one threat", **_FIXED_WHOLE),
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
        censored=True,
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
    """Arrays of one block of the air-defence submodel."""

    def __init__(self, ctx: SubmodelContext) -> None:
        n = ctx.n

        def p(name: str) -> np.ndarray:
            return ctx.p(f"air_defence.{name}")

        self.rate = np.stack([p(f"{c}_per_day") for c in CLASSES], axis=1)
        self.window = p("raid_window_hours") * 3600.0
        self.p_detect = p("p_detect")
        self.warning = np.stack([p(f"warning_{c}_s") for c in CLASSES], axis=1)
        self.ua_channels = np.maximum(np.rint(p("ua_channels")), 1).astype(np.int64)
        self.ua_ready = p("ua_ready").copy()
        self.ua_capacity = p("ua_ready").copy()
        self.ua_resupply = p("ua_resupply_per_day")
        self.ua_look = p("ua_look_time_s")
        self.ua_salvo = _fixed_int(ctx, "ua_salvo")
        self.ua_looks = _fixed_int(ctx, "ua_looks")
        self.p_detect_max = p("p_detect_max")
        self.ua_pk = np.stack([p(f"ua_pk_{c}") for c in CLASSES], axis=1)
        ms = ctx.lever(Msam)
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
        threat_rng, engage_rng = ctx.rng().spawn(2)
        self.rngs = (threat_rng, engage_rng)
        self.cache_key: bytes | None = None
        self.zeros = np.zeros(n)  # shared, read-only: a signal of "none today"
        self.p_detect_base = np.minimum(self.p_detect, self.p_detect_max)
        self.cache_units: list[FastUnit] = []
        self.block_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        # Discrete-event engine: one environment for the block, each replication's clock
        # kept across days (a day's events may run past midnight), units built once.
        self.des = LossPeriods()
        self.des_now: list[float] = [0.0] * n
        self.des_units: dict[tuple[int, bool], _UnitLists] = {}


_DES_UNITS = ("msam", "ua")
"""Fire units of the discrete-event engine with M-SAM operational (else only ``ua``)."""


@dataclass
class _Engaged:
    """One day's engagement results over the block."""

    leakers: np.ndarray  # (n, 4)
    ms_used: np.ndarray
    ua_used: np.ndarray


class AirDefenceSubmodel:
    """Air and missile defence of one defended area, day by day (equations: module doc)."""

    name = "air_defence"
    parameters = AD_PARAMETERS
    levers = (Msam,)
    reads = (
        today(AD_DETECT_BONUS),
        today(AD_WARNING_FACTOR),
        today(NK_SORTIES_EXPOSED),
        today(NK_MISSILES_TODAY),
    )
    writes = (NK_AIRCRAFT_LOST_TODAY, *AD_LEAKERS_TODAY.values())
    events = ()
    outcomes = AD_OUTCOMES
    series = AD_SERIES

    def start(self, ctx: SubmodelContext) -> _ADState:
        """Set up magazines and, for the DES engine, one environment per replication."""
        return _ADState(ctx)

    def step(self, ctx: SubmodelContext, st: _ADState, t: int) -> None:
        """One day of raids against the defended area."""
        threat_rng, rng = st.rngs
        ms_on = _reload(ctx, st, t)
        p_detect, warning = _detection(ctx, st)
        nk_air = ctx.read(NK_SORTIES_EXPOSED)
        nk_missiles = ctx.read(NK_MISSILES_TODAY)
        lam = st.rate
        if nk_air.any() or nk_missiles.any():
            lam = st.rate.copy()
            lam[:, 0] += nk_missiles
            lam[:, 2] += nk_air
        threats = threat_rng.poisson(lam).astype(np.float64)
        if ctx.air_defence.engine == "des":
            day = _des_day(ctx, st, t, threats, ms_on, p_detect, warning, rng)
        else:
            units = _units(ctx, st, ms_on, warning)
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
            day = _Engaged(leakers, ms_used, ua_used)
            st.ms_ready = st.ms_ready - ms_used
            st.ua_ready = st.ua_ready - ua_used
            need_more = ms_on & (st.ms_ready < st.ms_salvo) & (ms_used > 0)
            st.ms_dry = np.where(need_more & ~np.isfinite(st.ms_dry), float(t), st.ms_dry)
        st.threats += threats
        st.leakers += day.leakers
        st.ms_used += day.ms_used
        st.ua_used += day.ua_used
        for j, c in enumerate(CLASSES):
            ctx.write(AD_LEAKERS_TODAY[c], day.leakers[:, j])
        if np.any(nk_air > 0):
            air_killed = threats[:, 2] - day.leakers[:, 2]
            nk_share = nk_air / np.maximum(lam[:, 2], 1e-300)
            ctx.write(NK_AIRCRAFT_LOST_TODAY, air_killed * nk_share)
        else:
            ctx.write(NK_AIRCRAFT_LOST_TODAY, st.zeros)
        if st.m:
            st.series["ad_leakers_daily"][:, t] = day.leakers[: st.m].sum(axis=1)
            st.series["msam_ready"][:, t] = st.ms_ready[: st.m]

    def finish(self, ctx: SubmodelContext, st: _ADState) -> BlockOutput:
        """Outcomes of the block."""
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


def _fixed_int(ctx: SubmodelContext, name: str) -> int:
    """A whole-number parameter that must be the same in every replication (the engines
    take one salvo size and one number of looks per unit)."""
    values = ctx.p(f"air_defence.{name}")
    first = float(values[0])
    if not np.all(values == first) or first != round(first) or first < 1:
        raise ModelError(
            f"parameter air_defence.{name} must be a fixed whole number >= 1 "
            f"(dist: fixed), got values from {values.min()!r} to {values.max()!r}"
        )
    return int(first)


def _reload(ctx: SubmodelContext, st: _ADState, t: int) -> np.ndarray:
    """M-SAM delivery, reload and resupply, and the Ukrainian resupply; returns where M-SAM
    is operational today."""
    ms = st.ms
    since = ctx.days_active(Msam, t)
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
    on: np.ndarray = st.ms_delivered & (since >= ms.training_days)
    return on


def _detection(ctx: SubmodelContext, st: _ADState) -> tuple[np.ndarray, np.ndarray]:
    """Today's detection probability and warning times (BICES effects from intel)."""
    bonus = ctx.written(AD_DETECT_BONUS)
    factor = ctx.written(AD_WARNING_FACTOR)
    if (bonus is None or not bonus.any()) and (factor is None or np.all(factor == 1.0)):
        return st.p_detect_base, st.warning  # no BICES effect today
    b = np.zeros(ctx.n) if bonus is None else bonus
    f = np.ones(ctx.n) if factor is None else factor
    return np.clip(st.p_detect + b, 0.0, st.p_detect_max), st.warning * f[:, None]


def _units(
    ctx: SubmodelContext, st: _ADState, ms_on: np.ndarray, warning: np.ndarray
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
                np.ones(ctx.n, dtype=bool),
                st.ua_channels,
                st.ua_look,
                st.ua_salvo,
                st.ua_looks,
                st.ua_pk,
                warning,
            ),
        ]
        st.cache_key = key
        st.block_cache.clear()
    return st.cache_units


def _des_lists(st: _ADState, i: int, ms_on: bool) -> _UnitLists:
    """Fire units of replication ``i`` for the discrete-event engine, as per-unit lists,
    built once per replication and M-SAM status (the units do not change over a block)."""
    key = (i, ms_on)
    lists = st.des_units.get(key)
    if lists is not None:
        return lists
    units: list[FireUnit] = []
    if ms_on:
        pk = st.ms_pk[i]
        units.append(
            FireUnit(
                "msam",
                int(st.ms_channels[i]),
                (float(pk[0]), float(pk[1]), float(pk[2]), float(pk[3])),
                float(st.ms_look[i]),
                st.ms_salvo,
                st.ms_looks,
            )
        )
    pk = st.ua_pk[i]
    units.append(
        FireUnit(
            "ua",
            int(st.ua_channels[i]),
            (float(pk[0]), float(pk[1]), float(pk[2]), float(pk[3])),
            float(st.ua_look[i]),
            st.ua_salvo,
            st.ua_looks,
        )
    )
    lists = st.des_units[key] = LossPeriods.units(units)
    return lists


def _des_draws(
    st: _ADState, counts: np.ndarray, need: np.ndarray, p_detect: np.ndarray, u: np.ndarray
) -> tuple[list[float], list[int], list[bool], list[float], np.ndarray, np.ndarray]:
    """The day's threats in time order per replication, their detection and kill draws.

    Replication by replication the engine drew ``uniform(0, window, k)`` arrival times, then
    ``random(k * (1 + units * shots))`` detection and kill draws; ``u`` is all of them in one
    call (the same doubles in the same order), split here with the same arithmetic
    (``0.0 + window * u``) and the same stable sort by time within each replication.
    """
    n = counts.shape[0]
    k = counts.sum(axis=1)
    start = np.cumsum(need) - need
    rep = np.repeat(np.arange(n), k)
    first = np.cumsum(k) - k
    pos = np.arange(rep.size) - first[rep]
    times = 0.0 + st.window[rep] * u[start[rep] + pos]
    cls = np.repeat(np.tile(np.arange(4), n), counts.ravel())
    order = np.lexsort((times, rep))
    detected = u[start[rep] + k[rep] + pos] < p_detect[rep]
    return (
        times[order].tolist(),
        cls[order].tolist(),
        detected.tolist(),
        u.tolist(),
        start + k + k,  # after the arrival times and the detection draws
        first,
    )


def _des_day(
    ctx: SubmodelContext,
    st: _ADState,
    t: int,
    threats: np.ndarray,
    ms_on: np.ndarray,
    p_detect: np.ndarray,
    warning: np.ndarray,
    rng: np.random.Generator,
) -> _Engaged:
    """One day of the discrete-event engine, replication by replication (the draws of the
    whole block in one call, :func:`_des_draws`; units built once, :func:`_des_lists`)."""
    n = ctx.n
    out = _Engaged(np.zeros((n, 4)), np.zeros(n), np.zeros(n))
    counts = threats.astype(np.int64)
    k = counts.sum(axis=1)
    # draws per threat: arrival time, detection, then units x shots kill draws (run_des)
    ua_shots = st.ua_salvo * st.ua_looks
    both = len(_DES_UNITS) * max(st.ms_salvo * st.ms_looks, ua_shots)
    need = k + k * (1 + np.where(ms_on, both, ua_shots))
    total = int(need.sum())
    u = rng.random(total) if total else np.zeros(0)
    times, cls, detected, draws, kill_at, first = _des_draws(st, counts, need, p_detect, u)
    day_start = t * 86400.0
    warn = warning.tolist()
    on = ms_on.tolist()
    ms_ready, ua_ready = st.ms_ready.tolist(), st.ua_ready.tolist()
    for i in np.flatnonzero(k).tolist():
        ki, a, kb = int(k[i]), int(first[i]), int(kill_at[i])
        lists = _des_lists(st, i, on[i])
        ready = [ms_ready[i], ua_ready[i]] if on[i] else [ua_ready[i]]
        leak, used, dry, st.des_now[i] = st.des.run(
            lists,
            max(st.des_now[i], day_start),
            times[a : a + ki],
            cls[a : a + ki],
            detected[a : a + ki],
            draws[kb : kb + ki * lists.n_units * lists.max_shots],
            warn[i],
            ready,
            t,
        )
        out.leakers[i] = leak
        if on[i]:
            out.ms_used[i] = used[0]
            ms_ready[i] = ready[0]
            if math.isfinite(dry[0]) and not math.isfinite(st.ms_dry[i]):
                st.ms_dry[i] = float(t)
        out.ua_used[i] = used[-1]
        ua_ready[i] = ready[-1]
    st.ms_ready[:] = ms_ready
    st.ua_ready[:] = ua_ready
    return out
