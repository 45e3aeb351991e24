"""The other sections of the HTML report: sensitivity, value of information, discovery, the
public record, the assumptions register, the manifest and the caveat.

Sensitivity, value-of-information and discovery sections appear only when those results are
given. The record section holds the base run against each record point with
:func:`scenario.analysis.validation.check_points`: the run's p5–p95 band, whether it covers
the observed value, the share of replications inside the point's observation interval, the
interval score and the CRPS (lower is better). Daily series are kept for the first
replications only, so the check uses those replications. The register lists every
parameter of the base run's config; a parameter whose source is a labelled ASSUMPTION
(:func:`scenario.config.distributions.is_assumption`) carries the word ASSUMPTION in its row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scenario.errors import ScenarioError
from scenario.report.html_parts import (
    ci_cell,
    esc,
    figures_grid,
    num_cell,
    number,
    paragraphs,
    percent,
    section,
    table,
)

if TYPE_CHECKING:
    from scenario.analysis.discovery import Discovery
    from scenario.analysis.voi import ValueOfInformation
    from scenario.config.record import RecordPoint
    from scenario.report.html_sections import Context
    from scenario.results import Results

__all__ = [
    "caveat_text",
    "discovery_section",
    "manifest_section",
    "record_section",
    "register_section",
    "sensitivity_section",
    "voi_section",
]

_TOP = 15


def _rows(cells: Sequence[Sequence[str]], key: str = "factor") -> str:
    out = []
    for row in cells:
        out.append(f'<tr data-{key}="{esc(row[0])}"><td>{esc(row[0])}</td>{"".join(row[1:])}</tr>')
    return f"<tbody>{''.join(out)}</tbody>"


def _sensitivity_item(ctx: Context, item: Any, k: int) -> str:
    from scenario.analysis.global_sensitivity import MorrisResult, SobolResult
    from scenario.analysis.sensitivity import Tornado

    unit = f" [{item.unit}]" if item.unit else ""
    if isinstance(item, Tornado):
        lo, hi = item.quantiles
        title = f"Tornado: {item.outcome}{unit}"
        note = (
            f"Each factor set to its p{lo * 100:g} and p{hi * 100:g} in every replication, "
            f"all else drawn as in the base ({item.replications:,} replications per run); "
            f"swing = mean at p{hi * 100:g} − mean at p{lo * 100:g}. Base mean "
            f"{number(item.base_mean)}."
        )
        head = [("factor", False), ("mean at low", True), ("mean at high", True)]
        head += [("swing", True), ("95% CI", True)]
        cells = [
            [
                r.factor,
                num_cell(r.mean_low, "mean_low"),
                num_cell(r.mean_high, "mean_high"),
                num_cell(r.swing, "swing"),
                ci_cell(r.swing_lo, r.swing_hi, "swing_ci", n=2),
            ]
            for r in item.rows[:_TOP]
        ]
        plot = "tornado"
    elif isinstance(item, MorrisResult):
        title = f"Morris screening: {item.outcome}{unit}"
        note = (
            f"{item.trajectories} trajectories on a {item.levels}-level grid ({item.runs:,} "
            "runs). μ* is the mean absolute elementary effect, per unit of quantile range; "
            "σ measures interactions and non-linearity."
        )
        head = [("factor", False), ("μ*", True), ("95% CI", True), ("μ", True), ("σ", True)]
        cells = [
            [
                r.factor,
                num_cell(r.mu_star, "mu_star"),
                ci_cell(r.mu_star_lo, r.mu_star_hi, "mu_star_ci", n=2),
                num_cell(r.mu, "mu"),
                num_cell(r.sigma, "sigma"),
            ]
            for r in item.rows[:_TOP]
        ]
        plot = "morris"
    elif isinstance(item, SobolResult):
        title = f"Sobol indices: {item.outcome}{unit}"
        note = (
            f"N = {item.n:,} ({item.runs:,} runs). S1: first-order share of the variance; "
            "ST: total share, interactions included. The model's own randomness is "
            f"{percent(item.noise_share)} of the variance (CI {percent(item.noise_lo)} – "
            f"{percent(item.noise_hi)})."
        )
        head = [("factor", False), ("S1", True), ("S1 CI", True), ("ST", True)]
        head += [("ST CI", True), ("ST net of noise", True)]
        cells = [
            [
                r.factor,
                num_cell(r.s1, "s1"),
                ci_cell(r.s1_lo, r.s1_hi, "s1_ci", n=2),
                num_cell(r.st, "st"),
                ci_cell(r.st_lo, r.st_hi, "st_ci", n=2),
                num_cell(r.st_net, "st_net"),
            ]
            for r in item.rows[:_TOP]
        ]
        plot = "sobol"
    else:
        raise ScenarioError(
            "sensitivity must be Tornado, MorrisResult or SobolResult results "
            f"(got {type(item).__name__})"
        )
    more = f" Top {_TOP} of {len(item.rows)} factors." if len(item.rows) > _TOP else ""
    fig = figures_grid([ctx.figures.figure(plot, item, caption=title)])
    tab = table(head, _rows(cells), caption=note + more, table_id=f"t-sens-{k}")
    return f"<h3>{esc(title)}</h3>{tab}{fig}"


def sensitivity_section(ctx: Context, items: Sequence[Any]) -> str:
    """Tornado, Morris and Sobol results, each a table and a chart (absent if none)."""
    if not items:
        return ""
    body = "".join(_sensitivity_item(ctx, it, k) for k, it in enumerate(items))
    return section("sensitivity", "Which assumptions drive the answer", body)


def _voi_item(ctx: Context, v: ValueOfInformation, k: int) -> str:
    unit = f" {v.unit}" if v.unit else ""
    means = ", ".join(f"{o} {number(m)}" for o, m in zip(v.options, v.means, strict=True))
    intro = paragraphs(
        [
            f"Choosing among {', '.join(v.options)} by {v.objective} ({v.direction}); "
            f"expected values {means}; best on current knowledge: {v.best}.",
            f"EVPI (resolving every parameter): {number(v.evpi)}{unit} ± {number(v.evpi_se)} "
            f"(upper bound, also resolving the model's own randomness: "
            f"{number(v.evpi_upper)}{unit}). EVPPI: the expected gain from learning one factor "
            "before choosing.",
        ]
    )
    cells = [
        [
            r.factor,
            num_cell(r.evppi, "evppi"),
            num_cell(r.se, "se"),
            num_cell(r.share_of_evpi, "share", text=percent(r.share_of_evpi)),
        ]
        for r in v.rows[:_TOP]
    ]
    head = [("factor", False), (f"EVPPI{unit}", True), ("se", True), ("share of EVPI", True)]
    tab = table(
        head,
        _rows(cells),
        caption=f"{v.replications:,} paired replications.",
        table_id=f"t-voi-{k}",
    )
    fig = figures_grid([ctx.figures.figure("value_of_information", v, caption=v.objective)])
    return f"<h3>{esc(v.objective)}</h3>{intro}{tab}{fig}"


def voi_section(ctx: Context, items: Sequence[ValueOfInformation]) -> str:
    """Value of information (absent if none given)."""
    if not items:
        return ""
    body = "".join(_voi_item(ctx, v, k) for k, v in enumerate(items))
    return section("voi", "Value of information", body)


def _discovery_item(ctx: Context, d: Discovery, k: int) -> str:
    intro = paragraphs(
        [
            d.describe(),
            f"Cases: {d.outcome} {d.side} {number(d.threshold)} in {d.n_cases:,} of {d.n:,} "
            f"replications. Box: coverage {percent(d.box.coverage)}, density "
            f"{percent(d.box.density)}, mass {percent(d.box.mass)} ({d.rule}).",
        ]
    )
    cells = [
        [
            r.input,
            f"<td>{esc(r.describe())}</td>",
            num_cell(r.low, "low"),
            num_cell(r.high, "high"),
            num_cell(r.density_drop, "density_drop"),
            num_cell(r.p_value, "p_value"),
        ]
        for r in d.box.restrictions
    ]
    head = [("input", False), ("restriction", False), ("low", True), ("high", True)]
    head += [("density drop", True), ("quasi-p", True)]
    tab = table(
        head,
        _rows(cells, "input"),
        caption="Restricted inputs, most important first.",
        table_id=f"t-disc-{k}",
    )
    fig = figures_grid(
        [ctx.figures.figure("prim_tradeoff", d, caption=f"{d.outcome}: peeling trajectory")]
    )
    return f"<h3>{esc(d.outcome)} {esc(d.side)} {esc(number(d.threshold))}</h3>{intro}{tab}{fig}"


def discovery_section(ctx: Context, items: Sequence[Discovery]) -> str:
    """Scenario discovery boxes (absent if none given)."""
    if not items:
        return ""
    body = "".join(_discovery_item(ctx, d, k) for k, d in enumerate(items))
    return section("discovery", "When does it go wrong: scenario discovery", body)


def _kept(res: Results) -> Results:
    """The run restricted to its first replications with daily series (all if every one
    has them), so series points and outcomes are read on the same replications."""
    m = min((a.shape[0] for a in res.series.values()), default=res.replications)
    if m >= res.replications or m == 0:
        return res
    return dataclasses.replace(
        res,
        outcomes={k: v[:m] for k, v in res.outcomes.items()},
        inputs={k: v[:m] for k, v in res.inputs.items()},
        manifest={**res.manifest, "replications": m},
    )


def _record_row(res: Results, p: RecordPoint) -> str:
    from scenario.analysis.validation import check_points

    lo_hi = f" ({number(p.interval[0])} – {number(p.interval[1])})" if p.interval else ""
    note = f" {p.note}" if p.note else ""
    point = (
        f'<td class="point"><strong>{esc(p.label)}</strong> <span class="dir">{esc(p.use)}'
        f'</span><div class="note">{esc(p.source)} ({p.as_of.isoformat()}).{esc(note)}</div></td>'
    )
    obs = (
        f'<td class="num" data-stat="observed" data-value="{float(p.value)!r}">'
        f"{esc(number(p.value))}{esc(lo_hi)}</td>"
    )
    head = f'<tr data-point="{esc(p.label)}">{point}{obs}'
    try:
        c = check_points({"base": res}, [p])[0]
    except (ScenarioError, ValueError, IndexError) as exc:
        return f'{head}<td colspan="7" class="missing">not checked: {esc(exc)}</td></tr>'
    cover = '<td class="covered">yes</td>' if c.covered else '<td class="missed">no</td>'
    cells = [
        num_cell(c.p5, "p5"),
        num_cell(c.p50, "p50"),
        num_cell(c.p95, "p95"),
        cover,
        num_cell(c.match, "match", text=percent(c.match)),
        num_cell(c.interval_score, "interval_score"),
        num_cell(c.crps, "crps"),
    ]
    return head + "".join(cells) + "</tr>"


def record_section(ctx: Context) -> str:
    """The base run against the public record (absent without a record)."""
    rec = ctx.record
    if rec is None:
        return ""
    res = _kept(ctx.base_results)
    intro = paragraphs(
        [
            f"Record {rec.name} (version {rec.version}): {rec.description}".rstrip(": "),
            f"The base ({ctx.base}) against each point, over its first {res.replications:,} "
            "replications (those with daily series). Covered: the observed value lies in the "
            "run's p5–p95. Match: share of replications inside the point's 90% observation "
            "interval. Interval score and CRPS: lower is better. Fit points were used for "
            "calibration; holdout points test it.",
        ]
    )
    head = [("point, source", False), ("observed (90% interval)", True), ("p5", True)]
    head += [("p50", True), ("p95", True), ("covered", False), ("match", True)]
    head += [("interval score", True), ("CRPS", True)]
    body = "<tbody>" + "".join(_record_row(res, p) for p in rec.points) + "</tbody>"
    tab = table(
        head, body, caption="Record points against the base.", cls="record", table_id="t-record"
    )
    return section("record", "Against the public record", intro + tab)


def _parameter_units(res: Results) -> dict[str, str]:
    """Units of the model's parameters by key (empty if the model is not registered)."""
    try:
        from scenario.models.registry import default_registry

        model = default_registry().get(res.config.model)
    except (ScenarioError, KeyError):
        return {}
    return {p.key: p.unit for p in model.parameters}


