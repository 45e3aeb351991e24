"""Terminal tables (issue 10): precision, censoring, blank CIs, literal text, 80 columns."""

from __future__ import annotations

import io
import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

import scenario
from scenario.analysis.summary import summarize_outcome
from scenario.models.registry import default_registry
from scenario.tables import (
    Censoring,
    OutcomeRow,
    censoring,
    censoring_of,
    csv_text,
    label,
    literal,
    markdown_table,
    number,
    outcome_cells,
    outcome_renderables,
    outcome_rows,
    percent,
    places,
    wrap_words,
)
from scenario.tables.emit import _room

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "configs" / "baseline.yaml"
NUMBER = re.compile(r"^(≥)?([+-]?[\d,]+(?:\.\d+)?)(%)?$")
CENSORED = {
    "esc_first_day": True,
    "msam_dry_day": True,
    "ua_exit_day": True,
    "ua_withdrawal_day": True,
    "counteroffensive_day": True,
    "nk_pilots_operational_day": True,
    "nk_days_to_ineffective": "nk_ineffective",
}


@pytest.fixture(scope="module")
def baseline() -> scenario.Results:
    return scenario.run(scenario.load_config(BASELINE), replications=200, seed=3)


def _render(parts: list[object], columns: int = 80) -> str:
    console = Console(width=columns, record=True, file=io.StringIO())
    for part in parts:
        console.print(part)
    return console.export_text()


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("half", "values", "expected"),
    [
        (1.6, [67.5], 1),  # two significant digits of the half-width
        (2522.0, [266512.0], -2),  # rounds to hundreds
        (94.0, [942.0], 0),
        (0.00026, [0.00035], 5),
        (math.nan, [32664.0], 0),  # no CI: four significant digits, units kept
        (math.nan, [0.6463], 4),
        (0.0, [180.0], 1),  # every value equal: as without a CI
        (math.nan, [0.0], 0),
        (1e-12, [1.0], 3),  # float noise is no CI
        (1e-9, [1e-9], 6),  # at most six decimals
    ],
)
def test_places_follow_the_ci_half_width(half: float, values: list[float], expected: int) -> None:
    assert places(half, values) == expected


def test_number_rounds_with_separators_and_never_prints_minus_zero() -> None:
    assert number(266512.0, -2) == "266,500"
    assert number(-51110.4, -2) == "-51,100"
    assert number(67.46, 1) == "67.5"
    assert number(-0.0001, 2) == "0.00"
    assert number(180.0, 1, whole=True) == "180"
    assert number(180.5, 1, whole=True) == "180.5"
    assert number(9.987, 0, sign=True) == "+10"
    assert number(-0.2, 0, sign=True) == "0"
    assert number(math.nan, 2) == ""
    assert number(math.inf, 2) == "inf"


def test_percent_never_rounds_to_certainty() -> None:
    assert [percent(p) for p in (0.0, 0.004, 0.01, 0.354, 0.996, 1.0)] == [
        "0%",
        "<1%",
        "1%",
        "35%",
        ">99%",
        "100%",
    ]
    assert percent(math.nan) == ""


def test_label_writes_minutes_so_min_is_not_the_minimum() -> None:
    assert label("kill_chain_min", "min") == "kill_chain_min [minutes]"
    assert label("ground_held_end_km2", "km2") == "ground_held_end_km2 [km2]"
    assert label("x", "") == "x"


# --- text from configs --------------------------------------------------------------------


def test_literal_escapes_control_characters_and_keeps_markup_text() -> None:
    assert literal("a\x1b[31mred\x07\x9b\u202e") == "a\\x1b[31mred\\x07\\x9b\\u202e"
    assert literal("tab\there") == "tab here"
    assert literal("two\nlines") == "two\\nlines"
    assert literal("two\nlines", lines=True) == "two\nlines"
    assert literal("option [/b] test") == "option [/b] test"
    assert literal(literal("\x1b")) == "\\x1b"  # idempotent


@pytest.mark.parametrize("width", [10, 12, 16, 24, 40])
def test_wrap_words_breaks_only_at_word_boundaries(width: int) -> None:
    name = "msam_sweep[policy.msam.batteries=4, policy.advisors.personnel=30]"
    lines = wrap_words(name, width).split("\n")
    assert "".join(lines).replace(" ", "") == name.replace(" ", "")
    assert all(len(line) <= width for line in lines)
    for line, nxt in itertools.pairwise(lines):
        assert line[-1] in " _.,=/]" or nxt[0] == "[", (line, nxt)


