"""Compact HTML summaries for notebooks (``_repr_html_``) of results and analyses.

Jupyter shows an object by its ``_repr_html_`` when it has one. :class:`~scenario.results.
Results`, :class:`~scenario.analysis.compare.Comparison` and the sensitivity results
(:class:`~scenario.analysis.sensitivity.Tornado`,
:class:`~scenario.analysis.global_sensitivity.MorrisResult`,
:class:`~scenario.analysis.global_sensitivity.SobolResult`) delegate to the functions here:
a line naming the run (config name, replications, seed) and one table row per outcome or
factor (factor tables show the :data:`TOP` largest), never the raw arrays. Every piece of
text from a config or a model goes through :func:`html.escape`; the tables are plain HTML
(no script, no style), so they also render on sites that strip both.

The outcome table of a run is the terminal's (:mod:`scenario.tables`: same rounding to the
precision of the mean, ``≥`` for lower bounds of censored outcomes, "never" column). Other
numbers are shown with three significant digits (:func:`fmt_number`).

Importing this module is cheap; the analysis modules load inside the functions.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scenario.analysis.compare import Comparison, OutcomeComparison
    from scenario.analysis.global_sensitivity import MorrisResult, SobolResult
    from scenario.analysis.sensitivity import Tornado
    from scenario.config.schema import ScenarioConfig
    from scenario.results import Results

__all__ = [
    "TOP",
    "comparison_html",
    "config_repr",
    "fmt_number",
    "html_table",
    "morris_html",
    "results_html",
    "short",
    "sobol_html",
    "tornado_html",
]

TOP = 15
"""Factor tables show this many factors (the largest), then how many more there are."""

_esc = html.escape


def fmt_number(x: float) -> str:
    """A number for display: thousands separators from 100 on, three significant digits
    below, ``–`` for NaN.

    Parameters
    ----------
    x : float
        The value.

    Returns
    -------
    str
        ``1,234``, ``12.3``, ``0.0123``, ``–``, ``∞``.
    """
    if math.isnan(x):
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if abs(x) >= 99.95:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def short(text: str, width: int = 60) -> str:
    """``repr(text)``, cut to about ``width`` characters with an ellipsis (for reprs)."""
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def config_repr(config: ScenarioConfig) -> str:
    """One line for a config: name, model, horizon, levers deployed, parameters.

    Parameters
    ----------
    config : ScenarioConfig
        Any config.

    Returns
    -------
    str
        ``ScenarioConfig(name='msam', model='campaign', 2024-11-01 + 180 days, levers
        deployed: msam, 155 parameters in 12 groups)`` (one line).
    """
    deployed = [name for name, lever in config.policy.levers().items() if lever.deploy]
    levers = ", ".join(short(n, 30)[1:-1] for n in deployed[:6]) or "none"
    if len(deployed) > 6:
        levers += f" and {len(deployed) - 6} more"
    n_par = sum(len(g) for g in config.parameters.values())
    extras = [f"{len(config.correlations)} correlations"] if config.correlations else []
    if config.sweep:
        extras.append(f"sweep over {', '.join(short(k, 40)[1:-1] for k in config.sweep)}")
    if config.posterior is not None:
        extras.append("calibrated posterior")
    return (
        f"ScenarioConfig(name={short(config.name)}, model={short(config.model)}, "
        f"{config.start_date} + {config.horizon_days} days, levers deployed: {levers}, "
        f"{n_par} parameters in {len(config.parameters)} groups"
        + "".join(f", {e}" for e in extras)
        + ")"
    )


def _ci(lo: float, hi: float) -> str:
    """``[lo, hi]``, blank when either end is not finite."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return ""
    return f"[{fmt_number(lo)}, {fmt_number(hi)}]"


def _pct(p: float) -> str:
    """A share as a whole percentage, ``<1%`` and ``>99%`` rather than 0 % or 100 %."""
    if math.isnan(p):
        return "–"
    if 0.0 < p < 0.01:
        return "<1%"
    if 0.99 < p < 1.0:
        return ">99%"
    return f"{p * 100:.0f}%"


def html_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    limit: int | None = None,
) -> str:
    """A plain HTML table of text cells, every cell escaped.

    Parameters
    ----------
    headers : sequence of str
        Column headers.
    rows : iterable of sequences of str
        Cells, already formatted as text (escaped here).
    limit : int, optional
        Show at most this many rows, then one row saying how many were left out.

    Returns
    -------
    str
        ``<table>...</table>``.
    """
    out = ["<table><tr>", *(f"<th>{_esc(h)}</th>" for h in headers), "</tr>"]
    all_rows = list(rows)
    shown = all_rows if limit is None else all_rows[:limit]
    for row in shown:
        out.append("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>")
    if len(shown) < len(all_rows):
        more = len(all_rows) - len(shown)
        out.append(f'<tr><td colspan="{len(headers)}">… and {more:,} more</td></tr>')
    out.append("</table>")
    return "".join(out)


def _block(head: str, table: str, notes: Sequence[str] = ()) -> str:
    """A summary: a heading line (already HTML), a table, and notes (escaped)."""
    small = "".join(f"<br><small>{_esc(n)}</small>" for n in notes)
    return f"<div><p>{head}</p>{table}{small}</div>"


