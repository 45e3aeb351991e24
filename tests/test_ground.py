"""Kursk ground model: face validity against the public record, conservation, levers; the
daily loss draw against the square-law closed form; equipment losses are not soldiers';
attrition goes on after the grouping leaves the sector (no censoring by the stopping rule)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scenario
from scenario.config.distributions import sample
from scenario.engine.harness import run_submodel
from scenario.engine.rng import parameter_rng
from scenario.models.campaign import GroundSubmodel
from scenario.models.campaign.signals import (
    ESCALATION_LEVEL,
    RED_FIRE_MULTIPLIER,
    RU_OFFENSIVE_PRESSURE,
)
from scenario.models.daily import Signal
from scenario.models.protocol import BlockOutput
from scenario.results import Results

ROOT = Path(__file__).resolve().parents[1]
N = 4000
GROUND_ONLY = "submodels=[ground]"


@pytest.fixture(scope="module")
def baseline() -> Results:
    # The whole campaign: logistics, NK munitions, the counter-offensive, escalation and
    # the withdrawal decision all act on the ground war.
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    return scenario.run(cfg, replications=N, seed=20241101)


def _spread(x: np.ndarray) -> tuple[float, float]:
    lo, hi = np.quantile(x, [0.05, 0.95])
    return float(lo), float(hi)


def test_baseline_starts_from_the_reported_situation(baseline: Results) -> None:
    # Russian troops committed ~59,000 (Reuters 2024-11-23); NK contingent 10-12k.
    ru0 = baseline.inputs["ground.ru_troops_initial"]
    assert _spread(ru0)[0] <= 59_000 <= _spread(ru0)[1]
    nk = baseline.inputs["ground.nk_wave1_size"]
    assert nk.min() >= 10_000 and nk.max() <= 12_000
    # Ukrainian-held ground ~800 km2 on 23 Nov 2024 (Reuters).
    lo, hi = _spread(baseline.series_on("ground_held_km2", "2024-11-23"))
    assert lo <= 800 <= hi


def test_baseline_spread_includes_the_historical_record(baseline: Results) -> None:
    # Under 100 km2 held in March 2025 (Eesti Ekspress war diary).
    lo, hi = _spread(baseline.series_on("ground_held_km2", "2025-03-15"))
    assert lo <= 100
    # ~3,000-4,000 NK casualties by late January 2025 (NIS 2025-01-13; BBC ~2025-01-23).
    lo, hi = _spread(baseline.series_on("nk_casualties_cum", "2025-01-23"))
    assert lo <= 4_000 and hi >= 3_000
    # 4,700 NK casualties incl. ~600 killed by end of April 2025 (NIS 2025-04-30).
    lo, hi = _spread(baseline.series_on("nk_casualties_cum", "2025-04-29"))
    assert lo <= 4_700 <= hi
    lo, hi = _spread(baseline.series_on("nk_killed_cum", "2025-04-29"))
    assert lo <= 600 <= hi


def test_median_nk_casualty_rate_in_heavy_combat_is_in_the_reported_band(
    baseline: Results,
) -> None:
    # ISW 2025-01-16: ~92/day; the publicly reported band is 50-130.
    rate = baseline.outcomes["nk_casualties_per_combat_day"]
    median = float(np.median(rate[baseline.outcomes["nk_combat_days"] > 0]))
    assert 50 <= median <= 130


def test_conservation_and_no_nan(baseline: Results) -> None:
    o = baseline.outcomes
    for k, v in o.items():
        assert np.all(np.isfinite(v)), k
    np.testing.assert_allclose(
        o["nk_killed"] + o["nk_wounded"] + o["nk_captured"],
        o["nk_casualties"],
        rtol=1e-9,
        atol=1e-6,
    )
    deployed = baseline.inputs["ground.nk_wave1_size"] + baseline.inputs["ground.nk_wave2_size"]
    assert np.all(o["nk_casualties"] <= deployed + 1e-6)
    assert np.all(o["ground_held_end_km2"] >= 0)
    assert np.all(o["ground_held_end_km2"] <= 1376)
    assert np.all((o["ua_expelled"] == 1) == (o["ground_held_end_km2"] == 0))
    assert np.all(o["nk_prisoners_interrogated_by_advisors"] == 0)  # no advisors in baseline
    for name, arr in baseline.series.items():
        assert np.all(arr >= 0), name


def _paired(overrides: list[str], n: int = 2000) -> tuple[BlockOutput, BlockOutput]:
    base = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    opt = scenario.load_config(ROOT / "configs" / "baseline.yaml", overrides=overrides)
    return (
        run_submodel(GroundSubmodel(), base, n=n, seed=9).output,
        run_submodel(GroundSubmodel(), opt, n=n, seed=9).output,
    )


def test_offensive_aid_keeps_ukraine_in_the_sector_longer() -> None:
    base, opt = _paired(
        [
            "policy.offensive_aid.deploy=true",
            "policy.offensive_aid.shells_per_month=60000",
            "policy.offensive_aid.k9_howitzers=36",
        ]
    )
    diff = opt.outcomes["ground_held_end_km2"] - base.outcomes["ground_held_end_km2"]
    se = diff.std(ddof=1) / np.sqrt(diff.size)
    assert diff.mean() > 4 * se
    assert np.all(diff >= -1e-9) or diff.mean() > 0


def test_advisors_interrogate_prisoners_and_raise_nk_losses() -> None:
    base, opt = _paired(
        [
            "policy.advisors.deploy=true",
            "policy.advisors.personnel=40",
            "policy.advisors.start_day=20",
        ]
    )
    assert opt.outcomes["nk_prisoners_interrogated_by_advisors"].mean() > 0
    diff = (
        opt.outcomes["nk_casualties_per_combat_day"]
        - base.outcomes["nk_casualties_per_combat_day"]
    )
    se = diff.std(ddof=1) / np.sqrt(diff.size)
    assert diff.mean() > 4 * se


def test_no_north_koreans_means_no_north_korean_casualties() -> None:
    cfg = scenario.load_config(
        ROOT / "configs" / "baseline.yaml",
        overrides=[
            "parameters.ground.nk_wave1_size={dist: fixed, value: 0, source: t, as_of: 2024-01-01, confidence: high}",
            "parameters.ground.nk_wave2_size={dist: fixed, value: 0, source: t, as_of: 2024-01-01, confidence: high}",
            GROUND_ONLY,
        ],
    )
    res = scenario.run(cfg, replications=300, seed=1)
    assert np.all(res.outcomes["nk_casualties"] == 0)
    assert np.all(np.isfinite(res.outcomes["ru_casualties"]))


@given(
    shells=st.floats(0, 200_000),
    k9=st.integers(0, 200),
    personnel=st.integers(1, 500),
    day=st.integers(0, 179),
    seed=st.integers(0, 2**32),
)
def test_any_lever_setting_gives_finite_outcomes(
    shells: float, k9: int, personnel: int, day: int, seed: int
) -> None:
    cfg = scenario.load_config(
        ROOT / "configs" / "baseline.yaml",
        overrides=[
            "policy.offensive_aid.deploy=true",
            f"policy.offensive_aid.shells_per_month={shells}",
            f"policy.offensive_aid.k9_howitzers={k9 + 1}",
            f"policy.offensive_aid.start_day={day}",
            "policy.advisors.deploy=true",
            f"policy.advisors.personnel={personnel}",
            f"policy.advisors.start_day={day}",
            "run.series_replications=0",
            GROUND_ONLY,
        ],
    )
    res = scenario.run(cfg, replications=64, seed=seed)
    assert res.n_failed == 0
    for v in res.outcomes.values():
        assert np.all(np.isfinite(v))


def test_inputs_are_the_documented_streams() -> None:
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    res = scenario.run(cfg, replications=10, seed=4)
    spec = cfg.flat_parameters()["ground.nk_wave1_size"]
    expected = sample(spec, 10, rng=parameter_rng(4, 0, "ground.nk_wave1_size"))
    assert np.array_equal(res.inputs["ground.nk_wave1_size"], expected)


@pytest.mark.slow
def test_face_validity_holds_at_large_n_with_workers() -> None:
    cfg = scenario.load_config(
        ROOT / "configs" / "baseline.yaml", overrides=["run.series_replications=5000"]
    )
    res = scenario.run(cfg, replications=20_000, seed=7, workers=2)
    rate = res.outcomes["nk_casualties_per_combat_day"][res.outcomes["nk_combat_days"] > 0]
    assert 50 <= float(np.median(rate)) <= 130
    lo, hi = _spread(res.series_on("nk_casualties_cum", "2025-04-29"))
    assert lo <= 4_700 <= hi
    lo, _ = _spread(res.series_on("ground_held_km2", "2025-03-15"))
    assert lo <= 100
    assert res.n_failed == 0


def _fixed(key: str, value: float) -> str:
    return f"parameters.ground.{key}={{dist: fixed, value: {value}, source: t, as_of: 2024-01-01, confidence: high}}"


def _one_day(
    extra: list[str], n: int = 4000
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    cfg = scenario.load_config(
        ROOT / "configs" / "baseline.yaml", overrides=["horizon_days=1", *extra]
    )
    res = run_submodel(GroundSubmodel(), cfg, n=n, seed=21)
    return res.output.outcomes, res.inputs


def _square_law_loss(x0: np.ndarray, y0: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Blue's expected loss over one day of dx/dt = -b y, dy/dt = -a x (closed form)."""
    g = np.sqrt(a * b)
    x1 = x0 * np.cosh(g) - np.sqrt(b / a) * y0 * np.sinh(g)
    return x0 - np.maximum(x1, 0.0)


