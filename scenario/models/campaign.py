"""The composed campaign: every submodel in one daily loop.

Order within a day (signals written by a later submodel are read by an earlier one the next
day): intel (BICES) -> european troops -> air_ops (NK pilots) -> air_defence (M-SAM, fast
kernel or DES) -> ground (Kursk) -> manpower -> escalation -> cost. Each submodel draws from
its own stream (named after it).
"""

from __future__ import annotations

from scenario.models.air_defence import AirDefenceSubmodel
from scenario.models.air_ops import AirOpsSubmodel
from scenario.models.cost import CostSubmodel
from scenario.models.daily import DailyModel
from scenario.models.escalation import EscalationSubmodel
from scenario.models.european import EuropeanSubmodel
from scenario.models.ground import GroundSubmodel
from scenario.models.intel import IntelSubmodel
from scenario.models.manpower import ManpowerSubmodel

__all__ = ["CampaignModel"]


class CampaignModel(DailyModel):
    """All submodels composed; registered as ``campaign``."""

    def __init__(self) -> None:
        super().__init__(
            "campaign",
            [
                IntelSubmodel(),
                EuropeanSubmodel(),
                AirOpsSubmodel(),
                AirDefenceSubmodel(),
                GroundSubmodel(),
                ManpowerSubmodel(),
                EscalationSubmodel(),
                CostSubmodel(),
            ],
        )
