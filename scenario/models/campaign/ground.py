r"""Kursk ground campaign: Ukrainian, Russian and North Korean forces in the sector.

Daily step :math:`t = 0, \dots, H-1` from ``start_date`` (default 2024-11-01), vectorised
over the replications of a block. All quantities are sector aggregates (troops, km²).

State
-----
:math:`U` Ukrainian troops, :math:`R` Russian troops, :math:`N` North Korean troops
integrated into combat, :math:`A` ground held by Ukraine (km²), cumulative casualties.

North Korean waves
------------------
Wave :math:`k` (sizes ``nk_wave1_size``, ``nk_wave2_size``) reaches Kursk on day
:math:`d_k` and joins combat after ``nk_integration_days`` :math:`g`. Deployed-to-combat
:math:`D(t) = \sum_k S_k\,[t \ge d_k + g]`. With :math:`C_N` cumulative NK casualties the
contingent is *combat-ineffective* while :math:`C_N / D \ge \theta`
(``nk_ineffective_share``); it is then pulled back and only a share :math:`e_w`
(``nk_withdrawn_engagement``) stays engaged, until a new wave lowers the share below
:math:`\theta`. Engaged NK troops :math:`N_e = e\,N` with :math:`e \in \{1, e_w\}`.
Once the escalation ladder (read from the day before) reaches level 3, an expanded North
Korean role, a second wave not yet in combat is larger by ``nk_escalation_wave_factor``
and in combat at most ``nk_escalation_lag_days`` + :math:`g` days later.

With :math:`x` days since NK combat onset and learning time :math:`\tau`
(``nk_learning_days``), NK effectiveness relative to Russian infantry is

.. math:: w_N = w_0\,\big(1 + s\,(m_{sf} - 1)\big)\big(1 + G\,(1 - e^{-x/\tau})\big)

(``nk_effectiveness`` :math:`w_0`, ``nk_sf_share`` :math:`s`, ``nk_sf_multiplier``,
``nk_experience_gain`` :math:`G`) and their exposure to Ukrainian fire (mass assaults),
:math:`v = 1 + (v_0 - 1)\,e^{-x/\tau}` (``nk_exposure`` :math:`v_0`).

Ukrainian fire
--------------
Shell supply relative to need :math:`\sigma(t) = \sigma_0 + \pi\,S_{ROK}/Q` once
South Korean shells arrive (``ua_shell_supply_ratio`` :math:`\sigma_0`,
``aid_kursk_priority`` :math:`\pi`, lever ``shells_per_month`` :math:`S_{ROK}`,
``ua_shell_need_per_month`` :math:`Q`, arrival ``start_day + aid_transit_days``). Fire
effectiveness :math:`f = f_0 + (1 - f_0)\min(1, \sigma)` (``fire_floor`` :math:`f_0`),
multiplied by the intelligence and training multipliers (signals ``ua_fire_multiplier``,
``ua_training_multiplier``) and by :math:`1 - \phi\,(1 - L_t)` for the energy and logistics
capacity :math:`L_t` behind the grouping (signal ``ua_logistics_capacity``,
``logistics_fire_dependence`` :math:`\phi`).
Delivered systems add troop-equivalents after ``aid_training_days``:
:math:`E = \eta\,(n_{K9} q_{K9} + n_{MLRS} q_{MLRS} + n_{K2} q_{K2})` (``aid_sector_share``
:math:`\eta`). Ukrainian combat strength :math:`X = U + E`.

Advisors (lever ``policy.advisors``)
------------------------------------
Tactics analysis: from arrival day :math:`t_a`, effectiveness against NK units rises by
:math:`g_{tac} = G_a\,\frac{p}{p + p_{1/2}}\,(1 - e^{-(t - t_a)/\lambda})`
(``adv_tactics_gain``, personnel :math:`p`, ``adv_half_personnel``, ``adv_learning_days``).
Interrogation: captured NK soldiers yield intelligence :math:`I`, one unit per prisoner
interrogated with Korean-speaking advisors and ``ua_own_interrogation_yield`` without;
:math:`g_{int} = \min(c, \kappa I)` (``adv_intel_per_prisoner`` :math:`\kappa`,
``adv_intel_cap`` :math:`c`). Fire against NK units is multiplied by
:math:`\mu = 1 + g_{tac} + g_{int}`.

Attrition (Lanchester square law, :mod:`scenario.models.kernels.lanchester`)
--------------------------------------------------------------------
Red engaged :math:`Y = R + N_e`; red combat power
:math:`P_R = m_t\,(R + w_N N_e + S_t)`, with North Korean air support :math:`S_t` (signal
``red_air_support``) and the North Korean shells' multiplier :math:`m_t` (signal
``red_fire_multiplier``, 1 while they flow as recorded). Ukrainian fire falls on NK units
in proportion to exposure, :math:`p_N = v N_e / (v N_e + R)`. Per-capita daily kill rates

.. math::

    a = \alpha f\,\big((1 - p_N) + p_N \mu\big), \qquad
    b = \beta\,\frac{P_R}{R + N_e},

(``ua_kill_rate`` :math:`\alpha`, ``red_kill_rate`` :math:`\beta`) drive one exact
square-law step of :math:`(X, Y)`; its expected red losses split into NK
(:math:`q_N = p_N\mu / (1 - p_N + p_N\mu)`) and Russian parts. Realised losses are gamma
draws with variance :math:`\ell + \ell^2/k` (``loss_dispersion`` :math:`k`;
:func:`~scenario.models.kernels.lanchester.overdispersed_losses`). Ukrainian losses fall on
soldiers and delivered systems in proportion, :math:`U/X` and :math:`E/X`: systems lost are
the outcome ``aid_equipment_lost`` (troop-equivalents), not Ukrainian casualties, and
:math:`E` shrinks with them. Losses are
replaced at rates :math:`\rho_U, \rho_R` (``ua_replacement``, ``ru_replacement``); North
Korea replaces only by new waves. NK casualties split into killed (``nk_killed_share``),
captured (Poisson, ``nk_capture_prob`` per casualty) and wounded.

Ground
------
Force ratio :math:`r = P_R / (f X)` (signal ``force_ratio``); expected daily change of
ground held :math:`-\lambda (\Pi_t r - r_0)` (``ground_rate_km2`` :math:`\lambda`,
``breakthrough_ratio`` :math:`r_0`, the counter-offensive's pressure :math:`\Pi_t`, signal
``ru_offensive_pressure``), realised with gamma noise (``ground_dispersion``), less the
ground given up by a decided withdrawal (signal ``ua_withdrawal_km2_per_day``), held in
:math:`[0, A_{peak}]` (1,376 km², the August 2024 peak). When :math:`A` reaches 0 the
grouping has left the sector (outcome ``ua_exit_day``); it keeps fighting on the border,
where expected losses of both sides are those of the square-law step times
``post_exit_intensity`` and only a share ``nk_post_exit_engagement`` of the North Korean
troops stays engaged (they were reported in Kursk, not in Ukraine). So casualty outcomes
cover the whole horizon whatever the day of exit, and an option that only delays the exit
does not look worse for the stopping rule (``ua_casualties_in_sector`` counts only the days
in the sector).

This is an aggregate, public-data model for comparing options; it is not a forecast.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scenario.config.levers import Advisors, OffensiveAid
from scenario.models.campaign.ground_spec import OUTCOMES, PARAMETERS, PEAK_GROUND_KM2, SERIES
from scenario.models.campaign.signals import (
    ESCALATION_LEVEL,
    FORCE_RATIO,
    GROUND_HELD_BELOW,
    GROUND_HELD_KM2,
    NK_CAPTURED_ABOVE,
    NK_CAPTURED_CUM,
    NK_CAPTURED_TODAY,
    NK_CASUALTIES_ABOVE,
    NK_CASUALTIES_CUM,
    NK_CASUALTIES_TODAY,
    NK_COMBAT_INEFFECTIVE,
    NK_DEPLOYED,
    NK_NEW_TROOPS_TODAY,
    NK_SECOND_WAVE,
    RED_AIR_SUPPORT,
    RED_FIRE_MULTIPLIER,
    RU_OFFENSIVE_PRESSURE,
    RU_SECTOR_CASUALTIES_TODAY,
    UA_FIRE_MULTIPLIER,
    UA_LOGISTICS,
    UA_REINFORCEMENTS,
    UA_TRAINING_MULTIPLIER,
    UA_WITHDRAWING,
)
from scenario.models.daily import SubmodelContext, today, yesterday
from scenario.models.kernels.lanchester import overdispersed_losses, square_law_step
from scenario.models.protocol import BlockOutput

__all__ = ["ESCALATED_LEVEL", "GroundSubmodel"]

ESCALATED_LEVEL = 3
"""Escalation level of an expanded North Korean role (:mod:`.escalation`), from which the
second wave comes larger and earlier."""


class _GroundState:
    """Arrays of one block of the ground campaign (all shape (n,))."""

    def __init__(self, ctx: SubmodelContext) -> None:
        def p(name: str) -> np.ndarray:
            return ctx.p(f"ground.{name}")

        n = ctx.n
        self.U = p("ua_troops_initial").copy()
        self.R = p("ru_troops_initial").copy()
        self.s1, self.s2 = p("nk_wave1_size"), np.maximum(p("nk_wave2_size"), 0.0)
        g = p("nk_integration_days")
        self.ready1, self.ready2 = p("nk_wave1_day") + g, p("nk_wave2_day") + g
        self.w_base = p("nk_effectiveness") * (
            1.0 + p("nk_sf_share") * (p("nk_sf_multiplier") - 1.0)
        )
        self.exp_gain, self.tau = p("nk_experience_gain"), p("nk_learning_days")
        self.v0 = p("nk_exposure")
        self.theta, self.e_w = p("nk_ineffective_share"), p("nk_withdrawn_engagement")
        self.p_cap = p("nk_capture_prob")
        self.alpha, self.beta = p("ua_kill_rate"), p("red_kill_rate")
        self.k_loss = p("loss_dispersion")
        self.rho_u, self.rho_r = p("ua_replacement"), p("ru_replacement")
        self.f0 = p("fire_floor")
        self.A = np.minimum(p("ground_held_initial"), PEAK_GROUND_KM2)
        self.A0 = self.A.copy()
        self.lam_a, self.r0 = p("ground_rate_km2"), p("breakthrough_ratio")
        self.k_shape = 1.0 / p("ground_dispersion")
        self.killed_share = p("nk_killed_share")

        self.phi_log = p("logistics_fire_dependence")
        self.post_exit = p("post_exit_intensity")
        self.nk_post_exit = p("nk_post_exit_engagement")
        self.esc_factor = p("nk_escalation_wave_factor")
        self.esc_lag = p("nk_escalation_lag_days")
        self.g = p("nk_integration_days")
        self.escalated = np.zeros(n, dtype=bool)
        self._levers(ctx, p)

        self.N = np.zeros(n)
        self.deployed = np.zeros(n)
        self.in1 = np.zeros(n, dtype=bool)
        self.in2 = np.zeros(n, dtype=bool)
        self.onset = np.full(n, np.inf)
        self.first_ineffective = np.full(n, np.inf)
        self.cas_u = np.zeros(n)
        self.cas_r = np.zeros(n)
        self.cas_u_sector = np.zeros(n)
        self.exit_day = np.full(n, float(ctx.horizon))
        self.cas_n = np.zeros(n)
        self.captured = np.zeros(n)
        self.intel_adv = np.zeros(n)
        self.intel_own = np.zeros(n)
        self.combat_days = np.zeros(n)
        self.combat_cas = np.zeros(n)
        self.active = np.ones(n, dtype=bool)
        self.caps_today = np.zeros(n)
        self.m, self.series = ctx.series_buffers(SERIES)

    def _levers(self, ctx: SubmodelContext, p: Callable[[str], np.ndarray]) -> None:
        """What offensive aid and the advisors bring, from their lever settings."""
        n = ctx.n
        aid, adv = ctx.lever(OffensiveAid), ctx.lever(Advisors)
        self.supply0 = p("ua_shell_supply_ratio")
        self.shell_boost = np.zeros(n)
        self.transit = p("aid_transit_days")
        self.equip = np.zeros(n)
        self.training = p("aid_training_days")
        if aid.deploy:
            self.shell_boost = (
                p("aid_kursk_priority") * aid.shells_per_month / p("ua_shell_need_per_month")
            )
            self.equip = p("aid_sector_share") * (
                aid.k9_howitzers * p("k9_troop_equivalent")
                + aid.k239_mlrs * p("mlrs_troop_equivalent")
                + aid.k2_tanks * p("k2_troop_equivalent")
            )
        self.equip_lost = np.zeros(n)
        self.tactics = adv.deploy and "tactics_analysis" in adv.roles
        self.interrogation = adv.deploy and "interrogation" in adv.roles
        self.tac_max = np.zeros(n)
        if self.tactics:
            self.tac_max = (
                p("adv_tactics_gain") * adv.personnel / (adv.personnel + p("adv_half_personnel"))
            )
        self.adv_lag = p("adv_learning_days")
        self.kappa = p("adv_intel_per_prisoner")
        self.cap = p("adv_intel_cap")
        self.own_yield = p("ua_own_interrogation_yield")


class GroundSubmodel:
    """The Kursk ground campaign as a daily submodel (equations: module docstring)."""

    name = "ground"
    parameters = PARAMETERS
    levers = (Advisors, OffensiveAid)
    reads = (
        today(UA_FIRE_MULTIPLIER),
        today(UA_TRAINING_MULTIPLIER),
        today(UA_REINFORCEMENTS),
        today(RED_AIR_SUPPORT),
        today(RED_FIRE_MULTIPLIER),
        today(UA_LOGISTICS),
        today(RU_OFFENSIVE_PRESSURE),
        yesterday(UA_WITHDRAWING),
        yesterday(ESCALATION_LEVEL),
    )
    writes = (
        NK_CASUALTIES_TODAY,
        NK_CAPTURED_TODAY,
        NK_NEW_TROOPS_TODAY,
        NK_DEPLOYED,
        RU_SECTOR_CASUALTIES_TODAY,
        FORCE_RATIO,
        NK_CASUALTIES_CUM,
        NK_CAPTURED_CUM,
        GROUND_HELD_KM2,
    )
    events = (
        NK_SECOND_WAVE,
        NK_COMBAT_INEFFECTIVE,
        NK_CASUALTIES_ABOVE,
        NK_CAPTURED_ABOVE,
        GROUND_HELD_BELOW,
    )
    outcomes = OUTCOMES
    series = SERIES

    def start(self, ctx: SubmodelContext) -> _GroundState:
        """Set up the block's state."""
        return _GroundState(ctx)

    def step(self, ctx: SubmodelContext, st: _GroundState, t: int) -> None:
        """Advance the sector one day."""
        _escalate(ctx, st, t)
        add = _join_waves(ctx, st, t)
        fighting, ineffective, Ne, w_n, v = _north_korean_posture(ctx, st, t)
        f, X, mu, since_adv = _blue_strength(ctx, st, t)
        red_power = st.R + w_n * Ne
        air = ctx.written(RED_AIR_SUPPORT)  # None: no NK sorties written, no air support
        if air is not None:
            red_power = red_power + air
        red_fire = ctx.written(RED_FIRE_MULTIPLIER)  # None: fire as recorded
        if red_fire is not None:
            red_power = red_power * red_fire
        ln, lr = _attrition(ctx, st, X, Ne, f, mu, v, red_power, since_adv)
        heavy = fighting & ~ineffective & st.active
        st.combat_days += heavy
        st.combat_cas += np.where(heavy, ln, 0.0)
        ratio = red_power / np.maximum(f * X, 1.0)
        _ground(ctx, st, t, ratio)

        ctx.write(NK_CASUALTIES_TODAY, ln)
        ctx.write(NK_CAPTURED_TODAY, st.caps_today)
        ctx.write(NK_NEW_TROOPS_TODAY, add)
        ctx.write(NK_DEPLOYED, st.deployed)
        ctx.write(RU_SECTOR_CASUALTIES_TODAY, lr)
        ctx.write(FORCE_RATIO, ratio)
        ctx.write(NK_CASUALTIES_CUM, st.cas_n)
        ctx.write(NK_CAPTURED_CUM, st.captured)
        ctx.write(GROUND_HELD_KM2, st.A)
        if st.m:
            _record(st, t)

    def finish(self, ctx: SubmodelContext, st: _GroundState) -> BlockOutput:
        """Outcomes and series of the block."""
        killed = st.cas_n * st.killed_share
        wounded = np.maximum(st.cas_n - killed - st.captured, 0.0)
        started = np.isfinite(st.onset)
        onset = np.where(started, st.onset, 0.0)
        horizon_left = np.where(started, ctx.horizon - onset, 0.0)
        reached = np.isfinite(st.first_ineffective)
        days_to_ineff = np.where(
            reached, np.where(reached, st.first_ineffective, 0.0) - onset, horizon_left
        )
        outcomes = {
            "ua_casualties": st.cas_u,
            "ru_casualties": st.cas_r,
            "ua_casualties_in_sector": st.cas_u_sector,
            "aid_equipment_lost": st.equip_lost,
            "nk_casualties": st.cas_n,
            "nk_killed": killed,
            "nk_wounded": wounded,
            "nk_captured": st.captured,
            "nk_casualties_per_combat_day": st.combat_cas / np.maximum(st.combat_days, 1.0),
            "nk_combat_days": st.combat_days,
            "nk_days_to_ineffective": days_to_ineff,
            "nk_ineffective": reached.astype(np.float64),
            "ground_change_km2": st.A - st.A0,
            "ground_held_end_km2": st.A,
            "ua_expelled": (st.A <= 0.0).astype(np.float64),
            "ua_exit_day": st.exit_day,
            "nk_prisoners_interrogated_by_advisors": st.intel_adv,
        }
        return BlockOutput(outcomes=outcomes, series=st.series)


