"""The main sections of the HTML report: the question, the options, the outcome tables, the
paired comparison and the appendix of every outcome (the figure sections are in
:mod:`scenario.report.html_figures`).

Every function takes the report's :class:`Context` and returns escaped HTML. The outcome
tables show, per outcome and option, the mean with its 95 % normal interval
:math:`\\bar x \\pm 1.96\\,s/\\sqrt n` and p5, p50, p95 with the distribution-free interval
of the median (both from :func:`scenario.analysis.summary.summarize_results`). The paired
table shows, per option against the base on common random numbers, the mean difference
:math:`\\bar d \\pm 1.96\\,s_d/\\sqrt n` and the shares of replications in which the option
does better, ties and does worse (from :func:`scenario.analysis.compare.compare_options`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from scenario.report.html_parts import (
    DIRECTION_WORDS,
    Figures,
    ci_cell,
    esc,
    figures_grid,
    num_cell,
    paragraphs,
    percent,
    section,
    swatch,
    table,
)

if TYPE_CHECKING:
    from scenario.analysis.compare import Comparison, OptionOutcome, OutcomeComparison
    from scenario.analysis.summary import OutcomeSummary
    from scenario.config.record import Record
    from scenario.config.schema import ScenarioConfig
    from scenario.results import OutcomeMeta, Results

__all__ = [
    "QUESTION",
    "Context",
    "all_outcomes_section",
    "headline_section",
    "options_section",
    "paired_section",
    "question_section",
]

QUESTION = (
    "North Korea sends up to 12,000 soldiers to Russia's Kursk region. South Korea weighs "
    "sending military advisors to Ukraine, transferring Cheongung-II (M-SAM) batteries, "
    "supplying artillery shells, howitzers, tanks and rocket launchers, and joining NATO's "
    "BICES. What does each option, alone or combined, do to outcomes? How sure is that? "
    "Which assumptions drive the answer?"
)
"""The question every run of this library answers a part of (the README's opening)."""

HOW_TO_READ = (
    "Every answer here is a distribution over replications, never a single number: each "
    "replication draws every uncertain input from its stated range and simulates the "
    "campaign. p5, p50 and p95 are the 5th, 50th (median) and 95th percentiles of an "
    "outcome across replications: nine replications in ten fall between p5 and p95.",
    "A 95 % CI is the Monte Carlo uncertainty of the estimate itself (how much the mean or "
    "median would move with more replications), not the spread of outcomes.",
    "Options run on common random numbers: replication i of every option sees the same "
    "draws of every uncertain input, so they are compared replication by replication.",
)


@dataclass
class Context:
    """Everything the sections read: the runs (base first) and what was derived from them.

    Attributes
    ----------
    runs : dict of str to Results
        The options by name, the base first.
    headline : tuple of str
        Outcomes of the headline tables and figures.
    summaries : dict of str to dict of str to OutcomeSummary
        Per option, every outcome's summary.
    comparison : Comparison or None
        The paired comparison (None with one run, or when the runs are not paired).
    comparison_note : str
        Why there is no comparison, when there is none.
    record : Record or None
        Public record points to hold the base against.
    figures : Figures
        The figure renderer.
    colors : dict of str to str
        Each option's colour in the plots.
    """

    runs: dict[str, Results]
    headline: tuple[str, ...]
    summaries: dict[str, dict[str, OutcomeSummary]]
    comparison: Comparison | None
    comparison_note: str
    record: Record | None
    figures: Figures
    colors: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        """Name of the base option (the first run)."""
        return next(iter(self.runs))

    @property
    def base_results(self) -> Results:
        """The base run."""
        return self.runs[self.base]

    def meta(self, outcome: str) -> OutcomeMeta:
        """Unit, direction and description of an outcome (from the base run)."""
        from scenario.results import OutcomeMeta

        for o in self.base_results.outcome_info:
            if o.name == outcome:
                return o
        return OutcomeMeta(name=outcome)

    def option_label(self, name: str) -> str:
        """An option's name with its colour swatch, and "(base)" for the base."""
        tag = ' <span class="muted">(base)</span>' if name == self.base else ""
        return f"{swatch(self.colors.get(name))}{esc(name)}{tag}"


def question_section(ctx: Context) -> str:
    """The question, what is compared, and how to read the numbers."""
    names = ", ".join(ctx.runs)
    n = ctx.base_results.replications
    body = (
        paragraphs([QUESTION])
        + f"<p>This report compares <strong>{esc(names)}</strong> (the first, "
        f"<strong>{esc(ctx.base)}</strong>, is the base every option is measured against), "
        f"each with {n:,} replications.</p>"
        + "<h3>How to read the numbers</h3>"
        + paragraphs(HOW_TO_READ)
    )
    return section("question", "The question", body, major=False)


def lever_items(config: ScenarioConfig) -> list[tuple[str, list[tuple[str, str]]]]:
    """The deployed levers of a config, each with its settings as ``(key, value)`` text,
    then non-default adversary and air-defence settings; ``("no lever deployed", [])``
    when no lever is deployed."""
    from scenario.config.schema import Adversary, AirDefenceSettings

    items: list[tuple[str, list[tuple[str, str]]]] = []
    for name, lever in config.policy.levers().items():
        if not lever.deploy:
            continue
        data = lever.model_dump(mode="json", exclude={"deploy", "trigger"})
        fields = [(k, _plain(v)) for k, v in data.items()]
        trig = lever.trigger
        if trig is not None:
            level = f" at {_plain(trig.threshold)}" if trig.threshold is not None else ""
            fields.insert(0, ("trigger", f"{trig.event}{level} + {trig.delay_days} days"))
        items.append((name, fields))
    if config.policy.custom:
        items.append(("custom", [(k, _plain(v)) for k, v in config.policy.custom.items()]))
    if not items:
        items.append(("no lever deployed", []))
    default = Adversary().model_dump(mode="json")
    changed = [
        (k, _plain(v))
        for k, v in config.adversary.model_dump(mode="json").items()
        if default.get(k) != v
    ]
    if config.air_defence != AirDefenceSettings():
        changed.append(("air defence engine", config.air_defence.engine))
    if changed:
        items.append(("adversary and world", changed))
    return items


def _levers_html(config: ScenarioConfig) -> str:
    parts = []
    for name, fields in lever_items(config):
        rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in fields)
        dl = f'<dl class="kv">{rows}</dl>' if rows else ""
        parts.append(f'<div class="lever"><strong>{esc(name)}</strong>{dl}</div>')
    return "".join(parts)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value) or "none"
    return str(value)


