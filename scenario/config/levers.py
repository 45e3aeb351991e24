"""Policy levers: one schema class each, sharing their activation fields.

Every lever derives from :class:`Lever` and so has the same three activation fields:
``deploy`` (use the lever at all), ``start_day`` (day from ``start_date`` it starts) and
``trigger`` (start on an event of another submodel instead, see :class:`Trigger`). The daily
composition reads only these three, so a new lever needs no code outside its class and
the submodels that read it.

Built-in levers are fields of :class:`scenario.config.schema.Policy`. A lever from user code
is registered with :func:`register_lever` and then given under ``policy.added.<name>`` in
YAML.
"""

from __future__ import annotations

import math
import re
from typing import Any, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scenario.errors import ConfigError, ConfigIssue

__all__ = [
    "AdvisorRole",
    "Advisors",
    "Bices",
    "EuropeanTroops",
    "Lever",
    "Msam",
    "OffensiveAid",
    "Trigger",
    "lever_class",
    "register_lever",
    "registered_levers",
]

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Trigger(BaseModel):
    """Start a lever when an event happens in another submodel (a conditional response).

    The lever becomes active ``delay_days`` after the day the event is first observed (and
    not before the lever's own ``start_day``). ``event`` names an event declared by a
    submodel of the composed model (``scenario wiring`` lists them, with which take a
    ``threshold``); the run checks it against those declarations.
    """

    model_config = _FROZEN

    event: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        description=(
            "An event declared by a submodel, e.g. nk_second_wave, nk_casualties_above, "
            "nk_captured_above, nk_combat_ineffective, nk_pilots_operational, "
            "ground_held_below, escalation_level_at_least, ru_counteroffensive, "
            "ua_withdrawal (`scenario wiring` lists them)."
        ),
    )
    threshold: float | None = Field(
        default=None, description="Level for threshold events (*_above, *_below, *_at_least)."
    )
    delay_days: int = Field(default=0, ge=0, le=3650, description="Days from event to start.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.threshold is not None and not math.isfinite(self.threshold):
            raise ValueError(f"threshold: must be a finite number (got {self.threshold})")
        return self


class Lever(BaseModel):
    """Base of every lever: the activation fields the daily composition reads.

    Subclasses add the lever's own settings. ``_renamed`` maps field names of earlier
    versions to today's, for a clear error when an old config uses them.
    """

    model_config = _FROZEN

    _renamed: ClassVar[dict[str, str]] = {}

    deploy: bool = Field(default=False, description="Use this lever at all.")
    start_day: int = Field(
        default=0, ge=0, le=3650, description="Day (from start_date) the lever starts."
    )
    trigger: Trigger | None = Field(
        default=None, description="Start on an event instead (not before start_day)."
    )

    @model_validator(mode="before")
    @classmethod
    def _old_names(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for old, new in cls._renamed.items():
                if old in data:
                    raise ValueError(
                        f"{old}: renamed to {new!r} (every lever has deploy, start_day and "
                        f"trigger) (got {old}: {data[old]!r})"
                    )
        return data


AdvisorRole = Literal["tactics_analysis", "interrogation"]


class Advisors(Lever):
    """Lever: South Korean military advisors with Ukrainian forces.

    Tactics analysis raises Ukrainian effectiveness against North Korean units after a
    learning lag; interrogation turns captured North Korean soldiers into intelligence.
    ``start_day`` is the day they arrive.
    """

    _renamed: ClassVar[dict[str, str]] = {"arrival_day": "start_day"}

    personnel: int = Field(default=0, ge=0, le=10_000, description="Advisors deployed.")
    roles: tuple[AdvisorRole, ...] = Field(
        default=("tactics_analysis", "interrogation"),
        description="What they do: tactics_analysis, interrogation.",
    )

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.deploy and self.personnel < 1:
            raise ValueError(
                f"personnel: must be at least 1 when deploy is true (got {self.personnel})"
            )
        if len(set(self.roles)) != len(self.roles):
            raise ValueError(f"roles: each role at most once (got {list(self.roles)})")
        return self


class OffensiveAid(Lever):
    """Lever: South Korean lethal aid (155 mm shells, K9, K239 Chunmoo, K2).
    ``start_day`` is the day deliveries start."""

    shells_per_month: float = Field(
        default=0.0, ge=0, le=1_000_000, description="155 mm shells delivered per month."
    )
    k9_howitzers: int = Field(default=0, ge=0, le=2_000, description="K9 self-propelled guns.")
    k239_mlrs: int = Field(default=0, ge=0, le=1_000, description="K239 Chunmoo launchers.")
    k2_tanks: int = Field(default=0, ge=0, le=2_000, description="K2 main battle tanks.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        total = self.shells_per_month + self.k9_howitzers + self.k239_mlrs + self.k2_tanks
        if self.deploy and total <= 0:
            raise ValueError(
                "shells_per_month: deploy is true but the package is empty "
                "(shells_per_month, k9_howitzers, k239_mlrs and k2_tanks are all 0)"
            )
        return self


class Msam(Lever):
    """Lever: transfer of Cheongung-II (KM-SAM Block II, "M-SAM") batteries.
    ``start_day`` is the day of delivery."""

    _renamed: ClassVar[dict[str, str]] = {"delivery_day": "start_day"}

    batteries: int = Field(default=0, ge=0, le=20, description="Batteries transferred.")
    launchers_per_battery: int = Field(default=4, ge=1, le=6, description="4-6 (Defense Mirror).")
    missiles_per_launcher: int = Field(default=8, ge=1, le=8, description="8 (ADD; DAPA).")
    interceptor_stock: int = Field(
        default=0, ge=0, le=100_000, description="Reserve interceptors beyond the loaded ones."
    )
    resupply_per_month: float = Field(
        default=0.0, ge=0, le=10_000, description="Interceptors added to the reserve per month."
    )
    training_days: int = Field(
        default=60, ge=0, le=730, description="Days from delivery to operational crews."
    )
    doctrine: Literal["salvo", "shoot_look_shoot"] = Field(
        default="shoot_look_shoot", description="Fire a salvo once, or shoot-look-shoot."
    )
    salvo_size: int = Field(default=1, ge=1, le=4, description="Interceptors per look.")
    looks: int = Field(default=2, ge=1, le=4, description="Looks for shoot-look-shoot.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.deploy and self.batteries < 1:
            raise ValueError(
                f"batteries: must be at least 1 when deploy is true (got {self.batteries})"
            )
        return self


class Bices(Lever):
    """Lever: South Korea joins NATO's BICES intelligence-sharing system (``deploy``:
    join; ``start_day``: sharing starts)."""

    _renamed: ClassVar[dict[str, str]] = {"join": "deploy"}


class EuropeanTroops(Lever):
    """Lever: European troops on the ground in Ukraine (training or rear security)."""

    personnel: int = Field(default=0, ge=0, le=200_000, description="Troops deployed.")
    role: Literal["training", "rear_security"] = Field(
        default="training", description="training (raises effectiveness) or rear_security."
    )

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.deploy and self.personnel < 1:
            raise ValueError(
                f"personnel: must be at least 1 when deploy is true (got {self.personnel})"
            )
        return self


_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _refuse(key: str, message: str) -> ConfigError:
    return ConfigError(ConfigIssue("<register_lever>", 0, 0, key, message))


_REGISTERED: dict[str, type[Lever]] = {}


def register_lever(name: str, cls: type[Lever], *, replace: bool = False) -> type[Lever]:
    """Register a user lever class so that ``policy.added.<name>`` validates against it.

    Parameters
    ----------
    name : str
        The lever's name in YAML (``policy.added.<name>``).
    cls : type
        A subclass of :class:`Lever`.
    replace : bool
        Replace a lever already registered under ``name``.

    Raises
    ------
    ConfigError
        Bad name or class, or the name is taken (or is a built-in lever).
    """
    from scenario.config.schema import Policy

    if not isinstance(name, str) or not _NAME.match(name):
        raise _refuse("name", f"must match [a-z][a-z0-9_]* (got {name!r})")
    if not (isinstance(cls, type) and issubclass(cls, Lever)):
        raise _refuse("cls", f"must be a subclass of scenario.config.levers.Lever (got {cls!r})")
    if name in Policy.model_fields:
        raise _refuse("name", f"{name!r} is a built-in policy field (got {name!r})")
    if name in _REGISTERED and _REGISTERED[name] is not cls and not replace:
        raise _refuse(
            "name",
            f"a lever named {name!r} is already registered; pass replace=True (got {cls!r})",
        )
    _REGISTERED[name] = cls
    return cls


def registered_levers() -> dict[str, type[Lever]]:
    """User levers registered so far, by name."""
    return dict(_REGISTERED)


def lever_class(name: str) -> type[Lever] | None:
    """The class of a registered user lever, or None."""
    return _REGISTERED.get(name)
