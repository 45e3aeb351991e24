"""scenario: distributions of outcomes for the policy options around North Korea's
deployment to Kursk.

Policy options are levers in YAML scenario files, uncertain inputs are distributions with a
cited source, and :func:`run` simulates replications in seeded blocks and returns
:class:`Results` (outcome distributions with their uncertainty).

>>> import scenario
>>> cfg = scenario.load_config("configs/options/msam.yaml")    # doctest: +SKIP
>>> res = scenario.run(cfg, replications=2000, seed=1)          # doctest: +SKIP
>>> row = next(s for s in res.summary() if s.name == "ad_leakers")  # doctest: +SKIP
>>> row.mean, (row.mean_lo, row.mean_hi), row.p95               # doctest: +SKIP
"""

from importlib.metadata import PackageNotFoundError, version

from scenario.analysis.summary import OutcomeSummary
from scenario.config.loader import load_config
from scenario.config.schema import ScenarioConfig, json_schema
from scenario.engine.runner import run
from scenario.errors import ConfigError, EngineError, ModelError, ResultsError, ScenarioError
from scenario.models.protocol import (
    Block,
    BlockOutput,
    Model,
    OutcomeInfo,
    ParameterInfo,
    SeriesInfo,
)
from scenario.models.registry import default_registry, get_model, register_model
from scenario.results import Failure, Results, load_results

try:
    __version__ = version("scenario")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Block",
    "BlockOutput",
    "ConfigError",
    "EngineError",
    "Failure",
    "Model",
    "ModelError",
    "OutcomeInfo",
    "OutcomeSummary",
    "ParameterInfo",
    "Results",
    "ResultsError",
    "ScenarioConfig",
    "ScenarioError",
    "SeriesInfo",
    "__version__",
    "default_registry",
    "get_model",
    "json_schema",
    "load_config",
    "load_results",
    "register_model",
    "run",
]
