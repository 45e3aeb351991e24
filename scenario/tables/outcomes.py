"""The outcome table of a run: one row per outcome, labelled ``name [unit]``.

The narrow table (:data:`NARROW`) has the mean, the half-width of its 95 % CI, p5, p50 and
p95, and "never" for censored outcomes; the wide one (:data:`WIDE`) every statistic of
:class:`~scenario.analysis.summary.OutcomeSummary`. With fewer than two finite replications
the CIs and the standard deviation are blank, not zero-width. Records
(:meth:`OutcomeRow.record`) carry every statistic at full precision for CSV and JSON.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scenario.tables.censoring import Censoring, censoring_of
from scenario.tables.emit import markdown_table, rich_table
from scenario.tables.text import bounded, bounded_mean, label, literal, number, percent, places

if TYPE_CHECKING:
    from rich.console import RenderableType

    from scenario.analysis.summary import OutcomeSummary
    from scenario.results import Results

__all__ = [
    "NARROW",
    "WIDE",
    "OutcomeRow",
    "legend",
    "outcome_cells",
    "outcome_markdown",
    "outcome_renderables",
    "outcome_rows",
]


@dataclass(frozen=True)
class OutcomeRow:
    """One outcome's summary with its censoring, formatted for the tables."""

    summary: OutcomeSummary
    censoring: Censoring | None = None

    @property
    def has_ci(self) -> bool:
        """True with at least two finite replications (else CIs and sd are blank)."""
        return self.summary.n >= 2

    @property
    def half(self) -> float:
        """Half-width of the mean's 95 % CI (NaN without one)."""
        s = self.summary
        return (s.mean_hi - s.mean_lo) / 2 if self.has_ci else math.nan

    @property
    def places(self) -> int:
        """Decimal places of the row (see module docstring)."""
        s = self.summary
        return places(self.half, (s.mean, s.p5, s.p50, s.p95, s.min, s.max))

    @property
    def label(self) -> str:
        """``name [unit]``."""
        return label(self.summary.name, self.summary.unit)

    def stat(self, x: float) -> str:
        """A quantile, minimum or maximum, ``≥`` where it is only a lower bound."""
        return bounded(x, self.places, self.censoring)

    def mean(self) -> str:
        """The mean, ``≥`` when some replications are censored (no decimals for a whole
        mean without spread)."""
        spread = math.isfinite(self.half) and self.half > 0
        return bounded_mean(self.summary.mean, self.places, self.censoring, whole=not spread)

    def interval(self, lo: float, hi: float, *, stat: bool = True) -> str:
        """``[lo, hi]``, blank without a CI."""
        if not self.has_ci:
            return ""
        if stat:
            return f"[{self.stat(lo)}, {self.stat(hi)}]"
        whole = not self.half > 0  # no spread: every value the same
        return f"[{number(lo, self.places, whole=whole)}, {number(hi, self.places, whole=whole)}]"

    def never(self) -> str:
        """The share of replications without the event ("" if not censored)."""
        return percent(self.censoring.never) if self.censoring is not None else ""

    def cells(self, *, wide: bool = False) -> list[str]:
        """The row's cells for :data:`NARROW` or :data:`WIDE` columns."""
        s = self.summary
        half = f"±{number(self.half, self.places, whole=True)}" if self.has_ci else ""
        if not wide:
            return [self.label, self.mean(), half, *map(self.stat, (s.p5, s.p50, s.p95))]
        sd = number(s.sd, self.places, whole=s.sd == 0) if self.has_ci else ""
        return [
            self.label,
            f"{s.n:,}",
            f"{s.failed:,}",
            self.mean(),
            self.interval(s.mean_lo, s.mean_hi, stat=False),
            sd,
            self.stat(s.p5),
            self.interval(s.p5_lo, s.p5_hi),
            self.stat(s.p50),
            self.interval(s.p50_lo, s.p50_hi),
            self.stat(s.p95),
            self.interval(s.p95_lo, s.p95_hi),
            self.stat(s.min),
            self.stat(s.max),
        ]

    def record(self) -> dict[str, Any]:
        """Every statistic at full precision (CIs None without two finite replications)."""
        s = self.summary
        rec: dict[str, Any] = s.model_dump()
        rec = {"outcome": literal(rec.pop("name")), **rec}
        rec["unit"] = literal(s.unit)
        if not self.has_ci:
            for key in ("mean_lo", "mean_hi", "sd", "p5_lo", "p5_hi", "p50_lo", "p50_hi"):
                rec[key] = None
            rec["p95_lo"] = rec["p95_hi"] = None
        c = self.censoring
        rec["censored"] = c is not None
        rec["p_never"] = c.never if c else None
        rec["p_never_lo"] = c.never_lo if c else None
        rec["p_never_hi"] = c.never_hi if c else None
        rec["lower_bound_from"] = c.floor if c and math.isfinite(c.floor) else None
        return rec


