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

import numpy as np

from scenario.models.daily import Context
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["EuropeanSubmodel"]


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="european", name=name, unit=unit, meaning=meaning)


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
    levers = ("policy.european_troops",)
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

    def start(self, ctx: Context) -> None:
        """Nothing to sample; effects follow the lever."""
        g = "european."
        ctx.state[self.name] = {
            k: ctx.p(g + k)
            for k in (
                "training_gain",
                "half_personnel",
                "training_lag_days",
                "freed_per_troop",
                "kursk_share",
                "ramp_days",
            )
        }
        ctx.state[self.name]["freed"] = np.zeros(ctx.n)
        ctx.state[self.name]["mult"] = np.ones(ctx.n)

    def step(self, ctx: Context, t: int) -> None:
        """Today's training effect or reinforcements."""
        s = ctx.state[self.name]
        eu = ctx.config.policy.european_troops
        if not eu.deploy:
            return
        since = ctx.days_active("european_troops", t)
        on = since >= 0
        if eu.role == "training":
            sat = eu.personnel / (eu.personnel + s["half_personnel"])
            ramp = 1.0 - np.exp(-np.maximum(since, 0.0) / s["training_lag_days"])
            mult = 1.0 + np.where(on, s["training_gain"] * sat * ramp, 0.0)
            ctx.signals["ua_training_multiplier"] = mult
            s["mult"] = mult
        else:
            ramp_days = np.maximum(s["ramp_days"], 1.0)
            daily = eu.personnel * s["freed_per_troop"] * s["kursk_share"] / ramp_days
            arriving = on & (since < ramp_days)
            reinf = np.where(arriving, daily, 0.0)
            ctx.signals["ua_reinforcements"] = reinf
            s["freed"] += reinf

    def finish(self, ctx: Context) -> BlockOutput:
        """Outcomes of the block."""
        s = ctx.state[self.name]
        return BlockOutput(
            outcomes={
                "eu_troops_freed_to_kursk": s["freed"],
                "eu_training_multiplier_end": s["mult"],
            }
        )
