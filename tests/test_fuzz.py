"""Fuzzing the shipped baseline (issue 11, part 7).

Strategies (``tests/_fuzz.py``) draw one to four ``--set`` overrides at once: random
scalars, lists and maps, dates, and distributions with every numeric field at an extreme.

* Configuration (fast; 2,000 derandomised examples in CI, about 20 s): every case either
  raises ``ConfigError`` whose every line is one located issue, or validates, passes the
  model's checks, and every one of its distributions draws finite samples.
* Runs (slow; 200 examples, about 90 s): every case either raises a located ``ConfigError``
  or runs 50 replications whose outcomes are finite or recorded failures, never another
  exception; on every valid case the campaign's invariants hold.
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from _fuzz import BASE, describe, located, overrides
from hypothesis import HealthCheck, given, settings

import scenario
from scenario.config.distributions import sample
from scenario.config.loader import apply_overrides, config_from_dict, load_document
from scenario.engine.runner import check_config, resolve_model
from scenario.errors import ConfigError

CI = os.environ.get("HYPOTHESIS_PROFILE") == "ci" or bool(os.environ.get("CI"))
DOC = load_document(BASE)


def _invariants(res: scenario.Results) -> None:
    o = res.outcomes
    ok = ~np.isnan(o["ua_casualties"])
    for name in (
        "ua_casualties",
        "ru_casualties",
        "nk_casualties",
        "nk_captured",
        "ad_leakers",
        "ad_threats",
        "civilian_casualties",
        "aid_equipment_lost",
        "cost_total_usd_m",
        "cost_rok_usd_m",
        "ua_interceptors_used",
        "msam_interceptors_used",
        "nk_sorties",
        "nk_aircraft_lost",
    ):
        assert np.all(o[name][ok] >= 0), name
    assert np.all(o["ad_leakers"][ok] <= o["ad_threats"][ok] + 1e-9)
    assert np.all(o["nk_captured"][ok] <= o["nk_casualties"][ok] + 1e-9)
    for name in ("logistics_capacity_mean", "logistics_capacity_min", "ad_intercept_rate"):
        assert np.all((o[name][ok] >= 0) & (o[name][ok] <= 1 + 1e-12)), name
    assert np.all(o["logistics_capacity_min"][ok] <= o["logistics_capacity_mean"][ok] + 1e-12)
    assert np.all((o["ground_held_end_km2"][ok] >= 0) & (o["ground_held_end_km2"][ok] <= 1376))
    # interceptors used never above the stock plus resupply over the horizon
    days = res.config.horizon_days
    i = res.inputs
    ua_stock = i["air_defence.ua_ready"] + days * i["air_defence.ua_resupply_per_day"]
    assert np.all(o["ua_interceptors_used"][ok] <= ua_stock[ok] * (1 + 1e-9) + 1e-6)
    ms = res.config.policy.msam
    loaded = ms.batteries * ms.launchers_per_battery * ms.missiles_per_launcher
    ms_stock = loaded + ms.interceptor_stock + days * ms.resupply_per_month / 30.0
    assert np.all(o["msam_interceptors_used"][ok] <= ms_stock + 1e-6)


def _config_or_located_error(sets: list[str]) -> scenario.ScenarioConfig | None:
    """The overridden baseline, or None after checking its ConfigError is located."""
    try:
        doc = apply_overrides(DOC, sets)
        cfg = config_from_dict(doc.data, source_map=doc.source_map)
        check_config(cfg, resolve_model(cfg))
    except ConfigError as exc:
        text = str(exc)
        assert located(text) and "Traceback" not in text, f"{describe(sets)}\n{text}"
        return None
    return cfg


@settings(
    max_examples=2000 if CI else 200,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    deadline=None,
)
@given(sets=overrides)
def test_overrides_give_a_located_error_or_a_config_that_samples_finite_values(
    sets: list[str],
) -> None:
    cfg = _config_or_located_error(sets)
    if cfg is None:
        return
    rng = np.random.default_rng(0)
    for key, spec in cfg.flat_parameters().items():
        draws = sample(spec, 4, rng=rng)
        assert np.all(np.isfinite(draws)), f"{key}: {spec!r} drew {draws} ({describe(sets)})"


@pytest.mark.slow
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(sets=overrides)
def test_overrides_give_a_located_error_or_a_valid_run(sets: list[str]) -> None:
    try:
        cfg = scenario.load_config(BASE, overrides=[*sets, "run.series_replications=0"])
        res = scenario.run(cfg, replications=50, seed=1)
    except ConfigError as exc:
        text = str(exc)
        assert located(text) and "Traceback" not in text, f"{describe(sets)}\n{text}"
        return
    failed = [f.index for f in res.failures]
    for name, v in res.outcomes.items():
        bad = ~np.isfinite(v)
        assert np.all(np.isin(np.flatnonzero(bad), failed)), (name, describe(sets))
    _invariants(res)
