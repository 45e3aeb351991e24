"""Levers: one shared activation base, renamed fields explained, user levers registered
and validated with located errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import Field

import scenario
from scenario.config.levers import (
    Lever,
    lever_class,
    register_lever,
    registered_levers,
)
from scenario.config.schema import Policy
from scenario.models.daily import lever_name

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"


class Rationing(Lever):
    """A test lever."""

    share: float = Field(default=0.0, ge=0, le=1)


def test_every_builtin_lever_shares_the_activation_fields() -> None:
    levers = Policy().levers()
    assert set(levers) == {"advisors", "offensive_aid", "msam", "bices", "european_troops"}
    for name, lever in levers.items():
        assert isinstance(lever, Lever), name
        assert (lever.deploy, lever.start_day, lever.trigger) == (False, 0, None)
        assert lever_name(type(lever)) == name


@pytest.mark.parametrize(
    ("key", "new"),
    [
        ("policy.advisors.arrival_day", "start_day"),
        ("policy.msam.delivery_day", "start_day"),
        ("policy.bices.join", "deploy"),
    ],
)
def test_renamed_fields_get_a_located_explanation(key: str, new: str) -> None:
    value = "true" if key.endswith("join") else "30"
    with pytest.raises(scenario.ConfigError) as err:
        scenario.load_config(BASE, overrides=[f"{key}={value}"])
    msg = str(err.value)
    assert f"renamed to {new!r}" in msg
    assert msg.startswith("<--set")  # located at the override that used it


def test_register_lever_refuses_bad_names_classes_and_clashes() -> None:
    with pytest.raises(scenario.ConfigError, match="must match"):
        register_lever("Bad Name", Rationing)
    with pytest.raises(scenario.ConfigError, match="subclass of"):
        register_lever("x", dict)  # type: ignore[arg-type]
    with pytest.raises(scenario.ConfigError, match="built-in policy field"):
        register_lever("msam", Rationing)
    register_lever("rationing", Rationing, replace=True)
    assert lever_class("rationing") is Rationing and "rationing" in registered_levers()

    class Other(Lever):
        pass

    with pytest.raises(scenario.ConfigError, match="already registered"):
        register_lever("rationing", Other)


def test_added_levers_validate_with_located_errors() -> None:
    register_lever("rationing", Rationing, replace=True)
    cfg = scenario.load_config(
        BASE, overrides=["policy.added={rationing: {deploy: true, share: 0.4}}"]
    )
    lever = cfg.policy.added["rationing"]
    assert isinstance(lever, Rationing) and lever.share == 0.4
    assert cfg.policy.levers()["rationing"] is lever
    # Round trip through the manifest's JSON keeps the class.
    again = scenario.ScenarioConfig.model_validate(cfg.model_dump(mode="json"))
    assert again.policy.added["rationing"] == lever
    with pytest.raises(scenario.ConfigError, match=r"policy\.added\.rationing\.share"):
        scenario.load_config(BASE, overrides=["policy.added={rationing: {share: 3}}"])
    with pytest.raises(scenario.ConfigError, match="unknown lever"):
        scenario.load_config(BASE, overrides=["policy.added={rashioning: {deploy: true}}"])


@pytest.mark.parametrize("bad", [".nan", ".inf", "-.inf"])
def test_trigger_thresholds_must_be_finite(bad: str) -> None:
    with pytest.raises(scenario.ConfigError, match="finite"):
        scenario.load_config(
            BASE,
            overrides=[f"policy.bices.trigger={{event: nk_casualties_above, threshold: {bad}}}"],
        )
