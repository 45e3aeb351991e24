"""The ``scenario voi`` command: EVPI and EVPPI of a choice among options."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scenario.cli_common import SetOpt, app, fail, fmt, out
from scenario.errors import ScenarioError

if TYPE_CHECKING:
    from rich.table import Table

    from scenario.analysis.voi import ValueOfInformation

__all__ = ["voi", "voi_table"]


def voi_table(result: ValueOfInformation, top: int = 15) -> Table:
    """The choice and the most valuable uncertainties, 80 columns wide."""
    import math

    from rich.markup import escape
    from rich.table import Table

    unit = f" ({result.unit})" if result.unit else ""
    if math.isfinite(result.evpi):
        evpi = f"EVPI {fmt(result.evpi)} (s.e. {fmt(result.evpi_se)})"
    else:
        evpi = "EVPI not estimated (needs 10 replications per varied parameter)"
    dropped = f" ({result.dropped:,} dropped: objective not finite)" if result.dropped else ""
    title = (
        f"value of information for choosing by {escape(result.objective)}{escape(unit)}, "
        f"{result.direction}; {result.replications:,} paired replications{dropped}\n"
        + "\n".join(
            f"  {escape(name)}: mean {fmt(m)}"
            f"{' <- best on average' if name == result.best else ''}"
            for name, m in zip(result.options, result.means, strict=True)
        )
        + f"\n  {evpi}\n  with the model's own randomness resolved too: "
        f"{fmt(max(result.evpi_upper, 0.0))}"
    )
    table = Table(title=title, title_justify="left", header_style="bold")
    table.add_column("uncertainty", overflow="fold")
    table.add_column("EVPPI", justify="right")
    table.add_column("s.e.", justify="right")
    table.add_column("share of EVPI", justify="right")
    for r in result.rows[:top]:
        share = f"{r.share_of_evpi:.0%}" if math.isfinite(r.share_of_evpi) else "-"
        table.add_row(r.factor, fmt(r.evppi), fmt(r.se), share)
    return table


@app.command()
def voi(
    base: Annotated[Path, typer.Argument(help="Base scenario (YAML) or results directory.")],
    options: Annotated[
        list[Path], typer.Argument(help="Option scenarios (YAML) or results directories.")
    ],
    objective: Annotated[
        str,
        typer.Option(
            "--objective",
            help="Outcome with a direction, or a weighted objective in the base's objectives:.",
        ),
    ],
    replications: Annotated[int | None, typer.Option("-n", "--replications")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Root seed for every run.")] = None,
    workers: Annotated[int | None, typer.Option("--workers", "-w")] = None,
    groups: Annotated[
        bool, typer.Option("--groups", help="One EVPPI per parameter group (YAML group).")
    ] = False,
    top: Annotated[int, typer.Option("--top", help="Rows to show.")] = 15,
    sets: SetOpt = None,
) -> None:
    """Which uncertainty, if resolved, would change the choice among the options, and how
    much that is worth (EVPI, and EVPPI per parameter or group)."""
    from scenario.analysis.voi import voi as run_voi
    from scenario.config.loader import load_config

    try:
        items = [
            load_config(p, overrides=sets or []) if p.is_file() else p for p in [base, *options]
        ]
        result = run_voi(
            items[0],
            *items[1:],
            objective=objective,
            replications=replications,
            seed=seed,
            workers=workers,
            groups=groups,
        )
    except ScenarioError as exc:
        raise fail(exc) from None
    out().print(voi_table(result, top))
