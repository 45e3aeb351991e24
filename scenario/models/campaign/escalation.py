r"""Escalation ladder as a Markov chain with policy- and event-dependent hazards.

Levels (all transitions and their drivers are ASSUMPTIONs, labelled as such in the config):

0. status quo;
1. explicit Russian threats against Seoul (warnings of consequences);
2. Russian transfer of sensitive military technology to North Korea;
3. expanded North Korean role (more troops, pilots in combat, more munitions);
4. direct military incident involving South Korean or European personnel (absorbing).

**Chain.** Each day a replication at level :math:`i < 4` moves up or down with the
competing-hazard probabilities of :func:`scenario.models.kernels.markov.competing_ladder`
(:math:`p^{\uparrow}_i = (1 - e^{-(h^{\uparrow}_i + h^{\downarrow}_i)})
h^{\uparrow}_i / (h^{\uparrow}_i + h^{\downarrow}_i)`, likewise down), and the move is drawn
by :func:`~scenario.models.kernels.markov.markov_step` from the replication's row
(:func:`~scenario.models.kernels.markov.ladder_rows`) with one uniform per replication per
day (evaluated, with the same arithmetic, at the current level only by
:func:`~scenario.models.kernels.markov.ladder_step`), whatever its state (common random
numbers across options). The hazards are

.. math::

    h^{\uparrow}_i(t) = h_i \exp(x_t) \quad (i = 0, 1, 2), \qquad
    h^{\uparrow}_3(t) = h_3 \exp(x_t)\, \mathbb{1}[V_t \lor E_t], \qquad
    h^{\downarrow}_i = h_{down} \quad (i = 1, 2, 3),

    x_t = \beta_{cas} \tfrac{C_t}{100} + \beta_{cap} K_t
      + \beta_{nk} \tfrac{\max(D_t - D_{ref},\, 0)}{1000}
      + \beta_{off} O_t + \beta_{msam} M_t + \beta_{adv} V_t + \beta_{eu} E_t
      + \beta_{bices} B_t

with :math:`C_t` NK casualties today, :math:`K_t` prisoners taken today, :math:`D_t` NK
troops committed so far (``nk_deployed``) above the reference :math:`D_{ref}` (about the
first contingent), and indicators of the levers active on day :math:`t`: South Korean
offensive aid :math:`O_t`, M-SAM (defensive) :math:`M_t`, advisors :math:`V_t`, European
troops :math:`E_t` and BICES :math:`B_t`.

**Personnel rule.** Level 4 is an incident *with South Korean or European personnel*: the
3 to 4 hazard is zero on days when neither advisors nor European troops are in theatre.

**Definitional floor.** North Korean pilots flying combat is by definition an expanded
North Korean role: on a day with NK combat sorties (``nk_sorties_today`` :math:`> 0`) the
level after the chain step is raised to at least 3, :math:`L_t = \max(L'_t, 3)`
(outcome ``esc_floor_days`` counts the days the floor raised it).

:mod:`scenario.models.kernels.markov` holds the chain machinery and the absorbing-chain
closed forms it is validated against.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scenario.config.levers import Advisors, Bices, EuropeanTroops, Lever, Msam, OffensiveAid
from scenario.errors import ModelError
from scenario.models.campaign.signals import (
    ESCALATION_LEVEL,
    ESCALATION_LEVEL_AT_LEAST,
    NK_CAPTURED_TODAY,
    NK_CASUALTIES_TODAY,
    NK_DEPLOYED,
    NK_SORTIES_TODAY,
)
from scenario.models.daily import SubmodelContext, today
from scenario.models.kernels.markov import ladder_step
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["FLOOR_LEVEL", "LEVEL_NAMES", "TOP", "EscalationSubmodel"]

LEVEL_NAMES: tuple[str, ...] = (
    "status quo",
    "Russian threats against Seoul",
    "Russian sensitive technology to North Korea",
    "expanded North Korean role",
    "direct incident with South Korean or European personnel",
)
TOP = len(LEVEL_NAMES) - 1
FLOOR_LEVEL = 3
"""Level reached by definition on a day North Korean pilots fly combat."""


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="escalation", name=name, unit=unit, meaning=meaning)


_LEVER_BETAS: tuple[tuple[type[Lever], str], ...] = (
    (OffensiveAid, "beta_offensive_aid"),
    (Msam, "beta_msam"),
    (Advisors, "beta_advisors"),
    (EuropeanTroops, "beta_european_troops"),
    (Bices, "beta_bices"),
)
_BETAS = (
    "beta_nk_casualties",
    "beta_captures",
    "beta_nk_troops",
    *(b for _, b in _LEVER_BETAS),
)


@dataclass
class _EscalationState:
    h: np.ndarray  # (n, TOP) base up-hazards of levels 0..TOP-1
    down: np.ndarray
    ref: np.ndarray  # NK troops reference
    b: dict[str, np.ndarray]  # log-hazard coefficients by parameter name
    enabled: dict[type[Lever], bool]  # lever deployed at all
    m: int
    series: dict[str, np.ndarray]
    level: np.ndarray
    max: np.ndarray = field(init=False)
    first: np.ndarray = field(init=False)
    days3: np.ndarray = field(init=False)
    floor_days: np.ndarray = field(init=False)
    rows: np.ndarray = field(init=False)
    h_max: np.ndarray = field(init=False)
    valid: bool = field(init=False)

    def __post_init__(self) -> None:
        n = self.level.size
        self.rows = np.arange(n)
        # per-block constants of the hazard check (every level, as on the full arrays)
        self.h_max = self.h.max(axis=1)
        self.valid = bool(
            np.isfinite(self.h).all()
            and (self.h >= 0.0).all()
            and np.isfinite(self.down).all()
            and (self.down >= 0.0).all()
        )
        self.max = np.zeros(n, dtype=np.int64)
        self.first = np.full(n, np.inf)
        self.days3 = np.zeros(n)
        self.floor_days = np.zeros(n)


class EscalationSubmodel:
    """The escalation ladder (equations and levels: module docstring)."""

    name = "escalation"
    parameters = (
        _p("hazard_0", "per day", "Base hazard from status quo to level 1"),
        _p("hazard_1", "per day", "Base hazard from level 1 to 2"),
        _p("hazard_2", "per day", "Base hazard from level 2 to 3"),
        _p("hazard_3", "per day", "Base hazard from level 3 to 4 (with personnel in theatre)"),
        _p("hazard_down", "per day", "Base de-escalation hazard (levels 1-3)"),
        _p("beta_nk_casualties", "log-hazard per 100/day", "Effect of NK casualties"),
        _p("beta_captures", "log-hazard per prisoner", "Effect of NK soldiers captured"),
        _p(
            "beta_nk_troops",
            "log-hazard per 1,000 troops",
            "Effect of NK troops committed above the reference",
        ),
        _p("nk_reference_troops", "troops", "NK troops committed with no escalation effect"),
        _p("beta_offensive_aid", "log-hazard", "Effect of South Korean offensive lethal aid"),
        _p("beta_msam", "log-hazard", "Effect of South Korean M-SAM (defensive) in Ukraine"),
        _p("beta_advisors", "log-hazard", "Effect of South Korean advisors in Ukraine"),
        _p("beta_european_troops", "log-hazard", "Effect of European troops on the ground"),
        _p("beta_bices", "log-hazard", "Effect of South Korea joining BICES"),
    )
    levers = tuple(lv for lv, _ in _LEVER_BETAS)
    reads = (
        today(NK_CASUALTIES_TODAY),
        today(NK_CAPTURED_TODAY),
        today(NK_DEPLOYED),
        today(NK_SORTIES_TODAY),
    )
    writes = (ESCALATION_LEVEL,)
    events = (ESCALATION_LEVEL_AT_LEAST,)
    outcomes = (
        OutcomeInfo(
            name="esc_max_level",
            unit="level",
            description="Highest escalation level reached",
            direction="minimize",
        ),
        *(
            OutcomeInfo(
                name=f"esc_reached_{k}",
                unit="0/1",
                description=f"Reached level {k} ({LEVEL_NAMES[k]})",
                direction="minimize",
            )
            for k in range(1, TOP + 1)
        ),
        OutcomeInfo(
            name="esc_first_day",
            unit="day",
            description="Day of first escalation (horizon if none)",
            direction="maximize",
            censored=True,
        ),
        OutcomeInfo(
            name="esc_days_at_3_plus",
            unit="days",
            description="Days at level 3 (expanded North Korean role) or above",
            direction="minimize",
        ),
        OutcomeInfo(
            name="esc_floor_days",
            unit="days",
            description="Days NK pilots flying combat raised the level to 3 (definitional floor)",
            direction="info",
        ),
    )
    series = (SeriesInfo(name="esc_level", unit="level", description="Escalation level"),)

    def start(self, ctx: SubmodelContext) -> _EscalationState:
        """All replications start at the status quo."""
        g = "escalation."
        m, series = ctx.series_buffers(self.series)
        return _EscalationState(
            h=np.stack([ctx.p(f"{g}hazard_{k}") for k in range(TOP)], axis=1),
            down=ctx.p(g + "hazard_down"),
            ref=ctx.p(g + "nk_reference_troops"),
            b={k: ctx.p(g + k) for k in _BETAS},
            enabled={lv: ctx.lever(lv).deploy for lv in self.levers},
            m=m,
            series=series,
            level=np.zeros(ctx.n, dtype=np.int64),
        )

    def _log_multiplier(self, ctx: SubmodelContext, s: _EscalationState, t: int) -> np.ndarray:
        """Today's covariate sum :math:`x_t` (module docstring)."""
        b = s.b
        x = b["beta_nk_casualties"] * (ctx.read(NK_CASUALTIES_TODAY) / 100.0)
        x += b["beta_captures"] * ctx.read(NK_CAPTURED_TODAY)
        above = np.maximum(ctx.read(NK_DEPLOYED) - s.ref, 0.0)
        above /= 1000.0
        above *= b["beta_nk_troops"]
        x += above
        for lever, beta in _LEVER_BETAS:
            if s.enabled[lever]:
                x += b[beta] * ctx.active(lever, t)
        return np.asarray(x, dtype=np.float64)

    def _hazards(
        self, ctx: SubmodelContext, s: _EscalationState, t: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Today's up and down hazards at each replication's current level, arrays (n,).

        The same values, operation for operation, as the full per-level hazards (n, TOP + 1)
        taken at the current level; the check covers every level, as the full arrays would.
        """
        mult = np.exp(self._log_multiplier(ctx, s, t))
        if not (s.valid and np.isfinite(s.h_max * mult).all()):
            raise ModelError("competing_ladder: hazards must be finite and non-negative")
        level = s.level
        below = level < TOP
        h_up = s.h[s.rows, np.minimum(level, TOP - 1)] * mult
        personnel = np.zeros(ctx.n, dtype=bool)
        for lever in (Advisors, EuropeanTroops):
            if s.enabled[lever]:
                personnel |= ctx.active(lever, t)
        h_up = np.where(level == TOP - 1, h_up * personnel, h_up)
        h_up[~below] = 0.0
        h_down = np.where((level >= 1) & below, s.down, 0.0)
        return h_up, h_down

    def step(self, ctx: SubmodelContext, s: _EscalationState, t: int) -> None:
        """Today's transition (one uniform per replication, whatever the state), then the
        definitional floor."""
        u = ctx.rng().random(ctx.n)
        new = ladder_step(s.level, *self._hazards(ctx, s, t), u, TOP + 1)
        sorties = ctx.written(NK_SORTIES_TODAY)
        if sorties is not None:
            raised = (sorties > 0) & (new < FLOOR_LEVEL)
            s.floor_days += raised
            new[raised] = FLOOR_LEVEL
        s.first[(new > 0) & np.isinf(s.first)] = float(t)
        s.level = new
        np.maximum(s.max, new, out=s.max)
        s.days3 += new >= FLOOR_LEVEL
        ctx.write(ESCALATION_LEVEL, new.astype(np.float64))
        if s.m:
            s.series["esc_level"][:, t] = new[: s.m]

    def finish(self, ctx: SubmodelContext, s: _EscalationState) -> BlockOutput:
        """Outcomes of the block."""
        mx = s.max
        return BlockOutput(
            outcomes={
                "esc_max_level": mx.astype(np.float64),
                **{f"esc_reached_{k}": (mx >= k).astype(np.float64) for k in range(1, TOP + 1)},
                "esc_first_day": np.minimum(s.first, float(ctx.horizon)),
                "esc_days_at_3_plus": s.days3,
                "esc_floor_days": s.floor_days,
            },
            series=s.series,
        )
