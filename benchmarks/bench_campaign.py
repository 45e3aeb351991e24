"""Campaign and discrete-event benchmarks, every target a ratio measured in the same run.

    python benchmarks/bench_campaign.py            # full sizes (a few minutes on 2 cores)
    python benchmarks/bench_campaign.py --quick    # small sizes, to check the script runs

Prints, for one run on this machine (absolute rates are for information only; they do not
transfer between machines, the ratios do):

1. **variate floor**: the full campaign (``configs/baseline.yaml``, fast air-defence
   kernel, one block of 10,000 replications x 180 days, serial, through ``scenario.run``)
   against the time to make its own random draws alone: every generator call the run
   makes, recorded (method, argument arrays, order) and replayed on fresh generators of
   the same streams (:mod:`variate_floor`; the replay is checked to reproduce every draw
   bit for bit). Target: campaign <= 1.3x its floor;
2. **discrete-event engine inside the campaign**: the air-defence submodel with
   ``air_defence: {engine: des}`` on ``configs/options/full_package.yaml`` (M-SAM and the
   Ukrainian air defence), its time per simpy event (all its per-replication-day set-up
   included) against a bare simpy loop in the same callback style (a chain of arrival
   timeouts whose callbacks schedule the next arrival and one look timeout, with data
   carried as event attributes), processing as many events. Target: <= 2x.

The measured and the reference runs are interleaved and each is the best of ``--repeat``
runs (the machine may be shared: see the spread printed with each ratio).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]  # this checkout's scenario, then helpers

from variate_floor import record, replay  # noqa: E402

import scenario  # noqa: E402
from scenario.config.loader import config_from_dict  # noqa: E402
from scenario.models.campaign import air_defence  # noqa: E402


def verdict(ok: bool) -> str:
    """``met`` or ``MISSED``."""
    return "met" if ok else "MISSED"


def interleaved(
    measured: Callable[[], float], reference: Callable[[], float], repeat: int
) -> tuple[list[float], list[float]]:
    """Alternate the two timings ``repeat`` times; return both lists of seconds."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        a.append(measured())
        b.append(reference())
    return a, b


def timed(fn: Callable[[], object]) -> Callable[[], float]:
    """A callable returning the seconds ``fn()`` took."""

    def run() -> float:
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    return run


def spread(xs: list[float]) -> str:
    """Best and worst of a list of seconds, as text."""
    return f"best {min(xs) * 1e3:,.0f} ms, worst {max(xs) * 1e3:,.0f} ms"


def bench_floor(n: int, repeat: int) -> None:
    """Campaign against its own random draws replayed alone (module docstring, 1)."""
    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    data = cfg.model_dump(mode="json")
    data["run"]["block_size"] = n  # one block, as recorded
    cfg = config_from_dict(data)
    log, roots = record(cfg, n)
    variates = sum(c.size for c in log)
    scenario.run(cfg, replications=n)  # warm-up
    camp, floor = interleaved(
        timed(lambda: scenario.run(cfg, replications=n)), lambda: replay(log, roots), repeat
    )
    ratio = min(camp) / min(floor)
    days = cfg.horizon_days
    print(
        f"campaign vs its variate floor, {n:,} replications x {days} days (one block): "
        f"{len(log):,} generator calls, {variates / (n * days):.1f} variates per "
        f"replication-day; campaign {spread(camp)}; floor {spread(floor)}; "
        f"ratio {ratio:.2f}x (target <= 1.3x: {verdict(ratio <= 1.3)})"
    )
    print(f"  for information: campaign {n / min(camp):,.0f} replications/s")


class _Counter:
    """Counts the events simpy environments process while installed."""

    def __init__(self) -> None:
        self.events = 0
        self._step: Any = None

    def __enter__(self) -> _Counter:
        self._step = simpy.Environment.step
        step = self._step

        def counting(env: simpy.Environment) -> None:
            self.events += 1
            step(env)

        simpy.Environment.step = counting  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        simpy.Environment.step = self._step  # type: ignore[method-assign]


