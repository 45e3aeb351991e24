"""Models: the protocol, the registry and the built-in models."""

from scenario.models.protocol import (
    Block,
    BlockOutput,
    Direction,
    Model,
    OutcomeInfo,
    ParameterInfo,
    SeriesInfo,
)
from scenario.models.registry import ModelRegistry, default_registry, get_model, register_model

__all__ = [
    "Block",
    "BlockOutput",
    "Direction",
    "Model",
    "ModelRegistry",
    "OutcomeInfo",
    "ParameterInfo",
    "SeriesInfo",
    "default_registry",
    "get_model",
    "register_model",
]
