"""Daily composition: levers on a day or a trigger, and independent random streams."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import scenario
from scenario.config.distributions import sample
from scenario.engine.rng import model_rng, parameter_rng
from scenario.models.campaign import CampaignModel
from scenario.models.daily import Context
from scenario.models.protocol import Block

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"


def _block(cfg: scenario.ScenarioConfig, n: int = 400, seed: int = 11) -> Block:
    model = CampaignModel()
    specs = cfg.flat_parameters()
    inputs = {k: sample(specs[k], n, rng=parameter_rng(seed, 0, k)) for k in specs}
    rngs = {s: model_rng(seed, 0, s) for s in model.streams}
    return Block(config=cfg, inputs=inputs, rngs=rngs, n=n, first_index=0, keep_series=n)


def _states(block: Block) -> dict[str, Any]:
    return {k: g.bit_generator.state for k, g in block.rngs.items()}


@pytest.mark.parametrize(
    ("overrides", "touched"),
    [
        (
            [
                "policy.msam.deploy=true",
                "policy.msam.batteries=2",
                "policy.msam.delivery_day=5",
                "policy.msam.training_days=0",
                "policy.msam.interceptor_stock=50",
            ],
            {"air_defence"},
        ),
        (["policy.bices.join=true"], {"air_defence"}),
        (["policy.european_troops.deploy=true", "policy.european_troops.personnel=3000"], set()),
    ],
)
def test_turning_on_a_lever_leaves_other_submodels_draws_unchanged(
    overrides: list[str], touched: set[str]
) -> None:
    """Each stream ends in the same state (so drew the same numbers) unless its submodel
    is the one the lever acts on; the ground model's random draws stay the same too."""
    base_cfg = scenario.load_config(BASE)
    opt_cfg = scenario.load_config(BASE, overrides=overrides)
    b1, b2 = _block(base_cfg), _block(opt_cfg)
    model = CampaignModel()
    out1, out2 = model.simulate(b1), model.simulate(b2)
    s1, s2 = _states(b1), _states(b2)
    for stream in ("intel", "european", "air_ops", "manpower", "escalation", "cost"):
        assert s1[stream] == s2[stream], stream
    for stream in touched:
        if stream == "air_defence":
            # Threats come from a child stream that the lever does not touch.
            assert np.array_equal(out1.outcomes["ad_threats"], out2.outcomes["ad_threats"])


def test_msam_does_not_change_the_ground_war_draws() -> None:
    base = scenario.load_config(BASE)
    opt = scenario.load_config(
        BASE, overrides=["policy.msam.deploy=true", "policy.msam.batteries=3"]
    )
    b1, b2 = _block(base), _block(opt)
    o1, o2 = CampaignModel().simulate(b1), CampaignModel().simulate(b2)
    assert b1.rngs["ground"].bit_generator.state == b2.rngs["ground"].bit_generator.state
    for k in ("nk_casualties", "ua_casualties", "ground_held_end_km2"):
        assert np.array_equal(o1.outcomes[k], o2.outcomes[k])


def test_campaign_baseline_reproduces_the_ground_model_alone() -> None:
    cfg = scenario.load_config(BASE)
    data = cfg.model_dump(mode="json")
    data["model"] = "ground"
    data["parameters"] = {"ground": data["parameters"]["ground"]}
    ground_cfg = scenario.config.config_from_dict(data)
    a = scenario.run(cfg, replications=500, seed=5)
    b = scenario.run(ground_cfg, replications=500, seed=5)
    for k in b.outcomes:
        assert np.array_equal(a.outcomes[k], b.outcomes[k]), k


def _activation(cfg: scenario.ScenarioConfig, lever: str) -> tuple[np.ndarray, Context]:
    block = _block(cfg)
    model = CampaignModel()
    ctx_holder: dict[str, Context] = {}
    original = Context.__init__

    def spy(self: Context, blk: Block) -> None:
        original(self, blk)
        ctx_holder["ctx"] = self

    Context.__init__ = spy  # type: ignore[method-assign]
    try:
        model.simulate(block)
    finally:
        Context.__init__ = original  # type: ignore[method-assign]
    ctx = ctx_holder["ctx"]
    return ctx.activation[lever], ctx


def test_trigger_on_second_wave_with_delay() -> None:
    cfg = scenario.load_config(
        BASE,
        overrides=[
            "policy.msam.deploy=true",
            "policy.msam.batteries=1",
            "policy.msam.trigger={event: nk_second_wave, delay_days: 14}",
        ],
    )
    act, ctx = _activation(cfg, "msam")
    wave = ctx.event_day["nk_second_wave"]
    fired = np.isfinite(wave)
    assert fired.any()
    np.testing.assert_array_equal(act[fired], wave[fired] + 1 + 14)
    assert np.all(~np.isfinite(act[~fired]))


def test_threshold_trigger_fires_the_day_after_the_threshold_is_crossed() -> None:
    cfg = scenario.load_config(
        BASE,
        overrides=[
            "policy.advisors.deploy=true",
            "policy.advisors.personnel=10",
            "policy.advisors.arrival_day=40",
            "policy.advisors.trigger={event: nk_casualties_above, threshold: 1000}",
        ],
    )
    act, ctx = _activation(cfg, "advisors")
    series = ctx.state["ground"].series["nk_casualties_cum"]
    for i in range(50):
        crossed = np.flatnonzero(series[i] > 1000)
        if crossed.size == 0:
            assert not np.isfinite(act[i])
        else:
            assert act[i] == max(40, crossed[0] + 1)


def test_graduated_response_runs_and_starts_levers_only_on_events() -> None:
    cfg = scenario.load_config(ROOT / "configs" / "options" / "graduated_response.yaml")
    res = scenario.run(cfg, replications=1000, seed=2)
    assert res.n_failed == 0
    # Shells start only where ground fell below 400 km2 at least 15 days before the end.
    cost = res.outcomes["cost_offensive_aid_usd_m"]
    assert (cost > 0).any() and (cost == 0).any()
    # Advisors arrive only after NK casualties pass 1,000, so never before combat onset.
    assert np.all(res.outcomes["cost_advisors_usd_m"][res.outcomes["nk_casualties"] <= 1000] == 0)


def test_trigger_schema_validation() -> None:
    with pytest.raises(scenario.ConfigError, match="needs a threshold"):
        scenario.load_config(BASE, overrides=["policy.bices.trigger={event: nk_casualties_above}"])
    with pytest.raises(scenario.ConfigError, match="takes no threshold"):
        scenario.load_config(
            BASE, overrides=["policy.bices.trigger={event: nk_second_wave, threshold: 3}"]
        )
    with pytest.raises(scenario.ConfigError, match=r"trigger\.event"):
        scenario.load_config(BASE, overrides=["policy.bices.trigger={event: sunrise}"])
