"""Composition: the wiring is checked at construction, the day's order follows the declared
reads, today/yesterday visibility is what was declared, and turning a lever on leaves the
draws of every other submodel unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import scenario
from scenario.config.levers import Msam
from scenario.engine.harness import run_submodel
from scenario.errors import EngineError, ModelError
from scenario.models.campaign import SUBMODELS
from scenario.models.daily import (
    DailyModel,
    Read,
    Signal,
    SubmodelContext,
    today,
    yesterday,
)
from scenario.models.protocol import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo
from scenario.models.registry import compose

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "baseline.yaml"

CLOCK = Signal("clock", "day", "today's day index", "clock", -1.0)
REQUIRED = Signal("required", "x", "a signal without default", "absent")
MIRROR = Signal("mirror", "day", "what the reader saw", "reader", 0.0)


class Clock:
    """Writes the day index as a signal."""

    name = "clock"
    parameters: tuple[ParameterInfo, ...] = ()
    levers: tuple[str, ...] = ()
    reads: tuple[Read, ...] = ()
    writes: tuple[Signal, ...] = (CLOCK,)
    events: tuple[Any, ...] = ()
    outcomes: tuple[OutcomeInfo, ...] = ()
    series: tuple[SeriesInfo, ...] = ()

    def start(self, ctx: SubmodelContext) -> None:
        return None

    def step(self, ctx: SubmodelContext, state: None, t: int) -> None:
        ctx.write(CLOCK, np.full(ctx.n, float(t)))

    def finish(self, ctx: SubmodelContext, state: None) -> BlockOutput:
        return BlockOutput(outcomes={})


class Reader:
    """Reads the clock with the given timing and records what it saw each day."""

    name = "reader"
    parameters: tuple[ParameterInfo, ...] = ()
    levers: tuple[str, ...] = ()
    writes: tuple[Signal, ...] = (MIRROR,)
    events: tuple[Any, ...] = ()
    series: tuple[SeriesInfo, ...] = ()
    outcomes = (OutcomeInfo(name="seen_sum", unit="day", description="sum of days seen"),)

    def __init__(self, reads: tuple[Read, ...] = (today(CLOCK),)) -> None:
        self.reads = reads

    def start(self, ctx: SubmodelContext) -> list[np.ndarray]:
        return []

    def step(self, ctx: SubmodelContext, seen: list[np.ndarray], t: int) -> None:
        value = ctx.read(self.reads[0].name)
        seen.append(value.copy())
        ctx.write(MIRROR, value)

    def finish(self, ctx: SubmodelContext, seen: list[np.ndarray]) -> BlockOutput:
        return BlockOutput(outcomes={"seen_sum": np.sum(seen, axis=0)})


def test_reading_an_undeclared_signal_fails_at_construction_naming_both() -> None:
    typo = Reader(reads=(today("nk_casualties_todya"),))
    typo.name = "shell_stock"
    typo.writes = ()
    with pytest.raises(ModelError) as err:
        DailyModel("campaign", [*SUBMODELS, typo])
    msg = str(err.value)
    assert "'shell_stock'" in msg and "'nk_casualties_todya'" in msg
    assert "closest declared: 'nk_casualties_today'" in msg


def test_a_signal_has_exactly_one_producer() -> None:
    other = Clock()
    other.name = "clock2"
    with pytest.raises(ModelError, match="declared producer is 'clock'"):
        DailyModel("m", [Clock(), other])
    impostor = Signal("clock", "day", "another clock", "clock2")
    other.writes = (impostor,)
    with pytest.raises(ModelError, match="two producers: 'clock' and 'clock2'"):
        DailyModel("m", [Clock(), other])


def test_a_required_signal_without_its_producer_is_an_error() -> None:
    with pytest.raises(ModelError, match="producer 'absent' is not in the composition"):
        DailyModel("m", [Reader(reads=(today(REQUIRED),))])
    DailyModel("m", [Reader()])  # the clock has a default: it may be absent


def test_same_day_cycles_are_refused() -> None:
    back = Signal("back", "x", "reader to clock", "reader", 0.0)

    class Looped(Clock):
        reads = (today(back),)

    reader = Reader()
    reader.writes = (MIRROR, back)
    with pytest.raises(ModelError, match="cycle"):
        DailyModel("m", [Looped(), reader])
    # As a yesterday read the loop is fine.
    Looped.reads = (yesterday(back),)
    DailyModel("m", [Looped(), reader])


@pytest.mark.parametrize("listed", [["clock", "reader"], ["reader", "clock"]])
def test_today_and_yesterday_are_what_was_declared_whatever_the_order(
    listed: list[str],
) -> None:
    cfg = scenario.load_config(BASE, overrides=["horizon_days=10"])
    parts = {"clock": Clock(), "reader": Reader()}
    now = run_submodel([parts[n] for n in listed], cfg, n=3)
    np.testing.assert_array_equal(now.signals["mirror"][:, 0], np.arange(10.0))
    parts["reader"] = Reader(reads=(yesterday(CLOCK),))
    lag = run_submodel([parts[n] for n in listed], cfg, n=3)
    # Yesterday's value, and on day 0 the declared default (-1).
    np.testing.assert_array_equal(lag.signals["mirror"][:, 0], [-1.0, *range(9)])


def test_campaign_wiring_lists_unread_and_watched_signals() -> None:
    w = compose("campaign", [sm.name for sm in SUBMODELS]).wiring
    # Every signal of the campaign is read by some submodel (issue 9 closed the dead ends),
    # except the new-troops pulse, which nothing needs now that escalation reads nk_deployed.
    assert w.unread == ("nk_new_troops_today",)
    assert set(w.watched) == {
        "nk_casualties_cum",
        "nk_captured_cum",
        "ground_held_km2",
        "escalation_level",
    }
    assert w.readers["nk_aircraft_lost_today"] == (("air_ops", "yesterday"),)
    assert w.readers["ru_sector_casualties_today"] == (("manpower", "today"),)
    assert w.order.index("air_ops") < w.order.index("air_defence") < w.order.index("logistics")
    assert w.order.index("logistics") < w.order.index("ground") < w.order.index("withdrawal")
    assert "nk_new_troops_today [troops] ground -> (unread)" in w.describe()


def test_trigger_events_are_checked_against_the_declared_events() -> None:
    def issues(trigger: str) -> str:
        cfg = scenario.load_config(BASE, overrides=[f"policy.bices.trigger={trigger}"])
        with pytest.raises(scenario.ConfigError) as err:
            scenario.run(cfg, replications=1)
        return str(err.value)

    assert "needs a threshold" in issues("{event: nk_casualties_above}")
    assert "takes no threshold (got 3.0)" in issues("{event: nk_second_wave, threshold: 3}")
    msg = issues("{event: nk_second_wav}")
    assert "policy.bices.trigger.event" in msg and "did you mean 'nk_second_wave'" in msg


# ---- common random numbers across levers ------------------------------------------------


def _states(rngs: dict[str, np.random.Generator]) -> dict[str, Any]:
    return {k: g.bit_generator.state for k, g in rngs.items()}


def _fresh(name: str) -> Any:
    from scenario.engine.rng import model_rng

    return model_rng(11, 0, name).bit_generator.state


@pytest.mark.parametrize(
    ("overrides", "acts_on", "may_act_on"),
    [
        # Fewer leakers leave less expected civilian harm, which logistics draws (Poisson),
        # and more logistics capacity, which ground reads (gamma draws, whose rejection
        # counts may or may not change); M-SAM may also shoot down NK aircraft, which air_ops
        # reads (Poisson draws).
        (
            ["policy.msam.deploy=true", "policy.msam.batteries=2", "policy.msam.training_days=0"],
            {"logistics"},
            {"air_ops", "ground"},
        ),
        # Training raises Ukrainian fire, which ground reads: its gamma draws may differ
        # (whether a rejection count changes depends on the draws).
        (
            ["policy.european_troops.deploy=true", "policy.european_troops.personnel=3000"],
            set(),
            {"ground"},
        ),
    ],
)
def test_turning_on_a_lever_leaves_every_other_drawing_stream_unchanged(
    overrides: list[str], acts_on: set[str], may_act_on: set[str]
) -> None:
    """Streams that are drawn from (checked: they moved) end in the same state with and
    without the lever, except those of the submodels whose inputs the lever changes and
    whose samplers use rejection (numpy's gamma and Poisson); those differ, so the check can
    fail. Submodels that draw nothing are checked too."""
    pilots = ["adversary.pilots_in_combat=true"]  # so air_ops draws
    base = run_submodel(
        list(SUBMODELS), scenario.load_config(BASE, overrides=pilots), n=300, seed=11
    )
    opt = run_submodel(
        list(SUBMODELS), scenario.load_config(BASE, overrides=pilots + overrides), n=300, seed=11
    )
    s1, s2 = _states(base.rngs), _states(opt.rngs)
    drawing = {"ground", "manpower", "escalation", "air_ops", "logistics"}
    for name in drawing:
        assert s1[name] != _fresh(name), f"{name} never drew: the check would prove nothing"
    for name in {"intel", "european", "cost", "nk_munitions", "counteroffensive", "withdrawal"}:
        assert s1[name] == _fresh(name) == s2[name], name
    for name in drawing - acts_on - may_act_on:
        assert s1[name] == s2[name], name
    for name in acts_on:
        assert s1[name] != s2[name], name
    # The lever does act on the ground war (so equal streams elsewhere mean something).
    a, b = base.output.outcomes, opt.output.outcomes
    assert not np.array_equal(a["ru_casualties"], b["ru_casualties"])
    # Air defence draws only from two child streams of its own: threats are the same unless
    # the NK sorties entering the envelope (from air_ops) changed.
    if "air_ops" not in acts_on | may_act_on:
        assert np.array_equal(a["ad_threats"], b["ad_threats"])


def test_msam_reaches_the_ground_war_through_logistics_and_only_through_it() -> None:
    """M-SAM's fewer leakers leave more logistics capacity and so more Ukrainian fire; with
    the coupling at zero (``logistics_fire_dependence = 0``) the ground war's numbers are
    identical, draw for draw."""
    msam = ["policy.msam.deploy=true", "policy.msam.batteries=3", "policy.msam.training_days=0"]
    fixed = "={dist: fixed, value: 0, source: t, as_of: 2024-12-01, confidence: high}"
    # M-SAM's paths to the ground war: logistics (fire, and the withdrawal rule's supply
    # threshold); escalation (beta_msam); NK aircraft it shoots down once escalation has
    # committed the pilots (commit_prob).
    zero = [
        "parameters.ground.logistics_fire_dependence" + fixed,
        "parameters.withdrawal.min_logistics" + fixed,
        "parameters.escalation.beta_msam" + fixed,
        "parameters.air_ops.commit_prob" + fixed,
    ]

    def ground(extra: list[str]) -> dict[str, np.ndarray]:
        cfg = scenario.load_config(BASE, overrides=extra)
        return run_submodel(list(SUBMODELS), cfg, n=1000, seed=3).output.outcomes

    # The logistics path alone (escalation coupling off): more capacity, more Russian losses.
    a, b = ground(zero[2:]), ground(zero[2:] + msam)
    for k, sign in (
        ("logistics_capacity_mean", 1),
        ("ru_casualties", 1),
        ("civilian_casualties", -1),
    ):
        d = sign * (b[k] - a[k])
        assert d.mean() > 4 * d.std(ddof=1) / np.sqrt(d.size), k
    a0, b0 = ground(zero), ground(zero + msam)
    for k in ("nk_casualties", "ua_casualties", "ru_casualties", "ground_held_end_km2"):
        assert np.array_equal(a0[k], b0[k]), k
    assert not np.array_equal(a0["ad_leakers"], b0["ad_leakers"])
    assert Msam.__name__ == "Msam"


def test_the_trigger_help_names_exactly_the_campaigns_events() -> None:
    """The schema keeps no list of events (the declarations are the list); its help text
    names them for editors, and must not drift from the declarations."""
    from scenario.config.levers import Trigger

    text = Trigger.model_fields["event"].description or ""
    named = {w.strip(" ,.()`") for w in text.replace("e.g.", "").split() if "_" in w}
    w = compose("campaign", [sm.name for sm in SUBMODELS]).wiring
    assert named == set(w.events)


class InPlaceClock(Clock):
    """Writes the same array every day, changed in place (as ground does with nk_deployed)."""

    def start(self, ctx: SubmodelContext) -> np.ndarray:  # type: ignore[override]
        return np.zeros(ctx.n)

    def step(self, ctx: SubmodelContext, state: np.ndarray, t: int) -> None:  # type: ignore[override]
        state[:] = float(t)
        ctx.write(CLOCK, state)


def test_yesterday_is_a_copy_even_when_the_producer_changes_its_array_in_place() -> None:
    cfg = scenario.load_config(BASE, overrides=["horizon_days=6"])
    lag = run_submodel([InPlaceClock(), Reader(reads=(yesterday(CLOCK),))], cfg, n=2)
    np.testing.assert_array_equal(lag.signals["mirror"][:, 0], [-1.0, *range(5)])


def test_sensitivity_refuses_correlated_inputs_up_front() -> None:
    from scenario.analysis.sensitivity import tornado

    corr = (
        "correlations=[{between: [ground.ua_troops_initial, ground.ru_troops_initial], "
        "rho: 0.5, source: 'ASSUMPTION: t', as_of: 2024-11-01, confidence: none}]"
    )
    cfg = scenario.load_config(BASE, overrides=[corr])
    with pytest.raises(EngineError, match="needs independent inputs"):
        tornado(cfg, outcome="nk_casualties", replications=10)


TERMINAL = {
    "cost": "its outcomes are the price of the options, read by objectives, not by the model",
    "manpower": "Russia's front-wide balance is an outcome of the Kursk fight, not an input",
}
"""Submodels that feed no other on purpose (README, The models)."""


def test_every_submodel_feeds_another_or_is_terminal_on_purpose() -> None:
    w = compose("campaign", [sm.name for sm in SUBMODELS]).wiring
    for sm in SUBMODELS:
        feeds = {r for s in sm.writes for r, _ in w.readers.get(s.name, ()) if r != sm.name}
        if sm.name in TERMINAL:
            assert not feeds, f"{sm.name} now feeds {feeds}: update TERMINAL and the README"
        else:
            assert feeds, f"{sm.name} is a dead end: nothing reads what it writes"