def _escalate(ctx: SubmodelContext, st: _GroundState, t: int) -> None:
    """At escalation level 3+ (yesterday) a second wave not yet in combat comes larger and
    earlier: size times ``nk_escalation_wave_factor``, in combat at most
    ``nk_escalation_lag_days + nk_integration_days`` days later."""
    level = ctx.written(ESCALATION_LEVEL)  # None: no escalation submodel, level 0
    if level is None:
        return
    new = (level >= ESCALATED_LEVEL) & ~st.escalated & ~st.in2
    if new.any():
        st.escalated |= new
        st.s2 = np.where(new, st.s2 * st.esc_factor, st.s2)
        st.ready2 = np.where(new, np.minimum(st.ready2, t + st.esc_lag + st.g), st.ready2)


def _ground(ctx: SubmodelContext, st: _GroundState, t: int, ratio: np.ndarray) -> None:
    """Ground held: the counter-offensive's pressure multiplies the force ratio; a decided
    withdrawal gives ground up; leaving the sector ends the fight for ground."""
    pressure = ctx.written(RU_OFFENSIVE_PRESSURE)  # None: no counter-offensive
    r = ratio if pressure is None else ratio * pressure
    drift = st.lam_a * (r - st.r0)
    step = np.sign(drift) * ctx.rng().gamma(st.k_shape, np.abs(drift) / st.k_shape)
    withdrawing = ctx.written(UA_WITHDRAWING)  # None: no withdrawal decision
    if withdrawing is not None:
        step = step + withdrawing
    st.A = np.where(st.active, np.clip(st.A - step, 0.0, PEAK_GROUND_KM2), st.A)
    left = st.active & (st.A <= 0.0)
    st.exit_day = np.where(left, float(t), st.exit_day)
    st.active &= ~left


