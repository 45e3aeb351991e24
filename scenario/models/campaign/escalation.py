r"""Escalation ladder as a Markov chain with policy- and event-dependent hazards.

Levels (all transitions and their drivers are ASSUMPTIONs, labelled as such in the config):

0. status quo;
1. explicit Russian threats against Seoul (warnings of consequences);
2. Russian transfer of sensitive military technology to North Korea;
3. expanded North Korean role (more troops, pilots in combat, more munitions);
4. direct military incident involving South Korean or European personnel (absorbing).

Each day a replication at level :math:`i < 4` moves up with probability
:math:`1 - e^{-h^{\uparrow}_i}` and, at :math:`i \ge 1`, down with probability
:math:`1 - e^{-h^{\downarrow}}` (competing, drawn from one uniform per day), where

.. math::

    h^{\uparrow}_i(t) = h_i \exp\Big(\beta_{cas} \tfrac{C_t}{100} + \beta_{cap} K_t
      + \beta_{wave} W_t + \beta_{aid} A_t + \beta_{adv} V_t + \beta_{eu} E_t
      + \beta_{bices} B_t\Big)

with :math:`C_t` NK casualties today, :math:`K_t` prisoners taken today, :math:`W_t` a new
NK wave today, and indicators of South Korean lethal aid (offensive aid or M-SAM), advisors,
European troops and BICES. :mod:`scenario.models.kernels.markov` holds the chain machinery
(inverse-CDF sampling from each replication's transition row) and the absorbing-chain closed
forms it is validated against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenario.config.levers import Advisors, Bices, EuropeanTroops, Lever, Msam, OffensiveAid
from scenario.models.campaign.signals import (
    ESCALATION_LEVEL,
    ESCALATION_LEVEL_AT_LEAST,
    NK_CAPTURED_TODAY,
    NK_CASUALTIES_TODAY,
    NK_NEW_TROOPS_TODAY,
)
from scenario.models.daily import SubmodelContext, today
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["LEVEL_NAMES", "TOP", "EscalationSubmodel"]

LEVEL_NAMES: tuple[str, ...] = (
    "status quo",
    "Russian threats against Seoul",
    "Russian sensitive technology to North Korea",
    "expanded North Korean role",
    "direct incident with South Korean or European personnel",
)
TOP = len(LEVEL_NAMES) - 1


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="escalation", name=name, unit=unit, meaning=meaning)


_BETAS = (
    "beta_nk_casualties",
    "beta_captures",
    "beta_new_wave",
    "beta_lethal_aid",
    "beta_advisors",
    "beta_european_troops",
    "beta_bices",
)


@dataclass
class _EscalationState:
    h: np.ndarray  # (n, TOP) base up-hazards
    down: np.ndarray
    b: dict[str, np.ndarray]  # log-hazard coefficients by parameter name
    enabled: dict[type[Lever], bool]  # lever deployed at all
    level: np.ndarray
    max: np.ndarray
    first: np.ndarray
    m: int
    series: dict[str, np.ndarray]


class EscalationSubmodel:
    """The escalation ladder (equations and levels: module docstring)."""

    name = "escalation"
    parameters = (
        _p("hazard_0", "per day", "Base hazard from status quo to level 1"),
        _p("hazard_1", "per day", "Base hazard from level 1 to 2"),
        _p("hazard_2", "per day", "Base hazard from level 2 to 3"),
        _p("hazard_3", "per day", "Base hazard from level 3 to 4"),
        _p("hazard_down", "per day", "Base de-escalation hazard (levels 1-3)"),
        _p("beta_nk_casualties", "log-hazard per 100/day", "Effect of NK casualties"),
        _p("beta_captures", "log-hazard per prisoner", "Effect of NK soldiers captured"),
        _p("beta_new_wave", "log-hazard", "Effect of a new NK wave joining combat"),
        _p("beta_lethal_aid", "log-hazard", "Effect of South Korean lethal aid or M-SAM"),
        _p("beta_advisors", "log-hazard", "Effect of South Korean advisors in Ukraine"),
        _p("beta_european_troops", "log-hazard", "Effect of European troops on the ground"),
        _p("beta_bices", "log-hazard", "Effect of South Korea joining BICES"),
    )
    levers = (OffensiveAid, Msam, Advisors, EuropeanTroops, Bices)
    reads = (
        today(NK_CASUALTIES_TODAY),
        today(NK_CAPTURED_TODAY),
        today(NK_NEW_TROOPS_TODAY),
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
            b={k: ctx.p(g + k) for k in _BETAS},
            enabled={lv: ctx.lever(lv).deploy for lv in self.levers},
            level=np.zeros(ctx.n, dtype=np.int64),
            max=np.zeros(ctx.n, dtype=np.int64),
            first=np.full(ctx.n, float(ctx.horizon)),
            m=m,
            series=series,
        )

    def step(self, ctx: SubmodelContext, s: _EscalationState, t: int) -> None:
        """Today's transition (one uniform per replication, whatever the state)."""
        b = s.b
        u = ctx.rng().random(ctx.n)
        x = b["beta_nk_casualties"] * (ctx.read(NK_CASUALTIES_TODAY) / 100.0)
        x = x + b["beta_captures"] * ctx.read(NK_CAPTURED_TODAY)
        x = x + b["beta_new_wave"] * (ctx.read(NK_NEW_TROOPS_TODAY) > 0)
        enabled = s.enabled
        if enabled[OffensiveAid] or enabled[Msam]:
            lethal = ctx.active(OffensiveAid, t) | ctx.active(Msam, t)
            x = x + b["beta_lethal_aid"] * lethal
        for lever, beta in (
            (Advisors, "beta_advisors"),
            (EuropeanTroops, "beta_european_troops"),
            (Bices, "beta_bices"),
        ):
            if enabled[lever]:
                x = x + b[beta] * ctx.active(lever, t)
        level = s.level
        h_up = np.take_along_axis(s.h, np.minimum(level, TOP - 1)[:, None], axis=1)[:, 0]
        p_up = np.where(level < TOP, 1.0 - np.exp(-h_up * np.exp(x)), 0.0)
        p_down = np.where((level > 0) & (level < TOP), 1.0 - np.exp(-s.down), 0.0)
        scale = np.maximum(p_up + p_down, 1.0)
        # Inverse-CDF sampling of the row (down, stay, up), as markov_step does.
        down = u < p_down / scale
        up = u >= 1.0 - p_up / scale
        new = level + up - down
        first = (new > 0) & (s.max == 0)
        s.first = np.where(first, float(t), s.first)
        s.level = new
        s.max = np.maximum(s.max, new)
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
                "esc_first_day": s.first,
            },
            series=s.series,
        )
