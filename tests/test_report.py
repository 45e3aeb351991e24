"""The HTML report: its numbers equal the results', it is self-contained, config text is
escaped, every ASSUMPTION is flagged, optional sections appear only when given; and, in a
real headless Chromium, it renders with no console error and the tables read from the DOM
hold the results' numbers."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from scenario.analysis.compare import compare_options
from scenario.analysis.summary import summarize_results
from scenario.analysis.validation import check_points
from scenario.cli import app
from scenario.config.distributions import is_assumption
from scenario.config.loader import load_config
from scenario.config.record import load_record
from scenario.engine.runner import run
from scenario.errors import ResultsError
from scenario.report.html import HEADLINE, name_runs, render_report, write_report
from scenario.report.html_parts import number, percent, scope_svg
from scenario.results import Results

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "configs" / "baseline.yaml"
MSAM = ROOT / "configs" / "options" / "msam.yaml"
RECORD = ROOT / "configs" / "record" / "kursk_2024_2025.yaml"
CHROMIUM = "/usr/bin/chromium"
N = 300
N_FAST = 200
runner = CliRunner()


def _run(path: Path, n: int = N_FAST, seed: int = 7) -> Results:
    cfg = load_config(path, overrides=["run.block_size=100", f"run.series_replications={n}"])
    return run(cfg, replications=n, seed=seed)


@pytest.fixture(scope="module")
def runs() -> dict[str, Results]:
    return {"baseline": _run(BASELINE), "msam": _run(MSAM)}


@pytest.fixture(scope="module")
def page(runs: dict[str, Results]) -> str:
    return render_report(runs, record=load_record(RECORD), figures=False)


class _Cells(HTMLParser):
    """Every ``<td>`` with its table id, row keys (outcome, option, key, point), data-*
    attributes and text; every src/href/url; every tag name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[dict[str, Any]] = []
        self.links: list[str] = []
        self.tags: list[str] = []
        self.styles: list[str] = []
        self._ctx: dict[str, str] = {}
        self._cell: dict[str, Any] | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        self.links += [v for k, v in a.items() if k in {"src", "href", "xlink:href", "action"}]
        self._in_style = tag == "style"
        if tag == "table":
            self._ctx = {"table": a.get("id", "")}
        elif tag == "tbody":
            self._ctx["outcome"] = a.get("data-outcome", "")
        elif tag == "tr":
            for key in ("option", "key", "point", "factor", "input"):
                self._ctx[key] = a.get(f"data-{key}", "")
            self._ctx["tr_class"] = a.get("class", "")
        elif tag == "td":
            self._cell = {**self._ctx, **a, "text": ""}

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self._cell["text"] = " ".join(self._cell["text"].split())
            self.cells.append(self._cell)
            self._cell = None
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell["text"] += data
        if self._in_style:
            self.styles.append(data)


def _cells(html: str) -> _Cells:
    p = _Cells()
    p.feed(html)
    return p


def _stat(cells: list[dict[str, Any]], table: str, **keys: str) -> dict[str, dict[str, Any]]:
    """Cells of one row of ``table`` by data-stat."""
    return {
        c["data-stat"]: c
        for c in cells
        if c["table"] == table and "data-stat" in c and all(c.get(k) == v for k, v in keys.items())
    }


def _check_summary_rows(
    cells: list[dict[str, Any]], runs: dict[str, Results], table: str, outcomes: list[str]
) -> int:
    checked = 0
    for name, res in runs.items():
        for s in summarize_results(res, outcomes):
            row = _stat(cells, table, outcome=s.name, option=name)
            for stat in ("mean", "p5", "p50", "p95"):
                value = getattr(s, stat)
                assert row[stat]["text"] == number(value), (table, name, s.name, stat)
                assert float(row[stat]["data-value"]) == value
                checked += 1
            lo, hi = float(row["mean_ci"]["data-lo"]), float(row["mean_ci"]["data-hi"])
            assert (lo, hi) == (s.mean_lo, s.mean_hi)
            assert row["mean_ci"]["text"] == f"{number(s.mean_lo)} – {number(s.mean_hi)}"
    return checked


