r"""A comparison of options (:func:`scenario.analysis.compare.compare_options`) as sections
of text: per outcome a heading (``name [unit], direction``) and a table with one row per
option (rank, mean, p5–p95, the paired difference from the base ±95 %, the shares of
replications better/tie/worse, and "never" for a censored outcome); or one wide table; then
satisficing and robustness. Rendered for a terminal (:func:`comparison_renderables`, names
wrapped on word boundaries to fit the width), as Markdown, or as records at full precision.

Precision (:mod:`scenario.tables.text`): the mean and quantile columns of an outcome use the
narrowest CI half-width of the options' means, the difference column the narrowest paired
interval, regrets that of the differences, CVaR its own interval.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scenario.tables.censoring import Censoring
from scenario.tables.text import bounded, bounded_mean, label, literal, number, percent, places

if TYPE_CHECKING:
    from rich.console import RenderableType

    from scenario.analysis.compare import Comparison, OptionOutcome, OutcomeComparison
    from scenario.analysis.robustness import Robustness

__all__ = [
    "Section",
    "comparison_markdown",
    "comparison_records",
    "comparison_renderables",
    "comparison_sections",
]

_WORDS = {
    "maximize": "maximize: higher is better",
    "minimize": "minimize: lower is better",
    "info": "info: reported, not ranked",
}


@dataclass(frozen=True)
class Section:
    """A heading and a table (either may be empty) of a comparison's output."""

    heading: str
    heads: Sequence[str] = ()
    cells: Sequence[Sequence[str]] = ()
    left: int = 2
    wrap: int = 1
    notes: Sequence[str] = field(default_factory=tuple)


def _short(option: str) -> str:
    """An option name for a narrow table: lever keys of sweep points without ``policy.``."""
    return literal(option.replace("policy.", ""))


def _precision(halves: Iterable[float], values: Iterable[float]) -> int:
    """Decimal places from the narrowest positive half-width (see :func:`places`)."""
    positive = [h for h in halves if math.isfinite(h) and h > 0]
    return places(min(positive) if positive else math.nan, values)


@dataclass(frozen=True)
class _Group:
    """One outcome of a comparison with its censoring per option and its precisions."""

    oc: OutcomeComparison
    cens: dict[str, Censoring]

    @property
    def dist(self) -> int:
        """Decimal places of the mean and quantile columns."""
        rows = self.oc.options
        halves = [(r.mean_hi - r.mean_lo) / 2 for r in rows if r.n >= 2]
        return _precision(halves, [v for r in rows for v in (r.mean, r.p5, r.p95)])

    @property
    def diff(self) -> int:
        """Decimal places of the paired differences."""
        ds = [r.diff for r in self.oc.options if r.diff is not None]
        return _precision(
            [(d.diff_hi - d.diff_lo) / 2 for d in ds], [d.diff_mean for d in ds] or [0.0]
        )

    def mean(self, row: OptionOutcome) -> str:
        spread = row.n >= 2 and row.mean_hi > row.mean_lo
        return bounded_mean(row.mean, self.dist, self.cens.get(row.option), whole=not spread)

    def stat(self, row: OptionOutcome, x: float) -> str:
        return bounded(x, self.dist, self.cens.get(row.option))

    def delta(self, row: OptionOutcome) -> str:
        """``+Δ ±half`` (``0`` for a tie in every replication; no ± without a CI)."""
        d = row.diff
        if d is None:
            return ""
        if d.p_tie == 1.0:
            return "0"
        text = number(d.diff_mean, self.diff, sign=True)
        half = (d.diff_hi - d.diff_lo) / 2
        return f"{text} ±{number(half, self.diff)}" if math.isfinite(half) else text

    def never(self, row: OptionOutcome) -> str:
        c = self.cens.get(row.option)
        return percent(c.never) if c is not None else ""

    @property
    def heading(self) -> str:
        return f"{label(self.oc.outcome, self.oc.unit)}, {_WORDS.get(self.oc.direction, '')}"


def _groups(c: Comparison) -> list[_Group]:
    """Every compared outcome with the censoring of each option's run."""
    from scenario.tables.censoring import censoring_of

    cens = {option: censoring_of(res) for option, res in c.results.items()}
    return [
        _Group(oc, {o: found[oc.outcome] for o, found in cens.items() if oc.outcome in found})
        for oc in c.outcomes
    ]


def _shares(row: OptionOutcome, direction: str) -> str:
    """``better/tie/worse`` shares, ``tie (all)`` when nothing changes, ``base``."""
    d = row.diff
    if d is None:
        return "base"
    if d.p_tie == 1.0:
        return "tie (all)"
    if direction == "info":
        return f"tie {d.p_tie:.2f}" if d.p_tie > 0 else "-"
    return f"{d.p_better:.2f}/{d.p_tie:.2f}/{d.p_worse:.2f}"