def test_the_daily_loss_draw_has_the_square_law_mean_and_stated_variance() -> None:
    """Day 0 (no North Koreans in combat yet): Ukrainian losses over all replications against
    the closed form computed here from the sampled inputs, with the gamma variance
    l + l^2/k; a z-score over 4,000 replications (a loss draw scaled by 1.5 gives z ~ 100)."""
    o, x = _one_day([])
    f0 = x["ground.fire_floor"]
    f = f0 + (1 - f0) * np.minimum(x["ground.ua_shell_supply_ratio"], 1.0)
    a = x["ground.ua_kill_rate"] * f
    b = x["ground.red_kill_rate"]
    expected = _square_law_loss(x["ground.ua_troops_initial"], x["ground.ru_troops_initial"], a, b)
    var = expected + expected**2 / x["ground.loss_dispersion"]
    z = (o["ua_casualties"] - expected).sum() / np.sqrt(var.sum())
    assert abs(z) < 4
    assert np.all(o["aid_equipment_lost"] == 0)  # no systems delivered


def test_losses_of_delivered_systems_are_equipment_not_soldiers() -> None:
    aid = [
        "policy.offensive_aid.deploy=true",
        "policy.offensive_aid.k9_howitzers=100",
        "policy.offensive_aid.k2_tanks=50",
        "policy.offensive_aid.start_day=0",
        _fixed("aid_training_days", 0),
    ]
    o, x = _one_day(aid)
    E = x["ground.aid_sector_share"] * (
        100 * x["ground.k9_troop_equivalent"] + 50 * x["ground.k2_troop_equivalent"]
    )
    U = x["ground.ua_troops_initial"]
    total = o["ua_casualties"] + o["aid_equipment_lost"]
    assert np.all(o["aid_equipment_lost"] > 0)
    np.testing.assert_allclose(o["aid_equipment_lost"], total * E / (U + E), rtol=1e-9)


