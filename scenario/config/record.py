"""The historical record as data: observed points a model can be held against.

A record file (``configs/record/*.yaml``) lists points, each with its date, the quantity
(a daily series, read on that date, or an outcome), the observed value, its uncertainty
(``sd``, or an ``interval`` read as a 90 % interval, so ``sd = (high - low) / 3.29``), the
source and its date, and whether it is used to fit (``use: fit``) or held out to test the
fit (``use: holdout``):

.. code-block:: yaml

    name: kursk_2024_2025
    version: 1
    points:
      - date: 2024-11-23
        quantity: ground_held_km2
        value: 800
        interval: [700, 900]
        source: "Ukrainian General Staff source via Reuters, 2024-11-23"
        as_of: 2024-11-23
        use: fit
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, ValidationError, model_validator

from scenario.errors import ConfigError, ConfigIssue

__all__ = ["Record", "RecordPoint", "load_record"]

_FROZEN = ConfigDict(frozen=True, extra="forbid")
_Z90 = 1.6448536269514722  # a 90 % interval spans 2 x 1.645 sd


class RecordPoint(BaseModel):
    """One observed point."""

    model_config = _FROZEN

    date: dt.date | None = Field(
        default=None, description="Date of the observation (required for a daily series)."
    )
    quantity: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Series or outcome name.")
    value: FiniteFloat = Field(description="Observed value.")
    sd: FiniteFloat | None = Field(default=None, gt=0, description="Observation sd.")
    interval: tuple[FiniteFloat, FiniteFloat] | None = Field(
        default=None, description="A 90 % interval [low, high] instead of sd."
    )
    source: str = Field(min_length=1, description="Where the figure comes from.")
    as_of: dt.date = Field(description="Date of the source.")
    use: Literal["fit", "holdout"] = Field(description="Fit to it, or hold it out.")
    note: str = Field(default="", description="How the figure was read.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if (self.sd is None) == (self.interval is None):
            raise ValueError("sd: give exactly one of sd and interval")
        if self.interval is not None:
            lo, hi = self.interval
            if not lo < hi:
                raise ValueError(f"interval: need low < high (got {list(self.interval)})")
        return self

    @property
    def scale(self) -> float:
        """The observation's standard deviation (from ``sd`` or the 90 % interval)."""
        if self.sd is not None:
            return float(self.sd)
        lo, hi = self.interval  # type: ignore[misc]
        return (hi - lo) / (2 * _Z90)

    @property
    def label(self) -> str:
        """``quantity@date`` (or the quantity alone)."""
        return f"{self.quantity}@{self.date}" if self.date else self.quantity


class Record(BaseModel):
    """A versioned set of observed points."""

    model_config = _FROZEN

    name: str = Field(min_length=1)
    version: int = Field(ge=1)
    description: str = ""
    points: tuple[RecordPoint, ...] = Field(min_length=1)

    def fit_points(self) -> tuple[RecordPoint, ...]:
        """Points used for fitting."""
        return tuple(p for p in self.points if p.use == "fit")

    def holdout_points(self) -> tuple[RecordPoint, ...]:
        """Points held out to test the fit."""
        return tuple(p for p in self.points if p.use == "holdout")


def load_record(path: str | os.PathLike[str]) -> Record:
    """Read and validate a record file; mistakes are located ``ConfigError`` lines.

    Parameters
    ----------
    path : path
        A YAML record file.

    Returns
    -------
    Record
    """
    from scenario.config.loader import _issues_from_validation
    from scenario.config.locations import SourceMap
    from scenario.config.yaml_io import read_file

    file = Path(path)
    data, locs = read_file(file)
    try:
        record = Record.model_validate(data)
    except ValidationError as exc:
        smap = SourceMap(locations=locs, root=str(file), files=(str(file),))
        raise ConfigError(_issues_from_validation(exc, data, smap)) from None
    if not record.fit_points():
        raise ConfigError(ConfigIssue(str(file), 1, 1, "points", "no point has use: fit"))
    return record