def _group_section(g: _Group) -> Section:
    heads = ["#", "option", "mean", "p5–p95", "Δ vs base ±95%", "better/tie/worse"]
    cells = [
        [
            "" if row.rank is None else str(row.rank),
            _short(row.option),
            g.mean(row),
            f"{g.stat(row, row.p5)}–{g.stat(row, row.p95)}",
            g.delta(row),
            _shares(row, g.oc.direction),
        ]
        for row in g.oc.options
    ]
    if g.cens:
        heads.append("never")
        for row, cell in zip(g.oc.options, cells, strict=True):
            cell.append(g.never(row))
    return Section(g.heading, heads, cells)


_WIDE_HEADS = (
    "outcome [unit]",
    "direction",
    "option",
    "rank",
    "mean",
    "mean 95% CI",
    "p5",
    "p50",
    "p95",
    "Δ",
    "Δ 95% CI",
    "P better [95% CI]",
    "P tie",
    "P worse",
    "mean regret",
    "P best",
)


def _wide_section(c: Comparison, groups: Sequence[_Group]) -> Section:
    level = f"CVaR{c.robustness.cvar_level * 100:g}"
    rob = {(r.objective, r.option): r for r in c.robustness.rows}
    cells = []
    for g in groups:
        for row in g.oc.options:
            d, r = row.diff, rob.get((g.oc.outcome, row.option))
            ci = row.n >= 2
            cell = [g.heading.split(",")[0], g.oc.direction, literal(row.option)]
            cell += ["" if row.rank is None else str(row.rank), g.mean(row)]
            cell.append(
                f"[{number(row.mean_lo, g.dist)}, {number(row.mean_hi, g.dist)}]" if ci else ""
            )
            cell += [g.stat(row, v) for v in (row.p5, row.p50, row.p95)]
            cell += _wide_diff(g, row) if d is not None else ["base", *[""] * 4]
            cell += [number(r.regret_mean, g.dist), f"{r.share_best:.3f}"] if r else ["", ""]
            cell += [number(r.cvar, g.dist) if r else "", g.never(row)]
            cells.append(cell)
    heads = [*_WIDE_HEADS, level, "never"]
    return Section("paired comparison (Δ = option - base)", heads, cells, left=3, wrap=2)


def _wide_diff(g: _Group, row: OptionOutcome) -> list[str]:
    d = row.diff
    if d is None:
        return []
    ci = f"[{number(d.diff_lo, g.diff)}, {number(d.diff_hi, g.diff)}]"
    p = f"{d.p_better:.3f} [{d.p_better_lo:.3f}, {d.p_better_hi:.3f}]"
    info = g.oc.direction == "info"  # no better or worse, only ties
    return [
        number(d.diff_mean, g.diff, sign=True),
        ci if math.isfinite(d.diff_lo) else "",
        "" if info else p,
        f"{d.p_tie:.3f}",
        "" if info else f"{d.p_worse:.3f}",
    ]


def _robustness_sections(rob: Robustness, groups: Sequence[_Group]) -> list[Section]:
    diff = {g.oc.outcome: g.diff for g in groups}
    level = f"{rob.cvar_level * 100:g}"
    parts = [
        Section(
            "robustness: regret against the best option in each replication; P(best) with "
            f"ties shared; CVaR{level} = mean of the worst {100 - rob.cvar_level * 100:g}% "
            "of replications"
        )
    ]
    for name in rob.objectives:
        rows = [r for r in rob.rows if r.objective == name]
        k = _precision([(r.cvar_hi - r.cvar_lo) / 2 for r in rows], [r.cvar for r in rows])
        m = diff.get(name, k)  # regrets are differences: the precision of the differences
        heads = ["option", "regret mean", "p95", "max", "P(best)", f"CVaR{level} ±95%"]
        cells = [
            [
                _short(r.option),
                number(r.regret_mean, m, whole=True),
                number(r.regret_p95, m, whole=True),
                number(r.regret_max, m, whole=True),
                f"{r.share_best:.2f}",
                f"{number(r.cvar, k)} ±{number((r.cvar_hi - r.cvar_lo) / 2, k)}",
            ]
            for r in rows
        ]
        heading = f"{label(name, rows[0].unit)}, {_WORDS.get(rows[0].direction, '')}"
        parts.append(Section(heading, heads, cells, left=1, wrap=0))
    return parts


def _satisficing_section(rob: Robustness) -> list[Section]:
    if not rob.satisficing:
        return []
    cells = [
        [
            literal(f"{s.objective} {s.threshold}"),
            _short(s.option),
            f"{s.p:.2f} [{s.p_lo:.2f}, {s.p_hi:.2f}]",
        ]
        for s in rob.satisficing
    ]
    heads = ["threshold", "option", "P(met) [95% CI]"]
    return [Section("satisficing: share of replications within each threshold", heads, cells)]