def test_wrap_words_puts_the_unit_of_a_label_on_its_own_line() -> None:
    assert wrap_words("nk_pilots_operational_day [day]", 26) == "nk_pilots_operational_day\n[day]"
    assert wrap_words("esc_first_day [day]", 26) == "esc_first_day [day]"
    assert wrap_words("abcdefghij", 4) == "abcd\nefgh\nij"  # the last resort


# --- censoring ----------------------------------------------------------------------------


def test_the_campaign_declares_which_outcomes_stand_for_not_within_the_horizon() -> None:
    declared = {
        o.name: o.censored for o in default_registry().get("campaign").outcomes if o.censored
    }
    assert declared == CENSORED


def test_censoring_at_the_horizon_and_by_an_indicator() -> None:
    c = censoring(np.array([10.0, 180.0, 180.0, 50.0, np.nan]), 180)
    assert (c.never, c.floor, c.horizon) == (0.5, 180.0, 180)
    assert c.never_lo < 0.5 < c.never_hi
    assert c.bound(180.0) and not c.bound(179.9) and not c.bound(math.nan)
    # Days to an event counted from a varying onset: censored where the flag is 0.
    c = censoring(np.array([30.0, 40.0, 25.0, 90.0]), 180, np.array([1.0, 0.0, 1.0, 0.0]))
    assert (c.never, c.floor) == (0.5, 40.0)
    assert censoring(np.array([1.0, 2.0]), 180).floor == math.inf


def test_censored_statistics_are_marked_as_lower_bounds() -> None:
    values = np.array([3.0] * 5 + [44.0] * 10 + [180.0] * 5)
    s = summarize_outcome("esc_first_day", values, unit="day")
    row = OutcomeRow(s, censoring(values, 180))
    _, mean, half, p5, p50, p95 = row.cells()
    assert mean.startswith("≥") and half.startswith("±")
    assert (p5, p50, p95) == ("3", "44", "≥180")
    assert row.never() == "25%"
    plain = OutcomeRow(s)  # the same numbers without censoring: no marks
    assert "≥" not in "".join(plain.cells(wide=True))
    rec = row.record()
    assert rec["p_never"] == 0.25 and rec["lower_bound_from"] == 180.0 and rec["censored"]


def test_censoring_of_a_run_reads_the_model_declarations(baseline: scenario.Results) -> None:
    found = censoring_of(baseline)
    assert set(found) == set(CENSORED)
    flag = baseline.outcomes["nk_ineffective"]
    assert found["nk_days_to_ineffective"].never == pytest.approx(np.mean(flag == 0))
    esc = baseline.outcomes["esc_first_day"]
    assert found["esc_first_day"].never == pytest.approx(np.mean(esc >= 180))
    assert found["msam_dry_day"].never == 1.0  # no M-SAM in the baseline


# --- blank intervals ----------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1])
def test_fewer_than_two_replications_leave_cis_and_sd_blank(n: int) -> None:
    values = np.array([5.0, np.nan, np.nan])[: max(n, 1)] if n else np.array([np.nan])
    row = OutcomeRow(summarize_outcome("x", values, unit="troops"))
    wide = dict(zip(outcome_cells([row], wide=True)[0], row.cells(wide=True), strict=True))
    assert row.cells()[2] == ""  # no ± half-width
    for key in ("mean 95% CI", "sd", "p5 95% CI", "p50 95% CI", "p95 95% CI"):
        assert wide[key] == "", key
    rec = row.record()
    assert rec["mean_lo"] is None and rec["sd"] is None and rec["p95_hi"] is None


def test_two_replications_have_an_interval() -> None:
    row = OutcomeRow(summarize_outcome("x", np.array([4.0, 6.0]), unit="troops"))
    assert row.cells()[2] == f"±{number(row.half, row.places, whole=True)}" != ""


# --- the table at 80 columns --------------------------------------------------------------


