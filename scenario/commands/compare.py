"""The ``scenario compare`` command: options against a base, paired on one seed.

``scenario compare BASE OPTION...`` runs (or loads) every option on the base's seed and
replications and prints, per outcome, a header line (unit and direction) and one row per
option: rank, mean, p5–p95, the paired difference from the base with its 95 % interval, and
the shares of replications in which the option does better, ties and does worse; for a
censored outcome (:attr:`scenario.models.protocol.OutcomeInfo.censored`) lower bounds are
marked ``≥`` and a "never" column gives the share of replications without the event.
Tables fit the terminal (80 columns when piped; option names wrap on word boundaries);
``--wide`` prints one wide table, ``--format markdown|csv|json`` text to pipe (csv and json
at full precision). The text is built by :mod:`scenario.tables.comparison`. A single
config with a
``sweep:`` block compares its points. :func:`print_sweep_run` is what ``scenario run``
prints for a config with a sweep: one outcome table per point.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scenario.cli_common import (
    FormatOpt,
    OutcomeBlock,
    OutputFormat,
    SetOpt,
    WideOpt,
    app,
    err,
    fail,
    load,
    print_outcomes,
    print_renderables,
    width,
)
from scenario.errors import ScenarioError
from scenario.tables.comparison import (
    comparison_markdown,
    comparison_records,
    comparison_renderables,
)

if TYPE_CHECKING:
    from scenario.analysis.compare import Comparison
    from scenario.config.schema import ScenarioConfig

__all__ = ["compare", "comparison_renderables", "print_comparison", "print_sweep_run"]


def print_comparison(
    comparison: Comparison, *, wide: bool, robustness: bool, output: OutputFormat
) -> None:
    """Print a comparison in ``output`` (csv: the outcome records; json: the document)."""
    from scenario.tables.emit import csv_text, json_text

    c = comparison
    if output is OutputFormat.csv:
        sys.stdout.write(csv_text(comparison_records(c)))
    elif output is OutputFormat.json:
        doc = {
            "base": c.base,
            "options": list(c.options),
            "seed": c.seed,
            "replications": c.replications,
            "notes": list(c.notes),
            "outcomes": comparison_records(c),
            "satisficing": [s.model_dump() for s in c.robustness.satisficing],
        }
        sys.stdout.write(json_text(doc))
    elif output is OutputFormat.markdown:
        sys.stdout.write(comparison_markdown(c, wide=wide, robustness=robustness))
    else:
        parts = comparison_renderables(
            c, wide=wide, robustness=robustness, columns=width(sys.stdout)
        )
        print_renderables(parts, wide=wide)


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
    wide: WideOpt = False,
    show_robustness: Annotated[
        bool, typer.Option("--robustness", "-r", help="Add regret and expected shortfall.")
    ] = False,
    sets: SetOpt = None,
    output: FormatOpt = OutputFormat.table,
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
            err().print("running the options ...", style="dim")
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
    print_comparison(comparison, wide=wide, robustness=show_robustness, output=output)


def print_sweep_run(
    config: ScenarioConfig,
    *,
    replications: int | None,
    seed: int | None,
    workers: int,
    save_to: Path | None,
    overwrite: bool,
    wide: bool = False,
    output: OutputFormat = OutputFormat.table,
) -> None:
    """Run every point of a sweep config and print one outcome table per point.

    Each point is saved to ``save_to/<point name>`` when ``save_to`` is given. A user's
    mistake exits with code 1 and one located line per problem. ``output`` and ``wide`` as
    for ``scenario run`` (CSV: one table with a ``point`` column; JSON: ``{"points": ...}``).
    """
    from scenario.analysis.sweep import run_sweep
    from scenario.tables.outcomes import outcome_rows

    try:
        sweep = run_sweep(config, replications=replications, seed=seed, workers=workers)
        if save_to is not None:
            for i, point in enumerate(sweep.points):
                target = save_to / sweep.name(i).replace("/", "_").replace(", ", ",")
                point.results.save(target, overwrite=overwrite)
    except ScenarioError as exc:
        raise fail(exc) from None
    blocks = []
    for i, (_, res) in enumerate(sweep.points):
        title = (
            f"{config.name} [{sweep.name(i)}] (point {i + 1} of {len(sweep.points)}): "
            f"{res.replications:,} replications, seed {res.manifest['seed']}"
        )
        meta = {
            "point": sweep.name(i),
            "name": config.name,
            "replications": res.replications,
            "failed": res.n_failed,
            "seed": res.manifest["seed"],
            "horizon_days": config.horizon_days,
        }
        after = [f"failed replications: {res.n_failed}"]
        blocks.append(OutcomeBlock(title, outcome_rows(res), meta, after))
    tail = "points share the seed (paired); `scenario compare CONFIG` compares them." + (
        f" Results saved under {save_to}." if save_to is not None else ""
    )
    print_outcomes(blocks, wide=wide, fmt=output, after=[tail])