def test_an_option_that_only_delays_expulsion_does_not_look_worse_on_casualties() -> None:
    """Holding the line longer (a higher breakthrough ratio: nothing else changes) keeps the
    grouping in the sector longer; with fighting on the border as intense as in the sector,
    Ukrainian casualties are then the same draw for draw, not higher because fighting used to
    stop at expulsion."""
    same = [
        GROUND_ONLY,
        _fixed("post_exit_intensity", 1.0),
        _fixed("nk_post_exit_engagement", 1.0),
    ]
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml", overrides=same)
    held = scenario.load_config(
        ROOT / "configs" / "baseline.yaml", overrides=[*same, _fixed("breakthrough_ratio", 5.0)]
    )
    a = scenario.run(cfg, replications=1000, seed=8).outcomes
    b = scenario.run(held, replications=1000, seed=8).outcomes
    assert b["ua_exit_day"].mean() > a["ua_exit_day"].mean() + 10  # expulsion is delayed
    assert (b["ua_expelled"] < a["ua_expelled"]).sum() > 50
    np.testing.assert_array_equal(a["ua_casualties"], b["ua_casualties"])
    # In-sector casualties do grow with the time spent in the sector.
    assert b["ua_casualties_in_sector"].mean() > a["ua_casualties_in_sector"].mean()


