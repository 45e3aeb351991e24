r"""Objectives of a scenario: thresholds to stay within, and weighted objectives.

The ``objectives:`` block of a scenario file states what the analyst wants, in terms of the
model's outcomes:

.. code-block:: yaml

    objectives:
      thresholds:                 # satisficing: the outcome stays within a threshold
        ad_leakers: {at_most: 900}
        ground_held_end_km2: {at_least: 100}
      weighted:                   # a declared objective, to maximize
        net_effect:
          unit: "NK casualties equivalent"
          weights: {nk_casualties: 1.0, ua_casualties: -1.0, cost_total_usd_m: -2.0}

A threshold on outcome :math:`y` is met in a replication when :math:`y \le` ``at_most`` (or
:math:`y \ge` ``at_least``); the satisficing probability :math:`P(\text{met})` is the
robustness measure of Simon's satisficing as used by Lempert, Popper and Bankes (2003),
*Shaping the Next One Hundred Years* (RAND MR-1626), and McPhail et al. (2018), Earth's
Future 6. A weighted objective is :math:`J = \sum_k w_k\,y_k`, to maximize (give a negative
weight to an outcome to minimize).

The config layer does not know the models, so outcome names are checked when results exist
(:func:`scenario.analysis.objectives.objective` raises ``ResultsError`` naming the closest
outcome).
"""

from __future__ import annotations

import math
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, model_validator

__all__ = ["Objectives", "Threshold", "WeightedObjective"]

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Threshold(BaseModel):
    """A bound an outcome should stay within: exactly one of ``at_most`` or ``at_least``."""

    model_config = _FROZEN

    at_most: FiniteFloat | None = Field(
        default=None, description="Met when the outcome is at most this value."
    )
    at_least: FiniteFloat | None = Field(
        default=None, description="Met when the outcome is at least this value."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if (self.at_most is None) == (self.at_least is None):
            got = "both" if self.at_most is not None else "neither"
            raise ValueError(f"give exactly one of at_most, at_least (got {got})")
        return self

    @property
    def bound(self) -> float:
        """The threshold value (``at_most`` or ``at_least``)."""
        value = self.at_most if self.at_most is not None else self.at_least
        return math.nan if value is None else float(value)

    @property
    def kind(self) -> str:
        """``"at_most"`` or ``"at_least"``."""
        return "at_most" if self.at_most is not None else "at_least"

    def describe(self) -> str:
        """The threshold as text, ``"<= 900"`` or ``">= 100"``."""
        sign = "<=" if self.at_most is not None else ">="
        return f"{sign} {self.bound:g}"


class WeightedObjective(BaseModel):
    """A declared objective to maximize: the weighted sum of outcomes."""

    model_config = _FROZEN

    unit: str = Field(default="", description="Unit of the weighted sum.")
    weights: dict[str, FiniteFloat] = Field(
        min_length=1,
        description=(
            "Weight of each outcome, by outcome name; the objective is sum(weight x outcome), "
            "to maximize (a negative weight penalises an outcome)."
        ),
    )
    description: str = Field(default="", description="What the objective measures.")


class Objectives(BaseModel):
    """What the analyst wants: thresholds to stay within, and weighted objectives."""

    model_config = _FROZEN

    thresholds: dict[str, Threshold] = Field(
        default_factory=dict,
        description=(
            "Satisficing thresholds by outcome (or weighted objective) name: "
            "{at_most: X} or {at_least: X}."
        ),
    )
    weighted: dict[str, WeightedObjective] = Field(
        default_factory=dict,
        description="Declared objectives to maximize, by name: sum of weight x outcome.",
    )