def _register_row(key: str, spec: Any, unit: str) -> str:
    from scenario.config.distributions import describe, is_assumption

    flagged = is_assumption(spec)
    flag = '<span class="flag">ASSUMPTION</span>' if flagged else ""
    note = f'<div class="note">{esc(spec.note)}</div>' if spec.note else ""
    shown_key = "<wbr>".join(esc(part) for part in _split_key(key))
    return (
        f'<tr data-key="{esc(key)}"{" class=assumption" if flagged else ""}>'
        f'<td class="flag-cell">{flag}</td><td class="key"><span class="mono">{shown_key}'
        f'</span><div class="note">{esc(unit)}</div></td>'
        f'<td class="mono">{esc(describe(spec))}</td>'
        f'<td class="source">{esc(spec.source)}{note}</td>'
        f'<td class="date">{spec.as_of.isoformat()}</td><td>{esc(spec.confidence)}</td></tr>'
    )


def _split_key(key: str) -> list[str]:
    """A dotted key in pieces a line may break between (after each dot)."""
    parts = key.split(".")
    return [p + "." for p in parts[:-1]] + parts[-1:]


def register_section(ctx: Context) -> str:
    """Every parameter of the base run's config, ASSUMPTIONs flagged."""
    from scenario.config.distributions import is_assumption

    cfg = ctx.base_results.config
    units = _parameter_units(ctx.base_results)
    params = cfg.flat_parameters()
    n_assume = sum(is_assumption(s) for s in params.values())
    rows = "".join(_register_row(k, spec, units.get(k, "?")) for k, spec in params.items())
    head = [("flag", False), ("parameter, unit", False), ("distribution", False)]
    head += [("source", False), ("as of", False), ("confidence", False)]
    share = n_assume / len(params) if params else 0.0
    intro = paragraphs(
        [
            f"Every uncertain input of the base run ({ctx.base}): {len(params)} parameters, "
            f"{n_assume} ({percent(share)}) labelled ASSUMPTION: a judgement with its "
            "reason, not a citation. Each is sampled from its distribution in every "
            "replication.",
        ]
    )
    diffs = _parameter_differences(ctx)
    tab = table(
        head,
        f"<tbody>{rows}</tbody>",
        cls="register",
        table_id="t-register",
        caption="The assumptions register (confidence: high, medium, low or none).",
    )
    return section("assumptions", "Assumptions register", intro + diffs + tab + _correlations(cfg))


