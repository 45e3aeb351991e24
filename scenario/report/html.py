"""A self-contained HTML report of one or more runs: the briefing an analyst hands over.

:func:`render_report` returns the page as a string and :func:`write_report` writes it. The
page is one file: its style sheet is inline, its figures are inline SVG drawn by
:mod:`scenario.report.plots`, it has no script, and it fetches nothing (no remote font,
style, script or image), so it opens offline and can be mailed. It holds, in order: the
question and how to read the numbers; the options compared (description and deployed
levers of each run's config); the headline outcome table (mean with its 95 % CI, p5, p50
with its CI, p95, units); the paired comparison of each option with the base on common
random numbers (mean difference with its CI, P(better), P(tie), P(worse)); outcome
distributions; fan charts of daily series (record points on the base's); sensitivity,
value-of-information and discovery sections when those results are given; the base against
the public record when a record is given; the full assumptions register with every
ASSUMPTION flagged; every outcome and paired difference; the manifest of every run; and the
caveat that the numbers are insight under stated assumptions, not prediction.

The first run is the base. Text from configs, results and record files is escaped, never
interpreted. Tables print whole (headers repeated, rows not split) and each major section
starts a new page when printed to PDF.

>>> from scenario.report.html import write_report                    # doctest: +SKIP
>>> write_report([base, msam], "report.html", record=load_record(p))  # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scenario.errors import ResultsError, ScenarioError
from scenario.report.html_extra import (
    caveat_text,
    discovery_section,
    generated_at,
    manifest_section,
    record_section,
    register_section,
    sensitivity_section,
    voi_section,
)
from scenario.report.html_figures import distributions_section, fan_section
from scenario.report.html_parts import Figures, esc, paragraphs, section
from scenario.report.html_sections import (
    Context,
    all_outcomes_section,
    headline_section,
    options_section,
    paired_section,
    question_section,
)
from scenario.report.html_style import CSS

if TYPE_CHECKING:
    from typing import TypeAlias

    from scenario.analysis.compare import Comparison
    from scenario.analysis.discovery import Discovery
    from scenario.analysis.global_sensitivity import MorrisResult, SobolResult
    from scenario.analysis.sensitivity import Tornado
    from scenario.analysis.voi import ValueOfInformation
    from scenario.config.record import Record
    from scenario.results import Results

    Runs: TypeAlias = Results | Sequence[Results] | Mapping[str, Results]
    Sensitivity: TypeAlias = Tornado | MorrisResult | SobolResult
    SensitivityArg: TypeAlias = Sensitivity | Sequence[Sensitivity] | None
    VoiArg: TypeAlias = ValueOfInformation | Sequence[ValueOfInformation] | None
    DiscoveryArg: TypeAlias = Discovery | Sequence[Discovery] | None

__all__ = ["HEADLINE", "headline_outcomes", "name_runs", "render_report", "write_report"]

HEADLINE: tuple[str, ...] = (
    "ua_casualties",
    "nk_casualties",
    "ground_held_end_km2",
    "ua_expelled",
    "ua_withdrew",
    "ad_leakers",
    "civilian_casualties",
    "logistics_capacity_mean",
    "esc_max_level",
    "esc_reached_4",
    "ru_net_manpower_change",
    "cost_rok_usd_m",
)
"""Default headline outcomes (those the runs have); other models: their first ten ranked."""


def name_runs(results: Runs) -> dict[str, Results]:
    """The runs by option name, the base first.

    Parameters
    ----------
    results : Results, sequence of Results, or mapping of str to Results
        One run, several (named by their config's ``name``; repeated names get `` #2``,
        `` #3``, as in :func:`scenario.compare_options`), or runs by name.

    Returns
    -------
    dict of str to Results

    Raises
    ------
    ResultsError
        Nothing given, or something that is not a Results.
    """
    from scenario.results import Results

    if isinstance(results, Results):
        items: list[tuple[str, Any]] = [(results.config.name, results)]
    elif isinstance(results, Mapping):
        items = [(str(k), v) for k, v in results.items()]
    elif isinstance(results, Sequence) and not isinstance(results, str | bytes):
        items = [(getattr(getattr(r, "config", None), "name", "?"), r) for r in results]
    else:
        raise ResultsError(
            "results must be Results, a sequence or a mapping of them "
            f"(got {type(results).__name__})"
        )
    if not items:
        raise ResultsError("no results given: pass at least one run (the base)")
    runs: dict[str, Results] = {}
    for name, res in items:
        if not isinstance(res, Results):
            raise ResultsError(f"{name!r} is not a Results (got {type(res).__name__})")
        unique, k = name, 2
        while unique in runs:
            unique, k = f"{name} #{k}", k + 1
        runs[unique] = res
    return runs


def headline_outcomes(base: Results, requested: Sequence[str] | None = None) -> tuple[str, ...]:
    """The outcomes of the headline tables: ``requested`` (checked), else :data:`HEADLINE`
    outcomes the run has, else its first ten ranked (then any) outcomes.

    Raises
    ------
    ResultsError
        A requested outcome is not in the base run (with the closest name).
    """
    if requested is not None:
        for name in requested:
            if name not in base.outcomes:
                close = difflib.get_close_matches(name, list(base.outcomes), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ResultsError(f"no outcome {name!r} in the base run{hint}")
        return tuple(dict.fromkeys(requested))
    chosen = [n for n in HEADLINE if n in base.outcomes]
    if chosen:
        return tuple(chosen)
    ranked = [o.name for o in base.outcome_info if o.direction != "info"]
    return tuple((ranked or list(base.outcomes))[:10])


def _comparison(
    runs: dict[str, Results], headline: Sequence[str]
) -> tuple[Comparison | None, str]:
    """The paired comparison, option names as in ``runs``; or None and why not."""
    if len(runs) < 2:
        return None, ""
    from scenario.analysis.compare import compare_options
    from scenario.analysis.objectives import default_objective_names

    base = next(iter(runs.values()))
    names = list(dict.fromkeys([*headline, *default_objective_names(base)]))
    try:
        comp = compare_options(*runs.values(), outcomes=names)
    except ScenarioError as exc:
        return None, str(exc)
    rename = dict(zip(comp.options, runs, strict=True))
    outcomes = tuple(
        oc.model_copy(
            update={
                "options": tuple(
                    r.model_copy(update={"option": rename[r.option]}) for r in oc.options
                ),
                "ranking": tuple(rename[o] for o in oc.ranking),
            }
        )
        for oc in comp.outcomes
    )
    import dataclasses

    renamed = dataclasses.replace(
        comp,
        base=rename[comp.base],
        options=tuple(runs),
        outcomes=outcomes,
        results=dict(runs),
    )
    return renamed, ""


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(value)
    return (value,)


def _context(
    runs: dict[str, Results],
    record: Record | None,
    outcomes: Sequence[str] | None,
    figures: bool,
) -> Context:
    from scenario.analysis.summary import summarize_results

    base = next(iter(runs.values()))
    headline = headline_outcomes(base, outcomes)
    comparison, note = _comparison(runs, headline)
    drawer = Figures(enabled=figures)
    return Context(
        runs=runs,
        headline=headline,
        summaries={n: {s.name: s for s in summarize_results(r)} for n, r in runs.items()},
        comparison=comparison,
        comparison_note=note,
        record=record,
        figures=drawer,
        colors=drawer.colors(list(runs)),
    )


def _toc(sections: Sequence[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="#{esc(i)}">{esc(t)}</a></li>' for i, t in sections)
    return (
        f'<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>{items}</ol></nav>'
    )


def _title_of(section_html: str) -> tuple[str, str]:
    ident = section_html.split('id="', 1)[1].split('"', 1)[0]
    title = section_html.split("<h2>", 1)[1].split("</h2>", 1)[0]
    return ident, title


def render_report(
    results: Runs,
    *,
    record: Record | None = None,
    sensitivity: SensitivityArg = None,
    voi: VoiArg = None,
    discovery: DiscoveryArg = None,
    title: str | None = None,
    outcomes: Sequence[str] | None = None,
    figures: bool = True,
) -> str:
    """The report as one self-contained HTML document (see module docstring).

    Parameters
    ----------
    results : Results, sequence of Results, or mapping of str to Results
        The runs; the first is the base. Runs on the same seed and replications are
        compared pairwise; otherwise the page says why they are not.
    record : Record, optional
        Public record points (:func:`scenario.config.record.load_record`) to hold the base
        against and to draw on its fan charts.
    sensitivity : Tornado, MorrisResult, SobolResult, or a sequence of them, optional
        Sensitivity results to show.
    voi : ValueOfInformation or sequence of them, optional
        Value-of-information results to show.
    discovery : Discovery or sequence of them, optional
        Scenario-discovery (PRIM) results to show.
    title : str, optional
        Title of the page (default names the question).
    outcomes : sequence of str, optional
        Headline outcomes (default: :data:`HEADLINE`, those the runs have).
    figures : bool
        Draw the figures (default); False leaves them out (a smaller page, written in a
        fraction of the time: each figure costs about half a second).

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    ResultsError
        No runs, something that is not a Results, or an unknown headline outcome.
    """
    runs = name_runs(results)
    ctx = _context(runs, record, outcomes, figures)
    parts = [
        question_section(ctx),
        options_section(ctx),
        headline_section(ctx),
        paired_section(ctx),
        distributions_section(ctx),
        fan_section(ctx),
        sensitivity_section(ctx, _as_tuple(sensitivity)),
        voi_section(ctx, _as_tuple(voi)),
        discovery_section(ctx, _as_tuple(discovery)),
        record_section(ctx),
        register_section(ctx),
        all_outcomes_section(ctx),
        manifest_section(ctx),
        section("caveat", "What these numbers are", paragraphs(caveat_text(ctx)), major=False),
    ]
    parts = [p for p in parts if p]
    return _page(ctx, parts, title)


def _page(ctx: Context, parts: list[str], title: str | None) -> str:
    from scenario import __version__

    heading = title or "South Korea's options on North Korea's deployment to Kursk"
    n = ctx.base_results.replications
    lede = (
        f"{len(ctx.runs)} option{'s' if len(ctx.runs) > 1 else ''}: {', '.join(ctx.runs)}; "
        f"base {ctx.base}; {n:,} replications, seed {ctx.base_results.manifest.get('seed', '')}."
    )
    caveat = "".join(f"<p>{esc(line)}</p>" for line in caveat_text(ctx))
    missing = f'<p class="missing">{esc(ctx.figures.missing)}</p>' if ctx.figures.missing else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="scenario {esc(__version__)}">'
        f"<title>{esc(heading)}</title><style>{CSS}</style></head><body>"
        f'<div class="page"><header><p class="kicker">scenario report · {esc(generated_at())}</p>'
        f'<h1>{esc(heading)}</h1><p class="lede">{esc(lede)}</p>'
        f'<div class="caveat" role="note"><strong>Read this first.</strong>{caveat}</div>'
        f"{missing}{_toc([_title_of(p) for p in parts])}</header><main>{''.join(parts)}</main>"
        f"<footer>Written by scenario {esc(__version__)} on {esc(generated_at())}. "
        "One self-contained file: no script, nothing fetched.</footer></div></body></html>\n"
    )


def write_report(
    results: Runs,
    path: str | os.PathLike[str],
    *,
    record: Record | None = None,
    sensitivity: SensitivityArg = None,
    voi: VoiArg = None,
    discovery: DiscoveryArg = None,
    title: str | None = None,
    outcomes: Sequence[str] | None = None,
    figures: bool = True,
) -> Path:
    """Write :func:`render_report` to ``path`` (UTF-8; parent directories are created).

    Parameters are those of :func:`render_report`, plus ``path``, the HTML file to write
    (replaced if it exists).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ResultsError
        As :func:`render_report`, or the file cannot be written.
    """
    text = render_report(
        results,
        record=record,
        sensitivity=sensitivity,
        voi=voi,
        discovery=discovery,
        title=title,
        outcomes=outcomes,
        figures=figures,
    )
    target = Path(path)
    if target.is_dir():
        raise ResultsError(f"{target} is a directory; give the path of an .html file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        raise ResultsError(f"cannot write the report to {target}: {exc}") from None
    return target