def _ground_fed(
    signals: dict[Signal, float | np.ndarray], extra: list[str] | None = None
) -> dict[str, np.ndarray]:
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml", overrides=extra or [])
    return run_submodel(GroundSubmodel(), cfg, n=600, seed=31, signals=signals).output.outcomes


def _paired_up(a: np.ndarray, b: np.ndarray) -> bool:
    """b - a is positive, by more than four standard errors of the paired mean."""
    d = b - a
    return bool(d.mean() > 4 * d.std(ddof=1) / np.sqrt(d.size))


def test_north_korean_shells_raise_russian_fire_in_the_ground_war() -> None:
    as_recorded = _ground_fed({RED_FIRE_MULTIPLIER: 1.0})
    fewer_shells = _ground_fed({RED_FIRE_MULTIPLIER: 0.8})
    assert _paired_up(fewer_shells["ua_casualties"], as_recorded["ua_casualties"])
    assert _paired_up(as_recorded["ua_exit_day"], fewer_shells["ua_exit_day"])


def test_counteroffensive_pressure_takes_ground_faster() -> None:
    quiet = _ground_fed({RU_OFFENSIVE_PRESSURE: 1.0})
    pressed = _ground_fed({RU_OFFENSIVE_PRESSURE: 2.0})
    assert _paired_up(pressed["ua_exit_day"], quiet["ua_exit_day"])


def test_post_exit_intensity_scales_losses_after_leaving_the_sector() -> None:
    low = _ground_fed({}, [GROUND_ONLY, _fixed("post_exit_intensity", 0.5)])
    high = _ground_fed({}, [GROUND_ONLY, _fixed("post_exit_intensity", 1.0)])
    left = low["ua_expelled"] == 1
    assert left.sum() > 50
    assert _paired_up(low["ua_casualties"][left], high["ua_casualties"][left])


def test_escalation_to_level_3_brings_a_larger_earlier_second_wave() -> None:
    """Level 3 from day 20 (yesterday's value read on day 21): the second wave, not yet in
    combat, is nk_escalation_wave_factor times larger and in combat by day
    21 + lag + integration; with factor 1 and a lag beyond the horizon nothing changes."""
    level = np.zeros((180, 600))
    level[20:, :] = 3.0
    wave = [_fixed("nk_escalation_wave_factor", 2.0), _fixed("nk_escalation_lag_days", 10)]
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml", overrides=wave)
    res = run_submodel(GroundSubmodel(), cfg, n=600, seed=31, signals={ESCALATION_LEVEL: level})
    x = res.inputs
    s1, s2 = x["ground.nk_wave1_size"], x["ground.nk_wave2_size"]
    np.testing.assert_allclose(res.signals["nk_deployed"][-1], s1 + 2.0 * s2, rtol=1e-12)
    joined = res.signals["nk_new_troops_today"]
    ready2 = np.minimum(x["ground.nk_wave2_day"], 21 + 10) + x["ground.nk_integration_days"]
    day2 = np.array([np.flatnonzero(joined[:, i] == 2.0 * s2[i])[0] for i in range(600)])
    np.testing.assert_array_equal(day2, np.ceil(ready2))
    calm = _ground_fed({}, wave)
    assert _paired_up(calm["nk_casualties"], res.output.outcomes["nk_casualties"])
    neutral = [_fixed("nk_escalation_wave_factor", 1.0), _fixed("nk_escalation_lag_days", 10_000)]
    np.testing.assert_array_equal(
        _ground_fed({ESCALATION_LEVEL: level}, neutral)["nk_casualties"],
        _ground_fed({}, neutral)["nk_casualties"],
    )


def test_north_koreans_mostly_leave_the_fight_when_ukraine_leaves_the_sector() -> None:
    """After the exit only nk_post_exit_engagement of the NK troops stay engaged: with 0,
    NK casualties stop growing once the grouping has left; with 1 they keep growing."""
    same = [GROUND_ONLY, _fixed("post_exit_intensity", 1.0)]
    out = _ground_fed({}, [*same, _fixed("nk_post_exit_engagement", 0.0)])
    stay = _ground_fed({}, [*same, _fixed("nk_post_exit_engagement", 1.0)])
    left = (out["ua_expelled"] == 1) & (out["ua_exit_day"] < 150)
    assert left.sum() > 50
    assert _paired_up(out["nk_casualties"][left], stay["nk_casualties"][left])
