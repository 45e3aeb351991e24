"""Shared pieces of the command-line interface: the typer app, consoles, argument types,
error printing and number formatting (tables: :mod:`scenario.tables`).

Consoles are built per call, :func:`width` columns wide: ``COLUMNS`` if set, else the
terminal's width, else 80 when output goes to a pipe or a file. They print text literally
(no rich markup, control characters escaped).

Command modules (:mod:`scenario.cli` and :mod:`scenario.commands`) import these; everything
heavy is imported inside the functions, so ``scenario --help`` only pays for typer.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scenario.errors import ScenarioError

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from scenario.config.schema import ScenarioConfig
    from scenario.tables.outcomes import OutcomeRow

__all__ = [
    "ConfigArg",
    "FormatOpt",
    "OutcomeBlock",
    "OutputFormat",
    "SetOpt",
    "WideOpt",
    "app",
    "err",
    "fail",
    "fmt",
    "load",
    "out",
    "print_error",
    "print_outcomes",
    "print_renderables",
    "wide_console",
    "width",
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


def width(stream: object, piped: int = 80) -> int:
    """Columns to print to ``stream``: ``COLUMNS`` when set to a positive integer, else the
    terminal's width when ``stream`` is a terminal, else ``piped`` (a pipe or a file: 80).

    Read on every call, so a change of ``COLUMNS`` (a test, a resized terminal) takes effect.
    Tables fit this width; ``--wide`` tables take what they need (:func:`wide_console`).
    """
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    isatty = getattr(stream, "isatty", None)
    fileno = getattr(stream, "fileno", None)
    if callable(isatty) and callable(fileno):
        try:
            if isatty():
                return os.get_terminal_size(fileno()).columns or 80
        except (OSError, ValueError):
            pass
    return piped


def _console(*, stderr: bool, columns: int | None = None) -> Console:
    """A console that prints text literally: no markup, emoji codes or highlighting, and
    control characters of plain strings escaped (:func:`scenario.tables.literal`)."""
    from rich.console import Console

    from scenario.tables.text import literal

    class _Literal(Console):
        def render_str(self, text: str, **kwargs: Any) -> Any:
            return super().render_str(literal(text, lines=True), **kwargs)

    stream = sys.stderr if stderr else sys.stdout
    return _Literal(
        stderr=stderr,
        width=columns or width(stream),
        markup=False,
        emoji=False,
        highlight=False,
    )


def out(piped: int = 80) -> Console:
    """A new stdout console, :func:`width` columns wide, printing text literally.

    Built on each call (not cached), so tests that change ``COLUMNS`` or capture stdout do
    not see an earlier console. ``piped``: the width for a pipe or a file (a register too
    wide for 80 columns, such as ``scenario params``, asks for more).
    """
    return _console(stderr=False, columns=width(sys.stdout, piped))


def err() -> Console:
    """A new stderr console (see :func:`out`)."""
    return _console(stderr=True)


def wide_console(*renderables: RenderableType) -> Console:
    """A stdout console as wide as the widest of ``renderables`` needs (``--wide``), so
    nothing is cut or folded; the terminal wraps long lines, ``less -S`` scrolls them."""
    from rich.measure import Measurement

    probe = _console(stderr=False, columns=10_000)
    need = max((Measurement.get(probe, probe.options, r).maximum for r in renderables), default=80)
    return _console(stderr=False, columns=max(need, width(sys.stdout)))


ConfigArg = Annotated[Path, typer.Argument(help="Scenario YAML file.", show_default=False)]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Override a key after merging, as dotted.key=value (YAML value). Repeatable.",
        show_default=False,
    ),
]


class OutputFormat(StrEnum):
    """What ``--format`` prints: a table fitting the terminal, or text to pipe."""

    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"

    @property
    def data_only(self) -> bool:
        """True for csv and json: stdout carries only the data, notes go to stderr."""
        return self in (OutputFormat.csv, OutputFormat.json)


WideOpt = Annotated[
    bool,
    typer.Option(
        "--wide", help="Every statistic in its own column (as wide as it needs; less -S)."
    ),
]
FormatOpt = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        case_sensitive=False,
        help="table (fits the terminal), markdown, or csv/json (full precision; notes on stderr).",
    ),
]


def print_error(text: str) -> None:
    """Print ``error: LINE`` per line of ``text`` on stderr, as is (no markup, no wrapping)."""
    console = err()
    for line in text.splitlines():
        console.print(f"error: {line}", soft_wrap=True)


def print_renderables(parts: Sequence[RenderableType], *, wide: bool = False) -> None:
    """Print rich renderables on stdout: :func:`width` columns, or as wide as they need."""
    console = wide_console(*parts) if wide else out()
    for part in parts:
        console.print(part)


@dataclass(frozen=True)
class OutcomeBlock:
    """One outcome table to print: a run, or one point of a sweep.

    Attributes
    ----------
    title : str
        Title of the table (the run's name, replications, seed, horizon).
    rows : sequence of OutcomeRow
        From :func:`scenario.tables.outcome_rows`.
    meta : mapping
        Goes into the JSON document; its ``point`` (if any) becomes the first CSV column.
    after : sequence of str
        Lines printed after the table (on stderr with csv and json).
    """

    title: str
    rows: Sequence[OutcomeRow]
    meta: Mapping[str, Any] = field(default_factory=dict)
    after: Sequence[str] = ()


def print_outcomes(
    blocks: Sequence[OutcomeBlock],
    *,
    wide: bool,
    fmt: OutputFormat,
    notes: Sequence[str] = (),
    after: Sequence[str] = (),
) -> None:
    """Print outcome tables in ``fmt``: notes, each table with its lines, then ``after``.

    ``table`` fits :func:`width` columns (``wide``: every statistic, as wide as needed);
    ``markdown`` is a Markdown table per block; ``csv`` (one header, a ``point`` column for a
    sweep) and ``json`` (one document; ``{"points": [...]}`` for several blocks) put only
    the data, at full precision, on stdout and every other line on stderr.
    """
    from scenario import tables

    say = err() if fmt.data_only else out()
    for note in notes:
        say.print(note, style="dim")
    if fmt is OutputFormat.csv:
        sys.stdout.write(
            tables.csv_text([{**_point(b), **r.record()} for b in blocks for r in b.rows])
        )
    elif fmt is OutputFormat.json:
        docs = [{**b.meta, "outcomes": [r.record() for r in b.rows]} for b in blocks]
        sys.stdout.write(tables.json_text(docs[0] if len(docs) == 1 else {"points": docs}))
    for b in blocks:
        if fmt is OutputFormat.markdown:
            sys.stdout.write(tables.outcome_markdown(b.rows, title=b.title, wide=wide))
        elif fmt is OutputFormat.table:
            parts = tables.outcome_renderables(
                b.rows, title=b.title, wide=wide, width=width(sys.stdout)
            )
            print_renderables(parts, wide=wide)
        for line in b.after:
            say.print(line)
    for line in after:
        say.print(line)


def _point(block: OutcomeBlock) -> dict[str, Any]:
    """The ``point`` column of a sweep's CSV (empty for a single run)."""
    return {"point": block.meta["point"]} if "point" in block.meta else {}


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


def load(path: Path, sets: list[str] | None) -> ScenarioConfig:
    """Load a config with ``--set`` overrides."""
    from scenario.config.loader import load_config

    return load_config(path, overrides=sets or [])
