r"""The ``scenario plot`` command: PNG and SVG plots of saved results.

``scenario plot RESULTS... -o DIR`` loads results saved by ``scenario run CONFIG --out DIR``
(the first is the base) and writes, with :mod:`scenario.report.plots`:

* ``distribution_<outcome>`` for each chosen outcome (CDF and histogram, every run);
* ``fan_<run>_<series>`` for each chosen daily series of each run that kept series (the
  record's points on the base's charts with ``--record``);
* ``paired_<outcome>`` for each chosen outcome when there are two runs or more, paired on
  common random numbers (skipped, with a note, when the runs are not paired).

Default outcomes: with two runs or more, the outcomes with a direction ranked by the
largest standardized shift of an option's mean from the base's,
:math:`\max_o |\bar x_o - \bar x_{base}| / s`, with :math:`s` the sd of the values of
every run pooled (outcomes constant in every run are left out); with one run, the outcomes
of the config's thresholds and weighted objectives, then the other outcomes with a
direction. The first :data:`DEFAULT_OUTCOMES` are drawn. Default series: those the record
observes, then the others in the model's order, :data:`DEFAULT_SERIES` in all.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scenario.cli_common import app, err, fail, out
from scenario.errors import ScenarioError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from scenario.config.record import Record
    from scenario.results import Results

__all__ = ["DEFAULT_OUTCOMES", "DEFAULT_SERIES", "default_outcomes", "plot", "write_plots"]

DEFAULT_OUTCOMES = 6
DEFAULT_SERIES = 4


def _unique(names: list[str]) -> list[str]:
    """Repeated names get ``#2``, ``#3``, ... (as :func:`scenario.compare_options` names them)."""
    seen: dict[str, int] = {}
    named: list[str] = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        named.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    return named


def _score(runs: dict[str, Results], name: str) -> float:
    """Largest shift of an option's mean from the base's, in pooled sds (0 if constant)."""
    import numpy as np

    cols = [r.outcome(name) for r in runs.values()]
    pooled = np.concatenate([c[np.isfinite(c)] for c in cols])
    if pooled.size < 2 or float(np.ptp(pooled)) == 0.0:
        return 0.0
    means = [float(c[np.isfinite(c)].mean()) if np.isfinite(c).any() else np.nan for c in cols]
    shift = max((abs(m - means[0]) for m in means[1:] if m == m), default=0.0)
    return shift / float(pooled.std())


def default_outcomes(runs: dict[str, Results], k: int = DEFAULT_OUTCOMES) -> list[str]:
    """The outcomes drawn when none is chosen (see module docstring).

    Parameters
    ----------
    runs : dict of str to Results
        Runs by name, the base first.
    k : int
        How many.

    Returns
    -------
    list of str
    """
    import numpy as np

    base = next(iter(runs.values()))
    directed = [o.name for o in base.outcome_info if o.direction != "info"]
    directed = [n for n in directed if n in base.outcomes]
    if len(runs) > 1:
        scores = {n: _score(runs, n) for n in directed}
        ranked = sorted((n for n in directed if scores[n] > 0), key=lambda n: -scores[n])
        return ranked[:k]
    objs = base.config.objectives
    named = [*objs.thresholds, *(w for o in objs.weighted.values() for w in o.weights)]
    order = [n for n in dict.fromkeys([*named, *directed]) if n in base.outcomes]
    varying = [n for n in order if np.ptp(np.nan_to_num(base.outcome(n))) > 0]
    return varying[:k]


def _default_series(base: Results, record: Record | None) -> list[str]:
    observed = [p.quantity for p in record.points] if record is not None else []
    order = dict.fromkeys([*(s for s in observed if s in base.series), *base.series])
    return list(order)[:DEFAULT_SERIES]


def _check_names(base: Results, outcomes: list[str], series: list[str]) -> None:
    from scenario.report.style import outcome_meta, series_meta

    for name in outcomes:
        outcome_meta(base, name)
    for name in series:
        series_meta(base, name)


