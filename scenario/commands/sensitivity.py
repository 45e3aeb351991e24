"""The ``scenario sensitivity`` command: tornado, Morris or Sobol for one outcome."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scenario.cli_common import ConfigArg, SetOpt, app, fail, fmt, load, out
from scenario.errors import ScenarioError

if TYPE_CHECKING:
    from rich.table import Table

    from scenario.analysis.global_sensitivity import MorrisResult, SobolResult
    from scenario.analysis.sensitivity import Tornado

__all__ = ["sensitivity", "sensitivity_table"]


class MethodName(StrEnum):
    """Sensitivity methods."""

    tornado = "tornado"
    morris = "morris"
    sobol = "sobol"


def _table(title: str, headers: list[str]) -> Table:
    from rich.table import Table

    table = Table(title=title, header_style="bold", title_justify="left", pad_edge=False)
    for i, h in enumerate(headers):
        table.add_column(h, justify="left" if i == 0 else "right", overflow="fold")
    return table


def sensitivity_table(result: Tornado | MorrisResult | SobolResult, top: int = 20) -> Table:
    """A table of a sensitivity result, at most ``top`` factors, 80 columns wide."""
    from scenario.analysis.global_sensitivity import MorrisResult, SobolResult
    from scenario.analysis.sensitivity import Tornado

    if isinstance(result, Tornado):
        lo, hi = result.quantiles
        t = _table(
            f"tornado of {result.outcome} ({result.unit}): mean at the factor's "
            f"p{lo * 100:g} and p{hi * 100:g}, base {fmt(result.base_mean)}",
            ["factor", f"at p{lo * 100:g}", f"at p{hi * 100:g}", "swing [95% CI]"],
        )
        for r in result.rows[:top]:
            t.add_row(
                r.factor,
                fmt(r.mean_low),
                fmt(r.mean_high),
                f"{fmt(r.swing)} [{fmt(r.swing_lo)}, {fmt(r.swing_hi)}]",
            )
    elif isinstance(result, MorrisResult):
        t = _table(
            f"Morris screening of {result.outcome} ({result.unit}), {result.trajectories} "
            f"trajectories, {result.runs:,} runs",
            ["factor", "mu*  [95% CI]", "mu", "sigma"],
        )
        for m in result.rows[:top]:
            lo = max(m.mu_star_lo, 0.0)  # mu* is a mean of absolute values
            t.add_row(
                m.factor,
                f"{fmt(m.mu_star)} [{fmt(lo)}, {fmt(m.mu_star_hi)}]",
                fmt(m.mu),
                fmt(m.sigma) if m.sigma == m.sigma else "-",  # SALib: no sigma for groups
            )
    elif isinstance(result, SobolResult):
        lvl = f"{result.conf_level * 100:g}%"
        t = _table(
            f"Sobol indices of {result.outcome} ({result.unit}), N = {result.n}, "
            f"{result.runs:,} runs; model randomness {result.noise_share:.3f} "
            f"[{result.noise_lo:.3f}, {result.noise_hi:.3f}] of the variance; S1 first "
            "order, ST total",
            ["factor", f"S1 [{lvl}]", f"ST [{lvl}]", "ST - noise"],
        )
        for s in result.rows[:top]:
            t.add_row(
                s.factor,
                f"{s.s1:.3f} [{s.s1_lo:.3f}, {s.s1_hi:.3f}]",
                f"{s.st:.3f} [{s.st_lo:.3f}, {s.st_hi:.3f}]",
                f"{s.st_net:.3f}",
            )
    return t


@app.command()
def sensitivity(
    config: ConfigArg,
    outcome: Annotated[str, typer.Option("--outcome", "-o", help="Outcome to explain.")],
    method: Annotated[
        MethodName, typer.Option("--method", "-m", help="tornado, morris or sobol.")
    ] = MethodName.tornado,
    replications: Annotated[
        int | None,
        typer.Option(
            "-n",
            "--replications",
            help="tornado: replications per run (1000); morris: trajectories (20); "
            "sobol: base sample N, a power of 2 (1024).",
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Root seed.")] = None,
    workers: Annotated[int | None, typer.Option("--workers", "-w")] = None,
    groups: Annotated[
        bool, typer.Option("--groups", help="One factor per parameter group (YAML group).")
    ] = False,
    top: Annotated[int, typer.Option("--top", help="Rows to show.")] = 20,
    sets: SetOpt = None,
) -> None:
    """Which uncertain inputs drive an outcome: one-at-a-time tornado, Morris elementary
    effects or Sobol indices (with the model's own randomness as its own share)."""
    from scenario.analysis.global_sensitivity import morris, sobol
    from scenario.analysis.sensitivity import tornado

    try:
        cfg = load(Path(config), sets)
        result: Tornado | MorrisResult | SobolResult
        if method is MethodName.tornado:
            result = tornado(
                cfg,
                outcome=outcome,
                replications=replications or 1000,
                seed=seed,
                workers=workers,
                groups=groups,
            )
        elif method is MethodName.morris:
            result = morris(
                cfg,
                outcome=outcome,
                trajectories=replications or 20,
                seed=seed,
                workers=workers,
                groups=groups,
            )
        else:
            result = sobol(
                cfg,
                outcome=outcome,
                n=replications or 1024,
                seed=seed,
                workers=workers,
                groups=groups,
            )
    except ScenarioError as exc:
        raise fail(exc) from None
    out().print(sensitivity_table(result, top))
