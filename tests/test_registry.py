from __future__ import annotations

import pytest
from _toys import Toy

from scenario.errors import ModelError
from scenario.models.ground import GroundModel
from scenario.models.protocol import Model
from scenario.models.registry import ModelRegistry, default_registry


def test_builtin_models_are_registered() -> None:
    assert "ground" in default_registry().names()
    assert isinstance(default_registry().get("ground"), GroundModel)
    assert isinstance(GroundModel(), Model)


def test_register_and_get() -> None:
    reg = ModelRegistry()
    reg.register(Toy())
    assert reg.names() == ["toy"] and "toy" in reg
    with pytest.raises(ModelError, match="already registered"):
        reg.register(Toy())
    reg.register(Toy(), replace=True)
    with pytest.raises(ModelError, match="unknown model 'nope' \\(registered: toy\\)"):
        reg.get("nope")


def test_protocol_is_checked_on_registration() -> None:
    class NotAModel:
        name = "x"

    with pytest.raises(ModelError, match="lacks parameters"):
        ModelRegistry().register(NotAModel())

    class NoOutcomes(Toy):
        outcomes = ()

    with pytest.raises(ModelError, match="no outcomes"):
        ModelRegistry().register(NoOutcomes())
