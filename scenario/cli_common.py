"""Shared pieces of the command-line interface: the typer app, consoles, argument types,
error printing, number formatting and the outcome table.

Command modules (:mod:`scenario.cli` and :mod:`scenario.commands`) import these; everything
heavy is imported inside the functions, so ``scenario --help`` only pays for typer.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scenario.errors import ScenarioError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from scenario.analysis.summary import OutcomeSummary
    from scenario.config.schema import ScenarioConfig

__all__ = [
    "ConfigArg",
    "SetOpt",
    "app",
    "err",
    "fail",
    "fmt",
    "load",
    "out",
    "print_error",
    "summary_table",
]

app = typer.Typer(
    name="scenario",
    help=(
        "Distributions of outcomes for South Korea's policy options on North Korea's "
        "deployment to Kursk. Configs are YAML files; see README.md."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _width(stream: object) -> int | None:
    """The terminal's width, or 220 columns when piped (so wide tables stay whole; narrow
    layouts for pipes and small terminals are issue 10's)."""
    return None if getattr(stream, "isatty", lambda: False)() else 220


@functools.cache
def out() -> Console:
    """The stdout console (see :func:`_width`)."""
    from rich.console import Console

    return Console(width=_width(sys.stdout))


@functools.cache
def err() -> Console:
    """The stderr console."""
    from rich.console import Console

    return Console(stderr=True, width=_width(sys.stderr))


ConfigArg = Annotated[Path, typer.Argument(help="Scenario YAML file.", show_default=False)]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Override a key after merging, as dotted.key=value (YAML value). Repeatable.",
        show_default=False,
    ),
]


def print_error(text: str) -> None:
    """Print ``error: LINE`` per line of ``text`` on stderr, as is (no markup, no wrapping)."""
    for line in text.splitlines():
        err().print(f"error: {line}", markup=False, highlight=False, emoji=False, soft_wrap=True)


def fail(exc: ScenarioError) -> typer.Exit:
    """Print a user's error as located lines; return the Exit(1) to raise."""
    print_error(str(exc))
    return typer.Exit(code=1)


def fmt(x: float) -> str:
    """A number in a short, readable form (thousands separators, 3 significant places)."""
    if x != x:  # NaN
        return "nan"
    ax = abs(x)
    if ax >= 1000:
        return f"{x:,.0f}"
    if ax >= 10:
        return f"{x:.1f}"
    if ax >= 0.01 or ax == 0:
        return f"{x:.3f}".rstrip("0").rstrip(".")
    return f"{x:.2e}"


def summary_table(rows: list[OutcomeSummary], title: str = "") -> Table:
    """A rich table of outcome summaries (point estimates with 95 % intervals).

    Parameters
    ----------
    rows : list of OutcomeSummary
        From :func:`scenario.analysis.summary.summarize_results`.
    title : str
        Table title; none if empty.

    Returns
    -------
    rich.table.Table
    """
    from rich.table import Table

    table = Table(title=title or None, show_lines=False, header_style="bold")
    table.add_column("outcome", no_wrap=True)
    table.add_column("unit")
    table.add_column("mean [95% CI]", justify="right")
    table.add_column("sd", justify="right")
    table.add_column("p5", justify="right")
    table.add_column("p50 [95% CI]", justify="right")
    table.add_column("p95", justify="right")
    table.add_column("min", justify="right")
    table.add_column("max", justify="right")
    for s in rows:
        table.add_row(
            s.name,
            s.unit,
            f"{fmt(s.mean)} [{fmt(s.mean_lo)}, {fmt(s.mean_hi)}]",
            fmt(s.sd),
            fmt(s.p5),
            f"{fmt(s.p50)} [{fmt(s.p50_lo)}, {fmt(s.p50_hi)}]",
            fmt(s.p95),
            fmt(s.min),
            fmt(s.max),
        )
    return table


def load(path: Path, sets: list[str] | None) -> ScenarioConfig:
    """Load a config with ``--set`` overrides."""
    from scenario.config.loader import load_config

    return load_config(path, overrides=sets or [])
