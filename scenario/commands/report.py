"""The ``scenario report`` command: one self-contained HTML report of saved results.

``scenario report RESULTS... -o report.html`` loads results saved by
``scenario run CONFIG --out DIR`` (the first is the base), writes the page of
:func:`scenario.report.html.write_report` and prints its path. ``--record FILE`` holds the
base against a record file and draws its points on the base's fan charts; ``--title`` sets
the page title; ``--outcome`` (repeatable) chooses the headline outcomes;
``--no-figures`` leaves the figures out (each costs about half a second). A mistake (a
directory without results, a config file given instead of results, an unknown outcome, a
record file that does not validate) prints one ``error:`` line per problem and exits with
code 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scenario.cli_common import app, err, fail, out
from scenario.errors import ResultsError, ScenarioError

if TYPE_CHECKING:
    from scenario.results import Results

__all__ = ["load_runs", "report"]


def load_runs(paths: list[Path]) -> dict[str, Results]:
    """Load saved results directories, named by their config (repeats get ``#2``, ...).

    Raises
    ------
    ResultsError
        A path is missing, is a config file, or holds no results.
    """
    from scenario.report.html import name_runs
    from scenario.results import load_results

    loaded = []
    for path in paths:
        if path.is_file() and path.suffix in {".yaml", ".yml"}:
            raise ResultsError(
                f"{path} is a config file, not saved results: run `scenario run {path} --out DIR` "
                "and give DIR"
            )
        if not path.exists():
            raise ResultsError(
                f"{path} does not exist (give a directory from `scenario run --out`)"
            )
        loaded.append(load_results(path))
    return name_runs(loaded)


def _pairing_note(runs: dict[str, Results]) -> str:
    """Why the runs cannot be compared pairwise, or ``""``."""
    from scenario.analysis.robustness import check_paired

    if len(runs) < 2:
        return ""
    try:
        check_paired(runs)
    except ResultsError as exc:
        return str(exc)
    return ""


@app.command()
def report(
    results: Annotated[
        list[Path],
        typer.Argument(
            help="Saved results directories (scenario run --out); the first is the base.",
            metavar="RESULTS",
            show_default=False,
        ),
    ],
    out_path: Annotated[
        Path, typer.Option("-o", "--out", help="HTML file to write.", show_default=False)
    ],
    record: Annotated[
        Path | None,
        typer.Option("--record", help="Record file (YAML): the base against the public record."),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title of the page.")] = None,
    outcome: Annotated[
        list[str] | None,
        typer.Option("--outcome", help="Headline outcome; repeatable (default: the key ones)."),
    ] = None,
    figures: Annotated[
        bool, typer.Option("--figures/--no-figures", help="Draw the figures (slower).")
    ] = True,
) -> None:
    """Write a self-contained HTML report of saved results (the first is the base)."""
    from scenario.config.record import load_record
    from scenario.report.html import write_report

    try:
        runs = load_runs(results)
        rec = load_record(record) if record is not None else None
        note = _pairing_note(runs)
        if note:
            err().print(
                f"note: no paired comparison: {note}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        path = write_report(
            runs, out_path, record=rec, title=title, outcomes=outcome, figures=figures
        )
    except ScenarioError as exc:
        raise fail(exc) from None
    out().print(str(path), markup=False, highlight=False, soft_wrap=True)