def _des_config() -> scenario.ScenarioConfig:
    cfg = scenario.load_config(ROOT / "configs" / "options" / "full_package.yaml")
    data = cfg.model_dump(mode="json")
    data["air_defence"] = {"engine": "des"}
    data["run"]["series_replications"] = 0
    return config_from_dict(data)


def _ad_seconds(cfg: scenario.ScenarioConfig, n: int) -> float:
    """Seconds the air-defence submodel's daily steps take in one run."""
    cls = air_defence.AirDefenceSubmodel
    orig = cls.step
    spent = [0.0]

    def step(self: Any, ctx: Any, st: Any, t: int) -> None:
        t0 = time.perf_counter()
        orig(self, ctx, st, t)
        spent[0] += time.perf_counter() - t0

    cls.step = step  # type: ignore[method-assign]
    try:
        scenario.run(cfg, replications=n)
    finally:
        cls.step = orig  # type: ignore[method-assign]
    return spent[0]


def bare_callback_loop(arrivals: int) -> int:
    """A bare simpy loop in the model's callback style; returns the events processed.

    Each arrival is a timeout whose callback schedules the next arrival and one look (a
    timeout carrying its data as attributes, whose callback counts it), as the model's
    loss engine does (:mod:`scenario.models.kernels.engagement`).
    """
    env = simpy.Environment()
    done = [0]

    def look_done(ev: Any) -> None:
        done[0] += ev.eng[0]

    def arrive(ev: Any) -> None:
        i = ev.i
        if i + 1 < arrivals:
            nxt = env.timeout(10.0)
            nxt.i = i + 1  # type: ignore[attr-defined]
            nxt.t = ev.t + 10.0  # type: ignore[attr-defined]
            nxt.callbacks.append(arrive)
        look = env.timeout(15.0)
        look.t = ev.t + 15.0  # type: ignore[attr-defined]
        look.eng = (1, 0, 0, 0.0, 0, False)  # type: ignore[attr-defined]
        look.callbacks.append(look_done)

    first = env.timeout(0.0)
    first.i = 0  # type: ignore[attr-defined]
    first.t = 0.0  # type: ignore[attr-defined]
    first.callbacks.append(arrive)
    env.run()
    return 2 * arrivals


def bench_des(n: int, repeat: int) -> None:
    """Per-event cost of the DES inside the campaign vs a bare loop (module docstring, 2)."""
    cfg = _des_config()
    with _Counter() as counter:
        scenario.run(cfg, replications=n)
    events = counter.events
    rep_days = n * cfg.horizon_days
    arrivals = max(events // 2, 1)
    model, bare = interleaved(
        lambda: _ad_seconds(cfg, n), timed(lambda: bare_callback_loop(arrivals)), repeat
    )
    per_model = min(model) / events
    per_bare = min(bare) / (2 * arrivals)
    ratio = per_model / per_bare
    print(
        f"discrete-event air defence inside the campaign (full package, {n:,} replications x "
        f"{cfg.horizon_days} days): {events:,} simpy events, {events / rep_days:.1f} per "
        f"replication-day; {per_model * 1e6:.2f} us per event (set-up included) against "
        f"{per_bare * 1e6:.2f} us in a bare callback-style loop; ratio {ratio:.2f}x "
        f"(target <= 2x: {verdict(ratio <= 2)})"
    )
    print(
        f"  for information: air-defence steps {spread(model)}, bare loop {spread(bare)}; "
        f"{rep_days / min(model):,.0f} replication-days/s"
    )


def main(argv: list[str] | None = None) -> int:
    """Run both benchmarks and print their ratios against the targets."""
    parser = argparse.ArgumentParser(description="campaign and discrete-event benchmarks")
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--repeat", type=int, default=None, help="timings per measure")
    args = parser.parse_args(argv)
    n_floor, n_des, repeat = (2_000, 10, 2) if args.quick else (10_000, 200, 5)
    repeat = args.repeat or repeat
    print(
        f"scenario {scenario.__version__}, simpy {simpy.__version__}, numpy {np.__version__}, "
        f"Python {sys.version.split()[0]}"
    )
    bench_floor(n_floor, repeat)
    bench_des(n_des, repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