def _parameter_differences(ctx: Context) -> str:
    base = ctx.base_results.config.flat_parameters()
    lines = []
    for name, res in list(ctx.runs.items())[1:]:
        other = res.config.flat_parameters()
        keys = sorted(k for k in {*base, *other} if base.get(k) != other.get(k))
        if keys:
            shown = ", ".join(keys[:12]) + (
                f" and {len(keys) - 12} more" if len(keys) > 12 else ""
            )
            lines.append(f"{name} differs from the base in {len(keys)} parameters: {shown}.")
    return "".join(f'<p class="missing">{esc(line)}</p>' for line in lines)


def _correlations(cfg: Any) -> str:
    from scenario.config.distributions import is_assumption

    if not cfg.correlations:
        return ""
    rows = []
    for c in cfg.correlations:
        flag = '<span class="flag">ASSUMPTION</span>' if is_assumption(c) else ""
        pair = " ~ ".join(str(x) for x in c.between)
        rows.append(
            f'<tr data-pair="{esc(pair)}"><td class="flag-cell">{flag}</td>'
            f'<td class="mono">{esc(pair)}</td><td class="num">{esc(number(c.rho))}</td>'
            f'<td class="source">{esc(c.source)}</td><td class="date">{c.as_of.isoformat()}</td>'
            f"<td>{esc(c.confidence)}</td></tr>"
        )
    head = [("flag", False), ("parameters", False), ("rank correlation", True)]
    head += [("source", False), ("as of", False), ("confidence", False)]
    body = f"<tbody>{''.join(rows)}</tbody>"
    return "<h3>Correlations</h3>" + table(head, body, cls="register", table_id="t-correlations")


