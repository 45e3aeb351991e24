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
``correlations``
    Optional rank correlations between parameters, each with its provenance, imposed by
    the Iman-Conover method (see :mod:`scenario.config.correlations`).
``posterior``
    Optional calibrated posterior: a CSV file of weighted parameter rows drawn jointly, one
    row per replication (see :mod:`scenario.config.posterior`).
``objectives``, ``sweep``
    What the analyst wants (thresholds, weighted objectives; see
    :mod:`scenario.config.objectives`) and levers to vary over lists of values (see
    :mod:`scenario.config.sweep`).
``model``, ``start_date``, ``horizon_days``
    Which registered model turns levers and uncertainties into outcomes, and over what span.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializeAsAny,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import InitErrorDetails

from scenario.config.correlations import RankCorrelation, validate_correlations
from scenario.config.distributions import DistributionSpec
from scenario.config.levers import (
    AdvisorRole,
    Advisors,
    Bices,
    EuropeanTroops,
    Lever,
    Msam,
    OffensiveAid,
    Trigger,
    lever_class,
    registered_levers,
)
from scenario.config.locations import SourceMap
from scenario.config.objectives import Objectives
from scenario.config.posterior import PosteriorInput
from scenario.config.sweep import SweepSpec

__all__ = [
    "MAX_REPLICATIONS",
    "Adversary",
    "AdvisorRole",
    "Advisors",
    "AirDefenceSettings",
    "Bices",
    "EuropeanTroops",
    "Lever",
    "Msam",
    "OffensiveAid",
    "Policy",
    "RunSettings",
    "ScenarioConfig",
    "Trigger",
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
        default=10_000,
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


class Adversary(BaseModel):
    """Structural choices about the adversary and the world outside the options (not
    sampled): what North Korea does, and exogenous events such as a US intelligence pause."""

    model_config = _FROZEN

    pilots_in_combat: bool = Field(
        default=False, description="North Korean pilots fly Su-25 combat sorties once trained."
    )
    nk_munitions: bool = Field(
        default=True,
        description=(
            "North Korean shells and KN-23/24 missiles keep reaching Russia, as recorded "
            "(false: the flow stops on day 0 and Russian stocks of them run down)."
        ),
    )
    us_intel_pause: bool = Field(
        default=False,
        description=(
            "The US pauses intelligence sharing with Ukraine (as in March 2025); start and "
            "length are the parameters intel.us_pause_start_day and intel.us_pause_days."
        ),
    )


class AirDefenceSettings(BaseModel):
    """How the campaign evaluates air and missile defence."""

    model_config = _FROZEN

    engine: Literal["fast", "des"] = Field(
        default="fast", description="fast: vectorised kernel; des: discrete-event (simpy)."
    )


class Policy(BaseModel):
    """All levers. Every lever defaults to 'not sent', the historical record.

    Built-in levers are fields; levers registered from user code
    (:func:`scenario.config.levers.register_lever`) go under ``added``; ``custom`` holds
    plain values for user-registered models.
    """

    model_config = _FROZEN

    advisors: Advisors = Field(default_factory=Advisors)
    offensive_aid: OffensiveAid = Field(default_factory=OffensiveAid)
    msam: Msam = Field(default_factory=Msam)
    bices: Bices = Field(default_factory=Bices)
    european_troops: EuropeanTroops = Field(default_factory=EuropeanTroops)
    added: dict[str, SerializeAsAny[Lever]] = Field(
        default_factory=dict,
        description="Levers registered by user code (scenario.register_lever), by name.",
    )
    custom: dict[str, float | int | bool | str] = Field(
        default_factory=dict, description="Levers of user-registered models, by name."
    )

    @field_validator("added", mode="before")
    @classmethod
    def _added(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        errors: list[InitErrorDetails] = []
        for name, spec in value.items():
            lever = lever_class(name) if isinstance(name, str) else None
            if lever is None:
                known = ", ".join(sorted(registered_levers())) or "none registered"
                raise ValueError(
                    f"{name}: unknown lever (registered levers: {known}; register one with "
                    f"scenario.register_lever) (got {name!r})"
                )
            if isinstance(spec, lever):
                out[name] = spec
                continue
            try:
                out[name] = lever.model_validate(spec)
            except ValidationError as exc:
                for err in exc.errors():
                    errors.append(
                        {
                            "type": err["type"],  # type: ignore[typeddict-item]
                            "loc": (name, *err["loc"]),
                            "input": err.get("input"),
                            "ctx": err.get("ctx", {}),
                        }
                    )
        if errors:
            raise ValidationError.from_exception_data("Policy.added", errors)
        return out

    def levers(self) -> dict[str, Lever]:
        """Every lever by name: the built-in ones, then the added ones."""
        out: dict[str, Lever] = {
            name: getattr(self, name)
            for name, f in type(self).model_fields.items()
            if isinstance(f.annotation, type) and issubclass(f.annotation, Lever)
        }
        out.update(self.added)
        return out


class ScenarioConfig(BaseModel):
    """A complete, validated scenario: levers, uncertainties, model, horizon and run settings.

    Build one with :func:`scenario.load_config` (which also records where every key came
    from, for error messages) or directly from Python.
    """

    model_config = _FROZEN

    name: str = Field(default="scenario", min_length=1, description="Short scenario name.")
    description: str = Field(default="", description="What the scenario represents.")
    model: str = Field(default="ground", min_length=1, description="Registered model name.")
    submodels: tuple[str, ...] | None = Field(
        default=None,
        description=(
            "For a composed model (campaign): the submodels to run, by registered name "
            "(default: all of the model's). Parameters of the others are ignored."
        ),
    )
    start_date: dt.date = Field(
        default=dt.date(2024, 11, 1), description="Calendar date of day 0."
    )
    horizon_days: int = Field(default=180, ge=1, le=3650, description="Days simulated.")
    run: RunSettings = Field(default_factory=RunSettings)
    policy: Policy = Field(default_factory=Policy)
    adversary: Adversary = Field(default_factory=Adversary)
    air_defence: AirDefenceSettings = Field(default_factory=AirDefenceSettings)
    objectives: Objectives = Field(
        default_factory=Objectives,
        description="Thresholds to stay within and weighted objectives, by outcome name.",
    )
    sweep: SweepSpec = Field(
        default_factory=dict,
        description=(
            "Levers to vary: dotted lever key (policy.x.y) to a list of values; several "
            "keys make a grid. Run with scenario.run_sweep or `scenario compare CONFIG`."
        ),
    )
    parameters: dict[str, dict[str, DistributionSpec]] = Field(
        default_factory=dict,
        description="Uncertain parameters: parameters.<group>.<name> is a distribution spec.",
    )
    correlations: tuple[RankCorrelation, ...] = Field(
        default=(),
        description=(
            "Rank (Spearman) correlations between uncertain parameters, imposed by the "
            "Iman-Conover method; pairs not listed are uncorrelated."
        ),
    )
    posterior: PosteriorInput | None = Field(
        default=None,
        description=(
            "A calibrated posterior: a CSV of weighted parameter rows. Each replication draws "
            "one row with probability proportional to its weight and takes its values for "
            "every parameter with a column; the others are sampled as usual."
        ),
    )

    _locations: SourceMap | None = PrivateAttr(default=None)

    @field_validator("correlations")
    @classmethod
    def _correlations(
        cls, value: tuple[RankCorrelation, ...], info: ValidationInfo
    ) -> tuple[RankCorrelation, ...]:
        return validate_correlations(value, info.data.get("parameters"))

    @property
    def locations(self) -> SourceMap | None:
        """Where each key was written (file, line, column), or None if built in Python.

        :func:`scenario.load_config` records it; :func:`scenario.config.locations.issue_at`
        uses it to point error messages at the right line.
        """
        return self._locations

    def with_locations(self, smap: SourceMap | None) -> ScenarioConfig:
        """Return a copy of this config that carries the source map ``smap``.

        Parameters
        ----------
        smap : SourceMap or None
            Positions of the keys (from the loader); None drops them.

        Returns
        -------
        ScenarioConfig
            Equal field values; only the recorded locations differ.
        """
        new = self.model_copy()
        new._locations = smap
        return new

    def __repr__(self) -> str:
        """One line: name, model, horizon, levers deployed, number of parameters (the
        fields are still there: ``model_dump()``, ``scenario show CONFIG``)."""
        from scenario.display import config_repr

        return config_repr(self)

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
