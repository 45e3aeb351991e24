"""The daily composition machinery: declared seams, lever activation, the submodel
context and the composed :class:`DailyModel` (no campaign knowledge here)."""

from scenario.models.daily.activation import Activation, lever_name
from scenario.models.daily.compose import DailyModel, Submodel, Wiring, wire
from scenario.models.daily.context import BlockState, SubmodelContext
from scenario.models.daily.declarations import (
    Event,
    Quantity,
    Read,
    Signal,
    ThresholdEvent,
    Timing,
    today,
    yesterday,
)

__all__ = [
    "Activation",
    "BlockState",
    "DailyModel",
    "Event",
    "Quantity",
    "Read",
    "Signal",
    "Submodel",
    "SubmodelContext",
    "ThresholdEvent",
    "Timing",
    "Wiring",
    "lever_name",
    "today",
    "wire",
    "yesterday",
]
