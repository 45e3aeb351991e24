"""Analysis of results: summaries (more to come: compare, sensitivity, discovery)."""

from scenario.analysis.summary import (
    OutcomeSummary,
    exceedance,
    quantile_ci,
    summarize,
    summarize_outcome,
)

__all__ = ["OutcomeSummary", "exceedance", "quantile_ci", "summarize", "summarize_outcome"]
