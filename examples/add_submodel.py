"""Adding a submodel: a 155 mm shell stockpile that joins the campaign from outside.

The submodel tracks Ukraine's shell stock in the Kursk sector. Each day the sector needs
``d_t = d_0 (1 + k C_t / 100)`` shells (base use ``d_0``, rising with the North Korean
casualties of the day ``C_t``, a proxy for the intensity of the assaults), receives its own
allocation ``a d_0`` and, once South Korean shells arrive (lever ``policy.offensive_aid``,
after ``transit_days``), a share ``s`` of them. The stock is
``S_{t+1} = max(0, S_t + supply_t - d_t)``; a day is short when ``S_t + supply_t < d_t``.

Nothing in the package is edited: the submodel declares what it reads (the aid lever, the
ground model's ``nk_casualties_today`` on the same day), is registered, and a scenario
names it in ``submodels:`` (see ``add_submodel.yaml``). Run from the repository root::

    python examples/add_submodel.py            # 4,000 replications
    python examples/add_submodel.py -n 500
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import scenario
from scenario import BlockOutput, OutcomeInfo, ParameterInfo, SeriesInfo
from scenario.config.levers import OffensiveAid
from scenario.models.campaign.signals import NK_CASUALTIES_TODAY
from scenario.models.daily import SubmodelContext, today

HERE = Path(__file__).resolve().parent


def _p(name: str, unit: str, meaning: str) -> ParameterInfo:
    return ParameterInfo(group="shell_stock", name=name, unit=unit, meaning=meaning)


@dataclass
class StockState:
    """Arrays (n,) of one block."""

    base_use: np.ndarray  # shells/day
    allocation: np.ndarray  # shells/day from Ukraine's own supply
    intensity: np.ndarray  # extra use per 100 NK casualties today (fraction)
    rok_daily: np.ndarray  # South Korean shells/day reaching the sector once they arrive
    transit: np.ndarray  # days from the start of deliveries to the front
    stock: np.ndarray
    short_days: np.ndarray
    fired: np.ndarray
    needed: np.ndarray
    m: int  # replications whose daily series are kept
    series: dict[str, np.ndarray]


class ShellStockSubmodel:
    """Ukraine's 155 mm stock in the Kursk sector (equations: module docstring)."""

    name = "shell_stock"
    parameters = (
        _p("need_per_month", "shells/month", "Ukraine's front-wide 155 mm need"),
        _p("kursk_share_of_need", "fraction", "Kursk sector's share of that need"),
        _p("allocation_ratio", "fraction", "Own supply to the sector relative to its need"),
        _p("intensity_per_100_nk", "fraction", "Extra use per 100 NK casualties a day"),
        _p("initial_days", "days", "Stock on day 0 in days of base use"),
        _p("rok_kursk_share", "fraction", "Share of South Korean shells sent to Kursk"),
        _p("transit_days", "days", "Days from shipment start to shells at the front"),
    )
    levers = (OffensiveAid,)
    reads = (today(NK_CASUALTIES_TODAY),)
    writes = ()
    events = ()
    outcomes = (
        OutcomeInfo(
            name="shell_short_days",
            unit="days",
            description="Days the Kursk sector could not fire what it needed",
            direction="minimize",
        ),
        OutcomeInfo(
            name="shell_fired_share",
            unit="fraction",
            description="Shells fired / shells needed over the horizon",
            direction="maximize",
        ),
        OutcomeInfo(name="shell_stock_end", unit="shells", description="Stock on the last day"),
    )
    series = (SeriesInfo(name="shell_stock", unit="shells", description="Sector stock"),)

    def start(self, ctx: SubmodelContext) -> StockState:
        """Stock and rates from the parameters and the aid lever."""
        g = "shell_stock."
        base = ctx.p(g + "need_per_month") / 30.0 * ctx.p(g + "kursk_share_of_need")
        aid = ctx.lever(OffensiveAid)
        rok = aid.shells_per_month / 30.0 * ctx.p(g + "rok_kursk_share") if aid.deploy else 0.0
        m, series = ctx.series_buffers(self.series)
        return StockState(
            base_use=base,
            allocation=ctx.p(g + "allocation_ratio") * base,
            intensity=ctx.p(g + "intensity_per_100_nk"),
            rok_daily=np.broadcast_to(rok, (ctx.n,)),
            transit=ctx.p(g + "transit_days"),
            stock=ctx.p(g + "initial_days") * base,
            short_days=np.zeros(ctx.n),
            fired=np.zeros(ctx.n),
            needed=np.zeros(ctx.n),
            m=m,
            series=series,
        )

    def step(self, ctx: SubmodelContext, s: StockState, t: int) -> None:
        """Today's need, supply, fire and stock."""
        need = s.base_use * (1.0 + s.intensity * ctx.read(NK_CASUALTIES_TODAY) / 100.0)
        arrived = ctx.days_active(OffensiveAid, t) >= s.transit
        available = s.stock + s.allocation + np.where(arrived, s.rok_daily, 0.0)
        fired = np.minimum(available, need)
        s.short_days += available < need
        s.fired += fired
        s.needed += need
        s.stock = available - fired
        if s.m:
            s.series["shell_stock"][:, t] = s.stock[: s.m]

    def finish(self, ctx: SubmodelContext, s: StockState) -> BlockOutput:
        """Outcomes of the block."""
        return BlockOutput(
            outcomes={
                "shell_short_days": s.short_days,
                "shell_fired_share": s.fired / np.maximum(s.needed, 1.0),
                "shell_stock_end": s.stock,
            },
            series=s.series,
        )


def main(argv: list[str] | None = None) -> int:
    """Register the submodel, run the scenario with and without South Korean shells."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--replications", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    scenario.register_submodel(ShellStockSubmodel(), replace=True)
    path = HERE / "add_submodel.yaml"
    runs = {
        "no aid": scenario.load_config(path),
        "60k shells/month": scenario.load_config(
            path,
            overrides=[
                "policy.offensive_aid.deploy=true",
                "policy.offensive_aid.shells_per_month=60000",
            ],
        ),
    }
    res = {
        k: scenario.run(c, replications=args.replications, seed=args.seed) for k, c in runs.items()
    }
    print(f"{args.replications:,} replications, seed {args.seed}; mean [95% CI]")
    for outcome in ("shell_short_days", "shell_fired_share"):
        for name, r in res.items():
            row = scenario.summarize(r, [outcome])[0]
            ci = f"[{row.mean_lo:.3f}, {row.mean_hi:.3f}]"
            print(f"  {outcome:18s} {name:17s} {row.mean:10.3f} {ci}")
        d = res["60k shells/month"].outcomes[outcome] - res["no aid"].outcomes[outcome]
        half = 1.96 * d.std(ddof=1) / math.sqrt(d.size)
        ci = f"[{d.mean() - half:+.3f}, {d.mean() + half:+.3f}]"
        print(f"  {outcome:18s} {'paired change':17s} {d.mean():+10.3f} {ci}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