def comparison_sections(
    comparison: Comparison, *, wide: bool = False, robustness: bool = False
) -> tuple[list[str], list[Section], list[str]]:
    """What ``scenario compare`` prints: opening lines, sections, closing lines."""
    c = comparison
    intro = [
        f"{len(c.options)} options, {c.replications:,} replications each, seed {c.seed}, "
        f"paired on common random numbers. Δ = option - base ({literal(c.base)}); "
        "better/tie/worse: shares of replications. # ranks the means (1 is best).",
        *(literal(n) for n in c.notes),
    ]
    groups = _groups(c)
    sections = [_wide_section(c, groups)] if wide else [_group_section(g) for g in groups]
    sections += _satisficing_section(c.robustness)
    if robustness:
        sections += _robustness_sections(c.robustness, groups)
    outro = []
    horizons = {x.horizon for g in groups for x in g.cens.values()}
    if horizons:
        outro.append(
            f"never: share of replications without the event within the {min(horizons)}-day "
            "horizon; there the value only stands for 'not within the horizon', so ≥ marks a "
            "lower bound."
        )
    outro.append("Outcomes are model insight under stated ASSUMPTIONs, not prediction.")
    return intro, sections, outro


def comparison_renderables(
    comparison: Comparison, *, wide: bool = False, robustness: bool = False, columns: int = 80
) -> list[RenderableType]:
    """What ``scenario compare`` prints, as rich renderables.

    Parameters
    ----------
    comparison : Comparison
        From :func:`scenario.analysis.compare.compare_options`.
    wide : bool
        One wide table (every statistic in a column) instead of one group per outcome.
    robustness : bool
        Add the regret and expected-shortfall tables of every outcome.
    columns : int
        Width to fit (names wrap on word boundaries); ignored when ``wide``.

    Returns
    -------
    list of rich renderables
        Print each with a console; plain text, no markup is interpreted.
    """
    from rich.text import Text

    from scenario.tables.emit import rich_table

    intro, sections, outro = comparison_sections(comparison, wide=wide, robustness=robustness)
    parts: list[RenderableType] = [Text(intro[0]), *(Text(n, style="dim") for n in intro[1:])]
    for s in sections:
        parts += [Text(""), Text(s.heading, style="bold")]
        if s.heads:
            fit = None if wide else columns
            parts.append(rich_table(s.heads, s.cells, width=fit, left=s.left, wrap=s.wrap))
    parts += [Text(line, style="dim") for line in outro]
    return parts


def comparison_markdown(
    comparison: Comparison, *, wide: bool = False, robustness: bool = False
) -> str:
    """What ``scenario compare`` prints, as Markdown (a bold heading per table)."""
    from scenario.tables.emit import markdown_table

    intro, sections, outro = comparison_sections(comparison, wide=wide, robustness=robustness)
    text = "\n\n".join(intro) + "\n"
    for s in sections:
        text += f"\n**{s.heading}**\n"
        if s.heads:
            text += "\n" + markdown_table(s.heads, s.cells, left=s.left)
    return text + "\n" + "\n\n".join(outro) + "\n"


def comparison_records(comparison: Comparison) -> list[dict[str, Any]]:
    """One record per outcome and option, every statistic at full precision."""
    c = comparison
    rob = {(r.objective, r.option): r for r in c.robustness.rows}
    records = []
    for g in _groups(c):
        for row in g.oc.options:
            rec: dict[str, Any] = {"outcome": g.oc.outcome, "unit": g.oc.unit}
            rec |= {"direction": g.oc.direction}
            rec |= row.model_dump(exclude={"diff"})
            if row.n < 2:
                rec["mean_lo"] = rec["mean_hi"] = None
            d = row.diff.model_dump() if row.diff is not None else {}
            for key in ("diff_mean", "diff_lo", "diff_hi", "unpaired_lo", "unpaired_hi"):
                rec[key] = d.get(key)
            for key in ("p_better", "p_better_lo", "p_better_hi", "p_tie", "p_worse"):
                rec[key] = d.get(key)
            r = rob.get((g.oc.outcome, row.option))
            for key in ("regret_mean", "regret_p95", "regret_max", "cvar", "cvar_lo", "cvar_hi"):
                rec[key] = getattr(r, key) if r else None
            rec["p_best"] = r.share_best if r else None
            cens = g.cens.get(row.option)
            rec["p_never"] = cens.never if cens else None
            rec["lower_bound_from"] = cens.floor if cens and math.isfinite(cens.floor) else None
            records.append(rec)
    return records
