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
effectiveness :math:`f = f_0 + (1 - f_0)\min(1, \sigma)` (``fire_floor`` :math:`f_0`).
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

Attrition (Lanchester square law, :mod:`scenario.models.lanchester`)
--------------------------------------------------------------------
Red engaged :math:`Y = R + N_e`. Ukrainian fire falls on NK units in proportion to exposure,
:math:`p_N = v N_e / (v N_e + R)`. Per-capita daily kill rates

.. math::

    a = \alpha f\,\big((1 - p_N) + p_N \mu\big), \qquad
    b = \beta\,\frac{R + w_N N_e}{R + N_e},

(``ua_kill_rate`` :math:`\alpha`, ``red_kill_rate`` :math:`\beta`) drive one exact
square-law step of :math:`(X, Y)`; its expected red losses split into NK
(:math:`q_N = p_N\mu / (1 - p_N + p_N\mu)`) and Russian parts. Realised losses are gamma
draws with variance :math:`\ell + \ell^2/k` (``loss_dispersion`` :math:`k`). Losses are
replaced at rates :math:`\rho_U, \rho_R` (``ua_replacement``, ``ru_replacement``); North
Korea replaces only by new waves. NK casualties split into killed (``nk_killed_share``),
captured (Poisson, ``nk_capture_prob`` per casualty) and wounded.

Ground
------
Force ratio :math:`r = (R + w_N N_e) / (f X)`; expected daily change of ground held
:math:`-\lambda (r - r_0)` (``ground_rate_km2`` :math:`\lambda`, ``breakthrough_ratio``
:math:`r_0`), realised with gamma noise (``ground_dispersion``), held in
:math:`[0, A_{peak}]` (1,376 km², the August 2024 peak). When :math:`A` reaches 0 the
Ukrainian grouping has left the sector and fighting there stops.

