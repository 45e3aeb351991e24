"""scenario: distributions of outcomes for the policy options around North Korea's
deployment to Kursk.

Policy options are levers in YAML scenario files, uncertain inputs are distributions with a
cited source, and :func:`run` simulates replications in seeded blocks and returns
:class:`Results` (outcome distributions with their uncertainty); :func:`summarize` gives
each outcome's statistics with their intervals.

>>> import scenario
>>> cfg = scenario.load_config("configs/options/msam.yaml")    # doctest: +SKIP
>>> res = scenario.run(cfg, replications=2000, seed=1)          # doctest: +SKIP
>>> row = scenario.summarize(res, ["ad_leakers"])[0]            # doctest: +SKIP
>>> row.mean, (row.mean_lo, row.mean_hi), row.p95               # doctest: +SKIP

Importing the package is cheap: each public name is imported from its module on first use
(PEP 562), so ``import scenario`` loads neither SciPy's statistics, pandas, pyarrow, SimPy,
the YAML parser nor the command-line stack.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scenario.analysis.compare import Comparison, compare_options
    from scenario.analysis.discovery import Discovery, discover
    from scenario.analysis.global_sensitivity import morris, sobol
    from scenario.analysis.robustness import Robustness, robustness
    from scenario.analysis.sensitivity import sensitivity, tornado
    from scenario.analysis.summary import OutcomeSummary
    from scenario.analysis.summary import summarize_results as summarize
    from scenario.analysis.sweep import Sweep, run_sweep
    from scenario.analysis.voi import voi
    from scenario.config.levers import Lever, register_lever
    from scenario.config.loader import load_config
    from scenario.config.schema import ScenarioConfig, json_schema
    from scenario.engine.harness import run_submodel
    from scenario.engine.runner import run
    from scenario.engine.streamed import run_to_directory
    from scenario.errors import (
        ConfigError,
        EngineError,
        ModelError,
        ResultsError,
        ScenarioError,
    )
    from scenario.models.protocol import (
        Block,
        BlockOutput,
        Model,
        OutcomeInfo,
        ParameterInfo,
        SeriesInfo,
    )
    from scenario.models.registry import (
        default_registry,
        get_model,
        register_model,
        register_submodel,
    )
    from scenario.report.html import write_report
    from scenario.results import Failure, Results, load_results

    __version__: str

__all__ = [
    "Block",
    "BlockOutput",
    "Comparison",
    "ConfigError",
    "Discovery",
    "EngineError",
    "Failure",
    "Lever",
    "Model",
    "ModelError",
    "OutcomeInfo",
    "OutcomeSummary",
    "ParameterInfo",
    "Results",
    "ResultsError",
    "Robustness",
    "ScenarioConfig",
    "ScenarioError",
    "SeriesInfo",
    "Sweep",
    "__version__",
    "compare_options",
    "default_registry",
    "discover",
    "get_model",
    "json_schema",
    "load_config",
    "load_results",
    "morris",
    "register_lever",
    "register_model",
    "register_submodel",
    "robustness",
    "run",
    "run_submodel",
    "run_sweep",
    "run_to_directory",
    "sensitivity",
    "sobol",
    "summarize",
    "tornado",
    "voi",
    "write_report",
]

# Public name -> (module, attribute): imported on first access.
_LAZY: dict[str, tuple[str, str]] = {
    "Block": ("scenario.models.protocol", "Block"),
    "Comparison": ("scenario.analysis.compare", "Comparison"),
    "Discovery": ("scenario.analysis.discovery", "Discovery"),
    "Robustness": ("scenario.analysis.robustness", "Robustness"),
    "Sweep": ("scenario.analysis.sweep", "Sweep"),
    "compare_options": ("scenario.analysis.compare", "compare_options"),
    "discover": ("scenario.analysis.discovery", "discover"),
    "morris": ("scenario.analysis.global_sensitivity", "morris"),
    "robustness": ("scenario.analysis.robustness", "robustness"),
    "run_sweep": ("scenario.analysis.sweep", "run_sweep"),
    "run_to_directory": ("scenario.engine.streamed", "run_to_directory"),
    "sensitivity": ("scenario.analysis.sensitivity", "sensitivity"),
    "sobol": ("scenario.analysis.global_sensitivity", "sobol"),
    "tornado": ("scenario.analysis.sensitivity", "tornado"),
    "voi": ("scenario.analysis.voi", "voi"),
    "BlockOutput": ("scenario.models.protocol", "BlockOutput"),
    "ConfigError": ("scenario.errors", "ConfigError"),
    "EngineError": ("scenario.errors", "EngineError"),
    "Failure": ("scenario.results", "Failure"),
    "Lever": ("scenario.config.levers", "Lever"),
    "Model": ("scenario.models.protocol", "Model"),
    "ModelError": ("scenario.errors", "ModelError"),
    "OutcomeInfo": ("scenario.models.protocol", "OutcomeInfo"),
    "OutcomeSummary": ("scenario.analysis.summary", "OutcomeSummary"),
    "ParameterInfo": ("scenario.models.protocol", "ParameterInfo"),
    "Results": ("scenario.results", "Results"),
    "ResultsError": ("scenario.errors", "ResultsError"),
    "ScenarioConfig": ("scenario.config.schema", "ScenarioConfig"),
    "ScenarioError": ("scenario.errors", "ScenarioError"),
    "SeriesInfo": ("scenario.models.protocol", "SeriesInfo"),
    "default_registry": ("scenario.models.registry", "default_registry"),
    "get_model": ("scenario.models.registry", "get_model"),
    "json_schema": ("scenario.config.schema", "json_schema"),
    "load_config": ("scenario.config.loader", "load_config"),
    "load_results": ("scenario.results", "load_results"),
    "register_lever": ("scenario.config.levers", "register_lever"),
    "register_model": ("scenario.models.registry", "register_model"),
    "register_submodel": ("scenario.models.registry", "register_submodel"),
    "run": ("scenario.engine.runner", "run"),
    "run_submodel": ("scenario.engine.harness", "run_submodel"),
    "summarize": ("scenario.analysis.summary", "summarize_results"),
    "write_report": ("scenario.report.html", "write_report"),
}


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("scenario")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


def __getattr__(name: str) -> Any:
    """Import a public name on first access (PEP 562) and cache it in the module."""
    if name == "__version__":
        value: Any = _package_version()
    else:
        try:
            module, attr = _LAZY[name]
        except KeyError:
            raise AttributeError(f"module 'scenario' has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """Module attributes plus the lazily imported public names."""
    return sorted(set(globals()) | set(__all__))
