"""Registries: models and submodels by name, built-in ones plus those users register.

The built-in models and submodels are created on first use (no import-time side effects).
A registry is an ordinary object; :func:`default_registry` returns the process-wide model
registry that :func:`register_model` adds to and :func:`scenario.run` looks models up in,
and :func:`submodel_registry` the process-wide submodel registry that
:func:`register_submodel` adds to and :func:`compose` builds daily models from.

Built-in compositions: ``campaign`` (every built-in submodel) and ``ground`` (the ground war
alone, the campaign restricted to ``ground``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from scenario.errors import ModelError
from scenario.models.protocol import Model

if TYPE_CHECKING:
    from scenario.models.daily.compose import DailyModel, Submodel

__all__ = [
    "ModelRegistry",
    "SubmodelRegistry",
    "compose",
    "default_registry",
    "get_model",
    "register_model",
    "register_submodel",
    "submodel_registry",
]

_REQUIRED = ("name", "parameters", "levers", "outcomes", "series", "streams", "simulate")


def _check_model(model: object) -> Model:
    missing = [a for a in _REQUIRED if not hasattr(model, a)]
    if missing:
        raise ModelError(
            f"model {type(model).__name__!r} lacks {', '.join(missing)} required by the "
            "model protocol (see scenario.models.protocol.Model)"
        )
    if not isinstance(model, Model):
        raise ModelError(f"model {type(model).__name__!r} does not satisfy the model protocol")
    names = [o.name for o in model.outcomes]
    if not names:
        raise ModelError(f"model {model.name!r} declares no outcomes")
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ModelError(f"model {model.name!r} declares outcome(s) twice: {sorted(dup)}")
    keys = [p.key for p in model.parameters]
    dupk = {k for k in keys if keys.count(k) > 1}
    if dupk:
        raise ModelError(f"model {model.name!r} declares parameter(s) twice: {sorted(dupk)}")
    if not model.streams:
        raise ModelError(f"model {model.name!r} declares no random streams")
    return model


class ModelRegistry:
    """A name -> model mapping with validation on registration."""

    def __init__(self) -> None:
        self._models: dict[str, Model] = {}

    def register(self, model: object, *, replace: bool = False) -> Model:
        """Add ``model`` under ``model.name``.

        Raises
        ------
        ModelError
            If the model breaks the protocol, or the name is taken and ``replace`` is False.
        """
        checked = _check_model(model)
        if checked.name in self._models and not replace:
            raise ModelError(
                f"a model named {checked.name!r} is already registered "
                "(pass replace=True to replace it)"
            )
        self._models[checked.name] = checked
        return checked

    def get(self, name: str) -> Model:
        """Return the model registered as ``name``."""
        try:
            return self._models[name]
        except KeyError:
            known = ", ".join(sorted(self._models)) or "none"
            raise ModelError(f"unknown model {name!r} (registered: {known})") from None

    def names(self) -> list[str]:
        """Registered model names, sorted."""
        return sorted(self._models)

    def __contains__(self, name: object) -> bool:
        return name in self._models

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._models))


class SubmodelRegistry:
    """A name -> submodel mapping (submodels of daily compositions)."""

    def __init__(self) -> None:
        self._subs: dict[str, Submodel] = {}

    def register(self, submodel: object, *, replace: bool = False) -> Submodel:
        """Add ``submodel`` under ``submodel.name``.

        Raises
        ------
        ModelError
            If it breaks the submodel protocol, or the name is taken and ``replace`` is False.
        """
        from scenario.models.daily.compose import Submodel, _check_submodel

        _check_submodel(submodel)
        if not isinstance(submodel, Submodel):
            raise ModelError(
                f"submodel {type(submodel).__name__!r} does not satisfy the submodel protocol"
            )
        name = submodel.name
        if name in self._subs and not replace:
            raise ModelError(
                f"a submodel named {name!r} is already registered "
                "(pass replace=True to replace it)"
            )
        self._subs[name] = submodel
        return submodel

    def get(self, name: str) -> Submodel:
        """Return the submodel registered as ``name``."""
        try:
            return self._subs[name]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(name, list(self._subs), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ModelError(
                f"unknown submodel {name!r}{hint} (registered: {', '.join(self._subs)})"
            ) from None

    def names(self) -> list[str]:
        """Registered submodel names, in registration order."""
        return list(self._subs)

    def __contains__(self, name: object) -> bool:
        return name in self._subs


_DEFAULT: list[ModelRegistry] = []
_SUBMODELS: list[SubmodelRegistry] = []


def submodel_registry() -> SubmodelRegistry:
    """Return the process-wide submodel registry, holding the built-in submodels."""
    if not _SUBMODELS:
        from scenario.models.campaign import SUBMODELS

        reg = SubmodelRegistry()
        for sm in SUBMODELS:
            reg.register(sm)
        _SUBMODELS.append(reg)
    return _SUBMODELS[0]


def register_submodel(submodel: object, *, replace: bool = False) -> Submodel:
    """Register a user submodel so that a scenario's ``submodels:`` list can name it."""
    return submodel_registry().register(submodel, replace=replace)


def compose(name: str, submodels: Sequence[str]) -> DailyModel:
    """A daily model named ``name`` of the registered submodels ``submodels``.

    The other registered submodels' signals and parameters are known to it: their signals
    take their defaults, their parameters in a config are ignored (not sampled).
    """
    from scenario.models.daily.compose import DailyModel

    reg = submodel_registry()
    parts = [reg.get(n) for n in submodels]
    others = [reg.get(n) for n in reg.names() if n not in submodels]
    return DailyModel(
        name,
        parts,
        catalog=[s for sm in others for s in sm.writes],
        known_parameters=[p for sm in others for p in sm.parameters],
    )


def default_registry() -> ModelRegistry:
    """Return the process-wide model registry, holding the built-in models."""
    if not _DEFAULT:
        from scenario.models.campaign import CAMPAIGN

        reg = ModelRegistry()
        reg.register(compose("ground", ["ground"]))
        reg.register(compose("campaign", CAMPAIGN))
        _DEFAULT.append(reg)
    return _DEFAULT[0]


def register_model(model: object, *, replace: bool = False) -> Model:
    """Register a user model in the default registry so YAML ``model: NAME`` finds it."""
    return default_registry().register(model, replace=replace)


def get_model(name: str) -> Model:
    """Return a model from the default registry."""
    return default_registry().get(name)