def _manifest_rows(res: Results) -> list[tuple[str, str]]:
    m = res.manifest
    versions = ", ".join(f"{k} {v}" for k, v in dict(m.get("versions", {})).items())
    files = "; ".join(str(f) for f in m.get("config_files", [])) or "built in Python"
    return [
        ("model", str(m.get("model", res.config.model))),
        ("replications", f"{res.replications:,}"),
        ("seed", str(m.get("seed", ""))),
        ("block size", f"{int(m.get('block_size', 0)):,}"),
        ("workers", str(m.get("workers", ""))),
        ("failed replications", f"{res.n_failed:,}"),
        ("config hash", str(m.get("config_hash", ""))),
        ("started", str(m.get("started", ""))),
        ("finished", str(m.get("finished", ""))),
        ("config files", files),
        ("versions", versions),
        ("notes", "; ".join(str(n) for n in m.get("notes", [])) or "none"),
    ]


def manifest_section(ctx: Context) -> str:
    """Seed, replications, versions and config hash of every run (one column per run)."""
    rows = {name: _manifest_rows(res) for name, res in ctx.runs.items()}
    fields = [k for k, _ in next(iter(rows.values()))]
    body = []
    for i, field in enumerate(fields):
        cls = ' class="mono"' if field == "config hash" else ""
        cells = "".join(
            f'<td{cls} data-option="{esc(n)}" data-field="{esc(field)}">{esc(r[i][1])}</td>'
            for n, r in rows.items()
        )
        body.append(f'<tr><th scope="row">{esc(field)}</th>{cells}</tr>')
    head = [("", False), *((name, False) for name in ctx.runs)]
    tab = table(head, f"<tbody>{''.join(body)}</tbody>", cls="manifest", table_id="t-manifest")
    intro = paragraphs(
        [
            "What reproduces each run: the same config (its hash below), seed and "
            "replications give bit-identical results on any number of workers.",
        ]
    )
    return section("manifest", "Manifest", intro + tab)


def caveat_text(ctx: Context) -> list[str]:
    """The plain caveat, with the share of ASSUMPTION parameters."""
    from scenario.config.distributions import is_assumption

    params = ctx.base_results.config.flat_parameters()
    n_assume = sum(is_assumption(s) for s in params.values())
    return [
        "These numbers are insight into how the options compare under stated assumptions, "
        "not predictions of what will happen.",
        f"{n_assume} of the {len(params)} uncertain inputs are labelled ASSUMPTION (see the "
        "register); the models use only aggregate public figures and leave out much that "
        "matters. Read differences between options, and how sure they are, rather than "
        "any single value.",
    ]


def generated_at() -> str:
    """The time the report is written (UTC, to the minute)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
