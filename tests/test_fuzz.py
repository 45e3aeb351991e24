"""Fuzzing the shipped configs (issue 11, part 7, first step; slow, 200 derandomised
examples in CI, about 90 s): random dotted overrides of scalars, lists and dates. Every case either raises ConfigError with one located line,
or runs 50 replications whose outcomes are finite or recorded failures, never another
exception; on every valid case the campaign's invariants hold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scenario
from scenario.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"
KEYS = sorted(scenario.load_config(BASE).flat_parameters())

scalars = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.booleans(),
    st.text(alphabet="abc[]{}:,-_ ", max_size=6),
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=3).map(lambda xs: "[" + ", ".join(map(str, xs)) + "]"),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(str),
)
targets = st.one_of(
    st.sampled_from(
        [
            "horizon_days",
            "start_date",
            "run.seed",
            "policy.msam.batteries",
            "policy.msam.start_day",
            "policy.offensive_aid.shells_per_month",
            "policy.advisors.personnel",
            "policy.european_troops.personnel",
            "adversary.pilots_in_combat",
        ]
    ),
    st.sampled_from(KEYS).flatmap(
        lambda k: st.sampled_from(
            [
                f"parameters.{k}.low",
                f"parameters.{k}.high",
                f"parameters.{k}.mode",
                f"parameters.{k}.value",
            ]
        )
    ),
)


def _invariants(res: scenario.Results) -> None:
    o = res.outcomes
    ok = ~np.isnan(o["ua_casualties"])
    for name in (
        "ua_casualties",
        "ru_casualties",
        "nk_casualties",
        "ad_leakers",
        "cost_total_usd_m",
    ):
        assert np.all(o[name][ok] >= 0), name
    assert np.all(o["ad_leakers"][ok] <= o["ad_threats"][ok] + 1e-9)
    assert np.all(o["nk_captured"][ok] <= o["nk_casualties"][ok] + 1e-9)
    for name in ("logistics_capacity_mean", "logistics_capacity_min", "ad_intercept_rate"):
        assert np.all((o[name][ok] >= 0) & (o[name][ok] <= 1 + 1e-12)), name
    assert np.all((o["ground_held_end_km2"][ok] >= 0) & (o["ground_held_end_km2"][ok] <= 1376))


@pytest.mark.slow
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(key=targets, value=values)
def test_a_random_override_is_a_located_error_or_a_valid_run(key: str, value: str) -> None:
    override = f"{key}={value}"
    try:
        cfg = scenario.load_config(BASE, overrides=[override, "run.series_replications=0"])
        res = scenario.run(cfg, replications=50, seed=1)
    except ConfigError as exc:
        text = str(exc)
        assert text and "Traceback" not in text
        first = text.splitlines()[0]
        assert ":" in first  # located: file or --set, line, column
        return
    for name, v in res.outcomes.items():
        bad = ~np.isfinite(v)
        assert np.all(np.isin(np.flatnonzero(bad), [f.index for f in res.failures])), name
    _invariants(res)
