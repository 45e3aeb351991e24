"""A user-defined model, registered and run through the engine.

The model tracks a 155 mm shell balance: each day Ukraine needs ``need/30`` shells (with
day-to-day variability) and receives ``supply_ratio * need/30`` plus South Korean shells
(lever ``policy.custom.rok_shells_per_month``). Outcome: the share of days with unmet need.
It shows the model protocol: declared parameters, levers, outcomes, series and streams, and
a ``simulate`` vectorized over the block.

    python examples/custom_model.py             # 20,000 replications
    python examples/custom_model.py -n 2000
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import scenario
from scenario import Block, BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo

HERE = Path(__file__).resolve().parent


class ShellStockModel:
    """Daily shell balance: shortfall_t = max(0, demand_t - supply_t)."""

    name = "shell_stock"
    parameters = (
        ParameterInfo(
            group="shells",
            name="need_per_month",
            unit="shells/month",
            meaning="Ukraine's 155 mm need",
        ),
        ParameterInfo(
            group="shells",
            name="supply_ratio",
            unit="fraction",
            meaning="supply relative to need without South Korea",
        ),
        ParameterInfo(
            group="shells",
            name="daily_sd",
            unit="cv",
            meaning="day-to-day variability of consumption",
        ),
    )
    levers = ("policy.custom.rok_shells_per_month",)
    outcomes = (
        OutcomeInfo(
            name="shortage_days_share",
            unit="fraction",
            description="Share of days with unmet need",
            direction="minimize",
        ),
        OutcomeInfo(
            name="shortfall_shells",
            unit="shells",
            description="Total unmet need over the horizon",
            direction="minimize",
        ),
    )
    series = (SeriesInfo(name="cum_shortfall", unit="shells", description="Cumulative shortfall"),)
    streams = ("shells",)

    def simulate(self, block: Block) -> BlockOutput:
        """Vectorized over the block: one (n, days) matrix of daily demand."""
        days = block.config.horizon_days
        rok = float(block.config.policy.custom.get("rok_shells_per_month", 0.0))
        need = block.inputs["shells.need_per_month"][:, None] / 30.0
        cv = block.inputs["shells.daily_sd"][:, None]
        demand = need * np.maximum(
            1.0 + cv * block.rngs["shells"].standard_normal((block.n, days)), 0.0
        )
        supply = block.inputs["shells.supply_ratio"][:, None] * need + rok / 30.0
        short = np.maximum(demand - supply, 0.0)
        return BlockOutput(
            outcomes={
                "shortage_days_share": (short > 0).mean(axis=1),
                "shortfall_shells": short.sum(axis=1),
            },
            series={"cum_shortfall": np.cumsum(short[: block.keep_series], axis=1)},
        )


def main(argv: list[str] | None = None) -> int:
    """Register the model, run the example config with and without South Korean shells."""
    parser = argparse.ArgumentParser(description="Run a user-defined model.")
    parser.add_argument("-n", "--replications", type=int, default=None)
    args = parser.parse_args(argv)

    scenario.register_model(ShellStockModel(), replace=True)
    for rok in (0, 30000):
        cfg = scenario.load_config(
            HERE / "shell_stock.yaml", overrides=[f"policy.custom.rok_shells_per_month={rok}"]
        )
        res = scenario.run(cfg, replications=args.replications)
        print(f"South Korean shells per month: {rok:,}")
        for s in scenario.summarize(res):
            print(
                f"  {s.name:22s} mean {s.mean:12.3f} [{s.mean_lo:.3f}, {s.mean_hi:.3f}]  "
                f"p5 {s.p5:12.3f}  p95 {s.p95:12.3f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
