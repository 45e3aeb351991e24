from __future__ import annotations

import pytest
from _toys import Toy

from scenario.errors import ModelError
from scenario.models.campaign import CAMPAIGN, GroundSubmodel
from scenario.models.daily import DailyModel
from scenario.models.protocol import Model
from scenario.models.registry import (
    ModelRegistry,
    SubmodelRegistry,
    compose,
    default_registry,
    submodel_registry,
)


def test_builtin_models_are_compositions_of_registered_submodels() -> None:
    assert {"campaign", "ground"} <= set(default_registry().names())
    ground = default_registry().get("ground")
    assert isinstance(ground, DailyModel) and isinstance(ground, Model)
    assert ground.streams == ("ground",)
    assert default_registry().get("campaign").streams == CAMPAIGN
    assert submodel_registry().names()[: len(CAMPAIGN)] == list(CAMPAIGN)
    # Parameters of the campaign's other submodels are known to the ground composition.
    assert "intel.bices_stage_cut" in compose("ground", ["ground"]).ignored_parameters


def test_submodel_registry_checks_and_suggests() -> None:
    reg = SubmodelRegistry()
    reg.register(GroundSubmodel())
    with pytest.raises(ModelError, match="already registered"):
        reg.register(GroundSubmodel())
    with pytest.raises(ModelError, match="did you mean 'ground'"):
        reg.get("grund")

    class Half:
        name = "half"

    with pytest.raises(ModelError, match="lacks parameters, levers, reads"):
        reg.register(Half())


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