def test_headline_and_full_tables_hold_the_results_numbers(
    runs: dict[str, Results], page: str
) -> None:
    cells = _cells(page).cells
    headline = [h for h in HEADLINE if h in runs["baseline"].outcomes]
    assert len(headline) == len(HEADLINE)
    assert _check_summary_rows(cells, runs, "t-headline", headline) == 4 * 2 * len(headline)
    every = list(runs["baseline"].outcomes)
    assert _check_summary_rows(cells, runs, "t-all", every) == 4 * 2 * len(every)


def test_paired_table_holds_the_comparison(runs: dict[str, Results], page: str) -> None:
    cells = _cells(page).cells
    comp = compare_options(runs["baseline"], runs["msam"])
    checked = 0
    for oc in comp.outcomes:
        d = oc.option("msam").diff
        assert d is not None
        row = _stat(cells, "t-paired-all", outcome=oc.outcome, option="msam")
        assert row["diff_mean"]["text"] == number(d.diff_mean)
        assert float(row["diff_mean"]["data-value"]) == d.diff_mean
        assert row["p_tie"]["text"] == percent(d.p_tie)
        if oc.direction != "info":
            assert row["p_better"]["text"] == percent(d.p_better)
            assert row["p_worse"]["text"] == percent(d.p_worse)
        got = sum(float(row[k]["data-value"]) for k in ("p_better", "p_tie", "p_worse"))
        assert got == pytest.approx(1.0, abs=1e-12)
        checked += 1
    assert checked == len(comp.outcomes) > 20
    # the headline paired table is the headline subset
    head = {c["outcome"] for c in cells if c["table"] == "t-paired"}
    assert head == {h for h in HEADLINE if h in {o.outcome for o in comp.outcomes}}


def test_register_flags_every_assumption_and_only_those(
    runs: dict[str, Results], page: str
) -> None:
    cells = [c for c in _cells(page).cells if c["table"] == "t-register"]
    params = runs["baseline"].config.flat_parameters()
    rows: dict[str, list[dict[str, Any]]] = {}
    for c in cells:
        rows.setdefault(c["key"], []).append(c)
    assert set(rows) == set(params)
    n_flagged = 0
    for key, spec in params.items():
        flag = next(c for c in rows[key] if c.get("class") == "flag-cell")
        source = next(c for c in rows[key] if c.get("class") == "source")
        if is_assumption(spec):
            n_flagged += 1
            assert flag["text"] == "ASSUMPTION", key
            assert "assumption" in rows[key][0]["tr_class"]
        else:
            assert flag["text"] == "", key
        assert source["text"].startswith(" ".join(spec.source.split()))
        assert spec.as_of.isoformat() in {c["text"] for c in rows[key]}
        assert spec.confidence in {c["text"] for c in rows[key]}
    assert n_flagged > 100
    assert f"{n_flagged} (" in page  # the count in the register's introduction


def test_page_is_self_contained_and_has_no_script(page: str) -> None:
    p = _cells(page)
    assert "script" not in p.tags and "link" not in p.tags and "iframe" not in p.tags
    assert all(link.startswith("#") for link in p.links), p.links
    css = "".join(p.styles)
    assert "@import" not in css and "url(" not in css
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)


def test_a_figure_is_inline_svg_with_scoped_ids(runs: dict[str, Results]) -> None:
    from scenario.report.html_parts import Figures

    figs = Figures()
    one = figs.figure("fan_chart", runs["baseline"], "ground_held_km2", caption="c")
    two = figs.figure("fan_chart", runs["msam"], "ground_held_km2", caption="c")
    assert one.startswith('<figure data-plot="fan_chart"><svg') and "<?xml" not in one
    ids_one = set(re.findall(r'\bid="([^"]+)"', one))
    ids_two = set(re.findall(r'\bid="([^"]+)"', two))
    assert ids_one and not ids_one & ids_two
    assert all(i.startswith("f1-") for i in ids_one)
    for ref in re.findall(r'(?:href="#|url\(#)([^")]+)', one):
        assert ref in ids_one
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", one + two)


