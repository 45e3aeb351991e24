"""Model registry: built-in models by name, plus models users register.

The built-in models are created on first use (no import-time side effects). A registry is
an ordinary object; :func:`default_registry` returns the process-wide one that
:func:`register_model` adds to and :func:`scenario.run` looks models up in.
"""

from __future__ import annotations

from collections.abc import Iterator

from scenario.errors import ModelError
from scenario.models.protocol import Model

__all__ = ["ModelRegistry", "default_registry", "get_model", "register_model"]

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


_DEFAULT: list[ModelRegistry] = []


def default_registry() -> ModelRegistry:
    """Return the process-wide registry, holding the built-in models."""
    if not _DEFAULT:
        from scenario.models.campaign import CampaignModel
        from scenario.models.ground import GroundModel

        reg = ModelRegistry()
        reg.register(GroundModel())
        reg.register(CampaignModel())
        _DEFAULT.append(reg)
    return _DEFAULT[0]


def register_model(model: object, *, replace: bool = False) -> Model:
    """Register a user model in the default registry so YAML ``model: NAME`` finds it."""
    return default_registry().register(model, replace=replace)


def get_model(name: str) -> Model:
    """Return a model from the default registry."""
    return default_registry().get(name)
