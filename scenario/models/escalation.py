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
European troops and BICES. :func:`markov_step` is the chain machinery (inverse-CDF sampling
from each replication's transition row); :func:`absorbing_stats` gives the closed forms it
is validated against: with transient block :math:`Q` and absorbing block :math:`R`,
:math:`N = (I - Q)^{-1}`, expected steps to absorption :math:`N\mathbf{1}` and absorption
probabilities :math:`NR`.
"""

from __future__ import annotations

import numpy as np

from scenario.models.daily import LEVERS, Context, lever_settings
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = [
    "LEVEL_NAMES",
    "EscalationSubmodel",
    "absorbing_stats",
    "ladder_matrix",
    "markov_step",
]

LEVEL_NAMES: tuple[str, ...] = (
    "status quo",
    "Russian threats against Seoul",
    "Russian sensitive technology to North Korea",
    "expanded North Korean role",
    "direct incident with South Korean or European personnel",
)
TOP = len(LEVEL_NAMES) - 1


def markov_step(state: np.ndarray, rows: np.ndarray, u: np.ndarray) -> np.ndarray:
    """One step of a vectorised Markov chain.

    Parameters
    ----------
    state : int array (n,)
        Current states.
    rows : array (n, K) or (n, K, K)
        Transition row of each replication's current state, or full matrices.
    u : array (n,)
        Uniform draws in [0, 1).
    """
    if rows.ndim == 3:
        rows = rows[np.arange(state.size), state]
    cum = np.cumsum(rows, axis=1)
    cum[:, -1] = 1.0
    new: np.ndarray = (u[:, None] >= cum).sum(axis=1)
    return new


def absorbing_stats(P: np.ndarray, transient: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Expected steps to absorption and absorption probabilities (fundamental matrix).

    Returns ``(t, B)``: ``t[i]`` expected steps from transient state ``transient[i]``;
    ``B[i, j]`` probability of ending in the ``j``-th absorbing state (in index order).
    """
    K = P.shape[0]
    absorbing = [s for s in range(K) if s not in transient]
    Q = P[np.ix_(transient, transient)]
    R = P[np.ix_(transient, absorbing)]
    N = np.linalg.inv(np.eye(len(transient)) - Q)
    return N @ np.ones(len(transient)), N @ R


def ladder_matrix(p_up: np.ndarray, p_down: np.ndarray) -> np.ndarray:
    """Tridiagonal ladder matrices (n, K, K) from per-level up/down probabilities (n, K)."""
    n, K = p_up.shape
    P = np.zeros((n, K, K))
    idx = np.arange(K)
    up = p_up.copy()
    up[:, -1] = 0.0
    down = p_down.copy()
    down[:, 0] = 0.0
    down[:, -1] = 0.0
    P[:, idx[:-1], idx[1:]] = up[:, :-1]
    P[:, idx[1:], idx[:-1]] = down[:, 1:]
    P[:, idx, idx] = 1.0 - up - down
    return P


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="escalation", name=name, unit=unit, meaning=meaning)


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
    levers = ("policy.*",)
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

    def start(self, ctx: Context) -> None:
        """All replications start at the status quo."""
        g = "escalation."
        m, series = ctx.series_buffers(self.series)
        ctx.state[self.name] = {
            "h": np.stack([ctx.p(f"{g}hazard_{k}") for k in range(TOP)], axis=1),
            "down": ctx.p(g + "hazard_down"),
            "b": {
                k: ctx.p(g + k)
                for k in (
                    "beta_nk_casualties",
                    "beta_captures",
                    "beta_new_wave",
                    "beta_lethal_aid",
                    "beta_advisors",
                    "beta_european_troops",
                    "beta_bices",
                )
            },
            "enabled": {lv: lever_settings(ctx.config, lv)[0] for lv in LEVERS},
            "level": np.zeros(ctx.n, dtype=np.int64),
            "max": np.zeros(ctx.n, dtype=np.int64),
            "first": np.full(ctx.n, float(ctx.horizon)),
            "m": m,
            "series": series,
        }

    def step(self, ctx: Context, t: int) -> None:
        """Today's transition (one uniform per replication, whatever the state)."""
        s = ctx.state[self.name]
        b = s["b"]
        u = ctx.rng(self.name).random(ctx.n)
        x = b["beta_nk_casualties"] * (ctx.signal("nk_casualties_today", 0.0) / 100.0)
        x = x + b["beta_captures"] * ctx.signal("nk_captured_today", 0.0)
        x = x + b["beta_new_wave"] * (ctx.signal("nk_new_troops_today", 0.0) > 0)
        enabled = s["enabled"]
        if enabled["offensive_aid"] or enabled["msam"]:
            lethal = ctx.active("offensive_aid", t) | ctx.active("msam", t)
            x = x + b["beta_lethal_aid"] * lethal
        for lever, beta in (
            ("advisors", "beta_advisors"),
            ("european_troops", "beta_european_troops"),
            ("bices", "beta_bices"),
        ):
            if enabled[lever]:
                x = x + b[beta] * ctx.active(lever, t)
        level = s["level"]
        h_up = np.take_along_axis(s["h"], np.minimum(level, TOP - 1)[:, None], axis=1)[:, 0]
        p_up = np.where(level < TOP, 1.0 - np.exp(-h_up * np.exp(x)), 0.0)
        p_down = np.where((level > 0) & (level < TOP), 1.0 - np.exp(-s["down"]), 0.0)
        scale = np.maximum(p_up + p_down, 1.0)
        # Inverse-CDF sampling of the row (down, stay, up), as markov_step does.
        down = u < p_down / scale
        up = u >= 1.0 - p_up / scale
        new = level + up - down
        first = (new > 0) & (s["max"] == 0)
        s["first"] = np.where(first, float(t), s["first"])
        s["level"] = new
        s["max"] = np.maximum(s["max"], new)
        ctx.quantities["escalation_level"] = new.astype(np.float64)
        if s["m"]:
            s["series"]["esc_level"][:, t] = new[: s["m"]]

    def finish(self, ctx: Context) -> BlockOutput:
        """Outcomes of the block."""
        s = ctx.state[self.name]
        mx = s["max"]
        return BlockOutput(
            outcomes={
                "esc_max_level": mx.astype(np.float64),
                **{f"esc_reached_{k}": (mx >= k).astype(np.float64) for k in range(1, TOP + 1)},
                "esc_first_day": s["first"],
            },
            series=s["series"],
        )
