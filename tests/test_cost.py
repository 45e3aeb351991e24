"""Cost on the harness: package prices times what was sent; capital packages once where
the lever activated within the horizon, running costs for the days it was active; South
Korea's part and the total with European troops."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import scenario
from scenario.engine.harness import run_submodel
from scenario.models.campaign import CostSubmodel
from scenario.models.daily import Event, SubmodelContext
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = ROOT / "configs" / "options"
ROK = ("cost_msam_usd_m", "cost_offensive_aid_usd_m", "cost_advisors_usd_m", "cost_bices_usd_m")
ALL = (*ROK, "cost_european_usd_m")

CLOCK = Event("clock_tick", "Test event on a known day per replication", "clock")


def tick_day(i: np.ndarray) -> np.ndarray:
    """Day of the clock event in replication ``i``: every 7th never, others spread over
    0-239 (many after the 180-day horizon)."""
    return np.where(i % 7 == 0, np.inf, (i * 37) % 240).astype(np.float64)


class Clock:
    """Marks ``clock_tick`` on :func:`tick_day` (a trigger source with known days)."""

    name = "clock"
    parameters: tuple[ParameterInfo, ...] = ()
    levers = ()
    reads = ()
    writes = ()
    events = (CLOCK,)
    outcomes: tuple[OutcomeInfo, ...] = ()
    series: tuple[SeriesInfo, ...] = ()

    def start(self, ctx: SubmodelContext) -> np.ndarray:
        return tick_day(np.arange(ctx.n))

    def step(self, ctx: SubmodelContext, day: np.ndarray, t: int) -> None:
        ctx.mark(CLOCK, day == t, t)

    def finish(self, ctx: SubmodelContext, day: np.ndarray) -> BlockOutput:
        return BlockOutput(outcomes={})


def _days(activation: float, horizon: int) -> float:
    """Days active, written out per replication."""
    if activation == np.inf or activation >= horizon:
        return 0.0
    return float(horizon - activation)


def test_costs_follow_package_prices_and_days_active() -> None:
    cfg = scenario.load_config(OPTIONS / "full_package.yaml")
    res = run_submodel(CostSubmodel(), cfg, n=200, seed=1)
    i = res.inputs
    o = res.output.outcomes
    msam = 2 * i["cost.msam_battery_usd_m"] + (64 + 16 / 30 * 150) * i["cost.msam_missile_usd_m"]
    np.testing.assert_allclose(o["cost_msam_usd_m"], msam, rtol=1e-12)
    aid = (
        30000 * 166 / 30 * i["cost.shell_usd"] / 1e6
        + 24 * i["cost.k9_usd_m"]
        + 6 * i["cost.k239_usd_m"]
        + 10 * i["cost.k2_usd_m"]
    )
    np.testing.assert_allclose(o["cost_offensive_aid_usd_m"], aid, rtol=1e-12)
    np.testing.assert_allclose(
        o["cost_advisors_usd_m"], 30 * 150 * i["cost.advisor_usd_per_day"] / 1e6
    )
    np.testing.assert_allclose(o["cost_bices_usd_m"], 160 / 365 * i["cost.bices_usd_m_per_year"])
    assert np.all(o["cost_european_usd_m"] == 0)
    rok = sum(o[k] for k in ROK)
    np.testing.assert_allclose(o["cost_rok_usd_m"], rok, rtol=1e-12)
    np.testing.assert_allclose(o["cost_total_usd_m"], rok, rtol=1e-12)


def test_european_troops_cost_troop_days() -> None:
    cfg = scenario.load_config(OPTIONS / "european_troops.yaml")
    res = run_submodel(CostSubmodel(), cfg, n=200, seed=2)
    o = res.output.outcomes
    per_day = res.inputs["cost.european_usd_per_troop_day"]
    np.testing.assert_allclose(o["cost_european_usd_m"], 5000 * 120 * per_day / 1e6, rtol=1e-12)
    np.testing.assert_allclose(o["cost_total_usd_m"], o["cost_european_usd_m"], rtol=1e-12)
    assert np.all(o["cost_rok_usd_m"] == 0)
    # More troops, or earlier, cost more; after the horizon, nothing.
    for override, more in (
        ("policy.european_troops.personnel=10000", True),
        ("policy.european_troops.start_day=30", True),
        ("policy.european_troops.start_day=200", False),
    ):
        other = scenario.load_config(OPTIONS / "european_troops.yaml", overrides=[override])
        c = run_submodel(CostSubmodel(), other, n=200, seed=2).output.outcomes
        if more:
            assert np.all(c["cost_european_usd_m"] > o["cost_european_usd_m"]), override
        else:
            assert np.all(c["cost_european_usd_m"] == 0), override


def _triggered_config() -> scenario.ScenarioConfig:
    """Every option, each started by the clock (with a delay) and not before its start day."""
    trig = "{event: clock_tick, delay_days: %d}"
    return scenario.load_config(
        OPTIONS / "full_package.yaml",
        overrides=[
            f"policy.msam.trigger={trig % 14}",
            f"policy.offensive_aid.trigger={trig % 0}",
            f"policy.advisors.trigger={trig % 7}",
            f"policy.bices.trigger={trig % 3}",
            "policy.european_troops={deploy: true, personnel: 2000, start_day: 50, "
            f"trigger: {trig % 5}}}",
        ],
    )


def test_triggered_levers_cost_from_activation_per_replication() -> None:
    cfg = _triggered_config()
    H, n = cfg.horizon_days, 700
    res = run_submodel([Clock(), CostSubmodel()], cfg, n=n, seed=3)
    o, i, act = res.output.outcomes, res.inputs, res.activation
    # Activation as the triggers define it (so the expected costs below rest on known days).
    tick = tick_day(np.arange(n))
    tick[tick >= H] = np.inf  # an event after the horizon is never observed
    for lever, delay, start in (
        ("msam", 14, 30),
        ("offensive_aid", 0, 14),
        ("advisors", 7, 30),
        ("bices", 3, 20),
        ("european_troops", 5, 50),
    ):
        expect = np.maximum(start, tick + 1 + delay)  # at or after H: not active in the run
        np.testing.assert_array_equal(np.minimum(act[lever], H), np.minimum(expect, H), lever)
    d = {k: np.array([_days(a, H) for a in v]) for k, v in act.items()}
    on = {k: (v > 0).astype(np.float64) for k, v in d.items()}
    assert 0.2 < on["msam"].mean() < 0.8  # some replications activate, others never
    expected = {
        "cost_msam_usd_m": on["msam"]
        * (2 * i["cost.msam_battery_usd_m"] + 64 * i["cost.msam_missile_usd_m"])
        + 16 / 30 * d["msam"] * i["cost.msam_missile_usd_m"],
        "cost_offensive_aid_usd_m": 30000 / 30 * d["offensive_aid"] * i["cost.shell_usd"] / 1e6
        + on["offensive_aid"]
        * (24 * i["cost.k9_usd_m"] + 6 * i["cost.k239_usd_m"] + 10 * i["cost.k2_usd_m"]),
        "cost_advisors_usd_m": 30 * d["advisors"] * i["cost.advisor_usd_per_day"] / 1e6,
        "cost_bices_usd_m": d["bices"] / 365 * i["cost.bices_usd_m_per_year"],
        "cost_european_usd_m": 2000
        * d["european_troops"]
        * i["cost.european_usd_per_troop_day"]
        / 1e6,
    }
    for name, value in expected.items():
        np.testing.assert_allclose(o[name], value, rtol=1e-12, atol=1e-12, err_msg=name)
    np.testing.assert_allclose(o["cost_rok_usd_m"], sum(expected[k] for k in ROK), rtol=1e-12)
    np.testing.assert_allclose(o["cost_total_usd_m"], sum(expected.values()), rtol=1e-12)
    # Where a lever never activated within the horizon it costs nothing.
    for lever, name in (
        ("msam", "cost_msam_usd_m"),
        ("offensive_aid", "cost_offensive_aid_usd_m"),
        ("advisors", "cost_advisors_usd_m"),
        ("bices", "cost_bices_usd_m"),
        ("european_troops", "cost_european_usd_m"),
    ):
        never = d[lever] == 0
        assert never.any() and np.all(o[name][never] == 0), name
        assert np.all(o[name][~never] > 0), name


def test_baseline_costs_nothing() -> None:
    res = run_submodel(
        CostSubmodel(), scenario.load_config(ROOT / "configs" / "baseline.yaml"), n=50
    )
    for name in (*ALL, "cost_rok_usd_m", "cost_total_usd_m"):
        assert np.all(res.output.outcomes[name] == 0), name


@pytest.mark.parametrize("activation", [0.0, 179.0, 180.0, 250.0, np.inf])
def test_days_active_counts_the_days_of_the_horizon(activation: float) -> None:
    from scenario.models.campaign.cost import days_active

    got = days_active(np.array([activation]), 180)[0]
    assert got == _days(activation, 180)
