"""Notebook display: short reprs and compact, escaped HTML of comparisons and sensitivity."""

from __future__ import annotations

import pytest
from _toys import Toy, toy_config

import scenario
from scenario.analysis.global_sensitivity import MorrisResult, MorrisRow, SobolResult, SobolRow
from scenario.analysis.sensitivity import Tornado, TornadoRow
from scenario.display import TOP, fmt_number, html_table


@pytest.fixture(scope="module")
def comparison() -> scenario.Comparison:
    cfg = toy_config()
    boosted = cfg.model_copy(
        update={
            "name": "<b>boost</b> & co",
            "policy": cfg.policy.model_copy(update={"custom": {"boost": 2.0}}),
        }
    )
    a = scenario.run(cfg, model=Toy())
    b = scenario.run(boosted, model=Toy())
    return scenario.compare_options(a, b, outcomes=["y", "noise"])


def test_comparison_repr_and_html(comparison: scenario.Comparison) -> None:
    text = repr(comparison)
    assert "\n" not in text and len(text) < 300
    assert "2 options against 'toy'" in text and "1,000 replications" in text
    page = comparison._repr_html_()
    assert "<b>boost</b>" not in page and "&lt;b&gt;boost&lt;/b&gt; &amp; co" in page
    assert page.count("<tr>") == 3  # header, y, noise
    y = comparison.outcome("y")
    d = y.option("<b>boost</b> & co").diff
    assert d is not None
    assert f"<td>{fmt_number(d.diff_mean)} [{fmt_number(d.diff_lo)}, " in page
    assert f"<td>{d.p_better * 100:.0f}%</td>" in page
    # the boosted option has the best mean of y; noise is info (not ranked, no P(better))
    assert page.count("<td>&lt;b&gt;boost&lt;/b&gt; &amp; co</td>") == 1
    assert "<td>noise [-]</td><td>" in page


def _tornado(k: int) -> Tornado:
    rows = tuple(
        TornadoRow(
            factor=f"g.p{i}",
            parameters=(f"g.p{i}",),
            mean_low=10.0,
            mean_high=10.0 + (k - i),
            swing=float(k - i),
            swing_lo=k - i - 0.5,
            swing_hi=k - i + 0.5,
        )
        for i in range(k)
    )
    return Tornado(
        outcome="y",
        unit="<u>",
        quantiles=(0.1, 0.9),
        replications=100,
        seed=7,
        base_mean=10.5,
        rows=rows,
    )


def test_tornado_shows_the_largest_factors_only() -> None:
    t = _tornado(40)
    text = repr(t)
    assert "\n" not in text and "40 factors" in text and "largest swing g.p0 (40)" in text
    page = t._repr_html_()
    assert page.count("<tr>") == 1 + TOP + 1  # header, TOP factors, "… and 25 more"
    assert "… and 25 more" in page and "g.p14" in page and "g.p15<" not in page
    assert "&lt;u&gt;" in page and "<u>" not in page
    assert "<th>mean at p10</th>" in page and "<td>[39.5, 40.5]</td>" in page


def test_morris_and_sobol_repr_and_html() -> None:
    m = MorrisResult(
        outcome="y",
        unit="-",
        trajectories=10,
        levels=4,
        runs=30,
        seed=1,
        rows=(
            MorrisRow(factor="a", mu=1.0, mu_star=2.0, mu_star_lo=1.5, mu_star_hi=2.5, sigma=0.3),
        ),
    )
    assert "\n" not in repr(m) and "10 trajectories" in repr(m) and "largest mu* a" in repr(m)
    assert "<td>a</td><td>2</td><td>[1.5, 2.5]</td><td>1</td><td>0.3</td>" in m._repr_html_()
    s = SobolResult(
        outcome="y",
        unit="-",
        n=64,
        runs=384,
        seed=1,
        conf_level=0.95,
        noise_share=0.1,
        noise_lo=0.05,
        noise_hi=0.15,
        rows=(
            SobolRow(
                factor="a", s1=0.5, s1_lo=0.4, s1_hi=0.6, st=0.7, st_lo=0.6, st_hi=0.8, st_net=0.6
            ),
        ),
    )
    assert "\n" not in repr(s) and "noise share 0.1" in repr(s)
    page = s._repr_html_()
    assert "<td>a</td><td>0.5</td><td>[0.4, 0.6]</td><td>0.7</td>" in page
    assert "0.1 [0.05, 0.15] of the variance" in page


def test_html_table_escapes_and_limits() -> None:
    page = html_table(["<h>"], [["<x>"], ["b"], ["c"]], limit=2)
    assert page == (
        "<table><tr><th>&lt;h&gt;</th></tr><tr><td>&lt;x&gt;</td></tr><tr><td>b</td></tr>"
        '<tr><td colspan="1">… and 1 more</td></tr></table>'
    )
    assert [fmt_number(x) for x in (1234.4, 99.96, 12.34, 0.01234, float("nan"))] == [
        "1,234",
        "100",
        "12.3",
        "0.0123",
        "–",
    ]
