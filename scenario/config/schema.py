"""The scenario configuration schema: frozen pydantic models with ``extra="forbid"``.

A scenario file has five parts (XLRM vocabulary):

``run``
    Engine settings: replications, seed, block size, how many replications keep daily series.
``policy``
    The levers: South Korea's options (advisors, offensive aid) plus free-form ``custom``
    levers for user models. Levers are set by the analyst, never sampled.
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
    "AdvisorRole",
    "Advisors",
    "OffensiveAid",
    "Policy",
    "RunSettings",
    "ScenarioConfig",
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

    @model_validator(mode="after")
    def _check(self) -> Self:
        total = self.shells_per_month + self.k9_howitzers + self.k239_mlrs + self.k2_tanks
        if self.deploy and total <= 0:
            raise ValueError(
                "shells_per_month: deploy is true but the package is empty "
                "(shells_per_month, k9_howitzers, k239_mlrs and k2_tanks are all 0)"
            )
        return self


class Policy(BaseModel):
    """All levers. Every lever defaults to 'not sent', the historical record."""

    model_config = _FROZEN

    advisors: Advisors = Field(default_factory=Advisors)
    offensive_aid: OffensiveAid = Field(default_factory=OffensiveAid)
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
