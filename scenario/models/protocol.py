"""The model protocol: what a model declares and how the engine calls it.

A model is any object with the attributes of :class:`Model`. The engine hands it a
:class:`Block` (inputs sampled for ``n`` replications, one random generator per declared
stream, the validated config) and receives a :class:`BlockOutput` (one array of shape
``(n,)`` per declared outcome, and optionally daily series for the first ``keep_series``
replications of the block). Models are vectorized over the block: no Python loop per
replication unless the model is a discrete-event simulation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from scenario.config.schema import ScenarioConfig

__all__ = [
    "UNIT_SUPPORT",
    "Block",
    "BlockOutput",
    "Declares",
    "Direction",
    "Model",
    "OutcomeInfo",
    "ParameterInfo",
    "SeriesInfo",
]

Direction = Literal["minimize", "maximize", "info"]

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class ParameterInfo(BaseModel):
    """An uncertain parameter a model reads: ``parameters.<group>.<name>`` in YAML."""

    model_config = _FROZEN

    group: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    unit: str
    meaning: str
    support: tuple[float, float] | None = None
    """Closed interval every value must lie in; ``None``: the unit's (:data:`UNIT_SUPPORT`;
    unbounded for a unit not listed there). The engine refuses, before the run, a
    distribution whose support leaves it (:func:`scenario.engine.runner.check_config`)."""
    whole: bool = False
    """Values must be whole numbers."""
    fixed: bool = False
    """The value must be the same in every replication (``dist: fixed``)."""

    @property
    def key(self) -> str:
        """``group.name``, the column name of the sampled input."""
        return f"{self.group}.{self.name}"

    @property
    def bounds(self) -> tuple[float, float]:
        """:attr:`support`, else the unit's support, else ``(-inf, inf)``."""
        if self.support is not None:
            return self.support
        return UNIT_SUPPORT.get(self.unit, (-math.inf, math.inf))


_SHARE = (0.0, 1.0)
_NONNEGATIVE = (0.0, math.inf)
UNIT_SUPPORT: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        **dict.fromkeys(("probability", "fraction", "fraction/leaker", "fraction/day"), _SHARE),
        **dict.fromkeys(
            (
                "days",
                "hours",
                "min",
                "s",
                "ratio",
                "cv",
                "k",
                "troops",
                "troops/day",
                "pilots",
                "advisors",
                "aircraft",
                "aircraft/sortie",
                "sorties/aircraft/day",
                "engagements",
                "interceptors",
                "interceptors/day",
                "looks",
                "threats/day",
                "per day",
                "per casualty",
                "casualties/leaker",
                "casualties/troop/day",
                "km2",
                "km2/day",
                "shells/month",
                "missiles/month",
                "USD",
                "USD m",
                "USD m/year",
            ),
            _NONNEGATIVE,
        ),
    }
)
"""Support implied by a parameter's unit: shares and probabilities lie in ``[0, 1]``;
counts, durations, rates, costs and ratios are non-negative. A unit not listed here
(``day``, an index that may be negative; ``log-hazard``; a user's own unit) is unbounded."""


class OutcomeInfo(BaseModel):
    """A named outcome measure with unit, description and preferred direction."""

    model_config = _FROZEN

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    unit: str
    description: str
    direction: Direction = "info"
    censored: bool | str = Field(default=False, exclude=True)
    """Whether the value can stand for "not within the horizon" rather than a measurement.

    ``False`` (default): an ordinary outcome. ``True``: a time to an event whose value is
    the horizon (``horizon_days``) where the event did not happen within it. The name of a
    0/1 outcome of the same model: where that outcome is 0 the event did not happen and the
    value is only a lower bound (for example the days left until the horizon). Tables show
    such values as lower bounds (``≥180``) and the share of runs without the event. Left out
    of ``model_dump`` (so of manifests) until :class:`scenario.results.OutcomeMeta` has it;
    tables look it up in the registered model (:func:`scenario.tables.censoring_of`)."""


class SeriesInfo(BaseModel):
    """A daily time series a model can record."""

    model_config = _FROZEN

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    unit: str
    description: str


@dataclass(frozen=True)
class Block:
    """What the engine hands a model: one block of replications.

    Attributes
    ----------
    config : ScenarioConfig
        The validated scenario (levers are in ``config.policy``).
    inputs : Mapping[str, numpy.ndarray]
        Sampled uncertain parameters, ``"group.name" -> array (n,)``.
    rngs : Mapping[str, numpy.random.Generator]
        One independent generator per stream the model declared.
    n : int
        Replications in this block.
    first_index : int
        Global index of the block's first replication.
    keep_series : int
        Record daily series for replications ``0 .. keep_series-1`` of the block.
    """

    config: ScenarioConfig
    inputs: Mapping[str, np.ndarray]
    rngs: Mapping[str, np.random.Generator]
    n: int
    first_index: int
    keep_series: int = 0


@dataclass
class BlockOutput:
    """What a model returns for a block.

    ``outcomes[name]`` has shape ``(n,)``; ``series[name]`` has shape
    ``(keep_series, horizon_days)`` and may be empty.
    """

    outcomes: dict[str, np.ndarray]
    series: dict[str, np.ndarray] = field(default_factory=dict)


class Declares(Protocol):
    """What every model and submodel declares about itself.

    Attributes
    ----------
    name : str
        Registry name (``model:`` in YAML), or the submodel's stream name.
    parameters : sequence of ParameterInfo
        Uncertain parameters it reads (each must be in the config's ``parameters``).
    levers : sequence of str
        Dotted ``policy.*`` keys it reads (documentation and reports).
    outcomes : sequence of OutcomeInfo
        Outcomes it returns, in order.
    series : sequence of SeriesInfo
        Daily series it can record.
    """

    @property
    def name(self) -> str: ...

    @property
    def parameters(self) -> Sequence[ParameterInfo]: ...

    @property
    def levers(self) -> Sequence[str]: ...

    @property
    def outcomes(self) -> Sequence[OutcomeInfo]: ...

    @property
    def series(self) -> Sequence[SeriesInfo]: ...


@runtime_checkable
class Model(Declares, Protocol):
    """What the engine needs of a model: its declarations (:class:`Declares`), the random
    streams it needs (each gets its own generator per block), and ``simulate``."""

    @property
    def streams(self) -> Sequence[str]: ...

    def simulate(self, block: Block) -> BlockOutput:
        """Simulate one block of replications."""
        ...
