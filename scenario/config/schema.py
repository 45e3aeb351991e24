"""The scenario configuration schema: frozen pydantic models with ``extra="forbid"``.

A scenario file has five parts (XLRM vocabulary):

``run``
    Engine settings: replications, seed, block size, how many replications keep daily series.
``policy``
    The levers: South Korea's options (advisors, offensive aid, M-SAM, BICES), European
    troops, plus free-form ``custom`` levers for user models. Levers are set by the analyst,
    never sampled; each can start on a day or on a ``trigger`` (an event in another
    submodel).
``adversary``, ``air_defence``
    Structural choices: North Korean pilots in combat; the air-defence engine.
``parameters``
    The uncertainties: ``parameters.<group>.<name>`` is a distribution spec with its
    ``source``, ``as_of`` and ``confidence`` (see :mod:`scenario.config.distributions`).
``model``, ``start_date``, ``horizon_days``
    Which registered model turns levers and uncertainties into outcomes, and over what span.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from scenario.config.distributions import DistributionSpec

__all__ = [
    "MAX_REPLICATIONS",
    "Adversary",
    "AdvisorRole",
    "Advisors",
    "AirDefenceSettings",
    "Bices",
    "EuropeanTroops",
    "Msam",
    "OffensiveAid",
    "Policy",
    "RunSettings",
    "ScenarioConfig",
    "Trigger",
    "TriggerEvent",
    "json_schema",
]

MAX_REPLICATIONS = 1_000_000_000

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class RunSettings(BaseModel):
    """How many replications to run, from which seed, in which block size."""

    model_config = _FROZEN

    replications: int = Field(
        default=10_000,
        ge=1,
        le=MAX_REPLICATIONS,
        description="Monte Carlo replications (draws of all uncertain parameters).",
    )
    seed: int = Field(
        default=20241101,
        ge=0,
        lt=2**63,
        description="Root seed; same seed gives bit-identical results on any worker count.",
    )
    block_size: int = Field(
        default=1000,
        ge=1,
        le=1_000_000,
        description=(
            "Replications per block. Block b draws from SeedSequence(seed, spawn_key=(b,)); "
            "changing it changes the draws, changing the worker count does not."
        ),
    )
    series_replications: int = Field(
        default=1000,
        ge=0,
        description=(
            "Keep daily series for the first N replications (0: none). Series cost "
            "horizon_days x 4 bytes per series per replication."
        ),
    )


TriggerEvent = Literal[
    "nk_second_wave",
    "nk_casualties_above",
    "nk_captured_above",
    "nk_combat_ineffective",
    "nk_pilots_operational",
    "ground_held_below",
    "escalation_level_at_least",
]
_THRESHOLD_EVENTS = {
    "nk_casualties_above",
    "nk_captured_above",
    "ground_held_below",
    "escalation_level_at_least",
}


class Trigger(BaseModel):
    """Start a lever when an event happens in another submodel (a conditional response).

    The lever becomes active ``delay_days`` after the day the event is first observed (and
    not before the lever's own start day). Events:

    * ``nk_second_wave``: the second North Korean wave joins combat;
    * ``nk_casualties_above`` / ``nk_captured_above``: cumulative NK casualties / prisoners
      exceed ``threshold``;
    * ``nk_combat_ineffective``: the NK contingent is first combat-ineffective;
    * ``nk_pilots_operational``: North Korean pilots finish training;
    * ``ground_held_below``: Ukrainian-held ground in Kursk falls below ``threshold`` km2;
    * ``escalation_level_at_least``: the escalation ladder reaches level ``threshold``.
    """

    model_config = _FROZEN

    event: TriggerEvent = Field(description="The event that starts the lever.")
    threshold: float | None = Field(default=None, description="For *_above/_below/_at_least.")
    delay_days: int = Field(default=0, ge=0, le=3650, description="Days from event to start.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.event in _THRESHOLD_EVENTS and self.threshold is None:
            raise ValueError(f"threshold: event {self.event!r} needs a threshold (got None)")
        if self.event not in _THRESHOLD_EVENTS and self.threshold is not None:
            raise ValueError(
                f"threshold: event {self.event!r} takes no threshold (got {self.threshold})"
            )
        return self


AdvisorRole = Literal["tactics_analysis", "interrogation"]


class Advisors(BaseModel):
    """Lever: South Korean military advisors with Ukrainian forces.

    Tactics analysis raises Ukrainian effectiveness against North Korean units after a
    learning lag; interrogation turns captured North Korean soldiers into intelligence.
    """

    model_config = _FROZEN

    deploy: bool = Field(default=False, description="Send advisors at all.")
    personnel: int = Field(default=0, ge=0, le=10_000, description="Advisors deployed.")
    arrival_day: int = Field(default=0, ge=0, description="Day (from start_date) they arrive.")
    roles: tuple[AdvisorRole, ...] = Field(
        default=("tactics_analysis", "interrogation"),
        description="What they do: tactics_analysis, interrogation.",
    )
    trigger: Trigger | None = Field(default=None, description="Arrive on an event instead.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.deploy and self.personnel < 1:
            raise ValueError(
                f"personnel: must be at least 1 when deploy is true (got {self.personnel})"
            )
        if len(set(self.roles)) != len(self.roles):
            raise ValueError(f"roles: each role at most once (got {list(self.roles)})")
        return self


class OffensiveAid(BaseModel):
    """Lever: South Korean lethal aid (155 mm shells, K9, K239 Chunmoo, K2)."""

    model_config = _FROZEN

    deploy: bool = Field(default=False, description="Send the package at all.")
    shells_per_month: float = Field(
        default=0.0, ge=0, le=1_000_000, description="155 mm shells delivered per month."
    )
    k9_howitzers: int = Field(default=0, ge=0, le=2_000, description="K9 self-propelled guns.")
    k239_mlrs: int = Field(default=0, ge=0, le=1_000, description="K239 Chunmoo launchers.")
    k2_tanks: int = Field(default=0, ge=0, le=2_000, description="K2 main battle tanks.")
    start_day: int = Field(default=0, ge=0, description="Day (from start_date) deliveries start.")
    trigger: Trigger | None = Field(default=None, description="Start on an event instead.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        total = self.shells_per_month + self.k9_howitzers + self.k239_mlrs + self.k2_tanks
        if self.deploy and total <= 0:
            raise ValueError(
                "shells_per_month: deploy is true but the package is empty "
                "(shells_per_month, k9_howitzers, k239_mlrs and k2_tanks are all 0)"
            )
        return self


class Msam(BaseModel):
    """Lever: transfer of Cheongung-II (KM-SAM Block II, "M-SAM") batteries."""

    model_config = _FROZEN

    deploy: bool = Field(default=False, description="Transfer batteries at all.")
    batteries: int = Field(default=0, ge=0, le=20, description="Batteries transferred.")
    launchers_per_battery: int = Field(default=4, ge=1, le=6, description="4-6 (Defense Mirror).")
    missiles_per_launcher: int = Field(default=8, ge=1, le=8, description="8 (ADD; DAPA).")
    interceptor_stock: int = Field(
        default=0, ge=0, le=100_000, description="Reserve interceptors beyond the loaded ones."
    )
    resupply_per_month: float = Field(
        default=0.0, ge=0, le=10_000, description="Interceptors added to the reserve per month."
    )
    delivery_day: int = Field(default=0, ge=0, description="Day (from start_date) of delivery.")
    training_days: int = Field(
        default=60, ge=0, le=730, description="Days from delivery to operational crews."
    )
    doctrine: Literal["salvo", "shoot_look_shoot"] = Field(
        default="shoot_look_shoot", description="Fire a salvo once, or shoot-look-shoot."
    )
    salvo_size: int = Field(default=1, ge=1, le=4, description="Interceptors per look.")
    looks: int = Field(default=2, ge=1, le=4, description="Looks for shoot-look-shoot.")
    trigger: Trigger | None = Field(default=None, description="Deliver on an event instead.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.deploy and self.batteries < 1:
            raise ValueError(
                f"batteries: must be at least 1 when deploy is true (got {self.batteries})"
            )
        return self


class Bices(BaseModel):
    """Lever: South Korea joins NATO's BICES intelligence-sharing system."""

    model_config = _FROZEN

    join: bool = Field(default=False, description="Join BICES.")
    start_day: int = Field(default=0, ge=0, description="Day (from start_date) sharing starts.")
    trigger: Trigger | None = Field(default=None, description="Join on an event instead.")


class EuropeanTroops(BaseModel):
    """Lever: European troops on the ground in Ukraine (training or rear security)."""

    model_config = _FROZEN

    deploy: bool = Field(default=False, description="Deploy at all.")
    personnel: int = Field(default=0, ge=0, le=200_000, description="Troops deployed.")
    role: Literal["training", "rear_security"] = Field(
        default="training", description="training (raises effectiveness) or rear_security."
    )
    start_day: int = Field(default=0, ge=0, description="Day (from start_date) they deploy.")
    trigger: Trigger | None = Field(default=None, description="Deploy on an event instead.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.deploy and self.personnel < 1:
            raise ValueError(
                f"personnel: must be at least 1 when deploy is true (got {self.personnel})"
            )
        return self


class Adversary(BaseModel):
    """Structural choices about the North Korean deployment (not sampled)."""

    model_config = _FROZEN

    pilots_in_combat: bool = Field(
        default=False, description="North Korean pilots fly Su-25 combat sorties once trained."
    )


class AirDefenceSettings(BaseModel):
    """How the campaign evaluates air and missile defence."""

    model_config = _FROZEN

    engine: Literal["fast", "des"] = Field(
        default="fast", description="fast: vectorised kernel; des: discrete-event (simpy)."
    )


class Policy(BaseModel):
    """All levers. Every lever defaults to 'not sent', the historical record."""

    model_config = _FROZEN

    advisors: Advisors = Field(default_factory=Advisors)
    offensive_aid: OffensiveAid = Field(default_factory=OffensiveAid)
    msam: Msam = Field(default_factory=Msam)
    bices: Bices = Field(default_factory=Bices)
    european_troops: EuropeanTroops = Field(default_factory=EuropeanTroops)
    custom: dict[str, float | int | bool | str] = Field(
        default_factory=dict, description="Levers of user-registered models, by name."
    )


class ScenarioConfig(BaseModel):
    """A complete, validated scenario: levers, uncertainties, model, horizon and run settings.

    Build one with :func:`scenario.load_config` (which also records where every key came
    from, for error messages) or directly from Python.
    """

    model_config = _FROZEN

    name: str = Field(default="scenario", min_length=1, description="Short scenario name.")
    description: str = Field(default="", description="What the scenario represents.")
    model: str = Field(default="ground", min_length=1, description="Registered model name.")
    start_date: dt.date = Field(
        default=dt.date(2024, 11, 1), description="Calendar date of day 0."
    )
    horizon_days: int = Field(default=180, ge=1, le=3650, description="Days simulated.")
    run: RunSettings = Field(default_factory=RunSettings)
    policy: Policy = Field(default_factory=Policy)
    adversary: Adversary = Field(default_factory=Adversary)
    air_defence: AirDefenceSettings = Field(default_factory=AirDefenceSettings)
    parameters: dict[str, dict[str, DistributionSpec]] = Field(
        default_factory=dict,
        description="Uncertain parameters: parameters.<group>.<name> is a distribution spec.",
    )

    _locations: Any = PrivateAttr(default=None)

    def flat_parameters(self) -> dict[str, Any]:
        """Return ``{"group.name": spec}`` for every uncertain parameter, sorted by key."""
        return {
            f"{group}.{name}": spec
            for group, specs in sorted(self.parameters.items())
            for name, spec in sorted(specs.items())
        }

    def lever_values(self) -> dict[str, Any]:
        """Return every lever as ``{"policy.x.y": value}`` (for manifests and tables)."""
        out: dict[str, Any] = {}

        def walk(prefix: str, value: Any) -> None:
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(f"{prefix}.{k}", v)
            else:
                out[prefix] = value

        walk("policy", self.policy.model_dump(mode="json"))
        return out


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of scenario files (``ScenarioConfig`` plus ``extends``)."""
    schema = ScenarioConfig.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "scenario configuration"
    schema.setdefault("properties", {})["extends"] = {
        "description": "File(s) this one builds on, relative to it; mappings deep-merge.",
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    }
    # Round-trip through JSON so the result is plain and deterministic.
    result: dict[str, Any] = json.loads(json.dumps(schema, sort_keys=True))
    return result