def options_section(ctx: Context) -> str:
    """One card per option: name, description, deployed levers, horizon."""
    cards = []
    for name, res in ctx.runs.items():
        cfg = res.config
        desc = (
            esc(cfg.description)
            if cfg.description
            else '<span class="muted">no description</span>'
        )
        cards.append(
            f'<div class="opt" data-option="{esc(name)}"><h3>{ctx.option_label(name)}</h3>'
            f"<p>{desc}</p>{_levers_html(cfg)}"
            f'<p class="note">config {esc(cfg.name)}; model {esc(cfg.model)}; '
            f"{cfg.horizon_days} days from {cfg.start_date.isoformat()}</p></div>"
        )
    body = f'<div class="opts">{"".join(cards)}</div>'
    return section("options", "The options compared", body, major=False)


def censored_note(ctx: Context, outcome: str) -> str:
    """For a day outcome that reads the horizon when the event never happens: what the
    horizon value means and how often each option has it; else ``""``."""
    m = ctx.meta(outcome)
    if m.unit != "day" or "horizon" not in m.description:
        return ""
    horizon = ctx.base_results.config.horizon_days
    shares = []
    for name, res in ctx.runs.items():
        if outcome in res.outcomes:
            x = res.outcomes[outcome]
            x = x[np.isfinite(x)]
            share = float(np.mean(x >= horizon)) if x.size else float("nan")
            shares.append(f"{name} {percent(share)}")
    return (
        f"{horizon} means not within the {horizon}-day horizon (share of replications: "
        + ", ".join(shares)
        + ")."
    )


