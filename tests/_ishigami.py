"""The Ishigami test function as a user model (Ishigami & Homma 1990), for sensitivity tests.

``y = sin(x1) + a sin(x2)^2 + b x3^4 sin(x1)`` with ``x_j ~ U(-pi, pi)``, a = 7, b = 0.1,
plus optional noise ``sigma * e`` from the model's own stream (``policy.custom.sigma``).
Analytic Sobol indices: first order (0.3139, 0.4424, 0), total (0.5576, 0.4424, 0.2437).
"""

from __future__ import annotations

import math

import numpy as np

from scenario.config.loader import config_from_dict
from scenario.config.schema import ScenarioConfig
from scenario.models.protocol import Block, BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

A, B = 7.0, 0.1
S1 = (0.3139, 0.4424, 0.0)
ST = (0.5576, 0.4424, 0.2437)
VARIANCE = A**2 / 8 + B * math.pi**4 / 5 + B**2 * math.pi**8 / 18 + 0.5


def ishigami(x1: np.ndarray, x2: np.ndarray, x3: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.sin(x1) + A * np.sin(x2) ** 2 + B * x3**4 * np.sin(x1)
    return out


class Ishigami:
    name = "ishigami"
    parameters = tuple(
        ParameterInfo(group="ishigami", name=f"x{j}", unit="1", meaning=f"input {j}")
        for j in (1, 2, 3)
    )
    levers = ("policy.custom.sigma",)
    outcomes = (
        OutcomeInfo(name="y", unit="1", description="Ishigami function", direction="maximize"),
    )
    series: tuple[SeriesInfo, ...] = ()
    streams = ("ishigami",)

    def simulate(self, block: Block) -> BlockOutput:
        x = [np.asarray(block.inputs[f"ishigami.x{j}"]) for j in (1, 2, 3)]
        y = ishigami(*x)
        sigma = float(block.config.policy.custom.get("sigma", 0.0))
        if sigma:
            y = y + sigma * block.rngs["ishigami"].standard_normal(block.n)
        return BlockOutput(outcomes={"y": y})


def config(sigma: float = 0.0) -> ScenarioConfig:
    spec = {
        "dist": "uniform",
        "low": -math.pi,
        "high": math.pi,
        "source": "Ishigami & Homma (1990) test function",
        "as_of": "1990-12-01",
        "confidence": "high",
    }
    return config_from_dict(
        {
            "name": "ishigami",
            "model": "ishigami",
            "horizon_days": 1,
            "run": {"block_size": 4096, "series_replications": 0},
            "policy": {"custom": {"sigma": sigma}},
            "parameters": {"ishigami": {f"x{j}": dict(spec) for j in (1, 2, 3)}},
        }
    )
