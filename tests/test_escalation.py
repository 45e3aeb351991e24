"""The escalation submodel on the harness: the level distribution against the closed form
of its ladder (matrix powers computed here, independently of the model code), the personnel
rule for level 4, the pilots-in-combat floor, NK troops above the reference, and the
direction and zero-coupling limit of the lever effects."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest

import scenario
from scenario.engine.harness import HarnessResult, run_submodel
from scenario.models.campaign import EscalationSubmodel
from scenario.models.campaign.escalation import TOP
from scenario.models.campaign.signals import (
    NK_CAPTURED_TODAY,
    NK_CASUALTIES_TODAY,
    NK_DEPLOYED,
    NK_SORTIES_TODAY,
)
from scenario.models.daily import Signal

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"
OPTIONS = ROOT / "configs" / "options"
K = TOP + 1
H = 180


def _run(
    path: Path,
    overrides: list[str] | None = None,
    *,
    n: int,
    seed: int,
    signals: Mapping[Signal, float | np.ndarray] | None = None,
    series: bool = False,
) -> HarnessResult:
    cfg = scenario.load_config(path, overrides=overrides or [])
    assert cfg.horizon_days == H
    return run_submodel(
        EscalationSubmodel(), cfg, n=n, seed=seed, signals=signals, keep_series=n if series else 0
    )


def _fixed(name: str, value: float) -> str:
    return (
        f"parameters.escalation.{name}={{dist: fixed, value: {value}, "
        "source: 'ASSUMPTION: test', as_of: 2024-11-01, confidence: none}"
    )


def _ladder(h_up: np.ndarray, h_down: np.ndarray) -> np.ndarray:
    """Per-replication matrices (n, K, K) of the ladder with competing daily hazards
    ``h_up`` (n, TOP) and ``h_down`` (n,), written out here from the equations."""
    n = h_up.shape[0]
    P = np.zeros((n, K, K))
    P[:, TOP, TOP] = 1.0  # level 4 absorbing
    for i in range(TOP):
        up = h_up[:, i]
        down = h_down if i > 0 else np.zeros(n)
        total = up + down
        move = 1.0 - np.exp(-total)
        p_up = np.where(total > 0, move * up / np.where(total > 0, total, 1.0), 0.0)
        p_down = move - p_up
        P[:, i, i + 1] = p_up
        if i > 0:
            P[:, i, i - 1] = p_down
        P[:, i, i] = 1.0 - p_up - p_down
    return P


def _close(sim: np.ndarray, p: np.ndarray) -> bool:
    """Mean of 0/1 ``sim`` within 4 SE of the mean of the exact probabilities ``p``."""
    se = math.sqrt(float(np.sum(p * (1 - p)))) / p.size
    return abs(float(sim.mean()) - float(p.mean())) <= 4 * se


ADVISORS_FROM_0 = [
    "policy.advisors.deploy=true",
    "policy.advisors.personnel=30",
    "policy.advisors.start_day=0",
]


@pytest.mark.parametrize("overrides", [[], ADVISORS_FROM_0], ids=["baseline", "advisors"])
def test_level_distribution_matches_the_closed_form(overrides: list[str]) -> None:
    n = 10_000
    res = _run(BASE, overrides, n=n, seed=7, series=True)  # input signals all 0
    i = res.inputs
    h_up = np.stack([i[f"escalation.hazard_{k}"] for k in range(TOP)], axis=1)
    if overrides:  # advisors in theatre every day: every up hazard x e^beta, 3 -> 4 open
        h_up = h_up * np.exp(i["escalation.beta_advisors"])[:, None]
    else:
        h_up[:, TOP - 1] = 0.0  # nobody in theatre: no incident with personnel
    P = _ladder(h_up, i["escalation.hazard_down"])
    level = res.output.series["esc_level"]
    dist = np.zeros((n, K))
    dist[:, 0] = 1.0
    reach = {k: dist.copy() for k in (1, 2, 3, 4)}
    stop = {k: P.copy() for k in reach}  # the ladder with level k absorbing
    for k, Pk in stop.items():
        Pk[:, k, :] = np.eye(K)[k]
    for t in range(H):
        dist = np.einsum("ni,nij->nj", dist, P)
        for k in reach:
            reach[k] = np.einsum("ni,nij->nj", reach[k], stop[k])
        if t not in (29, 89, 179):
            continue
        for k in range(K):
            assert _close(level[:, t] == k, dist[:, k]), (t, k)
        for k in reach:
            assert _close(level[:, : t + 1].max(axis=1) >= k, reach[k][:, k]), (t, k)
    assert reach[4][:, 4].mean() > (0.005 if overrides else -1.0)


def test_outcomes_are_consistent_and_levers_raise_hazards() -> None:
    base = _run(BASE, n=2000, seed=4, series=True)
    eu = _run(OPTIONS / "european_troops.yaml", n=2000, seed=4)
    o = base.output.outcomes
    level = base.output.series["esc_level"]
    for k in range(1, TOP + 1):
        np.testing.assert_array_equal(o[f"esc_reached_{k}"], level.max(axis=1) >= k)
    np.testing.assert_array_equal(o["esc_days_at_3_plus"], (level >= 3).sum(axis=1))
    moved = level > 0
    first = np.where(moved.any(axis=1), moved.argmax(axis=1), H)
    np.testing.assert_array_equal(o["esc_first_day"], first)
    np.testing.assert_array_equal(base.signals["escalation_level"].T, level)
    assert np.all(o["esc_floor_days"] == 0)
    # Same uniforms, higher hazards: more escalation.
    diff = eu.output.outcomes["esc_max_level"] - o["esc_max_level"]
    assert diff.mean() > 4 * diff.std(ddof=1) / math.sqrt(diff.size)


@pytest.mark.parametrize(
    ("signal", "value"), [(NK_CASUALTIES_TODAY, 150.0), (NK_CAPTURED_TODAY, 1.0)]
)
def test_north_korean_losses_read_from_ground_raise_escalation(
    signal: Signal, value: float
) -> None:
    quiet = _run(BASE, n=2000, seed=5)
    heavy = _run(BASE, n=2000, seed=5, signals={signal: value})
    diff = heavy.output.outcomes["esc_max_level"] - quiet.output.outcomes["esc_max_level"]
    assert np.all(diff >= 0)  # same uniforms, every hazard at least as high
    assert diff.mean() > 4 * diff.std(ddof=1) / math.sqrt(diff.size)


def test_level_4_needs_south_korean_or_european_personnel_in_theatre() -> None:
    n, heavy = 5000, {NK_CASUALTIES_TODAY: 400.0}  # every up hazard x e^(0 to 2)
    base = _run(BASE, n=n, seed=8, signals=heavy).output.outcomes
    assert base["esc_reached_3"].mean() > 0.3
    assert np.all(base["esc_reached_4"] == 0)
    for option, arrive in (("advisors", 30), ("european_troops", 60)):
        res = _run(OPTIONS / f"{option}.yaml", n=n, seed=8, signals=heavy, series=True)
        at_top = res.output.series["esc_level"] == TOP
        assert at_top.sum(axis=0)[-1] > 10, option
        assert not at_top[:, :arrive].any(), option  # not before the personnel arrive


def test_nk_pilots_in_combat_raise_the_level_to_3_on_sortie_days() -> None:
    n = 2000
    sorties = np.zeros((H, n))
    sorties[40:60] = 4.0
    quiet = _run(BASE, n=n, seed=9, series=True)
    flying = _run(BASE, n=n, seed=9, signals={NK_SORTIES_TODAY: sorties}, series=True)
    lq, lf = quiet.output.series["esc_level"], flying.output.series["esc_level"]
    o = flying.output.outcomes
    np.testing.assert_array_equal(lf[:, :40], lq[:, :40])  # same draws until the first sortie
    assert np.all(lf[:, 40:60] >= 3)
    # Day 40's chain step is the quiet run's; the floor raised it wherever that was below 3.
    floor = o["esc_floor_days"]
    assert np.all(floor >= (lq[:, 40] < 3)) and np.all(floor <= 20)
    assert np.all(floor[lq[:, 40:60].min(axis=1) >= 3] == 0)
    np.testing.assert_array_equal(o["esc_days_at_3_plus"], (lf >= 3).sum(axis=1))
    assert np.all(o["esc_reached_3"] == 1) and np.all(o["esc_first_day"] <= 40)
    assert (lf[:, -1] < 3).any()  # a floor, not a ratchet: the level falls again later


def _deployed(n: int, second: float, day: int) -> np.ndarray:
    d = np.zeros((H, n))
    d[5:] = 11_000.0
    d[day:] += second
    return d


def test_nk_troops_above_the_reference_raise_every_rung() -> None:
    n = 4000
    quiet = _run(BASE, n=n, seed=10).output.outcomes
    below = _run(BASE, n=n, seed=10, signals={NK_DEPLOYED: 11_000.0}).output.outcomes
    for name, value in quiet.items():  # at or below the reference (>= 11,000): no effect
        np.testing.assert_array_equal(below[name], value, err_msg=name)
    usual = _run(BASE, n=n, seed=10, signals={NK_DEPLOYED: _deployed(n, 3500.0, 75)})
    large = _run(BASE, n=n, seed=10, signals={NK_DEPLOYED: _deployed(n, 8000.0, 50)})
    u, g = usual.output.outcomes, large.output.outcomes
    for name in ("esc_max_level", "esc_days_at_3_plus"):
        assert np.all(u[name] >= quiet[name]) and np.all(g[name] >= u[name]), name
    diff = g["esc_reached_3"] - u["esc_reached_3"]
    assert diff.mean() > 4 * diff.std(ddof=1) / math.sqrt(n)
    assert g["esc_reached_3"].mean() > 1.5 * u["esc_reached_3"].mean()


def test_msam_raises_escalation_less_than_offensive_aid_when_its_beta_is_smaller() -> None:
    n = 4000
    base = _run(BASE, n=n, seed=11)
    msam = _run(OPTIONS / "msam.yaml", ["policy.msam.start_day=0"], n=n, seed=11)
    off = _run(OPTIONS / "offensive_aid.yaml", ["policy.offensive_aid.start_day=0"], n=n, seed=11)
    i = msam.inputs
    for name, col in i.items():
        np.testing.assert_array_equal(off.inputs[name], col)
    smaller = i["escalation.beta_msam"] < i["escalation.beta_offensive_aid"]
    assert 0.6 < smaller.mean() < 1.0
    b, m, o = base.output.outcomes, msam.output.outcomes, off.output.outcomes
    # Same uniforms: a hazard higher on every day gives a level path at least as high.
    for name in ("esc_max_level", "esc_days_at_3_plus"):
        assert np.all(m[name] >= b[name]), name
        assert np.all(o[name][smaller] >= m[name][smaller]), name
        assert np.all(o[name][~smaller] <= m[name][~smaller]), name
    for lo, hi in ((b, m), (m, o)):
        diff = hi["esc_days_at_3_plus"] - lo["esc_days_at_3_plus"]
        assert diff.mean() > 4 * diff.std(ddof=1) / math.sqrt(n)


def test_zero_coupling_gives_the_no_lever_run() -> None:
    betas = [p.name for p in EscalationSubmodel.parameters if p.name.startswith("beta_")]
    zero = [_fixed(b, 0.0) for b in betas]
    europe = ["policy.european_troops.deploy=true", "policy.european_troops.personnel=5000"]
    quiet = _run(BASE, [*zero, _fixed("hazard_3", 0.0)], n=2000, seed=12)
    busy = _run(
        OPTIONS / "full_package.yaml",
        [*zero, _fixed("hazard_3", 0.0), *europe],
        n=2000,
        seed=12,
        signals={NK_CASUALTIES_TODAY: 300.0, NK_CAPTURED_TODAY: 2.0, NK_DEPLOYED: 20_000.0},
    )
    assert len(betas) == 8
    for name, value in quiet.output.outcomes.items():
        np.testing.assert_array_equal(busy.output.outcomes[name], value, err_msg=name)
