"""Analysis of results: summaries and paired comparisons."""

from scenario.analysis.compare import PairedDifference, compare
from scenario.analysis.summary import (
    OutcomeSummary,
    exceedance,
    quantile_ci,
    summarize_arrays,
    summarize_outcome,
    summarize_results,
)

__all__ = [
    "OutcomeSummary",
    "PairedDifference",
    "compare",
    "exceedance",
    "quantile_ci",
    "summarize_arrays",
    "summarize_outcome",
    "summarize_results",
]