This is an aggregate, public-data model for comparing options; it is not a forecast.
"""

from __future__ import annotations

import numpy as np

from scenario.models.daily import Context, DailyModel
from scenario.models.lanchester import square_law_step
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["OUTCOMES", "PARAMETERS", "PEAK_GROUND_KM2", "SERIES", "GroundModel", "GroundSubmodel"]

PEAK_GROUND_KM2 = 1376.0
"""Peak Ukrainian-held area in Kursk, August 2024 (Reuters 2024-11-23)."""


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="ground", name=name, unit=unit, meaning=meaning)


PARAMETERS: tuple[ParameterInfo, ...] = (
    _p("ua_troops_initial", "troops", "Ukrainian troops in the Kursk sector on day 0"),
    _p("ru_troops_initial", "troops", "Russian troops committed to Kursk on day 0"),
    _p("nk_wave1_size", "troops", "First North Korean contingent"),
    _p("nk_wave1_day", "day", "Day the first contingent is in Kursk"),
    _p("nk_wave2_size", "troops", "Second North Korean wave (0: none)"),
    _p("nk_wave2_day", "day", "Day the second wave is in Kursk"),
    _p("nk_integration_days", "days", "Days from arrival to combat (training, integration)"),
    _p("nk_sf_share", "fraction", "Special-forces share of the contingent"),
    _p("nk_sf_multiplier", "ratio", "Effectiveness of special forces relative to line troops"),
    _p("nk_effectiveness", "ratio", "NK line-troop effectiveness relative to Russian infantry"),
    _p("nk_experience_gain", "fraction", "Maximum rise of NK effectiveness with experience"),
    _p("nk_learning_days", "days", "Time constant of NK adaptation to the battlefield"),
    _p("nk_exposure", "ratio", "Initial NK exposure to Ukrainian fire relative to Russians"),
    _p("nk_ineffective_share", "fraction", "Casualty share at which NK units are pulled back"),
    _p("nk_withdrawn_engagement", "fraction", "Share of NK troops still engaged when pulled back"),
    _p("nk_killed_share", "fraction", "Killed share of NK casualties"),
    _p("nk_capture_prob", "per casualty", "Probability an NK casualty is a captured soldier"),
    _p("ua_kill_rate", "casualties/troop/day", "Red casualties per Ukrainian soldier per day"),
    _p(
        "red_kill_rate", "casualties/troop/day", "Ukrainian casualties per Russian soldier per day"
    ),
    _p("loss_dispersion", "k", "Over-dispersion of daily casualties (variance l + l^2/k)"),
    _p("ua_replacement", "fraction", "Share of Ukrainian losses in the sector replaced"),
    _p("ru_replacement", "fraction", "Share of Russian losses in the sector replaced"),
    _p("ua_shell_supply_ratio", "fraction", "Ukrainian 155 mm supply relative to need"),
    _p("ua_shell_need_per_month", "shells/month", "Ukraine's front-wide 155 mm need"),
    _p("fire_floor", "fraction", "Ukrainian fire effectiveness with no artillery shells"),
    _p("aid_kursk_priority", "ratio", "Kursk's priority for aid shells relative to need"),
    _p("aid_transit_days", "days", "Days from shipment start to shells at the front"),
    _p("aid_training_days", "days", "Days from delivery start to crews ready on K9/K239/K2"),
    _p("aid_sector_share", "fraction", "Share of delivered systems fielded in Kursk"),
    _p("k9_troop_equivalent", "troops", "Combat power of one K9 howitzer in troop equivalents"),
    _p("mlrs_troop_equivalent", "troops", "Combat power of one K239 launcher"),
    _p("k2_troop_equivalent", "troops", "Combat power of one K2 tank"),
    _p("ground_held_initial", "km2", "Ukrainian-held area in Kursk on day 0"),
    _p("ground_rate_km2", "km2/day", "Ground lost per day per unit of force ratio above r0"),
    _p("breakthrough_ratio", "ratio", "Force ratio r0 at which the line holds"),
    _p("ground_dispersion", "k", "Over-dispersion of daily ground change"),
    _p("adv_tactics_gain", "fraction", "Maximum rise of Ukrainian effectiveness against NK"),
    _p("adv_learning_days", "days", "Time constant for advisors' analysis to take effect"),
    _p("adv_half_personnel", "advisors", "Advisors giving half the maximum tactics gain"),
    _p("adv_intel_per_prisoner", "fraction", "Effectiveness gain per interrogated prisoner"),
    _p("adv_intel_cap", "fraction", "Maximum effectiveness gain from interrogation"),
    _p("ua_own_interrogation_yield", "fraction", "Intelligence yield without Korean advisors"),
)

OUTCOMES: tuple[OutcomeInfo, ...] = (
    OutcomeInfo(
        name="ua_casualties",
        unit="troops",
        description="Ukrainian casualties in the sector",
        direction="minimize",
    ),
    OutcomeInfo(
        name="ru_casualties",
        unit="troops",
        description="Russian casualties in the sector",
        direction="maximize",
    ),
    OutcomeInfo(
        name="nk_casualties",
        unit="troops",
        description="North Korean casualties (killed + wounded + captured)",
        direction="maximize",
    ),
    OutcomeInfo(name="nk_killed", unit="troops", description="North Korean killed"),
    OutcomeInfo(name="nk_wounded", unit="troops", description="North Korean wounded"),
    OutcomeInfo(name="nk_captured", unit="troops", description="North Korean soldiers captured"),
    OutcomeInfo(
        name="nk_casualties_per_combat_day",
        unit="troops/day",
        description="NK casualties per day of heavy combat (engaged, not pulled back)",
    ),
    OutcomeInfo(
        name="nk_combat_days",
        unit="days",
        description="Days of heavy NK combat (engaged, not pulled back)",
    ),
    OutcomeInfo(
        name="nk_days_to_ineffective",
        unit="days",
        description=(
            "Days from NK combat onset until the contingent is combat-ineffective "
            "(censored at the horizon; see nk_ineffective)"
        ),
        direction="minimize",
    ),
    OutcomeInfo(
        name="nk_ineffective",
        unit="0/1",
        description="NK contingent became combat-ineffective within the horizon",
        direction="maximize",
    ),
    OutcomeInfo(
        name="ground_change_km2",
        unit="km2",
        description="Change in Ukrainian-held ground over the horizon (negative: lost)",
        direction="maximize",
    ),
    OutcomeInfo(
        name="ground_held_end_km2",
        unit="km2",
        description="Ukrainian-held ground at the end of the horizon",
        direction="maximize",
    ),
    OutcomeInfo(
        name="ua_expelled",
        unit="0/1",
        description="Ukrainian grouping lost all ground in the sector",
        direction="minimize",
    ),
    OutcomeInfo(
        name="nk_prisoners_interrogated_by_advisors",
        unit="prisoners",
        description="Captured NK soldiers interrogated with South Korean advisors",
    ),
)

SERIES: tuple[SeriesInfo, ...] = (
    SeriesInfo(name="ua_troops", unit="troops", description="Ukrainian troops in the sector"),
    SeriesInfo(name="ru_troops", unit="troops", description="Russian troops in the sector"),
    SeriesInfo(name="nk_troops", unit="troops", description="NK troops integrated in combat"),
    SeriesInfo(name="ground_held_km2", unit="km2", description="Ukrainian-held ground"),
    SeriesInfo(name="nk_casualties_cum", unit="troops", description="Cumulative NK casualties"),
    SeriesInfo(name="nk_killed_cum", unit="troops", description="Cumulative NK killed"),
)


class _State:
    """Arrays of one block of the ground campaign (all shape (n,))."""

    def __init__(self, ctx: Context) -> None:
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

        cfg = ctx.config
        aid, adv = cfg.policy.offensive_aid, cfg.policy.advisors
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

        self.N = np.zeros(n)
        self.deployed = np.zeros(n)
        self.in1 = np.zeros(n, dtype=bool)
        self.in2 = np.zeros(n, dtype=bool)
        self.onset = np.full(n, np.inf)
        self.first_ineffective = np.full(n, np.inf)
        self.cas_u = np.zeros(n)
        self.cas_r = np.zeros(n)
        self.cas_n = np.zeros(n)
        self.captured = np.zeros(n)
        self.intel_adv = np.zeros(n)
        self.intel_own = np.zeros(n)
        self.combat_days = np.zeros(n)
        self.combat_cas = np.zeros(n)
        self.active = np.ones(n, dtype=bool)
        self.m, self.series = ctx.series_buffers(SERIES)


class GroundSubmodel:
    """The Kursk ground campaign as a daily submodel (equations: module docstring).

    Reads signals ``ua_fire_multiplier`` (intelligence; default 1),
    ``ua_training_multiplier`` (European trainers; default 1),
    ``ua_reinforcements`` (troops/day freed by allies; default 0) and ``red_air_support``
    (troop equivalents of North Korean air sorties; default 0). Publishes
    ``nk_casualties_today``, ``nk_captured_today``, ``nk_new_troops_today``,
    ``nk_deployed`` and the quantities ``nk_casualties_cum``, ``nk_captured_cum``,
    ``ground_held_km2``; marks events ``nk_second_wave`` and ``nk_combat_ineffective``.
    """

    name = "ground"
    parameters = PARAMETERS
    levers = ("policy.advisors", "policy.offensive_aid")
    outcomes = OUTCOMES
    series = SERIES

    def start(self, ctx: Context) -> None:
        """Set up the block's state."""
        ctx.state[self.name] = _State(ctx)

    def step(self, ctx: Context, t: int) -> None:
        """Advance the sector one day."""
        st: _State = ctx.state[self.name]
        rng = ctx.rng(self.name)
        U, R, N = st.U, st.R, st.N
        # North Korean waves join combat.
        j1 = ~st.in1 & (t >= st.ready1)
        j2 = ~st.in2 & (t >= st.ready2) & (st.s2 > 0)
        add = np.where(j1, st.s1, 0.0) + np.where(j2, st.s2, 0.0)
        if j1.any() or j2.any():
            N += add
            st.deployed += add
            st.in1 |= j1
            st.in2 |= j2
            st.onset = np.where((add > 0) & ~np.isfinite(st.onset), float(t), st.onset)
            ctx.mark_event("nk_second_wave", j2, t)
        fighting = st.onset <= t
        x_days = t - np.minimum(st.onset, t)
        share_lost = st.cas_n / np.maximum(st.deployed, 1.0)
        ineffective = fighting & (share_lost >= st.theta)
        newly = ineffective & ~np.isfinite(st.first_ineffective)
        st.first_ineffective = np.where(newly, float(t), st.first_ineffective)
        ctx.mark_event("nk_combat_ineffective", ineffective, t)
        Ne = N * np.where(ineffective, st.e_w, 1.0)
        decay = np.exp(-x_days / st.tau)
        w_n = st.w_base * (1.0 + st.exp_gain * (1.0 - decay))
        v = 1.0 + (st.v0 - 1.0) * decay

        # Ukrainian fire and strength.
        since_aid = ctx.days_active("offensive_aid", t)
        supply = st.supply0 + np.where(since_aid >= st.transit, st.shell_boost, 0.0)
        f = st.f0 + (1.0 - st.f0) * np.minimum(supply, 1.0)
        for name in ("ua_fire_multiplier", "ua_training_multiplier"):
            mult = ctx.signals.get(name)  # absent: no effect (multiplier 1)
            if mult is not None:
                f = f * mult
        reinforcements = ctx.signals.get("ua_reinforcements")
        if reinforcements is not None:
            U += reinforcements * st.active
        X = U + np.where(since_aid >= st.training, st.equip, 0.0)
        mu = 1.0 + np.minimum(st.cap, st.kappa * (st.intel_adv + st.own_yield * st.intel_own))
        since_adv = ctx.days_active("advisors", t)
        if st.tactics:
            ramp = 1.0 - np.exp(-np.maximum(since_adv, 0.0) / st.adv_lag)
            mu = mu + np.where(since_adv >= 0, st.tac_max * ramp, 0.0)

        # Lanchester square-law step on (X, Y); air support adds to red fire.
        air = ctx.signals.get("red_air_support", 0.0)
        Y = R + Ne
        vN = v * Ne
        pN = vN / np.maximum(vN + R, 1e-9)
        fire_mix = (1.0 - pN) + pN * mu
        a = st.alpha * f * fire_mix
        red_power = R + w_n * Ne + air
        b = st.beta * red_power / np.maximum(Y, 1e-9)
        Xn, Yn, _ = square_law_step(X, Y, a, b)
        exp_lx = np.where(st.active, X - Xn, 0.0)
        exp_ly = np.where(st.active, Y - Yn, 0.0)
        qN = pN * mu / fire_mix
        exp_ln = exp_ly * qN
        exp_lr = exp_ly - exp_ln
        # Realised losses: gamma with variance l + l^2/k (see lanchester.overdispersed_losses).
        k_loss = st.k_loss
        sc_u = 1.0 + exp_lx / k_loss
        sc_r = 1.0 + exp_lr / k_loss
        sc_n = 1.0 + exp_ln / k_loss
        lu = np.minimum(rng.gamma(exp_lx / sc_u, sc_u), U)
        lr = np.minimum(rng.gamma(exp_lr / sc_r, sc_r), R)
        ln = np.minimum(rng.gamma(exp_ln / sc_n, sc_n), Ne)
        caps = np.minimum(rng.poisson(ln * st.p_cap), ln)

        heavy = fighting & ~ineffective & st.active
        st.combat_days += heavy
        st.combat_cas += np.where(heavy, ln, 0.0)

        U += (st.rho_u - 1.0) * lu
        R += (st.rho_r - 1.0) * lr
        N -= ln
        st.cas_u += lu
        st.cas_r += lr
        st.cas_n += ln
        st.captured += caps
        by_adv = (since_adv >= 0) if st.interrogation else np.zeros(ctx.n, dtype=bool)
        st.intel_adv += np.where(by_adv, caps, 0.0)
        st.intel_own += np.where(by_adv, 0.0, caps)

        # Ground.
        ratio = red_power / np.maximum(f * X, 1.0)
        drift = st.lam_a * (ratio - st.r0)
        step = np.sign(drift) * rng.gamma(st.k_shape, np.abs(drift) / st.k_shape)
        st.A = np.where(st.active, np.clip(st.A - step, 0.0, PEAK_GROUND_KM2), st.A)
        st.active &= st.A > 0.0

        ctx.signals["nk_casualties_today"] = ln
        ctx.signals["nk_captured_today"] = caps
        ctx.signals["nk_new_troops_today"] = add
        ctx.signals["nk_deployed"] = st.deployed
        ctx.signals["ru_sector_casualties_today"] = lr
        ctx.quantities["nk_casualties_cum"] = st.cas_n
        ctx.quantities["nk_captured_cum"] = st.captured
        ctx.quantities["ground_held_km2"] = st.A

        m = st.m
        if m:
            ser = st.series
            ser["ua_troops"][:, t] = U[:m]
            ser["ru_troops"][:, t] = R[:m]
            ser["nk_troops"][:, t] = N[:m]
            ser["ground_held_km2"][:, t] = st.A[:m]
            ser["nk_casualties_cum"][:, t] = st.cas_n[:m]
            ser["nk_killed_cum"][:, t] = st.cas_n[:m] * st.killed_share[:m]

    def finish(self, ctx: Context) -> BlockOutput:
        """Outcomes and series of the block."""
        st: _State = ctx.state[self.name]
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
            "nk_prisoners_interrogated_by_advisors": st.intel_adv,
        }
        return BlockOutput(outcomes=outcomes, series=st.series)


class GroundModel(DailyModel):
    """The Kursk ground campaign alone, as a registered model named ``ground``."""

    def __init__(self) -> None:
        super().__init__("ground", [GroundSubmodel()])