def _tokens(text: str, rows: list[OutcomeRow]) -> dict[str, list[str]]:
    """The cells to the right of each outcome's label, on the label's first line."""
    heads, cells = outcome_cells(rows)
    room = _room(heads, cells, 80, 0)
    found: dict[str, list[str]] = {}
    for row in rows:
        first = wrap_words(row.label, room).split("\n")[0]
        (line,) = [
            ln for ln in text.splitlines() if ln.startswith(first) and ln[len(first)] == " "
        ]
        found[row.summary.name] = line[len(first) :].split()
    return found


def _check_number(token: str, value: float, digits: int) -> None:
    """``token`` is ``value`` rounded to ``digits`` places (not cut short)."""
    m = NUMBER.match(token.lstrip("±"))
    assert m is not None, token
    parsed = float(m.group(2).replace(",", ""))
    tolerance = 0.5 * 10.0 ** (-digits) * (1 + 1e-9)
    assert abs(parsed - value) <= tolerance, (token, value, digits)


def _check_share(token: str, p: float) -> None:
    """``token`` is the percentage ``p`` (``<1%`` and ``>99%`` near 0 and 1)."""
    if token == "<1%":
        assert 0 < p < 0.01
    elif token == ">99%":
        assert 0.99 < p < 1
    else:
        assert token.endswith("%")
        _check_number(token[:-1], 100 * p, 0)


def test_the_outcome_table_fits_80_columns_with_every_number_whole(
    baseline: scenario.Results,
) -> None:
    rows = outcome_rows(baseline)
    title = "baseline: 200 replications, seed 3"
    text = _render(outcome_renderables(rows, title=title, wide=False, width=80))
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "…" not in text
    cells = _tokens(text, rows)
    for row in rows:
        s = row.summary
        expected = [c for c in row.cells()[1:] if c] + ([row.never()] if row.never() else [])
        assert cells[s.name] == expected, s.name
        mean, half, p5, p50, p95 = expected[:5]
        for token, value in zip(
            (mean, half, p5, p50, p95), (s.mean, row.half, s.p5, s.p50, s.p95), strict=True
        ):
            _check_number(token, value, row.places)
        if row.censoring is not None:
            _check_share(expected[5], row.censoring.never)
    assert "kill_chain_min [minutes]" in text and " min " not in text
    assert "≥180" in text and "never" in text


def test_the_wide_table_has_every_statistic(baseline: scenario.Results) -> None:
    rows = outcome_rows(baseline, ["ua_casualties", "esc_first_day"])
    text = _render(outcome_renderables(rows, title="", wide=True, width=80), columns=300)
    for head in ("sd", "p5 95% CI", "p50 95% CI", "p95 95% CI", "minimum", "maximum", "failed"):
        assert head in text
    assert "…" not in text


def test_markdown_and_csv_emitters() -> None:
    md = markdown_table(["name", "x"], [["a|b", "1"]])
    assert md.splitlines() == ["| name | x |", "| --- | ---: |", "| a\\|b | 1 |"]
    text = csv_text([{"a": 1.0 / 3.0, "b": None, "c": True, "d": math.nan, "e": "\x1b"}])
    assert text == "a,b,c,d,e\n0.3333333333333333,,true,,\\x1b\n"


def test_censoring_record_field_types() -> None:
    c = Censoring(horizon=180, never=0.0, never_lo=0.0, never_hi=0.1, floor=math.inf)
    row = OutcomeRow(summarize_outcome("x", np.array([1.0, 2.0]), unit="day"), c)
    assert row.mean() == "1.50" and row.record()["lower_bound_from"] is None


def test_a_comparison_of_one_replication_has_no_intervals() -> None:
    from scenario.analysis import compare_options
    from scenario.tables import comparison_records
    from scenario.tables.comparison import comparison_sections

    msam = ROOT / "configs" / "options" / "msam.yaml"
    c = compare_options(BASELINE, msam, replications=1, outcomes=["ad_leakers"])
    _, sections, _ = comparison_sections(c)
    cells = sections[0].cells
    assert cells[1][4] and "±" not in cells[1][4]  # a difference, no interval
    rec = comparison_records(c)
    assert rec[0]["mean_lo"] is None and rec[1]["mean_hi"] is None
    _, (wide, *_), _ = comparison_sections(c, wide=True)
    assert all(row[5] == "" and row[10] == "" for row in wide.cells)  # mean and Δ CIs