def _group_row(ctx: Context, outcome: str, span: int) -> str:
    m = ctx.meta(outcome)
    from scenario.tables.text import UNIT_WORDS

    # "min" (minutes) would read as the minimum next to a "min" column.
    unit = f" [{esc(UNIT_WORDS.get(m.unit, m.unit))}]" if m.unit else ""
    word = DIRECTION_WORDS.get(m.direction, m.direction)
    desc = f'<div class="sub">{esc(m.description)}</div>' if m.description else ""
    cens = censored_note(ctx, outcome)
    if cens:
        desc += f'<div class="censored">{esc(cens)}</div>'
    return (
        f'<tr class="group"><th colspan="{span}" scope="rowgroup">{esc(outcome)}{unit}'
        f'<span class="dir">{esc(word)}</span>{desc}</th></tr>'
    )


_SUMMARY_HEAD = (
    ("option", False),
    ("mean", True),
    ("95% CI of mean", True),
    ("p5", True),
    ("p50", True),
    ("95% CI of p50", True),
    ("p95", True),
)


def summary_body(ctx: Context, outcomes: Sequence[str], *, full: bool = False) -> str:
    """``<tbody>`` per outcome: a header row, then one row per option."""
    span = len(_SUMMARY_HEAD) + (4 if full else 0)
    parts = []
    for outcome in outcomes:
        rows = [_group_row(ctx, outcome, span)]
        for name in ctx.runs:
            s = ctx.summaries[name].get(outcome)
            if s is None:
                rows.append(
                    f'<tr data-option="{esc(name)}"><td>{ctx.option_label(name)}</td>'
                    f'<td colspan="{span - 1}" class="muted">not an outcome of this run</td></tr>'
                )
                continue
            failed = f' <span class="muted">({s.failed:,} failed)</span>' if s.failed else ""
            cells = [
                num_cell(s.mean, "mean"),
                ci_cell(s.mean_lo, s.mean_hi, "mean_ci", n=s.n),
                num_cell(s.p5, "p5"),
                num_cell(s.p50, "p50"),
                ci_cell(s.p50_lo, s.p50_hi, "p50_ci", n=s.n),
                num_cell(s.p95, "p95"),
            ]
            if full:
                cells += [num_cell(s.sd, "sd"), num_cell(s.min, "min"), num_cell(s.max, "max")]
                cells.append(num_cell(float(s.n), "n", text=f"{s.n:,}"))
            rows.append(
                f'<tr data-option="{esc(name)}"><td>{ctx.option_label(name)}{failed}</td>'
                + "".join(cells)
                + "</tr>"
            )
        parts.append(
            f'<tbody class="outcome" data-outcome="{esc(outcome)}">{"".join(rows)}</tbody>'
        )
    return "".join(parts)


def headline_section(ctx: Context) -> str:
    """The headline outcome table."""
    body = table(
        _SUMMARY_HEAD,
        summary_body(ctx, ctx.headline),
        caption=(
            "Headline outcomes across replications: mean with its 95% CI, and the 5th, 50th "
            "and 95th percentiles (with the 95% CI of the median). Units in brackets."
        ),
        cls="summary",
        table_id="t-headline",
    )
    note = (
        '<p class="note">Every outcome, with sd, min and max, is in '
        '<a href="#all-outcomes">All outcomes</a>.</p>'
    )
    return section("headline", "Headline outcomes", body + note)


_PAIRED_HEAD = (
    ("option", False),
    ("Δ mean (option − base)", True),
    ("95% CI of Δ", True),
    ("P(better)", True),
    ("95% CI", True),
    ("P(tie)", True),
    ("P(worse)", True),
    ("reading", False),
)


def _reading(oc: OutcomeComparison, row: OptionOutcome) -> tuple[str, str]:
    """Plain words for a paired difference, and a CSS class."""
    d = row.diff
    if d is None:
        return "", ""
    if d.p_tie == 1.0:
        return "no change in any replication", "muted"
    if not d.diff_lo <= 0.0 <= d.diff_hi and d.diff_lo == d.diff_lo:
        up = d.diff_mean > 0
        if oc.direction == "info":
            return ("higher" if up else "lower") + " on average", ""
        good = up == (oc.direction == "maximize")
        return ("better" if good else "worse") + " on average", "better" if good else "worse"
    return "no clear difference on average", "muted"


