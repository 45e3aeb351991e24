"""Adding a lever: South Korean shells to the United States that free US stock for Ukraine.

In 2022-23 South Korea sold about 100,000 155 mm shells to the United States and lent
330,000-500,000 more (WSJ; Yonhap; Dong-A Ilbo), which let the US send its own shells to
Ukraine: an indirect route that sends no South Korean weapon to Ukraine. The lever
``shell_swap`` (deploy, start_day, trigger, like every lever, plus ``shells_per_month``)
is one class registered from this script; a small submodel reads it and the backfill
uncertainties: US shells reach Ukraine ``backfill_days`` after South Korean deliveries
start, a share ``pass_through`` of the swapped volume, of which ``kursk_share`` goes to the
Kursk sector.

Nothing in the package is edited. Run from the repository root::

    python examples/add_lever.py            # 4,000 replications
    python examples/add_lever.py -n 500
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import Field

import scenario
from scenario import BlockOutput, Lever, OutcomeInfo, ParameterInfo, SeriesInfo
from scenario.models.daily import Read, Signal, SubmodelContext

HERE = Path(__file__).resolve().parent


class ShellSwap(Lever):
    """Lever: South Korean 155 mm shells to the US, freeing US shells for Ukraine.
    ``start_day``: South Korean deliveries start."""

    shells_per_month: float = Field(
        default=0.0, ge=0, le=1_000_000, description="Shells delivered to the US per month."
    )


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="swap", name=name, unit=unit, meaning=meaning)


@dataclass
class SwapState:
    """Arrays (n,) of one block."""

    backfill: np.ndarray
    daily: np.ndarray  # US shells/day to Ukraine once the backfill runs
    kursk: np.ndarray
    to_ukraine: np.ndarray
    to_kursk: np.ndarray


class ShellSwapSubmodel:
    """Shells reaching Ukraine through the swap (equations: module docstring)."""

    name = "shell_swap"
    parameters = (
        _p("backfill_days", "days", "Days from ROK deliveries to US shells reaching Ukraine"),
        _p("pass_through", "fraction", "US shells sent to Ukraine per ROK shell delivered"),
        _p("kursk_share", "fraction", "Share of them sent to the Kursk sector"),
    )
    levers = ("shell_swap",)  # a registered lever is declared by name (or by its class)
    reads: tuple[Read, ...] = ()
    writes: tuple[Signal, ...] = ()
    events = ()
    outcomes = (
        OutcomeInfo(
            name="swap_shells_to_ukraine",
            unit="shells",
            description="US shells freed for Ukraine by the swap over the horizon",
            direction="maximize",
        ),
        OutcomeInfo(
            name="swap_shells_to_kursk",
            unit="shells",
            description="Of which to the Kursk sector",
            direction="maximize",
        ),
    )
    series: tuple[SeriesInfo, ...] = ()

    def start(self, ctx: SubmodelContext) -> SwapState:
        """Rates from the lever and the parameters."""
        lever = ctx.lever(ShellSwap)
        rate = lever.shells_per_month / 30.0 if lever.deploy else 0.0
        return SwapState(
            backfill=ctx.p("swap.backfill_days"),
            daily=rate * ctx.p("swap.pass_through"),
            kursk=ctx.p("swap.kursk_share"),
            to_ukraine=np.zeros(ctx.n),
            to_kursk=np.zeros(ctx.n),
        )

    def step(self, ctx: SubmodelContext, s: SwapState, t: int) -> None:
        """US shells arriving today."""
        flowing = ctx.days_active(ShellSwap, t) >= s.backfill
        today = np.where(flowing, s.daily, 0.0)
        s.to_ukraine += today
        s.to_kursk += today * s.kursk

    def finish(self, ctx: SubmodelContext, s: SwapState) -> BlockOutput:
        """Outcomes of the block."""
        return BlockOutput(
            outcomes={"swap_shells_to_ukraine": s.to_ukraine, "swap_shells_to_kursk": s.to_kursk}
        )


def main(argv: list[str] | None = None) -> int:
    """Register the lever and the submodel, then run the scenario that uses them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--replications", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    scenario.register_lever("shell_swap", ShellSwap, replace=True)
    scenario.register_submodel(ShellSwapSubmodel(), replace=True)
    cfg = scenario.load_config(HERE / "add_lever.yaml")
    res = scenario.run(cfg, replications=args.replications, seed=args.seed)
    print(f"{args.replications:,} replications, seed {args.seed}")
    print(f"lever policy.added.shell_swap: {cfg.policy.added['shell_swap']!r}")
    for row in scenario.summarize(res, ["swap_shells_to_ukraine", "swap_shells_to_kursk"]):
        print(
            f"  {row.name:24s} mean {row.mean:12,.0f} [{row.mean_lo:,.0f}, {row.mean_hi:,.0f}]"
            f"  p5 {row.p5:12,.0f}  p95 {row.p95:12,.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
