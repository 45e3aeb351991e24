"""The ``scenario calibrate`` command: ABC-SMC of a scenario against the record."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scenario.cli_common import ConfigArg, SetOpt, app, fail, fmt, load, out
from scenario.errors import ScenarioError

if TYPE_CHECKING:
    from rich.table import Table

    from scenario.analysis.calibration import Calibration

__all__ = ["calibrate", "calibration_tables"]


def calibration_tables(cal: Calibration, top: int = 15) -> list[Table]:
    """The waves, and the parameters that narrowed most (80 columns)."""
    from rich.table import Table

    waves = Table(
        title=f"ABC-SMC against record {cal.record}: {cal.simulations:,} simulations, "
        f"{len(cal.weights):,} particles, {cal.ess:,.0f} distinct (ESS)",
        title_justify="left",
        header_style="bold",
    )
    for h in ("wave", "tolerance", "simulated", "accepted", "acceptance", "distinct"):
        waves.add_column(h, justify="right")
    for i, w in enumerate(cal.waves):
        waves.add_row(
            str(i),
            f"{w.tolerance:.3f}",
            f"{w.simulations:,}",
            f"{w.accepted:,}",
            f"{w.acceptance:.1%}",
            f"{w.unique:,}",
        )
    narrow = Table(
        title="how far each parameter narrowed (90 % interval width, posterior / prior)",
        title_justify="left",
        header_style="bold",
    )
    narrow.add_column("parameter", overflow="fold")
    for h in ("prior mean", "posterior", "width ratio"):
        narrow.add_column(h, justify="right")
    for n in sorted(cal.narrowing, key=lambda r: r.ratio)[:top]:
        narrow.add_row(n.parameter, fmt(n.prior_mean), fmt(n.posterior_mean), f"{n.ratio:.2f}")
    return [waves, narrow]


@app.command()
def calibrate(
    config: ConfigArg,
    record: Annotated[Path, typer.Option("--record", help="Record file (YAML).")],
    output: Annotated[Path, typer.Option("-o", "--out", help="Posterior CSV to write.")],
    particles: Annotated[int, typer.Option("--particles", "-n")] = 2000,
    seed: Annotated[int | None, typer.Option("--seed", help="Root seed.")] = None,
    workers: Annotated[int | None, typer.Option("--workers", "-w")] = None,
    top: Annotated[int, typer.Option("--top", help="Parameters to show.")] = 15,
    sets: SetOpt = None,
) -> None:
    """Calibrate a scenario's parameters to the record's fitting points (ABC-SMC) and write
    the accepted parameter rows as a posterior file for a `posterior:` entry."""
    from scenario.analysis.calibration import calibrate as run_calibration
    from scenario.analysis.calibration import write_posterior
    from scenario.config.record import load_record

    try:
        cfg = load(Path(config), sets)
        rec = load_record(record)
        cal = run_calibration(cfg, rec, particles=particles, seed=seed, workers=workers)
        path = write_posterior(cal, output, record_file=str(record), config_name=cfg.name)
    except ScenarioError as exc:
        raise fail(exc) from None
    for table in calibration_tables(cal, top):
        out().print(table)
    out().print(f"posterior written to {path}", markup=False, highlight=False)
