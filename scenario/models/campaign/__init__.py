"""The campaign's submodels, one module each, and the composition list.

``campaign`` (``model: campaign``) composes every submodel in :data:`CAMPAIGN`; a
scenario's ``submodels:`` list runs a subset, or adds registered user submodels
(:func:`scenario.register_submodel`). The order within a day follows the declared reads
(:mod:`scenario.models.daily.compose`), not this list.
"""

from __future__ import annotations

from scenario.models.campaign.air_defence import AirDefenceSubmodel
from scenario.models.campaign.air_ops import AirOpsSubmodel
from scenario.models.campaign.cost import CostSubmodel
from scenario.models.campaign.counteroffensive import CounteroffensiveSubmodel
from scenario.models.campaign.escalation import EscalationSubmodel
from scenario.models.campaign.european import EuropeanSubmodel
from scenario.models.campaign.ground import GroundSubmodel
from scenario.models.campaign.intel import IntelSubmodel
from scenario.models.campaign.logistics import LogisticsSubmodel
from scenario.models.campaign.manpower import ManpowerSubmodel
from scenario.models.campaign.nk_munitions import NkMunitionsSubmodel
from scenario.models.campaign.withdrawal import WithdrawalSubmodel
from scenario.models.daily.compose import Submodel

__all__ = [
    "CAMPAIGN",
    "SUBMODELS",
    "AirDefenceSubmodel",
    "AirOpsSubmodel",
    "CostSubmodel",
    "CounteroffensiveSubmodel",
    "EscalationSubmodel",
    "EuropeanSubmodel",
    "GroundSubmodel",
    "IntelSubmodel",
    "LogisticsSubmodel",
    "ManpowerSubmodel",
    "NkMunitionsSubmodel",
    "WithdrawalSubmodel",
]

SUBMODELS: tuple[Submodel, ...] = (
    IntelSubmodel(),
    EuropeanSubmodel(),
    AirOpsSubmodel(),
    AirDefenceSubmodel(),
    GroundSubmodel(),
    ManpowerSubmodel(),
    EscalationSubmodel(),
    CostSubmodel(),
    LogisticsSubmodel(),
    NkMunitionsSubmodel(),
    CounteroffensiveSubmodel(),
    WithdrawalSubmodel(),
)
"""One instance of every built-in submodel (they hold no state between blocks)."""

CAMPAIGN: tuple[str, ...] = tuple(sm.name for sm in SUBMODELS)
"""The submodels of ``model: campaign``."""
