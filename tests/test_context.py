"""The submodel context is enforced: a submodel reads and writes only what it declared,
and every refusal names the submodel and the closest declared name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import scenario
from scenario.config.levers import Advisors, Msam
from scenario.engine.harness import run_submodel
from scenario.errors import ModelError
from scenario.models.campaign.signals import (
    NK_CASUALTIES_TODAY,
    NK_SECOND_WAVE,
    UA_FIRE_MULTIPLIER,
)
from scenario.models.daily import Event, Read, Signal, SubmodelContext, today
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"
MINE = Signal("probe_value", "x", "what the probe writes", "probe", 0.0)


class Probe:
    """Declares a little of everything, then does what the test says on day 0."""

    name = "probe"
    parameters = (ParameterInfo(group="ground", name="ua_kill_rate", unit="u", meaning="m"),)
    levers = (Advisors,)
    reads: tuple[Read, ...] = (today(NK_CASUALTIES_TODAY),)
    writes: tuple[Signal, ...] = (MINE,)
    events: tuple[Event, ...] = ()
    outcomes = (OutcomeInfo(name="probe_ok", unit="0/1", description="ran"),)
    series: tuple[SeriesInfo, ...] = ()

    def __init__(self, action: Callable[[SubmodelContext], Any]) -> None:
        self.action = action

    def start(self, ctx: SubmodelContext) -> None:
        return None

    def step(self, ctx: SubmodelContext, state: None, t: int) -> None:
        if t == 0:
            self.action(ctx)

    def finish(self, ctx: SubmodelContext, state: None) -> BlockOutput:
        return BlockOutput(outcomes={"probe_ok": np.ones(ctx.n)})


def _run(action: Callable[[SubmodelContext], Any]) -> None:
    run_submodel(Probe(action), scenario.load_config(BASE, overrides=["horizon_days=2"]), n=4)


def test_declared_uses_work() -> None:
    seen: dict[str, Any] = {}

    def ok(ctx: SubmodelContext) -> None:
        seen["p"] = ctx.p("ground.ua_kill_rate")
        seen["read"] = ctx.read(NK_CASUALTIES_TODAY)  # producer absent: the default
        seen["written"] = ctx.written(NK_CASUALTIES_TODAY)
        seen["lever"] = ctx.lever(Advisors).deploy
        seen["active"] = ctx.active(Advisors, 0)
        seen["draw"] = ctx.rng().random()
        ctx.write(MINE, np.ones(ctx.n))

    _run(ok)
    assert seen["p"].shape == (4,) and np.all(seen["read"] == 0.0) and seen["written"] is None
    assert seen["lever"] is False and not seen["active"].any()


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            lambda c: c.p("ground.ua_kill_rat"),
            "'probe' reads parameter 'ground.ua_kill_rat'.*"
            "closest declared: 'ground.ua_kill_rate'",
        ),
        (
            lambda c: c.read("nk_casualties_todai"),
            "'probe' reads signal 'nk_casualties_todai'.*closest declared: 'nk_casualties_today'",
        ),
        (lambda c: c.read(UA_FIRE_MULTIPLIER), "'probe' reads signal 'ua_fire_multiplier'"),
        (
            lambda c: c.write(NK_CASUALTIES_TODAY, np.zeros(c.n)),
            "'probe' writes signal 'nk_casualties_today'",
        ),
        (
            lambda c: c.mark(NK_SECOND_WAVE, np.ones(c.n, bool), 0),
            "'probe' marks event 'nk_second_wave'",
        ),
        (lambda c: c.lever(Msam), "'probe' uses lever 'msam'"),
        (
            lambda c: c.active("advisor", 0),
            "'probe' uses lever 'advisor'.*closest declared: 'advisors'",
        ),
    ],
)
def test_undeclared_uses_are_refused_naming_the_submodel(
    action: Callable[[SubmodelContext], Any], message: str
) -> None:
    with pytest.raises(ModelError, match=message):
        _run(action)
