"""Campaign and discrete-event benchmarks (not timed tests).

    python benchmarks/bench_campaign.py            # full sizes (about a minute)
    python benchmarks/bench_campaign.py --quick    # small sizes, to check the script runs

Prints, for one run on this machine:

1. the discrete-event model (simpy): replications per second of a one-day engagement of a
   heavy raid (5x the baseline's daily threat rates, about 80 threats; and 20x, about 330)
   on two M-SAM batteries plus the existing Ukrainian air defence, its simpy events per
   second, and the raw simpy event rate (a bare process of timeouts) measured in the same
   run; target: the model's events per second within 2x of the raw rate. Per-replication
   set-up (drawing the raid, building lists) weighs more on the smaller raid;
2. the full campaign (``configs/baseline.yaml``, fast air-defence kernel, 180 days) at
   100,000 replications, serial; target >= 10,000 replications per second.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import numpy as np
import simpy

import scenario
from scenario.config.distributions import mean
from scenario.models.kernels.engagement import FireUnit, UnitState, run_des

ROOT = Path(__file__).resolve().parents[1]


class CountingEnvironment(simpy.Environment):
    """A simpy environment that counts the events it processes."""

    def __init__(self) -> None:
        super().__init__()
        self.processed = 0

    def step(self) -> None:
        self.processed += 1
        super().step()


def engagement_setup(scale: float = 5.0) -> tuple[dict[str, float], np.ndarray]:
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    p = {
        k.split(".", 1)[1]: mean(v)
        for k, v in cfg.flat_parameters().items()
        if k.startswith("air_defence.")
    }
    lam = scale * np.array(
        [p["ballistic_per_day"], p["cruise_per_day"], p["aircraft_per_day"], p["drone_per_day"]]
    )
    return p, lam


def make_units(p: dict[str, float]) -> tuple[list[FireUnit], list[float]]:
    """Two M-SAM batteries and the existing Ukrainian air defence; warning times."""
    units = [
        FireUnit(
            "msam",
            2 * round(p["msam_channels_per_battery"]),
            (p["msam_pk_ballistic"], p["msam_pk_cruise"], p["msam_pk_aircraft"], 0.0),
            look_time=p["msam_reaction_s"] + p["msam_flight_s"],
            salvo=1,
            looks=2,
        ),
        FireUnit(
            "ua",
            round(p["ua_channels"]),
            (p["ua_pk_ballistic"], p["ua_pk_cruise"], p["ua_pk_aircraft"], p["ua_pk_drone"]),
            look_time=p["ua_look_time_s"],
            salvo=1,
            looks=2,
        ),
    ]
    warning = [
        p["warning_ballistic_s"],
        p["warning_cruise_s"],
        p["warning_aircraft_s"],
        p["warning_drone_s"],
    ]
    return units, warning


def one_day(
    p: dict[str, float],
    lam: np.ndarray,
    units: list[FireUnit],
    warning: list[float],
    rng: np.random.Generator,
    env: simpy.Environment | None,
) -> None:
    """One replication: a day's raid drawn afresh, fresh magazines, a new environment."""
    counts = rng.poisson(lam)
    cls = np.repeat(np.arange(4), counts)
    times = rng.uniform(0, p["raid_window_hours"] * 3600, cls.size)
    states = [
        UnitState(ready=64.0, capacity=64.0),
        UnitState(ready=p["ua_ready"], capacity=p["ua_ready"]),
    ]
    run_des(times, cls, units, states, warning=warning, p_detect=p["p_detect"], rng=rng, env=env)


def raw_simpy_rate(events: int) -> float:
    env = simpy.Environment()

    def proc() -> Generator[simpy.Event, Any, None]:
        for _ in range(events):
            yield env.timeout(1.0)

    env.process(proc())
    t0 = time.perf_counter()
    env.run()
    return events / (time.perf_counter() - t0)


def bench_des(reps: int, scale: float = 5.0) -> tuple[float, float, float, float]:
    p, lam = engagement_setup(scale)
    units, warning = make_units(p)
    counter = 0
    rng = np.random.default_rng(1)
    for _ in range(reps):
        env = CountingEnvironment()
        one_day(p, lam, units, warning, rng, env)
        counter += env.processed
    rng = np.random.default_rng(1)  # same days, timed without counting
    t0 = time.perf_counter()
    for _ in range(reps):
        one_day(p, lam, units, warning, rng, None)
    elapsed = time.perf_counter() - t0
    model_rate = counter / elapsed
    raw = max(raw_simpy_rate(counter) for _ in range(3))
    return reps / elapsed, counter / reps, model_rate, raw


def bench_campaign(n: int) -> float:
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    scenario.run(cfg, replications=min(n, 10_000))  # warm-up
    t0 = time.perf_counter()
    scenario.run(cfg, replications=n)
    return n / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    """Run both benchmarks and print them against their targets."""
    parser = argparse.ArgumentParser(description="campaign and discrete-event benchmarks")
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    args = parser.parse_args(argv)
    reps, n = (50, 5_000) if args.quick else (2_000, 100_000)

    des = {scale: bench_des(reps, scale) for scale in (5.0, 20.0)}
    camp = bench_campaign(n)

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    print(
        f"scenario {scenario.__version__}, simpy {simpy.__version__}, numpy {np.__version__}, "
        f"Python {sys.version.split()[0]}"
    )
    for scale, (des_reps, events, model_rate, raw) in des.items():
        ratio = raw / model_rate
        print(
            f"DES one-day M-SAM engagement, raid x{scale:g} baseline rates, {reps:,} "
            f"replications: {des_reps:,.0f} replications/s, {events:,.0f} simpy events per "
            f"replication, {model_rate:,.0f} events/s; raw simpy {raw:,.0f} events/s; "
            f"raw/model {ratio:.2f}x (target <= 2x: {verdict(ratio <= 2)})"
        )
    print(
        f"campaign (fast kernel), {n:,} replications x 180 days, serial: {camp:,.0f} "
        f"replications/s (target >= 10,000: {verdict(camp >= 10_000)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
