"""Plots hold the data they show: each is rendered headless (Agg) and its artists are
checked against the numbers they draw (CDF steps, quantile markers, fan-chart bands, record
points, paired differences, tornado swings, Sobol and Morris indices, PRIM trajectory, EVPPI
bars); colours per option are the same in every figure; ``save``/``to_svg`` write
self-contained files; ``scenario plot`` writes PNG and SVG for two saved runs."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _ishigami import Ishigami
from _ishigami import config as ishigami_config

pytest.importorskip("matplotlib")

import matplotlib.dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.figure import Figure

import scenario
from scenario.analysis.compare import Comparison, compare_options
from scenario.analysis.global_sensitivity import (
    MorrisResult,
    MorrisRow,
    SobolResult,
    SobolRow,
)
from scenario.analysis.voi import ValueOfInformation, VoiRow
from scenario.config.record import Record, RecordPoint, load_record
from scenario.errors import ResultsError
from scenario.report import plots
from scenario.report.style import PlotError, option_styles
from scenario.results import Results

ROOT = Path(__file__).resolve().parents[1]
N = 200
SEED = 11


@pytest.fixture(scope="module")
def runs() -> dict[str, Results]:
    out = {}
    for name, path in (("baseline", "baseline.yaml"), ("msam", "options/msam.yaml")):
        cfg = scenario.load_config(ROOT / "configs" / path)
        out[name] = scenario.run(cfg, replications=N, seed=SEED)
    return out


@pytest.fixture(scope="module")
def comparison(runs: dict[str, Results]) -> Comparison:
    return compare_options(*runs.values(), outcomes=["ad_leakers", "nk_casualties"])


@pytest.fixture(scope="module")
def record() -> Record:
    return load_record(ROOT / "configs" / "record" / "kursk_2024_2025.yaml")


@pytest.fixture(scope="module")
def _ishigami() -> None:
    scenario.register_model(Ishigami(), replace=True)


def _render(fig: Figure) -> Figure:
    assert isinstance(fig, Figure)
    FigureCanvasAgg(fig).draw()
    return fig


def _labelled(ax: Any, label: str) -> Any:
    found = [a for a in [*ax.lines, *ax.collections, *ax.containers] if a.get_label() == label]
    assert len(found) == 1, (label, [a.get_label() for a in ax.lines])
    return found[0]


def _errorbar_extent(container: ErrorbarContainer) -> tuple[np.ndarray, np.ndarray]:
    """Low and high ends of the bars of an errorbar container (x or y, whichever varies)."""
    segs = np.asarray(container.lines[2][0].get_segments())
    axis = 0 if np.ptp(segs[:, :, 0], axis=1).any() else 1
    return segs[:, :, axis].min(axis=1), segs[:, :, axis].max(axis=1)


# --- colours --------------------------------------------------------------------------------


def test_option_colours_are_stable_distinct_and_greyscale_readable() -> None:
    names = ["baseline", "msam", "offensive_aid", "zeta_option", "alpha_option"]
    colours = plots.option_colors(names)
    assert colours["baseline"] == "#6e6e6e"
    assert len(set(colours.values())) == len(names)
    assert plots.option_colors(["msam"])["msam"] == colours["msam"]
    assert (
        plots.option_colors(["zeta_option", "baseline"])["zeta_option"] == colours["zeta_option"]
    )
    styles = option_styles(names)
    assert len({str(s.linestyle) for s in styles.values()}) == len(names)
    assert len({s.marker for s in styles.values()}) == len(names)


# --- distributions --------------------------------------------------------------------------


def test_distributions_hold_the_cdf_the_quantiles_and_one_histogram_per_option(
    runs: dict[str, Results],
) -> None:
    fig = _render(plots.distributions(runs, "nk_casualties"))
    cdf, hist = fig.axes
    for name, res in runs.items():
        x = res.outcome("nk_casualties")
        x = x[np.isfinite(x)]
        line = _labelled(cdf, name)
        np.testing.assert_array_equal(line.get_xdata(), np.sort(x))
        assert line.get_ydata()[-1] == 1.0 and line.get_ydata()[0] == 1 / x.size
        assert line.get_xdata()[0] == x.min() and line.get_xdata()[-1] == x.max()
        marks = _labelled(cdf, f"_p5/p50/p95 {name}")
        np.testing.assert_allclose(marks.get_xdata(), np.quantile(x, [0.05, 0.5, 0.95]))
        np.testing.assert_allclose(marks.get_ydata(), [0.05, 0.5, 0.95])
        assert marks.get_xdata()[1] == pytest.approx(np.median(x))
        assert _labelled(hist, f"_p50 {name}").get_xdata()[0] == pytest.approx(np.median(x))
        strip = _labelled(hist, f"_p5-p95 {name}").get_xdata()
        np.testing.assert_allclose(strip, np.quantile(x, [0.05, 0.95]))
    assert len(hist.patches) == len(runs)  # one step histogram per option
    for patch, res in zip(hist.patches, runs.values(), strict=True):
        x = res.outcome("nk_casualties")
        steps = patch.get_xy()[1:-1].reshape(-1, 2, 2)  # per bin: (left, h), (right, h)
        edges = np.append(steps[:, 0, 0], steps[-1, 1, 0])
        heights = steps[:, 0, 1]
        np.testing.assert_allclose(heights, np.histogram(x, edges)[0] / x.size, atol=1e-12)
        assert heights.sum() == pytest.approx(1.0)
    assert [t.get_text() for t in cdf.get_legend().get_texts()] == list(runs)
    for ax in (cdf, hist):
        assert "(troops)" in ax.get_xlabel() and "fraction" in ax.get_ylabel()


def test_distributions_kinds_censoring_note_and_errors(runs: dict[str, Results]) -> None:
    assert len(plots.distributions(runs, "ad_leakers", kind="cdf").axes) == 1
    hist = plots.distributions(runs, "ad_leakers", kind="hist")
    assert [p.get_label() for p in hist.axes[0].patches] == list(runs)
    title = " ".join(plots.distributions(runs, "msam_dry_day", kind="cdf").get_suptitle().split())
    assert "did not happen within the 180-day horizon" in title
    with pytest.raises(ResultsError, match="did you mean 'nk_casualties'"):
        plots.distributions(runs, "nk_casualtie")
    with pytest.raises(PlotError, match="kind"):
        plots.distributions(runs, "ad_leakers", kind="box")  # type: ignore[arg-type]


# --- fan chart ------------------------------------------------------------------------------


def test_fan_chart_bands_are_the_daily_quantiles_and_record_points_their_values(
    runs: dict[str, Results], record: Record
) -> None:
    base = runs["baseline"]
    fig = _render(plots.fan_chart(base, "ground_held_km2", record=record))
    ax = fig.axes[0]
    day = np.datetime64("2025-01-15")
    values = base.series_on("ground_held_km2", "2025-01-15")
    x = mdates.date2num(day)
    for label, (lo, hi) in (("p5–p95", (0.05, 0.95)), ("p25–p75", (0.25, 0.75))):
        verts = np.concatenate([p.vertices for p in _labelled(ax, label).get_paths()])
        at_day = np.sort(verts[np.isclose(verts[:, 0], x), 1])
        np.testing.assert_allclose(at_day[[0, -1]], np.quantile(values, [lo, hi]), rtol=1e-6)
    median = _labelled(ax, "median")
    i = int(np.flatnonzero(base.dates == day)[0])
    assert median.get_ydata()[i] == pytest.approx(np.median(values), rel=1e-6)
    pts = [p for p in record.points if p.quantity == "ground_held_km2"]
    for use, label in (
        ("fit", "record, fitted (90% interval)"),
        ("holdout", "record, held out (90% interval)"),
    ):
        cont = _labelled(ax, label)
        mine = [p for p in pts if p.use == use]
        np.testing.assert_array_equal(cont.lines[0].get_ydata(), [p.value for p in mine])
        lo, hi = _errorbar_extent(cont)
        np.testing.assert_allclose(lo, [p.interval[0] for p in mine])  # type: ignore[index]
        np.testing.assert_allclose(hi, [p.interval[1] for p in mine])  # type: ignore[index]
    assert "(km2)" in ax.get_ylabel() and "2024-11-01" in ax.get_xlabel()


def test_fan_chart_draws_sd_and_asymmetric_record_points_inside_the_horizon(
    runs: dict[str, Results],
) -> None:
    common = {"quantity": "ground_held_km2", "source": "test", "as_of": "2025-01-01"}
    record = Record(
        name="t",
        version=1,
        points=(
            RecordPoint(date="2024-12-01", value=500, sd=50, use="fit", **common),
            RecordPoint(date="2025-01-01", value=400, interval=(300, 700), use="fit", **common),
            RecordPoint(date="2025-02-01", value=100, sd=10, use="holdout", **common),
            RecordPoint(date="2026-01-01", value=0, sd=10, use="holdout", **common),
            RecordPoint(
                date="2025-01-01",
                value=9,
                sd=1,
                use="fit",
                quantity="nk_troops",
                source="test",
                as_of="2025-01-01",
            ),
        ),
    )
    ax = plots.fan_chart(runs["baseline"], "ground_held_km2", record=record).axes[0]
    fit = _labelled(ax, "record, fitted (90% interval)")
    np.testing.assert_array_equal(fit.lines[0].get_ydata(), [500, 400])
    lo, hi = _errorbar_extent(fit)
    z90 = 1.6448536269514722
    np.testing.assert_allclose(lo, [500 - z90 * 50, 300])
    np.testing.assert_allclose(hi, [500 + z90 * 50, 700])
    held = _labelled(ax, "record, held out (90% interval)")
    np.testing.assert_array_equal(held.lines[0].get_ydata(), [100])
    assert "1 record point(s) outside the horizon" in ax.get_title(loc="left")


def test_fan_chart_refuses_unknown_or_missing_series(runs: dict[str, Results]) -> None:
    with pytest.raises(ResultsError, match="did you mean 'ground_held_km2'"):
        plots.fan_chart(runs["baseline"], "ground_held")
    bare = dataclasses.replace(runs["baseline"], series={})
    with pytest.raises(ResultsError, match="series_replications"):
        plots.fan_chart(bare, "ground_held_km2")


# --- paired differences ---------------------------------------------------------------------


def test_paired_differences_hold_the_mean_interval_quantiles_and_shares(
    runs: dict[str, Results], comparison: Comparison
) -> None:
    fig = _render(plots.paired_differences(comparison, "ad_leakers"))
    ax = fig.axes[0]
    d = comparison.outcome("ad_leakers").option("msam").diff
    assert d is not None
    mean = _labelled(ax, "_mean msam")
    assert mean.lines[0].get_xdata()[0] == pytest.approx(d.diff_mean)
    lo, hi = _errorbar_extent(mean)
    assert (lo[0], hi[0]) == pytest.approx((d.diff_lo, d.diff_hi))
    diffs = runs["msam"].outcome("ad_leakers") - runs["baseline"].outcome("ad_leakers")
    assert _labelled(ax, "_p50 msam").get_xdata()[0] == pytest.approx(np.median(diffs))
    np.testing.assert_allclose(
        _labelled(ax, "_p25-p75 msam").get_xdata(), np.quantile(diffs, [0.25, 0.75])
    )
    texts = [t.get_text() for t in ax.texts]
    assert texts == [
        f"P(better) {d.p_better:.2f} [{d.p_better_lo:.2f}, {d.p_better_hi:.2f}]"
        f" · tie {d.p_tie:.2f} · worse {d.p_worse:.2f}"
    ]
    assert len([c for c in ax.containers if c.get_label().startswith("_mean")]) == 1
    assert "(threats)" in ax.get_xlabel()
    with pytest.raises(ResultsError, match="did you mean 'ad_leakers'"):
        plots.paired_differences(comparison, "ad_leaker")


def test_an_option_has_the_same_colour_in_every_figure(
    runs: dict[str, Results], comparison: Comparison
) -> None:
    dist = plots.distributions(runs, "ad_leakers", kind="cdf").axes[0]
    fan = plots.fan_chart(runs["msam"], "ad_leakers_daily").axes[0]
    paired = plots.paired_differences(comparison, "ad_leakers").axes[0]
    colour = to_hex(_labelled(dist, "msam").get_color())
    assert to_hex(_labelled(fan, "median").get_color()) == colour
    assert to_hex(_labelled(paired, "_mean msam").lines[0].get_color()) == colour
    assert colour == plots.option_colors(["msam"])["msam"]


# --- sensitivity, discovery, value of information -------------------------------------------


@pytest.mark.usefixtures("_ishigami")
def test_tornado_bars_are_the_swings() -> None:
    from scenario.analysis.sensitivity import tornado

    result = tornado(ishigami_config(), outcome="y", replications=100, seed=2)
    ax = _render(plots.tornado(result)).axes[0]
    bars = sorted(ax.patches, key=lambda p: -p.get_y())  # top first: largest swing
    assert len(bars) == len(result.rows)
    for bar, row in zip(bars, result.rows, strict=True):
        assert bar.get_width() == pytest.approx(row.swing)
        assert bar.get_x() == pytest.approx(row.mean_low)
    by_y = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])  # top first
    assert [t.get_text() for t in by_y] == [r.factor for r in result.rows]
    swings = [abs(r.swing) for r in result.rows]
    assert swings == sorted(swings, reverse=True)
    lo, hi = _errorbar_extent(_labelled(ax, "95% CI of the swing"))
    ends = [r.mean_low + r.swing for r in result.rows]
    np.testing.assert_allclose(lo, np.subtract(ends, [r.swing - r.swing_lo for r in result.rows]))
    np.testing.assert_allclose(hi, np.add(ends, [r.swing_hi - r.swing for r in result.rows]))
    assert "(1)" in ax.get_xlabel()


def _sobol() -> SobolResult:
    """Indices as SALib would report them (made up; the plot only draws them)."""
    rows = tuple(
        SobolRow(
            factor=f,
            s1=s1,
            s1_lo=s1 - 0.05,
            s1_hi=s1 + 0.04,
            st=st,
            st_lo=st - 0.06,
            st_hi=st + 0.07,
            st_net=st - 0.1,
        )
        for f, s1, st in (
            ("air_defence.pk", 0.31, 0.55),
            ("ground.rate", 0.44, 0.45),
            ("cost.unit", -0.02, 0.24),
        )
    )
    return SobolResult(
        outcome="y",
        unit="troops",
        n=64,
        runs=384,
        seed=1,
        conf_level=0.95,
        noise_share=0.1,
        noise_lo=0.08,
        noise_hi=0.12,
        rows=rows,
    )


def test_sobol_bars_are_the_indices_with_their_intervals() -> None:
    res = _sobol()
    ax = _render(plots.sobol(res)).axes[0]
    for label, field in (("total ST", "st"), ("first-order S1", "s1")):
        bars = _labelled(ax, label)
        widths = [p.get_width() for p in bars.patches]
        np.testing.assert_allclose(widths, [getattr(r, field) for r in res.rows])
        lo, hi = _errorbar_extent(bars.errorbar)
        np.testing.assert_allclose(lo, [getattr(r, f"{field}_lo") for r in res.rows])
        np.testing.assert_allclose(hi, [getattr(r, f"{field}_hi") for r in res.rows])
    assert _labelled(ax, "model's own randomness").patches[0].get_width() == res.noise_share
    np.testing.assert_allclose(
        _labelled(ax, "ST net of own randomness").get_xdata(), [r.st_net for r in res.rows]
    )
    by_y = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])  # top first
    names = [t.get_text() for t in by_y]
    assert names == ["air_defence.pk", "ground.rate", "cost.unit", "model's own randomness"]
    assert "fraction" in ax.get_xlabel()


def test_morris_bars_and_scatter_are_mu_star_and_sigma() -> None:
    rows = tuple(
        MorrisRow(
            factor=f, mu=m, mu_star=abs(m), mu_star_lo=abs(m) - 1, mu_star_hi=abs(m) + 2, sigma=s
        )
        for f, m, s in (("a", 8.0, 8.5), ("b", -7.0, 6.0), ("c", 5.0, 0.5))
    )
    mor = MorrisResult(
        outcome="y", unit="km2", trajectories=10, levels=4, runs=40, seed=1, rows=rows
    )
    bars, scat = _render(plots.morris(mor)).axes
    bar = _labelled(bars, "mu*")
    assert isinstance(bar, BarContainer)
    np.testing.assert_allclose([p.get_width() for p in bar.patches], [8.0, 7.0, 5.0])
    points = _labelled(scat, "factor").lines[0]
    np.testing.assert_allclose(points.get_xdata(), [8.0, 7.0, 5.0])
    np.testing.assert_allclose(points.get_ydata(), [8.5, 6.0, 0.5])
    lo, hi = _errorbar_extent(_labelled(scat, "factor"))
    np.testing.assert_allclose(lo, [7.0, 6.0, 4.0])
    np.testing.assert_allclose(hi, [10.0, 9.0, 7.0])
    assert "km2 per quantile range" in scat.get_xlabel()
    assert "km2 per quantile range" in scat.get_ylabel()


def test_prim_tradeoff_holds_the_trajectory_and_marks_the_chosen_box(
    runs: dict[str, Results],
) -> None:
    from scenario.analysis.discovery import discover

    msam = runs["msam"]
    found = discover(msam, "ad_leakers", above=float(np.quantile(msam.outcome("ad_leakers"), 0.7)))
    ax = _render(plots.prim_tradeoff(found)).axes[0]
    steps = _labelled(ax, "peeling steps").get_offsets()
    np.testing.assert_allclose(steps[:, 0], [s.coverage for s in found.trajectory])
    np.testing.assert_allclose(steps[:, 1], [s.density for s in found.trajectory])
    chosen = found.trajectory[found.chosen]
    label = f"chosen step ({found.chosen})"
    np.testing.assert_allclose(
        _labelled(ax, label).get_offsets()[0], [chosen.coverage, chosen.density]
    )
    box = _labelled(ax, "final box (pasted)").get_offsets()[0]
    np.testing.assert_allclose(box, [found.box.coverage, found.box.density])
    assert "coverage" in ax.get_xlabel() and "density" in ax.get_ylabel()


def _voi(evpi: float) -> ValueOfInformation:
    rows = tuple(
        VoiRow(factor=f, parameters=(f,), evppi=v, se=s, share_of_evpi=v / 30.0)
        for f, v, s in (("air_defence", 20.0, 2.0), ("ground", 5.0, 1.0), ("cost", 0.0, 0.0))
    )
    return ValueOfInformation(
        objective="msam_value",
        unit="USD m",
        direction="maximize",
        options=("baseline", "msam"),
        means=(1.0, 2.0),
        best="msam",
        replications=1000,
        evpi=evpi,
        evpi_se=3.0,
        evpi_upper=40.0,
        dropped=0,
        rows=rows,
    )


def test_value_of_information_bars_and_evpi_line() -> None:
    result = _voi(30.0)
    ax = _render(plots.value_of_information(result)).axes[0]
    bars = _labelled(ax, "EVPPI")
    np.testing.assert_allclose([p.get_width() for p in bars.patches], [20.0, 5.0, 0.0])
    assert _labelled(ax, "EVPI").get_xdata()[0] == 30.0
    lo, hi = _errorbar_extent(bars.errorbar)
    np.testing.assert_allclose(hi - lo, [2 * 1.96 * 2.0, 2 * 1.96, 0.0], rtol=1e-3)
    assert "(USD m)" in ax.get_xlabel()
    unknown = plots.value_of_information(_voi(float("nan"))).axes[0]
    assert _labelled(unknown, "EVPI upper bound").get_xdata()[0] == 40.0


# --- files ----------------------------------------------------------------------------------


def test_save_writes_png_and_svg_and_to_svg_is_self_contained(
    runs: dict[str, Results], tmp_path: Path
) -> None:
    fig = plots.distributions(runs, "ad_leakers", kind="cdf")
    paths = plots.save(fig, tmp_path / "sub" / "dist.ad_leakers")
    assert [p.name for p in paths] == ["dist.ad_leakers.png", "dist.ad_leakers.svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in paths[1].read_text(encoding="utf-8")
    with pytest.raises(PlotError, match="unknown plot format 'gif'"):
        plots.save(fig, tmp_path / "x", ["gif"])
    svg = plots.to_svg(fig)
    assert svg.startswith("<svg") and "DOCTYPE" not in svg and "<metadata" not in svg
    assert "<image" not in svg and "<text" not in svg  # no raster, text drawn as paths
    links = set(re.findall(r'href="([^"#][^"]*)"', svg))
    assert links == set()  # only in-document references
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert len(ids) == len(set(ids))
    refs = set(re.findall(r'href="#([^"]+)"', svg)) | set(re.findall(r"url\(#([^)]+)\)", svg))
    assert refs and refs <= set(ids)
    other = plots.to_svg(plots.distributions(runs, "nk_casualties", kind="cdf"))
    assert not set(ids) & set(re.findall(r'\bid="([^"]+)"', other))


def test_cli_writes_plots_for_two_saved_runs(runs: dict[str, Results], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from scenario.cli import app

    dirs = [str(res.save(tmp_path / name)) for name, res in runs.items()]
    record = str(ROOT / "configs" / "record" / "kursk_2024_2025.yaml")
    out = tmp_path / "plots"
    args = [
        "plot",
        *dirs,
        "-o",
        str(out),
        "--outcome",
        "ad_leakers",
        "--series",
        "ground_held_km2",
    ]
    res = CliRunner().invoke(app, [*args, "--record", record])
    assert res.exit_code == 0, res.output
    stems = [
        "distribution_ad_leakers",
        "fan_baseline_ground_held_km2",
        "fan_msam_ground_held_km2",
        "paired_ad_leakers",
    ]
    expected = {f"{s}.{ext}" for s in stems for ext in ("png", "svg")}
    assert {p.name for p in out.iterdir()} == expected
    assert sorted(Path(line).name for line in res.output.split()) == sorted(expected)
    assert all((out / name).stat().st_size > 1000 for name in expected)
    assert 'id="record-fit"' in (out / "fan_baseline_ground_held_km2.svg").read_text("utf-8")
    assert "record-" not in (out / "fan_msam_ground_held_km2.svg").read_text("utf-8")
    bad = CliRunner().invoke(app, ["plot", dirs[0], "-o", str(out), "--outcome", "ad_leakerz"])
    assert bad.exit_code == 1
    assert bad.output.strip().splitlines() == [
        "error: unknown outcome 'ad_leakerz'; did you mean 'ad_leakers'?"
    ]


def test_default_outcomes_are_directed_and_move(runs: dict[str, Results]) -> None:
    from scenario.commands.plot import default_outcomes

    two = default_outcomes(runs)
    info = {o.name: o.direction for o in runs["baseline"].outcome_info}
    assert 0 < len(two) <= 6 and all(info[n] != "info" for n in two)
    base, msam = (np.nanmean(r.outcome(two[0])) for r in runs.values())
    assert base != msam
    one = default_outcomes({"baseline": runs["baseline"]})
    assert one[:3] == ["ua_expelled", "ground_held_end_km2", "ad_leakers"]  # the thresholds


def test_importing_the_report_package_does_not_import_matplotlib() -> None:
    code = "import sys, scenario.report, scenario.report.plots; print('matplotlib' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "False"


def test_names_from_configs_never_write_outside_the_output_directory(
    runs: dict[str, Results], tmp_path: Path
) -> None:
    """A run name is config text: separators, ``..`` and markup become ``_``."""
    from scenario.commands.plot import write_plots

    out = tmp_path / "out"
    hostile = {"x/../../escaped [/b]\x1b": runs["baseline"]}
    written = write_plots(hostile, out, outcomes=["ad_leakers"], series=["ground_held_km2"])
    assert written
    for path in written:
        assert path.resolve().parent == out.resolve(), path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
