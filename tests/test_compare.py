"""Paired comparison on common random numbers."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import scenario
from scenario.analysis import Comparison, compare, compare_options, robustness
from scenario.errors import ResultsError

ROOT = Path(__file__).resolve().parents[1]


def _run(path: Path, seed: int = 3, n: int = 800) -> scenario.Results:
    return scenario.run(scenario.load_config(path), replications=n, seed=seed)


def test_paired_difference_statistics() -> None:
    base = _run(ROOT / "configs" / "baseline.yaml")
    opt = _run(ROOT / "configs" / "options" / "offensive_aid.yaml")
    rows = {r.outcome: r for r in compare(opt, base, ["ground_held_end_km2", "ua_expelled"])}
    r = rows["ground_held_end_km2"]
    d = opt.outcomes["ground_held_end_km2"] - base.outcomes["ground_held_end_km2"]
    assert r.diff_mean == pytest.approx(d.mean())
    half = 1.959963984540054 * d.std(ddof=1) / math.sqrt(d.size)
    assert r.diff_lo == pytest.approx(d.mean() - half)
    assert r.p_better == pytest.approx(np.mean(d > 0))  # maximize
    assert r.p_tie == pytest.approx(np.mean(d == 0))
    assert r.p_better_lo <= r.p_better <= r.p_better_hi
    e = rows["ua_expelled"]  # minimize: better means fewer expulsions
    de = opt.outcomes["ua_expelled"] - base.outcomes["ua_expelled"]
    assert e.p_better == pytest.approx(np.mean(de < 0))
    # Paired intervals are much tighter than unpaired ones here.
    unpaired = 1.96 * math.sqrt(
        opt.outcomes["ground_held_end_km2"].var(ddof=1) / d.size
        + base.outcomes["ground_held_end_km2"].var(ddof=1) / d.size
    )
    assert half < unpaired


def test_unpaired_runs_are_refused() -> None:
    a = _run(ROOT / "configs" / "baseline.yaml", seed=1, n=100)
    b = _run(ROOT / "configs" / "baseline.yaml", seed=2, n=100)
    with pytest.raises(ResultsError, match="not paired: seed"):
        compare(a, b)


# --- compare_options: several options, paired, with ranking and robustness ------------------

BASE = ROOT / "configs" / "baseline.yaml"
OPTIONS = ROOT / "configs" / "options"


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return compare_options(
        BASE,
        OPTIONS / "advisors.yaml",
        OPTIONS / "msam.yaml",
        replications=800,
        seed=3,
        outcomes=["nk_casualties", "ad_leakers", "nk_killed", "cost_total_usd_m", "esc_reached_4"],
    )


def test_options_share_the_seed_and_the_base_comes_first(comparison: Comparison) -> None:
    assert comparison.options == ("baseline", "advisors", "msam")
    assert (comparison.base, comparison.seed, comparison.replications) == ("baseline", 3, 800)
    for res in comparison.results.values():
        assert (res.manifest["seed"], res.replications) == (3, 800)
    base = comparison.results["baseline"]
    adv = comparison.results["advisors"]
    np.testing.assert_array_equal(
        base.inputs["ground.nk_exposure"], adv.inputs["ground.nk_exposure"]
    )


def test_each_option_has_its_distribution_and_paired_difference(comparison: Comparison) -> None:
    oc = comparison.outcome("nk_casualties")
    assert (oc.unit, oc.direction) == ("troops", "maximize")
    x = comparison.results["advisors"].outcomes["nk_casualties"]
    y = comparison.results["baseline"].outcomes["nk_casualties"]
    row = oc.option("advisors")
    assert row.mean == pytest.approx(x.mean())
    assert (row.p5, row.p50, row.p95) == pytest.approx(tuple(np.quantile(x, [0.05, 0.5, 0.95])))
    assert oc.option("baseline").diff is None
    d = row.diff
    assert d is not None
    assert d.diff_mean == pytest.approx((x - y).mean())
    assert d.p_better + d.p_tie + d.p_worse == pytest.approx(1.0)
    assert d.p_better == pytest.approx(np.mean(x > y)) and d.p_worse == pytest.approx(
        np.mean(x < y)
    )


def test_the_paired_interval_is_narrower_than_the_unpaired_one(comparison: Comparison) -> None:
    """Advisors vs baseline on nk_casualties: common random numbers narrow the interval."""
    x = comparison.results["advisors"].outcomes["nk_casualties"]
    y = comparison.results["baseline"].outcomes["nk_casualties"]
    n = x.size
    d = comparison.outcome("nk_casualties").option("advisors").diff
    assert d is not None
    z = 1.959963984540054
    paired_half = z * (x - y).std(ddof=1) / math.sqrt(n)
    unpaired_half = z * math.sqrt(x.var(ddof=1) / n + y.var(ddof=1) / n)
    assert (d.diff_hi - d.diff_lo) / 2 == pytest.approx(paired_half)
    assert (d.unpaired_hi - d.unpaired_lo) / 2 == pytest.approx(unpaired_half)
    assert paired_half < 0.5 * unpaired_half
    assert d.diff_lo > 0


def test_a_lever_that_cannot_act_ties_rather_than_loses(comparison: Comparison) -> None:
    """M-SAM puts no South Korean or European personnel in theatre, so it cannot bring the
    escalation ladder to level 4 (a direct incident with them): every replication ties."""
    d = comparison.outcome("esc_reached_4").option("msam").diff
    assert d is not None
    assert (d.p_better, d.p_tie, d.p_worse) == (0.0, 1.0, 0.0)
    leak = comparison.outcome("ad_leakers").option("msam").diff
    assert leak is not None and leak.p_better > 0.9 and leak.p_tie < 0.05


def test_ranking_is_direction_aware_and_skips_info(comparison: Comparison) -> None:
    cas = comparison.outcome("nk_casualties")  # maximize: advisors raise NK losses most
    assert cas.ranking[0] == "advisors"
    top = comparison.outcome("esc_reached_4")  # minimize; baseline and msam tie at 0
    assert [top.option(o).rank for o in ("baseline", "msam", "advisors")] == [1, 1, 3]
    cost = comparison.outcome("cost_total_usd_m")  # minimize: the free baseline is first
    assert cost.ranking == ("baseline", "advisors", "msam")
    killed = comparison.outcome("nk_killed")  # info
    assert killed.ranking == () and all(r.rank is None for r in killed.options)


def test_the_comparison_carries_robustness(comparison: Comparison) -> None:
    rob = comparison.robustness
    assert rob.options == comparison.options
    assert "nk_killed" not in rob.objectives and "ad_leakers" in rob.objectives
    assert robustness(comparison, cvar_level=0.8).cvar_level == 0.8
    assert rob.least_regret("cost_total_usd_m") == "baseline"


def test_default_outcomes_are_the_ranked_ones_and_weighted_objectives(tmp_path: Path) -> None:
    cfg = scenario.load_config(
        BASE, overrides=["objectives={weighted: {net: {weights: {nk_casualties: 1.0}}}}"]
    )
    opt = scenario.load_config(OPTIONS / "advisors.yaml")
    comp = compare_options(cfg, opt, replications=200, seed=1)
    names = [oc.outcome for oc in comp.outcomes]
    assert names[-1] == "net" and "nk_killed" not in names and "ad_leakers" in names
    net = comp.outcome("net").option("advisors").diff
    cas = comp.outcome("nk_casualties").option("advisors").diff
    assert net is not None and cas is not None and net.diff_mean == pytest.approx(cas.diff_mean)
    with pytest.raises(ResultsError, match="did you mean 'nk_casualties'"):
        compare_options(cfg, opt, replications=200, seed=1, outcomes=["nk_casualtie"])


def test_saved_results_must_match_the_seed_and_replications(tmp_path: Path) -> None:
    msam = scenario.run(scenario.load_config(OPTIONS / "msam.yaml"), replications=300, seed=5)
    msam.save(tmp_path / "msam")
    # The loaded results fix the seed and replications the base runs with.
    comp = compare_options(BASE, tmp_path / "msam", outcomes=["ad_leakers"])
    assert (comp.seed, comp.replications) == (5, 300)
    with pytest.raises(
        ResultsError, match=r"results 'msam' were run with 300 replications and seed 5.*seed 6"
    ):
        compare_options(BASE, tmp_path / "msam", seed=6, outcomes=["ad_leakers"])
    other = scenario.run(scenario.load_config(OPTIONS / "bices.yaml"), replications=300, seed=6)
    other.save(tmp_path / "bices")
    with pytest.raises(
        ResultsError, match="results 'bices' were run with 300 replications and seed 6"
    ):
        compare_options(BASE, tmp_path / "msam", tmp_path / "bices")


def test_block_sizes_are_aligned_for_pairing() -> None:
    opt = scenario.load_config(OPTIONS / "advisors.yaml", overrides=["run.block_size=100"])
    comp = compare_options(BASE, opt, replications=200, seed=2, outcomes=["nk_casualties"])
    assert any("block_size 10000" in note for note in comp.notes)
    assert comp.results["advisors"].manifest["block_size"] == 10000


def test_duplicate_names_are_made_unique() -> None:
    comp = compare_options(BASE, BASE, replications=100, seed=2, outcomes=["nk_casualties"])
    assert comp.options == ("baseline", "baseline #2")
    d = comp.outcome("nk_casualties").option("baseline #2").diff
    assert d is not None and d.p_tie == 1.0


def test_objectives_on_outcomes_outside_the_composition_are_ignored_with_a_note() -> None:
    from scenario.analysis import compare_options

    over = ["submodels=[ground]"]
    base = scenario.load_config(ROOT / "configs" / "baseline.yaml", overrides=over)
    adv = scenario.load_config(ROOT / "configs" / "options" / "advisors.yaml", overrides=over)
    comp = compare_options(base, adv, replications=200, seed=1, outcomes=["nk_casualties"])
    assert any("ad_leakers (threshold)" in n and "msam_value" in n for n in comp.notes)
    # A name no registered model knows is still a mistake.
    with pytest.raises(scenario.ResultsError, match="nk_casualtis"):
        compare_options(base, adv, replications=50, seed=1, outcomes=["nk_casualtis"])