def _paired(runs: dict[str, Results], outcomes: list[str], out_dir: Path) -> list[Path]:
    """Paired-difference plots, or a note on stderr when the runs are not paired."""
    from scenario.analysis.compare import compare_options
    from scenario.errors import ResultsError
    from scenario.report import plots

    try:
        comparison = compare_options(*runs.values(), outcomes=outcomes)
    except ResultsError as exc:
        err().print(
            f"note: no paired-difference plots: {exc}",
            markup=False,
            highlight=False,
            emoji=False,
            soft_wrap=True,
        )
        return []
    written: list[Path] = []
    for name in outcomes:
        fig = plots.paired_differences(comparison, name)
        written += _save(fig, out_dir, f"paired_{name}")
    return written


_FORMATS: tuple[str, ...] = ("png", "svg")


def _save(fig: Figure, out_dir: Path, name: str) -> list[Path]:
    """Save ``fig`` as PNG and SVG in ``out_dir`` under a file-safe ``name`` (names come
    from configs: no separator or ``..`` survives, so nothing is written outside), then free
    it."""
    from scenario.report.style import safe_name, save

    paths = save(fig, out_dir / safe_name(name).lstrip("."), _FORMATS)
    fig.clear()
    return paths


def write_plots(
    runs: dict[str, Results],
    out_dir: Path,
    *,
    outcomes: list[str] | None = None,
    series: list[str] | None = None,
    record: Record | None = None,
) -> list[Path]:
    """Write the plots of ``runs`` into ``out_dir`` (see module docstring).

    Parameters
    ----------
    runs : dict of str to Results
        Runs by name, the base first.
    out_dir : Path
        Directory (created if missing).
    outcomes, series : list of str, optional
        What to draw; default :func:`default_outcomes` and the record's series first.
    record : Record, optional
        Drawn on the base's fan charts.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    ResultsError
        An unknown outcome or series (with the closest name).
    """
    from scenario.report import plots

    base_name, base = next(iter(runs.items()))
    chosen = list(outcomes) if outcomes else default_outcomes(runs)
    kept = list(series) if series else _default_series(base, record) if base.series else []
    _check_names(base, chosen, kept)
    written: list[Path] = []
    for name in chosen:
        written += _save(plots.distributions(runs, name), out_dir, f"distribution_{name}")
    for run_name, res in runs.items():
        for name in (s for s in kept if s in res.series):
            rec = record if run_name == base_name else None
            fig = plots.fan_chart(res, name, record=rec)
            written += _save(fig, out_dir, f"fan_{run_name}_{name}")
    if len(runs) > 1 and chosen:
        written += _paired(runs, chosen, out_dir)
    return written


@app.command()
def plot(
    results: Annotated[
        list[Path],
        typer.Argument(
            help="Saved results directories (scenario run --out); the first is the base."
        ),
    ],
    out_dir: Annotated[
        Path,
        typer.Option(
            "-o", "--out", metavar="DIR", help="Directory to write PNG and SVG files into."
        ),
    ],
    outcome: Annotated[
        list[str] | None,
        typer.Option(
            "--outcome",
            metavar="NAME",
            help=f"Outcome to plot; repeatable (default: {DEFAULT_OUTCOMES} ranked outcomes).",
        ),
    ] = None,
    series: Annotated[
        list[str] | None,
        typer.Option(
            "--series",
            metavar="NAME",
            help=f"Daily series for fan charts; repeatable (default: {DEFAULT_SERIES}).",
        ),
    ] = None,
    record: Annotated[
        Path | None,
        typer.Option(
            "--record", metavar="FILE", help="Record file (YAML) drawn on the base's fan charts."
        ),
    ] = None,
) -> None:
    """Plot saved results: outcome distributions, fan charts of daily series and, for two
    runs or more, paired differences from the first (PNG and SVG)."""
    from scenario.config.record import load_record
    from scenario.report.style import PlotError
    from scenario.results import load_results

    try:
        if out_dir.exists() and not out_dir.is_dir():
            raise PlotError(f"-o {out_dir}: exists and is not a directory")
        loaded = [load_results(p) for p in results]
        names = _unique([r.config.name for r in loaded])
        rec = load_record(record) if record is not None else None
        written = write_plots(
            dict(zip(names, loaded, strict=True)),
            out_dir,
            outcomes=outcome,
            series=series,
            record=rec,
        )
    except ScenarioError as exc:
        raise fail(exc) from None
    for path in written:
        out().print(str(path), markup=False, highlight=False, soft_wrap=True)