NARROW = ("outcome [unit]", "mean", "95% CI", "p5", "p50", "p95")
WIDE = (
    "outcome [unit]",
    "n",
    "failed",
    "mean",
    "mean 95% CI",
    "sd",
    "p5",
    "p5 95% CI",
    "p50",
    "p50 95% CI",
    "p95",
    "p95 95% CI",
    "minimum",
    "maximum",
)


def outcome_rows(results: Results, outcomes: Sequence[str] | None = None) -> list[OutcomeRow]:
    """The rows of ``results``' outcome table (every outcome by default)."""
    from scenario.analysis.summary import summarize_results

    cens = censoring_of(results)
    return [OutcomeRow(s, cens.get(s.name)) for s in summarize_results(results, outcomes)]


def outcome_cells(
    rows: Sequence[OutcomeRow], *, wide: bool = False
) -> tuple[list[str], list[list[str]]]:
    """Headers and cells of an outcome table; a "never" column if a row is censored."""
    heads = list(WIDE if wide else NARROW)
    cells = [r.cells(wide=wide) for r in rows]
    if any(r.censoring is not None for r in rows):
        heads.append("never")
        for r, c in zip(rows, cells, strict=True):
            c.append(r.never())
    return heads, cells


def legend(rows: Sequence[OutcomeRow], *, wide: bool = False) -> list[str]:
    """Lines that explain the table's marks (censoring, blank CIs)."""
    lines = [
        "95% CI: half-width of the mean's 95% confidence interval; p5, p50, p95: quantiles "
        "over the replications."
        + ("" if wide else " --wide: every statistic; --format csv|json: full precision.")
    ]
    cens = [r.censoring for r in rows if r.censoring is not None]
    if cens:
        lines.append(
            f"never: share of replications in which the event did not happen within the "
            f"{cens[0].horizon}-day horizon; there the value only stands for 'not within the "
            f"horizon', so ≥ marks a lower bound (≥{cens[0].horizon}: not by the horizon)."
        )
    if any(not r.has_ci for r in rows):
        lines.append("CIs need two finite replications or more: left blank.")
    return lines


def outcome_renderables(
    rows: Sequence[OutcomeRow], *, title: str, wide: bool, width: int
) -> list[RenderableType]:
    """The outcome table and its legend, to print on a console ``width`` columns wide."""
    from rich.text import Text

    heads, cells = outcome_cells(rows, wide=wide)
    table = rich_table(heads, cells, width=None if wide else width, title=title)
    return [table, *(Text(line, style="dim") for line in legend(rows, wide=wide))]


def outcome_markdown(rows: Sequence[OutcomeRow], *, title: str, wide: bool) -> str:
    """The outcome table as Markdown: the title, the table and the legend."""
    heads, cells = outcome_cells(rows, wide=wide)
    notes = "\n\n".join(legend(rows, wide=wide))
    return f"**{literal(title)}**\n\n{markdown_table(heads, cells)}\n{notes}\n"