def test_scope_svg_renames_ids_and_references_only() -> None:
    svg = (
        '<?xml version="1.0"?><!DOCTYPE svg><svg><defs><path id="a"/><clipPath id="p1"/>'
        '</defs><use xlink:href="#a"/><g clip-path="url(#p1)"/><a href="#other"/></svg>'
    )
    out = scope_svg(svg, "f9-")
    assert out.startswith("<svg")
    assert 'id="f9-a"' in out and 'xlink:href="#f9-a"' in out and "url(#f9-p1)" in out
    assert 'href="#other"' in out


def test_config_text_is_escaped(runs: dict[str, Results]) -> None:
    base = runs["baseline"]
    evil = "<script>alert(1)</script><img src=http://x.invalid/a.png>\x1b[31m"
    params = {g: dict(specs) for g, specs in base.config.parameters.items()}
    group = next(iter(params))
    key = next(iter(params[group]))
    params[group][key] = params[group][key].model_copy(update={"source": f"ASSUMPTION: {evil}"})
    cfg = base.config.model_copy(
        update={"name": evil, "description": f'"{evil}" & more', "parameters": params}
    )
    res = dataclasses.replace(base, config=cfg)
    html = render_report({evil: res}, title=evil, figures=False)
    p = _cells(html)
    assert "script" not in p.tags and "img" not in p.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"<script|<img", html, re.I)
    flag = [c for c in p.cells if c["table"] == "t-register" and c["key"] == f"{group}.{key}"]
    assert any(c["text"] == "ASSUMPTION" for c in flag)
    # Control characters are shown escaped, never emitted raw.
    assert "\x1b" not in html and "\\x1b[31m" in html


def test_a_minutes_unit_is_written_out(runs: dict[str, Results]) -> None:
    html = render_report(runs["baseline"], outcomes=["kill_chain_min"], figures=False)
    assert "kill_chain_min [minutes]" in html and "kill_chain_min [min]" not in html


def test_record_section_is_the_check_of_the_kept_replications(
    runs: dict[str, Results], page: str
) -> None:
    record = load_record(RECORD)
    cells = _cells(page).cells
    checks = check_points({"b": runs["baseline"]}, record.points)
    for c in checks:
        row = _stat(cells, "t-record", point=c.point)
        for stat in ("p5", "p50", "p95", "interval_score", "crps"):
            assert float(row[stat]["data-value"]) == getattr(c, stat), (c.point, stat)
            assert row[stat]["text"] == number(getattr(c, stat))
        assert row["match"]["text"] == percent(c.match)
    assert 'id="record"' in page
    assert 'id="record"' not in render_report(runs, figures=False)


def test_record_uses_the_replications_with_series() -> None:
    cfg = load_config(BASELINE, overrides=["run.block_size=100", "run.series_replications=100"])
    res = run(cfg, replications=200, seed=3)
    html = render_report(res, record=load_record(RECORD), figures=False)
    assert "over its first 100 replications" in html
    first = load_record(RECORD).points[0]
    day = (first.date - cfg.start_date).days if first.date else 0
    x = res.series[first.quantity][:, day].astype(np.float64)
    row = _stat(_cells(html).cells, "t-record", point=first.label)
    assert float(row["p50"]["data-value"]) == float(np.quantile(x, 0.5))


