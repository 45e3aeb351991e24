"""The ``scenario discover`` command: PRIM scenario discovery (see
:mod:`scenario.analysis.discovery`) on saved results, or on a config run first.

Prints the chosen box as a table of restricted inputs (range and quasi-p-value), its
coverage, density and mass, and the box in one plain sentence; ``--trajectory`` adds the
peeling trajectory.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scenario.cli_common import SetOpt, app, fail, fmt, load, out
from scenario.errors import ResultsError, ScenarioError

if TYPE_CHECKING:
    from rich.table import Table

    from scenario.analysis.discovery import Discovery
    from scenario.results import Results

__all__ = ["box_table", "discover", "trajectory_table"]


def box_table(found: Discovery) -> Table:
    """The restricted inputs of the chosen box, most important first (fits 80 columns).

    Parameters
    ----------
    found : Discovery
        From :func:`scenario.analysis.discovery.discover`.

    Returns
    -------
    rich.table.Table
        Columns: input, low, high (``-`` where the side is not restricted), quasi-p-value.
    """
    from rich.table import Table
    from rich.text import Text

    table = Table(title="restricted inputs, most important first", header_style="bold")
    table.add_column("input", overflow="fold")
    table.add_column("low", justify="right", no_wrap=True)
    table.add_column("high", justify="right", no_wrap=True)
    table.add_column("quasi-p", justify="right", no_wrap=True)
    for r in found.box.restrictions:
        table.add_row(
            Text(r.input),
            fmt(r.low) if r.bounded_below else "-",
            fmt(r.high) if r.bounded_above else "-",
            fmt(r.p_value) if r.p_value > 0 else "<1e-300",
        )
    return table


def trajectory_table(found: Discovery) -> Table:
    """The peeling trajectory, one row per box; the chosen step is marked ``*``.

    Parameters
    ----------
    found : Discovery
        From :func:`scenario.analysis.discovery.discover`.

    Returns
    -------
    rich.table.Table
    """
    from rich.table import Table

    table = Table(title="peeling trajectory (* chosen, before pasting)", header_style="bold")
    for name in ("step", "coverage", "density", "mass", "points", "restricted"):
        table.add_column(name, justify="right", no_wrap=True)
    for s in found.trajectory:
        table.add_row(
            f"{s.step}{'*' if s.step == found.chosen else ''}",
            f"{s.coverage:.3f}",
            f"{s.density:.3f}",
            f"{s.mass:.3f}",
            f"{s.n_points:,}",
            str(s.n_restricted),
        )
    return table


def _results(
    source: Path, replications: int | None, seed: int | None, sets: list[str] | None
) -> Results:
    """Saved results from a directory, or a run of a config file."""
    from scenario.results import load_results

    if source.is_dir():
        if replications is not None or seed is not None or sets:
            raise ResultsError(
                f"-n, --seed and --set apply to a config file, not to saved results "
                f"(got the results directory {source})"
            )
        return load_results(source)
    if not source.is_file():
        raise ResultsError(f"{source}: no such results directory or config file")
    from scenario.engine.runner import run

    cfg = load(source, [*(sets or []), "run.series_replications=0"])
    return run(cfg, replications=replications, seed=seed)


@app.command()
def discover(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="RESULTS_DIR",
            help="Results saved by `scenario run CONFIG --out DIR`, or a config to run first.",
            show_default=False,
        ),
    ],
    outcome: Annotated[
        str, typer.Option("--outcome", help="Outcome that defines the cases of interest.")
    ],
    above: Annotated[
        float | None, typer.Option("--above", metavar="T", help="Cases: outcome above T.")
    ] = None,
    below: Annotated[
        float | None, typer.Option("--below", metavar="T", help="Cases: outcome below T.")
    ] = None,
    inputs: Annotated[
        str | None,
        typer.Option("--inputs", help="Inputs to consider, comma-separated (default: all)."),
    ] = None,
    mass_min: Annotated[
        float, typer.Option("--mass-min", help="Smallest share of replications in a box.")
    ] = 0.05,
    threshold_density: Annotated[
        float | None,
        typer.Option("--density", help="Choose the widest box with at least this density."),
    ] = None,
    trajectory: Annotated[
        bool, typer.Option("--trajectory", help="Also print the peeling trajectory.")
    ] = False,
    replications: Annotated[
        int | None, typer.Option("-n", "--replications", help="Config only: replications.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Config only: root seed.")] = None,
    sets: SetOpt = None,
) -> None:
    """Under which input ranges is an outcome above (or below) a threshold? (PRIM)"""
    from scenario.analysis.discovery import discover as find

    try:
        if (above is None) == (below is None):
            got = "neither" if above is None else f"both, --above {above} --below {below}"
            raise ResultsError(f"give exactly one of --above T or --below T (got {got})")
        names = [s.strip() for s in inputs.split(",") if s.strip()] if inputs else None
        results = _results(source, replications, seed, sets)
        found = find(
            results,
            outcome,
            above=above,
            below=below,
            inputs=names,
            mass_min=mass_min,
            threshold_density=threshold_density,
        )
    except ScenarioError as exc:
        raise fail(exc) from None
    _print(found, results, trajectory)


def _print(found: Discovery, results: Results, trajectory: bool) -> None:
    """Print the header, the box table, its statistics, the sentence and the trajectory."""
    say = functools.partial(out().print, markup=False, highlight=False, emoji=False)
    box = found.box
    say(
        f"{results.config.name}: {found.n:,} replications (seed {results.manifest['seed']}"
        f", {found.n_dropped} dropped for a non-finite {found.outcome}); "
        f"{found.n_cases:,} have {found.outcome} {found.side} {found.threshold:,g} "
        f"({found.n_cases / found.n:.0%})"
    )
    say(
        f"box: step {found.chosen} of {len(found.trajectory) - 1} on the peeling trajectory, "
        f"{found.rule}; then pasted and pruned"
    )
    if box.restrictions:
        out().print(box_table(found))
    say(
        f"coverage {box.coverage:.0%}   density {box.density:.0%}   mass {box.mass:.0%}   "
        f"({box.n_points:,} replications, {box.n_cases:,} of them cases)"
    )
    say(found.describe())
    if trajectory:
        out().print(trajectory_table(found))
