"""Run one submodel (or a few) alone over a horizon, with given input signals and levers.

It lives in the engine because it samples parameters and seeds streams exactly as a run's
block 0 does (:mod:`scenario.engine.rng`).

For tests and for studying a submodel in isolation: signals the submodel reads that no
submodel in the harness produces are fed from ``signals`` (a constant array per signal, or
an array ``(horizon, n)`` of daily values), or take their declared default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scenario.config.schema import ScenarioConfig
from scenario.engine.blocks import Plan, block_inputs
from scenario.engine.rng import model_rng
from scenario.errors import ModelError
from scenario.models.daily.compose import DailyModel, Submodel
from scenario.models.daily.declarations import Signal
from scenario.models.protocol import Block, BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

__all__ = ["HarnessResult", "run_submodel"]


@dataclass(frozen=True)
class HarnessResult:
    """Outcomes and series of the submodel(s), the sampled inputs, and every signal value
    by day.

    ``signals[name]`` has shape ``(horizon, n)``: the value seen at the end of each day;
    ``rngs`` are the generators used (to check which streams were drawn from);
    ``event_day[name]`` is the first day of each event (``inf``: never) and
    ``activation[lever]`` each lever's activation day.
    """

    output: BlockOutput
    inputs: dict[str, np.ndarray]
    signals: dict[str, np.ndarray]
    event_day: dict[str, np.ndarray]
    activation: dict[str, np.ndarray]
    rngs: dict[str, np.random.Generator]


class _Feed:
    """A pseudo-submodel writing the harness's input signals each day."""

    name = "harness"
    parameters: tuple[ParameterInfo, ...] = ()
    levers: tuple[str, ...] = ()
    reads: tuple[Any, ...] = ()
    events: tuple[Any, ...] = ()
    outcomes: tuple[OutcomeInfo, ...] = ()
    series: tuple[SeriesInfo, ...] = ()

    def __init__(self, feeds: Mapping[Signal, np.ndarray]) -> None:
        self.writes: tuple[Signal, ...] = tuple(feeds)
        self._values = {s.name: v for s, v in feeds.items()}

    def start(self, ctx: Any) -> None:
        """Nothing to set up."""

    def step(self, ctx: Any, state: None, t: int) -> None:
        """Write each fed signal's value of day ``t``."""
        for sig in self.writes:
            v = self._values[sig.name]
            ctx.write(sig, v[t] if v.ndim == 2 else v)

    def finish(self, ctx: Any, state: None) -> BlockOutput:
        """No outcomes."""
        return BlockOutput(outcomes={})


def _feeds(
    signals: Mapping[Signal, float | np.ndarray], n: int, horizon: int
) -> dict[Signal, np.ndarray]:
    """Input signals as arrays ``(n,)`` or ``(horizon, n)``."""
    feeds: dict[Signal, np.ndarray] = {}
    for sig, value in signals.items():
        arr = np.asarray(value, dtype=np.float64)
        if arr.ndim == 0:
            arr = np.full(n, float(arr))
        if arr.shape not in {(n,), (horizon, n)}:
            raise ModelError(
                f"signal {sig.name!r}: give a scalar, ({n},) or ({horizon}, {n}) (got {arr.shape})"
            )
        feeds[sig] = arr
    return feeds


def run_submodel(
    submodels: Submodel | Sequence[Submodel],
    config: ScenarioConfig,
    *,
    n: int = 1000,
    seed: int = 0,
    signals: Mapping[Signal, float | np.ndarray] | None = None,
    keep_series: int = 0,
) -> HarnessResult:
    """Run ``submodels`` alone on ``n`` replications of ``config``'s parameters.

    Parameters
    ----------
    submodels : Submodel or sequence of Submodel
        What to run (composed and checked as a campaign would be).
    config : ScenarioConfig
        Supplies the parameters (sampled as block 0 of ``seed``), levers and horizon.
    n : int
        Replications.
    seed : int
        Root seed (the streams are those block 0 of a real run would use).
    signals : mapping, optional
        Input signals: a scalar, an array ``(n,)`` or ``(horizon, n)`` per signal.
    keep_series : int
        Replications whose daily series are kept.

    Returns
    -------
    HarnessResult
    """
    subs = [submodels] if not isinstance(submodels, Sequence) else list(submodels)
    H = config.horizon_days
    feeds = _feeds(signals or {}, n, H)
    parts: list[Any] = [_Feed(feeds), *subs] if feeds else list(subs)
    model = DailyModel("harness", parts, stand_in=_Feed.name)
    specs = config.flat_parameters()
    keys = [p.key for sm in subs for p in sm.parameters]
    missing = [k for k in keys if k not in specs]
    if missing:
        raise ModelError(f"config lacks parameter(s) {missing} needed by the submodel(s)")
    plan = Plan(
        config=config,
        model=model,
        n=n,
        seed=seed,
        block_size=n,
        keep_series=keep_series,
        specs=specs,
        correlations=tuple(config.correlations),
    )
    drawn = block_inputs(plan, 0)  # as block 0 of a run: every parameter, then correlations
    inputs = {k: drawn[k] for k in keys}
    rngs = {s: model_rng(seed, 0, s) for s in model.streams}
    block = Block(
        config=config, inputs=inputs, rngs=rngs, n=n, first_index=0, keep_series=keep_series
    )
    produced = [s.name for sm in subs for s in sm.writes]
    recorded = {name: np.zeros((H, n)) for name in produced}

    def record(t: int, values: Mapping[str, np.ndarray]) -> None:
        for name, rec in recorded.items():
            if name in values:
                rec[t] = values[name]

    out, shared = model.run_block(block, on_day_end=record)
    return HarnessResult(
        output=out,
        inputs=inputs,
        signals=recorded,
        event_day=dict(shared.event_day),
        activation=dict(shared.activation.days),
        rngs=rngs,
    )