def results_html(results: Results) -> str:
    """A run: its name, replications, seed and horizon, and the terminal's outcome table.

    Parameters
    ----------
    results : Results
        A run or loaded results.

    Returns
    -------
    str
        An HTML fragment.
    """
    from scenario.tables import legend, outcome_cells, outcome_rows

    cfg = results.config
    model = str(results.manifest.get("model", cfg.model))
    head = (
        f"<b>{_esc(cfg.name)}</b> ({_esc(model)}): {results.replications:,} replications, "
        f"seed {_esc(str(results.manifest.get('seed')))}, {cfg.start_date} + "
        f"{cfg.horizon_days} days; {len(results.outcomes)} outcomes, "
        f"{results.n_failed:,} failed replications"
    )
    rows = outcome_rows(results)
    heads, cells = outcome_cells(rows)
    return _block(head, html_table(heads, cells), legend(rows, wide=True))


def _comparison_row(oc: OutcomeComparison, others: Sequence[str]) -> list[str]:
    """Outcome, base mean, per other option its paired difference and P(better), and the
    option with the best mean ("tie" when several share it)."""
    cells = [
        f"{oc.outcome} [{oc.unit}]" if oc.unit else oc.outcome,
        fmt_number(oc.options[0].mean),
    ]
    for name in others:
        d = oc.option(name).diff
        if d is None:
            cells += ["", ""]
            continue
        cells.append(f"{fmt_number(d.diff_mean)} {_ci(d.diff_lo, d.diff_hi)}".strip())
        tie = f" (tie {_pct(d.p_tie)})" if d.p_tie > 0 else ""
        cells.append("" if oc.direction == "info" else _pct(d.p_better) + tie)
    best = [r.option for r in oc.options if r.rank == 1]
    cells.append(best[0] if len(best) == 1 else "tie" if best else "")
    return cells


def comparison_html(comparison: Comparison) -> str:
    """Options against the base: per outcome the base's mean, each option's paired
    difference (mean with 95 % CI) and probability of being better, and the best option.

    Parameters
    ----------
    comparison : Comparison
        From :func:`scenario.compare_options`.

    Returns
    -------
    str
        An HTML fragment.
    """
    c = comparison
    others = [o for o in c.options if o != c.base]
    head = (
        f"{len(c.options)} options against <b>{_esc(c.base)}</b>, paired on common random "
        f"numbers: {c.replications:,} replications, seed {c.seed}; {len(c.outcomes)} outcomes"
    )
    heads = ["outcome [unit]", f"{c.base}: mean"]
    for name in others:
        heads += [f"{name} − {c.base}", f"{name}: P(better)"]
    heads.append("best (by mean)")
    table = html_table(heads, (_comparison_row(oc, others) for oc in c.outcomes))
    notes = [
        "Differences: mean of the paired differences with its 95% CI; P(better): share of "
        "replications in which the option does better (ties counted apart).",
        *c.notes,
    ]
    return _block(head, table, notes)


def tornado_html(t: Tornado) -> str:
    """A tornado: each factor's mean outcome at its low and high quantile and the swing.

    Parameters
    ----------
    t : Tornado
        From :func:`scenario.tornado`.

    Returns
    -------
    str
        An HTML fragment.
    """
    lo, hi = (f"p{round(q * 100):g}" for q in t.quantiles)
    head = (
        f"Tornado of <b>{_esc(t.outcome)}</b> [{_esc(t.unit)}]: {len(t.rows)} factors, "
        f"{t.replications:,} replications per run, seed {t.seed}; base mean "
        f"{fmt_number(t.base_mean)}"
    )
    rows = (
        (
            r.factor,
            fmt_number(r.mean_low),
            fmt_number(r.mean_high),
            fmt_number(r.swing),
            _ci(r.swing_lo, r.swing_hi),
        )
        for r in t.rows
    )
    heads = ("factor", f"mean at {lo}", f"mean at {hi}", f"swing ({hi} − {lo})", "95% CI")
    return _block(head, html_table(heads, rows, limit=TOP))


def morris_html(m: MorrisResult) -> str:
    """Morris screening: each factor's mu* with its 95 % CI, mu and sigma.

    Parameters
    ----------
    m : MorrisResult
        From :func:`scenario.morris`.

    Returns
    -------
    str
        An HTML fragment.
    """
    head = (
        f"Morris screening of <b>{_esc(m.outcome)}</b> [{_esc(m.unit)}]: {len(m.rows)} "
        f"factors, {m.trajectories} trajectories, {m.runs} runs, seed {m.seed}"
    )
    rows = (
        [
            r.factor,
            fmt_number(r.mu_star),
            _ci(r.mu_star_lo, r.mu_star_hi),
            fmt_number(r.mu),
            fmt_number(r.sigma),
        ]
        for r in m.rows
    )
    heads = ("factor", "mu*", "95% CI", "mu", "sigma")
    return _block(head, html_table(heads, rows, limit=TOP))


def sobol_html(s: SobolResult) -> str:
    """Sobol indices: each factor's first-order and total index with intervals.

    Parameters
    ----------
    s : SobolResult
        From :func:`scenario.sobol`.

    Returns
    -------
    str
        An HTML fragment.
    """
    level = f"{s.conf_level * 100:g}%"
    head = (
        f"Sobol indices of <b>{_esc(s.outcome)}</b> [{_esc(s.unit)}]: {len(s.rows)} factors, "
        f"n = {s.n:,}, {s.runs:,} runs, seed {s.seed}; the model's own noise: "
        f"{fmt_number(s.noise_share)} {_ci(s.noise_lo, s.noise_hi)} of the variance"
    )
    rows = (
        [
            r.factor,
            fmt_number(r.s1),
            _ci(r.s1_lo, r.s1_hi),
            fmt_number(r.st),
            _ci(r.st_lo, r.st_hi),
            fmt_number(r.st_net),
        ]
        for r in s.rows
    )
    heads = ("factor", "S1", f"S1 {level} CI", "ST", f"ST {level} CI", "ST net of noise")
    return _block(head, html_table(heads, rows, limit=TOP))