def test_optional_sections_appear_only_when_given(runs: dict[str, Results], page: str) -> None:
    from scenario.analysis.discovery import discover
    from scenario.analysis.sensitivity import tornado
    from scenario.analysis.voi import voi

    for ident in ("sensitivity", "voi", "discovery"):
        assert f'id="{ident}"' not in page
    base = runs["baseline"]
    keys = ["air_defence.drone_per_day", "air_defence.cruise_per_day"]
    t = tornado(base.config, outcome="ad_leakers", replications=50, parameters=keys)
    v = voi(base, runs["msam"], objective="civilian_casualties", parameters=keys)
    d = discover(base, "ad_leakers", above=float(np.quantile(base.outcome("ad_leakers"), 0.8)))
    html = render_report(runs, sensitivity=t, voi=[v], discovery=d, figures=False)
    cells = _cells(html).cells
    for ident in ("sensitivity", "voi", "discovery"):
        assert f'id="{ident}"' in html
    for r in t.rows:
        row = _stat(cells, "t-sens-0", factor=r.factor)
        assert float(row["swing"]["data-value"]) == r.swing
    for r in v.rows:
        row = _stat(cells, "t-voi-0", factor=r.factor)
        assert float(row["evppi"]["data-value"]) == r.evppi
    for r in d.box.restrictions:
        row = _stat(cells, "t-disc-0", input=r.input)
        assert float(row["low"]["data-value"]) == r.low
    assert d.describe().split(" in ")[0] in html


def test_manifest_question_options_and_caveat(runs: dict[str, Results], page: str) -> None:
    cells = [c for c in _cells(page).cells if c["table"] == "t-manifest"]
    by = {(c["data-option"], c["data-field"]): c["text"] for c in cells}
    for name, res in runs.items():
        assert by[(name, "seed")] == str(res.manifest["seed"])
        assert by[(name, "replications")] == f"{res.replications:,}"
        assert by[(name, "config hash")] == res.manifest["config_hash"]
        assert "numpy" in by[(name, "versions")]
    assert "12,000 soldiers to Russia" in page
    assert "not predictions of what will happen" in page
    assert "<dt>batteries</dt><dd>2</dd>" in page and "no lever deployed" in page
    msam_desc = runs["msam"].config.description
    assert " ".join(msam_desc.split()) in " ".join(page.split())


def test_day_outcomes_say_what_the_horizon_value_means(page: str) -> None:
    assert "180 means not within the 180-day horizon" in page


def test_unpaired_runs_are_reported_not_compared(runs: dict[str, Results]) -> None:
    other = _run(MSAM, n=100, seed=8)
    html = render_report([runs["baseline"], other], figures=False)
    assert "No paired comparison" in html and "seed 8" in html
    assert 'id="t-paired"' not in html
    assert 'id="t-headline"' in html


def test_name_runs_and_input_errors(runs: dict[str, Results]) -> None:
    base = runs["baseline"]
    assert list(name_runs([base, base, base])) == ["baseline", "baseline #2", "baseline #3"]
    assert list(name_runs(base)) == ["baseline"]
    assert list(name_runs({"a": base})) == ["a"]
    with pytest.raises(ResultsError, match="no results"):
        name_runs([])
    with pytest.raises(ResultsError, match="not a Results"):
        name_runs(["x"])  # type: ignore[list-item]
    with pytest.raises(ResultsError, match="did you mean 'ua_casualties'"):
        render_report(base, outcomes=["ua_casualtys"], figures=False)


def test_number_and_percent_formats() -> None:
    assert number(12345.6) == "12,346"
    assert number(-51153.2) == "-51,153"
    assert number(28.53) == "28.5"
    assert number(0.8) == "0.8"
    assert number(0.00737) == "0.00737"
    assert number(0.0) == "0"
    assert number(float("nan")) == "n/a"
    assert percent(0.5) == "50%"
    assert percent(0.001) == "0.1%"
    assert percent(0.0) == "0%" and percent(1.0) == "100%"
    assert percent(0.996) == "99.6%"