def _join_waves(ctx: SubmodelContext, st: _GroundState, t: int) -> np.ndarray:
    """North Korean waves join combat; returns the troops joining today."""
    j1 = ~st.in1 & (t >= st.ready1)
    j2 = ~st.in2 & (t >= st.ready2) & (st.s2 > 0)
    add = np.where(j1, st.s1, 0.0) + np.where(j2, st.s2, 0.0)
    if j1.any() or j2.any():
        st.N += add
        st.deployed += add
        st.in1 |= j1
        st.in2 |= j2
        st.onset = np.where((add > 0) & ~np.isfinite(st.onset), float(t), st.onset)
        ctx.mark(NK_SECOND_WAVE, j2, t)
    return add


def _north_korean_posture(
    ctx: SubmodelContext, st: _GroundState, t: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fighting, combat-ineffective, engaged NK troops, effectiveness and exposure."""
    fighting = st.onset <= t
    x_days = t - np.minimum(st.onset, t)
    share_lost = st.cas_n / np.maximum(st.deployed, 1.0)
    ineffective = fighting & (share_lost >= st.theta)
    newly = ineffective & ~np.isfinite(st.first_ineffective)
    st.first_ineffective = np.where(newly, float(t), st.first_ineffective)
    ctx.mark(NK_COMBAT_INEFFECTIVE, ineffective, t)
    Ne = st.N.copy()  # times 1.0 while all are effective and in the sector: the same values
    if ineffective.any() or not st.active.all():
        Ne = st.N * np.where(ineffective, st.e_w, 1.0) * np.where(st.active, 1.0, st.nk_post_exit)
    decay = np.exp(-x_days / st.tau)
    w_n = st.w_base * (1.0 + st.exp_gain * (1.0 - decay))
    v = 1.0 + (st.v0 - 1.0) * decay
    return fighting, ineffective, Ne, w_n, v


def _blue_strength(
    ctx: SubmodelContext, st: _GroundState, t: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ukrainian fire effectiveness ``f``, strength ``X``, fire multiplier against NK
    units ``mu`` and days since the advisors arrived."""
    since_aid = ctx.days_active(OffensiveAid, t)
    supply = st.supply0 + np.where(since_aid >= st.transit, st.shell_boost, 0.0)
    f = st.f0 + (1.0 - st.f0) * np.minimum(supply, 1.0)
    logistics = ctx.written(UA_LOGISTICS)  # None: capacity intact
    if logistics is not None:
        f = f * (1.0 - st.phi_log * (1.0 - logistics))
    for signal in (UA_FIRE_MULTIPLIER, UA_TRAINING_MULTIPLIER):
        mult = ctx.written(signal)  # None: the default, multiplier 1
        if mult is not None:
            f = f * mult
    reinforcements = ctx.written(UA_REINFORCEMENTS)
    if reinforcements is not None:
        st.U += reinforcements * st.active
    X = st.U + np.where(since_aid >= st.training, st.equip, 0.0)
    mu = 1.0 + np.minimum(st.cap, st.kappa * (st.intel_adv + st.own_yield * st.intel_own))
    since_adv = ctx.days_active(Advisors, t)
    if st.tactics:
        ramp = 1.0 - np.exp(-np.maximum(since_adv, 0.0) / st.adv_lag)
        mu = mu + np.where(since_adv >= 0, st.tac_max * ramp, 0.0)
    return f, X, mu, since_adv


def _attrition(
    ctx: SubmodelContext,
    st: _GroundState,
    X: np.ndarray,
    Ne: np.ndarray,
    f: np.ndarray,
    mu: np.ndarray,
    v: np.ndarray,
    red_power: np.ndarray,
    since_adv: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """One square-law step with realised losses; returns NK and Russian losses today."""
    rng = ctx.rng()
    U, R = st.U, st.R
    Y = R + Ne
    vN = v * Ne
    pN = vN / np.maximum(vN + R, 1e-9)
    fire_mix = (1.0 - pN) + pN * mu
    a = st.alpha * f * fire_mix
    b = st.beta * red_power / np.maximum(Y, 1e-9)
    Xn, Yn, _ = square_law_step(X, Y, a, b)
    # Off the sector the grouping fights on the border at intensity post_exit_intensity.
    exp_lx, exp_ly = X - Xn, Y - Yn
    if not st.active.all():  # times 1.0 in the sector: the same values
        exp_lx *= (intensity := np.where(st.active, 1.0, st.post_exit))
        exp_ly *= intensity
    qN = pN * mu / fire_mix
    exp_ln = exp_ly * qN
    exp_lr = exp_ly - exp_ln
    # Losses of the Ukrainian side fall on soldiers and delivered systems in proportion.
    lx = overdispersed_losses(exp_lx, X, st.k_loss, rng=rng)
    soldiers = U / np.maximum(X, 1e-9)
    lu = lx * soldiers
    le = lx - lu
    lr = overdispersed_losses(exp_lr, R, st.k_loss, rng=rng)
    ln = overdispersed_losses(exp_ln, Ne, st.k_loss, rng=rng)
    caps = np.minimum(rng.poisson(ln * st.p_cap), ln)
    U += (st.rho_u - 1.0) * lu
    R += (st.rho_r - 1.0) * lr
    st.N -= ln
    st.cas_u += lu
    st.cas_u_sector += np.where(st.active, lu, 0.0)
    st.equip = st.equip - le  # le is 0 until the systems are fielded (X == U)
    st.equip_lost += le
    st.cas_r += lr
    st.cas_n += ln
    st.captured += caps
    st.caps_today = caps
    by_adv = (since_adv >= 0) if st.interrogation else np.zeros(ctx.n, dtype=bool)
    st.intel_adv += np.where(by_adv, caps, 0.0)
    st.intel_own += np.where(by_adv, 0.0, caps)
    return ln, lr


def _record(st: _GroundState, t: int) -> None:
    """Daily series of the first ``st.m`` replications."""
    m, ser = st.m, st.series
    ser["ua_troops"][:, t] = st.U[:m]
    ser["ru_troops"][:, t] = st.R[:m]
    ser["nk_troops"][:, t] = st.N[:m]
    ser["ground_held_km2"][:, t] = st.A[:m]
    ser["nk_casualties_cum"][:, t] = st.cas_n[:m]
    ser["nk_killed_cum"][:, t] = st.cas_n[:m] * st.killed_share[:m]