def paired_body(ctx: Context, outcomes: Sequence[str]) -> str:
    """``<tbody>`` per compared outcome: one row per option other than the base."""
    comp = ctx.comparison
    if comp is None:
        return ""
    parts = []
    for outcome in outcomes:
        oc = next((o for o in comp.outcomes if o.outcome == outcome), None)
        if oc is None:
            continue
        rows = [_group_row(ctx, outcome, len(_PAIRED_HEAD))]
        for row in oc.options:
            d = row.diff
            if d is None:
                continue
            ranked = oc.direction != "info"
            word, cls = _reading(oc, row)
            cells = [
                num_cell(d.diff_mean, "diff_mean"),
                ci_cell(d.diff_lo, d.diff_hi, "diff_ci", n=d.n),
                num_cell(d.p_better, "p_better", text=percent(d.p_better) if ranked else "—"),
                ci_cell(
                    d.p_better_lo,
                    d.p_better_hi,
                    "p_better_ci",
                    n=d.n if ranked else 0,
                    fmt=percent,
                ),
                num_cell(d.p_tie, "p_tie", text=percent(d.p_tie)),
                num_cell(d.p_worse, "p_worse", text=percent(d.p_worse) if ranked else "—"),
            ]
            rows.append(
                f'<tr data-option="{esc(row.option)}"><td>{ctx.option_label(row.option)}</td>'
                + "".join(cells)
                + f'<td class="{cls}">{esc(word)}</td></tr>'
            )
        parts.append(
            f'<tbody class="outcome" data-outcome="{esc(outcome)}">{"".join(rows)}</tbody>'
        )
    return "".join(parts)


def paired_section(ctx: Context) -> str:
    """The paired comparison of each option with the base (absent with one run)."""
    if len(ctx.runs) < 2:
        return ""
    comp = ctx.comparison
    if comp is None:
        body = f'<p class="missing">No paired comparison: {esc(ctx.comparison_note)}</p>'
        return section("paired", "Paired comparison with the base", body)
    intro = paragraphs(
        [
            f"Each option against {ctx.base}, replication by replication ({comp.replications:,} "
            f"paired replications, seed {comp.seed}). P(better), P(tie) and P(worse) are the "
            "shares of replications in which the option does better than the base, exactly "
            "as well, or worse, by the outcome's direction; they add up to 100%.",
        ]
    )
    notes = paragraphs(comp.notes)
    shown = [o for o in ctx.headline if any(oc.outcome == o for oc in comp.outcomes)]
    tab = table(
        _PAIRED_HEAD,
        paired_body(ctx, shown),
        caption="Headline outcomes: paired difference from the base.",
        cls="paired",
        table_id="t-paired",
    )
    figs = figures_grid(
        ctx.figures.figure(
            "paired_differences", comp, o, caption=f"{o}: option − base, per replication"
        )
        for o in shown
    )
    more = (
        '<p class="note">Every compared outcome is in '
        '<a href="#all-outcomes">All outcomes</a>.</p>'
    )
    return section("paired", "Paired comparison with the base", intro + notes + tab + more + figs)


def all_outcomes_section(ctx: Context) -> str:
    """Every outcome of every run, and every paired difference."""
    base = ctx.base_results
    names = list(base.outcomes)
    for res in ctx.runs.values():
        names += [n for n in res.outcomes if n not in names]
    head = (*_SUMMARY_HEAD, ("sd", True), ("min", True), ("max", True), ("n", True))
    body = table(
        head,
        summary_body(ctx, names, full=True),
        caption="Every outcome: n is the number of replications with a finite value.",
        cls="summary full",
        table_id="t-all",
    )
    comp = ctx.comparison
    if comp is not None:
        body += "<h3>Every paired difference</h3>" + table(
            _PAIRED_HEAD,
            paired_body(ctx, [o.outcome for o in comp.outcomes]),
            caption=(
                "Every compared outcome and weighted objective: paired difference from the base."
            ),
            cls="paired full",
            table_id="t-paired-all",
        )
    return section("all-outcomes", "All outcomes", body)