def test_write_report_and_cli(runs: dict[str, Results], tmp_path: Path) -> None:
    path = write_report(runs, tmp_path / "sub" / "r.html", figures=False)
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(ResultsError, match="is a directory"):
        write_report(runs, tmp_path, figures=False)
    dirs = []
    for name, res in runs.items():
        res.save(tmp_path / name)
        dirs.append(str(tmp_path / name))
    out = tmp_path / "cli.html"
    res = runner.invoke(
        app,
        [
            "report",
            *dirs,
            "-o",
            str(out),
            "--no-figures",
            "--title",
            "T <b>",
            "--record",
            str(RECORD),
        ],
    )
    assert res.exit_code == 0, res.output
    assert res.output.strip() == str(out)
    text = out.read_text(encoding="utf-8")
    assert "<title>T &lt;b&gt;</title>" in text and 'id="record"' in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nothere"], "does not exist"),
        ([str(BASELINE)], "is a config file, not saved results"),
        (["{base}", "--outcome", "ua_casualtys"], "did you mean 'ua_casualties'"),
        (["{base}", "--record", str(BASELINE)], "error:"),
    ],
)
def test_cli_mistakes_are_one_line_errors(
    runs: dict[str, Results], tmp_path: Path, args: list[str], message: str
) -> None:
    runs["baseline"].save(tmp_path / "base")
    argv = [a.replace("{base}", str(tmp_path / "base")) for a in args]
    res = runner.invoke(app, ["report", *argv, "-o", str(tmp_path / "r.html"), "--no-figures"])
    assert res.exit_code == 1
    assert message in res.output and "Traceback" not in res.output
    assert all(line.startswith("error: ") for line in res.output.strip().splitlines())


def test_without_matplotlib_the_report_says_so_once(
    runs: dict[str, Results], monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "matplotlib" else real(name, *a),
    )
    html = render_report(runs)
    assert html.count("Figures need matplotlib") == 1
    assert "<figure" not in html and 'id="t-headline"' in html


def test_correlations_are_listed_with_their_flag(runs: dict[str, Results]) -> None:
    import datetime as dt

    from scenario.config.correlations import RankCorrelation

    base = runs["baseline"]
    a, b = list(base.config.flat_parameters())[:2]
    corr = RankCorrelation(
        between=(a, b),
        rho=0.5,
        source="ASSUMPTION: <judged>",
        as_of=dt.date(2024, 11, 1),
        confidence="low",
    )
    res = dataclasses.replace(
        base, config=base.config.model_copy(update={"correlations": (corr,)})
    )
    cells = [
        c
        for c in _cells(render_report(res, figures=False)).cells
        if c["table"] == "t-correlations"
    ]
    texts = [c["text"] for c in cells]
    assert texts[0] == "ASSUMPTION" and f"{a} ~ {b}" in texts and "0.5" in texts
    assert "ASSUMPTION: <judged>" in texts


def test_runs_given_by_name_keep_their_names(runs: dict[str, Results]) -> None:
    named = {"no action": runs["baseline"], "two batteries": runs["msam"]}
    cells = _cells(render_report(named, figures=False)).cells
    assert {c["option"] for c in cells if c["table"] == "t-paired"} == {"two batteries"}
    assert {c["option"] for c in cells if c["table"] == "t-headline"} == set(named)


# -- in a real browser ---------------------------------------------------------------------

_DOM_CELLS = """() => Array.from(document.querySelectorAll('td[data-stat]')).map(td => {
  const tr = td.closest('tr'), tb = td.closest('tbody'), t = td.closest('table');
  return {table: t.id, outcome: tb ? (tb.dataset.outcome || '') : '',
          option: tr.dataset.option || '', key: tr.dataset.key || '',
          point: tr.dataset.point || '', stat: td.dataset.stat, value: td.dataset.value || '',
          lo: td.dataset.lo || '', hi: td.dataset.hi || '', text: td.innerText.trim()};
})"""

