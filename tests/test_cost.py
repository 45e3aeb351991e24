"""Cost on the harness: package prices times what was sent, for the days each lever was
active."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import scenario
from scenario.engine.harness import run_submodel
from scenario.models.campaign import CostSubmodel

ROOT = Path(__file__).resolve().parents[1]


def test_costs_follow_package_prices_and_days_active() -> None:
    cfg = scenario.load_config(ROOT / "configs" / "options" / "full_package.yaml")
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
    total = sum(
        o[k]
        for k in (
            "cost_msam_usd_m",
            "cost_offensive_aid_usd_m",
            "cost_advisors_usd_m",
            "cost_bices_usd_m",
        )
    )
    assert o["cost_total_usd_m"] == pytest.approx(total)


def test_baseline_costs_nothing() -> None:
    res = run_submodel(
        CostSubmodel(), scenario.load_config(ROOT / "configs" / "baseline.yaml"), n=50
    )
    assert np.all(res.output.outcomes["cost_total_usd_m"] == 0)
