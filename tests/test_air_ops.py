"""North Korean pilots on the harness: no sorties unless they fly combat, none before
training ends, aircraft lost to air defence (an input signal) are not flown again, only the
attacking share of sorties meets the defended area's air defence, losses per sortie stay
within the flagged ranges, and escalation to level 3 commits the pilots with probability
``commit_prob`` (no coupling when it is 0)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import scenario
from scenario.engine.harness import run_submodel
from scenario.models.campaign import AirDefenceSubmodel, AirOpsSubmodel
from scenario.models.campaign.signals import ESCALATION_LEVEL, NK_AIRCRAFT_LOST_TODAY

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"
PILOTS = ROOT / "configs" / "adversary" / "pilots_in_combat.yaml"
NO_COMMIT = (
    "parameters.air_ops.commit_prob="
    "{dist: fixed, value: 0, source: test, as_of: 2024-11-01, confidence: none}"
)


def test_no_sorties_unless_pilots_fly_combat() -> None:
    res = run_submodel(AirOpsSubmodel(), scenario.load_config(BASE), n=300)
    out = res.output.outcomes
    for name in ("nk_sorties", "nk_aircraft_lost", "nk_loss_per_sortie", "nk_pilots_committed"):
        assert np.all(out[name] == 0), name
    assert np.all(res.signals["red_air_support"] == 0)
    assert np.all(res.signals["nk_sorties_today"] == 0)
    # The operational event is marked all the same (a trigger may watch it).
    ready = out["nk_pilots_operational_day"]
    day = res.event_day["nk_pilots_operational"]
    np.testing.assert_array_equal(np.where(np.isfinite(day), day, 180), np.ceil(ready))


def test_pilots_in_combat_fly_after_training_and_lose_aircraft() -> None:
    res = run_submodel(AirOpsSubmodel(), scenario.load_config(PILOTS), n=300, keep_series=300)
    out = res.output.outcomes
    ready = out["nk_pilots_operational_day"]
    daily = res.output.series["nk_sorties_daily"]
    for i in range(300):
        assert daily[i, : int(np.floor(ready[i]))].sum() == 0 or ready[i] == 0
    flew = out["nk_sorties"] > 0
    assert flew.any()
    assert np.all(out["nk_pilots_committed"] == 1)
    aircraft = np.floor(res.inputs["air_ops.aircraft"])
    assert np.all(out["nk_aircraft_lost"] <= aircraft + 1e-9)
    assert out["nk_aircraft_lost"][flew].sum() > 0
    np.testing.assert_allclose(
        out["nk_loss_per_sortie"],
        np.where(flew, out["nk_aircraft_lost"] / np.maximum(out["nk_sorties"], 1), 0.0),
    )
    # Sorties today (read by escalation) are the daily series; they feed the ground model's
    # red fire, and only the attacking share meets the defended area's air defence.
    np.testing.assert_array_equal(res.signals["nk_sorties_today"].T, daily)
    eq = res.inputs["air_ops.sortie_troop_equivalent"]
    np.testing.assert_allclose(res.signals["red_air_support"].sum(axis=0), out["nk_sorties"] * eq)
    share = res.inputs["air_ops.attack_share"]
    np.testing.assert_allclose(
        res.signals["nk_sorties_exposed"].sum(axis=0), out["nk_sorties"] * share
    )


def test_aircraft_shot_down_yesterday_are_lost_and_not_flown() -> None:
    cfg = scenario.load_config(PILOTS)
    free = run_submodel(AirOpsSubmodel(), cfg, n=500, seed=2)
    shot = run_submodel(
        AirOpsSubmodel(), cfg, n=500, seed=2, signals={NK_AIRCRAFT_LOST_TODAY: 1.0}
    )
    aircraft = np.floor(shot.inputs["air_ops.aircraft"])
    # One aircraft a day is shot down from day 1 on (read with a day's lag) until none is left.
    np.testing.assert_array_equal(shot.output.outcomes["nk_aircraft_lost"], aircraft)
    assert shot.output.outcomes["nk_sorties"].sum() < free.output.outcomes["nk_sorties"].sum()
    # An aircraft shot down on the last day still counts (read after the last day).
    last = np.zeros((cfg.horizon_days, 500))
    last[-1] = 1.0
    late = run_submodel(
        AirOpsSubmodel(), cfg, n=500, seed=2, signals={NK_AIRCRAFT_LOST_TODAY: last}
    )
    out, before = late.output.outcomes, free.output.outcomes
    left = before["nk_aircraft_lost"] < aircraft
    np.testing.assert_array_equal(out["nk_aircraft_lost"], before["nk_aircraft_lost"] + left)
    flew = out["nk_sorties"] > 0
    np.testing.assert_allclose(
        out["nk_loss_per_sortie"][flew], out["nk_aircraft_lost"][flew] / out["nk_sorties"][flew]
    )


def test_other_losses_are_poisson_in_sorties() -> None:
    """Without the defended area, E[lost] = E[sum_t S_t l] (the fleet cap rarely binds)."""
    res = run_submodel(AirOpsSubmodel(), scenario.load_config(PILOTS), n=3000, seed=4)
    out = res.output.outcomes
    expected = out["nk_sorties"] * res.inputs["air_ops.other_loss_per_sortie"]
    se = np.sqrt(expected.sum())  # Poisson: variance = mean
    assert abs(out["nk_aircraft_lost"].sum() - expected.sum()) < 4 * se


def test_losses_per_sortie_stay_within_the_flagged_ranges() -> None:
    """Pilots in combat against the defended area's air defence: each sortie is lost with
    at most l (other losses) + a (attacks the area) * 1 (the area kills it for sure), so
    losses per sortie are at most the upper bounds of both flagged ranges added."""
    cfg = scenario.load_config(PILOTS)
    specs = cfg.flat_parameters()
    bound = sum(
        float(specs[k].model_dump()["high"])
        for k in ("air_ops.other_loss_per_sortie", "air_ops.attack_share")
    )
    res = run_submodel([AirOpsSubmodel(), AirDefenceSubmodel()], cfg, n=2000, seed=1)
    out = res.output.outcomes
    lost, sorties = out["nk_aircraft_lost"], out["nk_sorties"]
    ratio = lost.sum() / sorties.sum()
    se = np.sqrt(np.sum((lost - ratio * sorties) ** 2)) / sorties.sum()  # ratio estimator
    assert ratio < bound + 4 * se
    # And within the range derived for Russian Su-25s in all (other_loss_per_sortie's
    # source: 0.001-0.004 lost per sortie, every cause), air defence included.
    assert ratio < float(specs["air_ops.other_loss_per_sortie"].model_dump()["high"]) + 4 * se
    # Tighter, per replication: at most sum_i S_i (l_i + a_i).
    cap = sorties * (
        res.inputs["air_ops.other_loss_per_sortie"] + res.inputs["air_ops.attack_share"]
    )
    assert lost.sum() < cap.sum() + 4 * np.sqrt(cap.sum())
    # The defended area does shoot some down.
    assert res.signals["nk_aircraft_lost_today"].sum() > 0
    # Share of the fleet lost over the horizon where the pilots flew (0.12 at the time of
    # writing): far below the whole fleet (the reviewed version lost 85%).
    flew = sorties > 0
    share = lost[flew] / np.floor(res.inputs["air_ops.aircraft"][flew])
    assert 0.05 < share.mean() < 0.6


def test_escalation_to_level_3_commits_pilots_with_commit_prob() -> None:
    cfg = scenario.load_config(BASE)
    n = 3000
    res = run_submodel(AirOpsSubmodel(), cfg, n=n, seed=3, signals={ESCALATION_LEVEL: 3.0})
    out = res.output.outcomes
    q = res.inputs["air_ops.commit_prob"]
    committed = out["nk_pilots_committed"] == 1
    assert abs(committed.mean() - q.mean()) < 4 * np.sqrt(np.sum(q * (1 - q))) / n
    # Committed replications whose pilots are operational within the horizon fly; others
    # never do.
    operational = out["nk_pilots_operational_day"] < cfg.horizon_days - 1
    assert np.all(out["nk_sorties"][~committed] == 0)
    assert np.mean(out["nk_sorties"][committed & operational] > 0) > 0.95
    # Level 2 is not enough.
    low = run_submodel(AirOpsSubmodel(), cfg, n=n, seed=3, signals={ESCALATION_LEVEL: 2.0})
    assert np.all(low.output.outcomes["nk_pilots_committed"] == 0)


def test_commitment_is_read_with_a_days_lag_and_kept() -> None:
    """Level 3 on day 100 only: committed pilots fly from day 101 on, also once the ladder
    has come down again."""
    cfg = scenario.load_config(BASE)
    n, H = 1000, cfg.horizon_days
    level = np.zeros((H, n))
    level[100] = 3.0
    res = run_submodel(
        AirOpsSubmodel(), cfg, n=n, seed=5, signals={ESCALATION_LEVEL: level}, keep_series=n
    )
    daily = res.output.series["nk_sorties_daily"]
    committed = res.output.outcomes["nk_pilots_committed"] == 1
    assert committed.any() and not committed.all()
    assert daily[:, :101].sum() == 0
    assert daily[committed, 150:].sum() > 0
    assert daily[~committed].sum() == 0


def test_commit_prob_zero_is_no_coupling() -> None:
    cfg = scenario.load_config(BASE, overrides=[NO_COMMIT])
    coupled = run_submodel(AirOpsSubmodel(), cfg, n=500, seed=6, signals={ESCALATION_LEVEL: 4.0})
    alone = run_submodel(AirOpsSubmodel(), cfg, n=500, seed=6)
    for name, values in alone.output.outcomes.items():
        np.testing.assert_array_equal(coupled.output.outcomes[name], values, err_msg=name)
    for name in ("nk_sorties_today", "nk_sorties_exposed", "red_air_support"):
        np.testing.assert_array_equal(coupled.signals[name], alone.signals[name], err_msg=name)
    # and pilots in combat are unaffected by the ladder whatever commit_prob
    pilots = scenario.load_config(PILOTS)
    a = run_submodel(AirOpsSubmodel(), pilots, n=300, seed=6, signals={ESCALATION_LEVEL: 4.0})
    b = run_submodel(AirOpsSubmodel(), pilots, n=300, seed=6)
    np.testing.assert_array_equal(a.output.outcomes["nk_sorties"], b.output.outcomes["nk_sorties"])
