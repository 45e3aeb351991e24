"""Small models for engine tests (importable by spawned worker processes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from scenario.config.loader import config_from_dict
from scenario.config.schema import ScenarioConfig
from scenario.models.protocol import Block, BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

PROV = {"source": "test", "as_of": dt.date(2024, 11, 1), "confidence": "low"}


class Toy:
    """y = a * b + noise; fails (raises) when a > fail_above; NaN when a < nan_below."""

    name = "toy"
    parameters = (
        ParameterInfo(group="toy", name="a", unit="-", meaning="first factor"),
        ParameterInfo(group="toy", name="b", unit="-", meaning="second factor"),
    )
    levers = ("policy.custom.boost",)
    outcomes = (
        OutcomeInfo(name="y", unit="-", description="a*b*boost + noise", direction="maximize"),
        OutcomeInfo(name="noise", unit="-", description="the model stream's draw"),
    )
    series = (SeriesInfo(name="path", unit="-", description="y * day"),)
    streams = ("toy",)

    def __init__(self, fail_above: float = np.inf, nan_below: float = -np.inf) -> None:
        self.fail_above = fail_above
        self.nan_below = nan_below

    def simulate(self, block: Block) -> BlockOutput:
        a = block.inputs["toy.a"]
        b = block.inputs["toy.b"]
        if np.any(a > self.fail_above):
            raise RuntimeError(f"a too large: {float(a.max()):.3f}")
        boost = float(block.config.policy.custom.get("boost", 1.0))
        noise = block.rngs["toy"].normal(size=block.n)
        y = a * b * boost + noise
        y = np.where(a < self.nan_below, np.nan, y)
        days = np.arange(block.config.horizon_days)
        path = y[: block.keep_series, None] * days[None, :]
        return BlockOutput(outcomes={"y": y, "noise": noise}, series={"path": path})


def toy_config(**run: Any) -> ScenarioConfig:
    return config_from_dict(
        {
            "name": "toy",
            "model": "toy",
            "horizon_days": 5,
            "run": {"replications": 1000, "block_size": 100, "seed": 1, **run},
            "parameters": {
                "toy": {
                    "a": {"dist": "uniform", "low": 0, "high": 1, **PROV},
                    "b": {"dist": "normal", "mean": 2, "sd": 1, **PROV},
                }
            },
        }
    )
