r"""European troops on the ground in Ukraine (lever ``policy.european_troops``).

Deployed from the lever's start over a ramp of ``ramp_days``, personnel :math:`P` either

* train Ukrainian units (``role: training``): Ukrainian fire effectiveness rises by
  :math:`g\,\frac{P}{P + P_{1/2}}\,(1 - e^{-d/\lambda})` after :math:`d` days
  (``training_gain``, ``half_personnel``, ``training_lag_days``); or
* take over rear security (``role: rear_security``): they free
  :math:`f P` Ukrainian troops (``freed_per_troop``), of whom a share :math:`s`
  (``kursk_share``) reinforce the Kursk sector, arriving evenly over the ramp.

Signals for the ground model: ``ua_training_multiplier`` and ``ua_reinforcements``
(troops per day).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenario.config.levers import EuropeanTroops
from scenario.models.campaign.signals import UA_REINFORCEMENTS, UA_TRAINING_MULTIPLIER
from scenario.models.daily import SubmodelContext
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["UA_REINFORCEMENTS", "UA_TRAINING_MULTIPLIER", "EuropeanSubmodel"]


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="european", name=name, unit=unit, meaning=meaning)


@dataclass
class _EuropeanState:
    training_gain: np.ndarray
    half_personnel: np.ndarray
    training_lag_days: np.ndarray
    freed_per_troop: np.ndarray
    kursk_share: np.ndarray
    ramp_days: np.ndarray
    freed: np.ndarray  # troops freed to Kursk so far
    mult: np.ndarray  # today's training multiplier


class EuropeanSubmodel:
    """European troops: training or rear security (equations: module docstring)."""

    name = "european"
    parameters = (
        _p("training_gain", "fraction", "Maximum rise of Ukrainian effectiveness from training"),
        _p("half_personnel", "troops", "Trainers giving half the maximum gain"),
        _p("training_lag_days", "days", "Time constant for training to show at the front"),
        _p("freed_per_troop", "troops", "Ukrainian troops freed per European rear-security troop"),
        _p("kursk_share", "fraction", "Share of freed Ukrainian troops sent to Kursk"),
        _p("ramp_days", "days", "Days to complete the deployment"),
    )
    levers = (EuropeanTroops,)
    reads = ()
    writes = (UA_TRAINING_MULTIPLIER, UA_REINFORCEMENTS)
    events = ()
    outcomes = (
        OutcomeInfo(
            name="eu_troops_freed_to_kursk",
            unit="troops",
            description="Ukrainian troops freed by European rear security sent to Kursk",
        ),
        OutcomeInfo(
            name="eu_training_multiplier_end",
            unit="ratio",
            description="Ukrainian effectiveness multiplier from European training, last day",
        ),
    )
    series: tuple[SeriesInfo, ...] = ()

    def start(self, ctx: SubmodelContext) -> _EuropeanState:
        """Nothing to sample; effects follow the lever."""
        g = "european."
        return _EuropeanState(
            training_gain=ctx.p(g + "training_gain"),
            half_personnel=ctx.p(g + "half_personnel"),
            training_lag_days=ctx.p(g + "training_lag_days"),
            freed_per_troop=ctx.p(g + "freed_per_troop"),
            kursk_share=ctx.p(g + "kursk_share"),
            ramp_days=ctx.p(g + "ramp_days"),
            freed=np.zeros(ctx.n),
            mult=np.ones(ctx.n),
        )

    def step(self, ctx: SubmodelContext, s: _EuropeanState, t: int) -> None:
        """Today's training effect or reinforcements."""
        eu = ctx.lever(EuropeanTroops)
        if not eu.deploy:
            return
        since = ctx.days_active(EuropeanTroops, t)
        on = since >= 0
        if eu.role == "training":
            sat = eu.personnel / (eu.personnel + s.half_personnel)
            ramp = 1.0 - np.exp(-np.maximum(since, 0.0) / s.training_lag_days)
            mult = 1.0 + np.where(on, s.training_gain * sat * ramp, 0.0)
            ctx.write(UA_TRAINING_MULTIPLIER, mult)
            s.mult = mult
        else:
            ramp_days = np.maximum(s.ramp_days, 1.0)
            daily = eu.personnel * s.freed_per_troop * s.kursk_share / ramp_days
            arriving = on & (since < ramp_days)
            reinf = np.where(arriving, daily, 0.0)
            ctx.write(UA_REINFORCEMENTS, reinf)
            s.freed += reinf

    def finish(self, ctx: SubmodelContext, s: _EuropeanState) -> BlockOutput:
        """Outcomes of the block."""
        return BlockOutput(
            outcomes={
                "eu_troops_freed_to_kursk": s.freed,
                "eu_training_multiplier_end": s.mult,
            }
        )
