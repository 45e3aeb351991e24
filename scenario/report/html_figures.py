"""Figure sections of the HTML report: outcome distributions and fan charts of daily series.

Distributions overlay every option's empirical CDF and histogram for each headline outcome
(:func:`scenario.report.plots.distributions`). Fan charts show, per day, the p5–p95 and
p25–p75 bands and the median of a daily series over the replications that kept it
(:func:`scenario.report.plots.fan_chart`), one chart per option side by side, the public
record's points on the base's charts. Without figures (no matplotlib, or ``figures=False``)
both sections are left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scenario.report.html_parts import esc, figures_grid, paragraphs, section

if TYPE_CHECKING:
    from scenario.config.record import Record
    from scenario.report.html_sections import Context
    from scenario.results import Results

__all__ = ["FAN_SERIES", "distributions_section", "fan_section", "fan_series"]


def distributions_section(ctx: Context) -> str:
    """Overlaid distributions of the headline outcomes."""
    figs = figures_grid(
        ctx.figures.figure(
            "distributions", ctx.runs, o, caption=f"{o}: distribution across replications"
        )
        for o in ctx.headline
    )
    return section("distributions", "Outcome distributions", figs) if figs else ""


FAN_SERIES = (
    "ground_held_km2",
    "nk_casualties_cum",
    "ua_troops",
    "ad_leakers_daily",
    "logistics_capacity",
    "esc_level",
)
"""Daily series drawn as fan charts when the runs keep them (else the first six kept)."""


def fan_series(res: Results, record: Record | None) -> list[str]:
    """Series for the fan charts: those with record points first, then :data:`FAN_SERIES`."""
    kept = [s for s, arr in res.series.items() if arr.shape[0] > 0]
    wanted = [p.quantity for p in record.points] if record is not None else []
    wanted += [s for s in FAN_SERIES if s in kept]
    chosen = [s for s in dict.fromkeys(wanted) if s in kept]
    return chosen or kept[:6]


def fan_section(ctx: Context) -> str:
    """Fan charts of daily series, per option; the record's points on the base's."""
    base = ctx.base_results
    series = fan_series(base, ctx.record)
    if not ctx.figures.enabled:
        return ""
    if not series:
        body = '<p class="note">No daily series were kept (run.series_replications is 0).</p>'
        return section("fans", "Daily series", body)
    kept = {
        n: min((a.shape[0] for a in r.series.values()), default=0) for n, r in ctx.runs.items()
    }
    counts = set(kept.values())
    how_many = (
        f"{counts.pop():,} replications of each run"
        if len(counts) == 1
        else ", ".join(f"{k:,} of {n}" for n, k in kept.items())
    )
    intro = paragraphs(
        [
            "Bands hold the middle 90% (p5–p95) and 50% (p25–p75) of replications on each day; "
            f"the line is the median. Daily series are kept for the first {how_many}.",
        ]
    )
    on_record = {p.quantity for p in ctx.record.points} if ctx.record is not None else set()
    blocks = []
    for s in series:
        figs = []
        for name, res in ctx.runs.items():
            if s not in res.series:
                continue
            rec = ctx.record if name == ctx.base and s in on_record else None
            cap = f"{s}: {name}" + (", with the public record" if rec is not None else "")
            figs.append(ctx.figures.figure("fan_chart", res, s, record=rec, caption=cap))
        blocks.append(f"<h3>{esc(s)}</h3>" + figures_grid(figs, columns=2))
    return section("fans", "Daily series", intro + "".join(blocks))