_REGISTER = """() => Array.from(document.querySelectorAll('#t-register tbody tr')).map(tr =>
  [tr.dataset.key, tr.innerText, getComputedStyle(tr.querySelector('.flag-cell')).display,
   tr.querySelector('.flag') ? tr.querySelector('.flag').getBoundingClientRect().width : 0])"""


def _browser() -> Callable[..., Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    return sync_playwright


@pytest.mark.slow
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    sync_playwright = _browser()
    dirs = []
    for name, cfg in (("base", BASELINE), ("msam", MSAM)):
        dirs.append(str(tmp_path / name))
        res = runner.invoke(
            app,
            [
                "run",
                str(cfg),
                "-n",
                str(N),
                "-q",
                "--out",
                dirs[-1],
                "--set",
                f"run.series_replications={N}",
                "--set",
                "run.block_size=100",
            ],
        )
        assert res.exit_code == 0, res.output
    report = tmp_path / "report.html"
    headline = ["ua_casualties", "ad_leakers", "civilian_casualties"]
    chosen = [a for h in headline for a in ("--outcome", h)]
    res = runner.invoke(
        app, ["report", *dirs, "-o", str(report), "--record", str(RECORD), *chosen]
    )
    assert res.exit_code == 0, res.output
    html = report.read_text(encoding="utf-8")

    problems: list[str] = []
    requests: list[str] = []
    shot = tmp_path / "report.png"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            pg = browser.new_page(viewport={"width": 1366, "height": 900})
            pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}"))
            pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            pg.on("request", lambda r: requests.append(r.url))
            pg.goto(report.as_uri(), wait_until="load")
            pg.screenshot(path=str(shot), full_page=True)
            cells = pg.evaluate(_DOM_CELLS)
            register = pg.evaluate(_REGISTER)
            n_svg = pg.evaluate("document.querySelectorAll('figure svg').length")
            widths = pg.evaluate(
                "Array.from(document.querySelectorAll('figure svg')).map(s => s.getBoundingClientRect().width)"
            )
            overflow = pg.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        finally:
            browser.close()

    assert problems == []
    assert requests == [report.as_uri()]  # nothing else was fetched
    assert shot.is_file() and shot.stat().st_size > 200_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert n_svg == html.count("<figure data-plot=") >= 2 * len(headline) + 2 * 6
    assert min(widths) > 300  # every figure drawn at a readable size
    assert not overflow  # no sideways scrolling of the page at laptop width

    from scenario.results import load_results

    loaded = name_runs([load_results(d) for d in dirs])
    dom = [
        {
            "table": c["table"],
            "outcome": c["outcome"],
            "option": c["option"],
            "data-stat": c["stat"],
            "data-value": c["value"],
            "text": c["text"],
            "key": c["key"],
            "point": c["point"],
            "data-lo": c["lo"],
            "data-hi": c["hi"],
        }
        for c in cells
    ]
    assert _check_summary_rows(dom, loaded, "t-headline", headline) == 4 * 2 * len(headline)
    every = list(loaded["baseline"].outcomes)
    assert _check_summary_rows(dom, loaded, "t-all", every) == 4 * 2 * len(every)
    comp = compare_options(*loaded.values())
    for oc in comp.outcomes:
        d = oc.option("msam").diff
        assert d is not None
        row = _stat(dom, "t-paired-all", outcome=oc.outcome, option="msam")
        assert row["diff_mean"]["text"] == number(d.diff_mean)
        assert row["p_tie"]["text"] == percent(d.p_tie)

    params = loaded["baseline"].config.flat_parameters()
    assert {r[0] for r in register} == set(params)
    for key, text, display, flag_width in register:
        assert ("ASSUMPTION" in text.split("\t")[0]) == is_assumption(params[key]), key
        assert display != "none"
        assert (flag_width > 20) == is_assumption(params[key]), key
