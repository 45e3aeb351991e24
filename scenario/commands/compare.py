"""The ``scenario compare`` command: options against a base, paired on one seed.

``scenario compare BASE OPTION...`` runs (or loads) every option on the base's seed and
replications and prints, per outcome, a header line (unit and direction) and one row per
option: rank, mean, p5–p95, the paired difference from the base with its 95 % interval, and
the shares of replications in which the option does better, ties and does worse. Tables fit
an 80-column terminal; ``--wide`` prints one wide table instead. A single config with a
``sweep:`` block compares its points. :func:`print_sweep_run` is what ``scenario run``
prints for a config with a sweep: one summary table per point.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scenario.cli_common import SetOpt, app, err, fail, fmt, load, out, summary_table
from scenario.errors import ScenarioError

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

    from scenario.analysis.compare import Comparison, OptionOutcome, OutcomeComparison
    from scenario.analysis.robustness import Robustness
    from scenario.config.schema import ScenarioConfig

__all__ = ["compare", "comparison_renderables", "print_sweep_run"]

_WORDS = {
    "maximize": "maximize: higher is better",
    "minimize": "minimize: lower is better",
    "info": "info: reported, not ranked",
}


def _signed(x: float) -> str:
    text = fmt(x)
    return text if text.startswith("-") or text == "nan" or x == 0 else f"+{text}"


def _compact_table() -> Table:
    """A borderless table with one space between columns (for 80-column terminals)."""
    from rich import box
    from rich.table import Table

    return Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        header_style="bold",
        show_edge=False,
        collapse_padding=True,
    )


def _short(option: str) -> str:
    """An option name for a narrow table: lever keys of sweep points without ``policy.``."""
    return option.replace("policy.", "")


def _add_row(table: Table, *cells: str) -> None:
    """Add a row of plain text (user names are never read as rich markup)."""
    from rich.text import Text

    table.add_row(*(Text(c) for c in cells))


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


def _delta(row: OptionOutcome) -> str:
    d = row.diff
    if d is None:
        return ""
    half = (d.diff_hi - d.diff_lo) / 2
    return f"{_signed(d.diff_mean)} ±{fmt(half)}"


def _group_table(oc: OutcomeComparison) -> Table:

    table = _compact_table()
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("option", overflow="fold", max_width=32)
    table.add_column("mean", justify="right", no_wrap=True)
    table.add_column("p5–p95", justify="right", no_wrap=True)
    table.add_column("Δ vs base ±95%", justify="right", no_wrap=True)
    table.add_column("better/tie/worse", justify="right", no_wrap=True)
    for row in oc.options:
        _add_row(
            table,
            "" if row.rank is None else str(row.rank),
            _short(row.option),
            fmt(row.mean),
            f"{fmt(row.p5)}–{fmt(row.p95)}",
            _delta(row),
            _shares(row, oc.direction),
        )
    return table


def _header(oc: OutcomeComparison) -> Any:
    from rich.text import Text

    unit = f" [{oc.unit}]" if oc.unit else ""
    return Text(f"{oc.outcome}{unit}, {_WORDS.get(oc.direction, oc.direction)}", style="bold")


def _wide_table(comparison: Comparison) -> Table:
    from rich.table import Table

    table = Table(header_style="bold", title="paired comparison (Δ = option - base)")
    heads = ["outcome", "unit", "direction", "option", "rank", "mean", "p5", "p50", "p95"]
    heads += ["Δ", "Δ lo", "Δ hi", "P better", "[lo", "hi]", "P tie", "P worse"]
    heads += ["mean regret", "P best", f"CVaR{comparison.robustness.cvar_level * 100:g}"]
    for i, h in enumerate(heads):
        table.add_column(h, justify="left" if i < 4 else "right", no_wrap=True)
    rob = {(r.objective, r.option): r for r in comparison.robustness.rows}
    for oc in comparison.outcomes:
        for row in oc.options:
            d = row.diff
            diff = ["base", *[""] * 7]
            if d is not None:
                diff = [fmt(d.diff_mean), fmt(d.diff_lo), fmt(d.diff_hi)]
                diff += [f"{p:.3f}" for p in (d.p_better, d.p_better_lo, d.p_better_hi)]
                diff += [f"{d.p_tie:.3f}", f"{d.p_worse:.3f}"]
                if oc.direction == "info":  # no better or worse, only ties
                    diff[3:6] = ["", "", ""]
                    diff[7] = ""
            r = rob.get((oc.outcome, row.option))
            extra = [fmt(r.regret_mean), f"{r.share_best:.3f}", fmt(r.cvar)] if r else ["", "", ""]
            _add_row(
                table,
                oc.outcome,
                oc.unit,
                oc.direction,
                row.option,
                "" if row.rank is None else str(row.rank),
                *(fmt(v) for v in (row.mean, row.p5, row.p50, row.p95)),
                *diff,
                *extra,
            )
    return table


def _robustness_renderables(rob: Robustness) -> list[RenderableType]:
    from rich.text import Text

    level = f"{rob.cvar_level * 100:g}"
    parts: list[RenderableType] = [
        Text(""),
        Text(
            "robustness: regret against the best option in each replication; P(best) with "
            f"ties shared; CVaR{level} = mean of the worst {100 - rob.cvar_level * 100:g}% "
            "of replications",
            style="bold",
        ),
    ]
    for name in rob.objectives:
        rows = [r for r in rob.rows if r.objective == name]
        unit = f" [{rows[0].unit}]" if rows and rows[0].unit else ""
        parts.append(Text(""))
        parts.append(Text(f"{name}{unit}, {_WORDS.get(rows[0].direction, '')}", style="bold"))
        table = _compact_table()
        table.add_column("option", overflow="fold", max_width=32)
        for head in ("regret mean", "p95", "max", "P(best)", f"CVaR{level} ±95%"):
            table.add_column(head, justify="right", no_wrap=True)
        for r in rows:
            _add_row(
                table,
                _short(r.option),
                fmt(r.regret_mean),
                fmt(r.regret_p95),
                fmt(r.regret_max),
                f"{r.share_best:.2f}",
                f"{fmt(r.cvar)} ±{fmt((r.cvar_hi - r.cvar_lo) / 2)}",
            )
        parts.append(table)
    return parts


def _satisficing_renderables(rob: Robustness) -> list[RenderableType]:
    from rich.text import Text

    if not rob.satisficing:
        return []
    table = _compact_table()
    table.add_column("threshold", overflow="fold", max_width=30)
    table.add_column("option", overflow="fold", max_width=32)
    table.add_column("P(met) [95% CI]", justify="right", no_wrap=True)
    for s in rob.satisficing:
        _add_row(
            table,
            f"{s.objective} {s.threshold}",
            _short(s.option),
            f"{s.p:.2f} [{s.p_lo:.2f}, {s.p_hi:.2f}]",
        )
    title = Text("satisficing: share of replications within each threshold", style="bold")
    return [Text(""), title, table]


def comparison_renderables(
    comparison: Comparison, *, wide: bool = False, robustness: bool = False
) -> list[RenderableType]:
    """What ``scenario compare`` prints, as rich renderables (80 columns unless ``wide``).

    Parameters
    ----------
    comparison : Comparison
        From :func:`scenario.analysis.compare.compare_options`.
    wide : bool
        One wide table (every statistic in a column) instead of one group per outcome.
    robustness : bool
        Add the regret and expected-shortfall tables of every outcome.

    Returns
    -------
    list of rich renderables
        Print each with a console; plain text, no markup is interpreted.
    """
    from rich.text import Text

    c = comparison
    parts: list[RenderableType] = [
        Text(
            f"{len(c.options)} options, {c.replications:,} replications each, seed {c.seed}, "
            f"paired on common random numbers. Δ = option - base ({c.base}); "
            "better/tie/worse: shares of replications. # ranks the means (1 is best)."
        )
    ]
    parts.extend(Text(note, style="dim") for note in c.notes)
    if wide:
        parts.append(_wide_table(c))
    else:
        for oc in c.outcomes:
            parts.extend([Text(""), _header(oc), _group_table(oc)])
    parts.extend(_satisficing_renderables(c.robustness))
    if robustness:
        parts.extend(_robustness_renderables(c.robustness))
    parts.append(
        Text("Outcomes are model insight under stated ASSUMPTIONs, not prediction.", style="dim")
    )
    return parts


def _sources(paths: list[Path], sets: list[str] | None) -> list[Any]:
    """A results directory as its path; a YAML file loaded with ``--set`` overrides."""
    return [p if p.is_dir() else load(p, sets) for p in paths]


@app.command()
def compare(
    base: Annotated[
        Path, typer.Argument(help="Base: scenario YAML or results directory.", show_default=False)
    ],
    options: Annotated[
        list[Path] | None,
        typer.Argument(help="Options: YAML files or results directories.", show_default=False),
    ] = None,
    replications: Annotated[
        int | None,
        typer.Option("-n", "--replications", help="Replications (default: the base's)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Root seed (default: the base's).")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Worker processes shared by the runs.")
    ] = 1,
    outcomes: Annotated[
        str | None,
        typer.Option("--outcomes", help="Comma-separated outcomes (default: every ranked one)."),
    ] = None,
    wide: Annotated[bool, typer.Option("--wide", help="One wide table.")] = False,
    show_robustness: Annotated[
        bool, typer.Option("--robustness", "-r", help="Add regret and expected shortfall.")
    ] = False,
    sets: SetOpt = None,
) -> None:
    """Compare options with a base on common random numbers (a sweep config: its points)."""
    from scenario.analysis.compare import compare_options

    names = [s.strip() for s in outcomes.split(",") if s.strip()] if outcomes else None
    try:
        sources = _sources([base, *(options or [])], sets)
        single = len(sources) == 1 and not getattr(sources[0], "sweep", None)
        if single:
            raise typer.BadParameter(
                "give at least one OPTION to compare with BASE, or a config with a sweep: block"
            )
        if err().is_terminal:
            err().print("running the options ...", style="dim", markup=False)
        comparison = compare_options(
            sources[0],
            *sources[1:],
            replications=replications,
            seed=seed,
            workers=workers,
            outcomes=names,
        )
    except ScenarioError as exc:
        raise fail(exc) from None
    console = out()
    for part in comparison_renderables(comparison, wide=wide, robustness=show_robustness):
        console.print(part)


def print_sweep_run(
    config: ScenarioConfig,
    *,
    replications: int | None,
    seed: int | None,
    workers: int,
    save_to: Path | None,
    overwrite: bool,
) -> None:
    """Run every point of a sweep config and print one summary table per point.

    Each point is saved to ``save_to/<point name>`` when ``save_to`` is given. A user's
    mistake exits with code 1 and one located line per problem.
    """
    from scenario.analysis.summary import summarize_results
    from scenario.analysis.sweep import run_sweep

    try:
        sweep = run_sweep(config, replications=replications, seed=seed, workers=workers)
        if save_to is not None:
            for i, point in enumerate(sweep.points):
                target = save_to / sweep.name(i).replace("/", "_").replace(", ", ",")
                point.results.save(target, overwrite=overwrite)
    except ScenarioError as exc:
        raise fail(exc) from None
    console = out()
    for i, (_, res) in enumerate(sweep.points):
        title = (
            f"{config.name} [{sweep.name(i)}] (point {i + 1} of {len(sweep.points)}): "
            f"{res.replications:,} replications, seed {res.manifest['seed']}"
        )
        console.print(title, markup=False, highlight=False, style="bold")
        console.print(summary_table(summarize_results(res)))
        console.print(f"failed replications: {res.n_failed}")
    console.print(
        "points share the seed (paired); `scenario compare CONFIG` compares them."
        + (f" Results saved under {save_to}." if save_to is not None else "")
    )
