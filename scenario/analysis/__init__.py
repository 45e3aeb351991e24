"""Analysis of results: summaries, paired comparisons, robustness, sweeps, sensitivity
(tornado, Morris, Sobol), value of information, and scenario discovery (PRIM).

Nothing heavy is imported here: SALib and SciPy load inside the functions that use them."""

from scenario.analysis.compare import (
    Comparison,
    OptionOutcome,
    OutcomeComparison,
    PairedDifference,
    compare,
    compare_options,
)
from scenario.analysis.discovery import (
    Box,
    Discovery,
    Restriction,
    TrajectoryStep,
    discover,
    discover_arrays,
)
from scenario.analysis.global_sensitivity import MorrisResult, SobolResult, morris, sobol
from scenario.analysis.objectives import ObjectiveValues, objective
from scenario.analysis.robustness import (
    Robustness,
    RobustnessRow,
    SatisficingRow,
    robustness,
)
from scenario.analysis.sensitivity import Tornado, factors, sensitivity, tornado
from scenario.analysis.summary import (
    OutcomeSummary,
    exceedance,
    quantile_ci,
    summarize_arrays,
    summarize_outcome,
    summarize_results,
)
from scenario.analysis.sweep import Sweep, SweepPoint, run_sweep
from scenario.analysis.voi import ValueOfInformation, evppi, voi

__all__ = [
    "Box",
    "Comparison",
    "Discovery",
    "MorrisResult",
    "ObjectiveValues",
    "OptionOutcome",
    "OutcomeComparison",
    "OutcomeSummary",
    "PairedDifference",
    "Restriction",
    "Robustness",
    "RobustnessRow",
    "SatisficingRow",
    "SobolResult",
    "Sweep",
    "SweepPoint",
    "Tornado",
    "TrajectoryStep",
    "ValueOfInformation",
    "compare",
    "compare_options",
    "discover",
    "discover_arrays",
    "evppi",
    "exceedance",
    "factors",
    "morris",
    "objective",
    "quantile_ci",
    "robustness",
    "run_sweep",
    "sensitivity",
    "sobol",
    "summarize_arrays",
    "summarize_outcome",
    "summarize_results",
    "tornado",
    "voi",
]
