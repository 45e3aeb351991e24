"""Manpower on the harness: front-wide losses against the normal closed form; the North
Korean offset is the deployed troops (an input signal) over losses."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

import scenario
from scenario.engine.harness import run_submodel
from scenario.models.campaign import ManpowerSubmodel
from scenario.models.campaign.signals import NK_DEPLOYED

ROOT = Path(__file__).resolve().parents[1]


def test_losses_match_their_mean_and_offset_is_nk_over_losses() -> None:
    cfg = scenario.load_config(
        ROOT / "configs" / "baseline.yaml",
        overrides=[
            "parameters.manpower.ru_daily_casualties={dist: fixed, value: 1400, source: t, as_of: 2024-12-01, confidence: high}",
            "parameters.manpower.ru_daily_variation={dist: fixed, value: 0.2, source: t, as_of: 2024-12-01, confidence: high}",
        ],
    )
    nk = np.linspace(0.0, 12_000.0, 2000)
    res = run_submodel(ManpowerSubmodel(), cfg, n=2000, seed=3, signals={NK_DEPLOYED: nk})
    cas = res.output.outcomes["ru_frontwide_casualties"]
    # Sum of 180 independent N(1400, 280^2) days (clipping at 0 is 5 sd away).
    exact_mean, exact_sd = 1400 * 180, 280 * math.sqrt(180)
    assert abs(cas.mean() - exact_mean) < 4 * exact_sd / math.sqrt(cas.size)
    assert abs(cas.std(ddof=1) / exact_sd - 1) < 0.1
    np.testing.assert_allclose(res.output.outcomes["nk_offset_share"], nk / cas, rtol=1e-12)
    recruits = 180 * res.inputs["manpower.ru_daily_recruits"]
    np.testing.assert_allclose(
        res.output.outcomes["ru_net_manpower_change"], recruits + nk - cas, rtol=1e-12
    )
