"""Core benchmarks (not timed tests): baseline throughput, engine overhead, peak memory.

    python benchmarks/bench_core.py            # full sizes (about a minute on 2 cores)
    python benchmarks/bench_core.py --quick    # small sizes, to check the script runs

Prints, for one run on this machine:

1. replications per second of the Kursk ground model on the baseline's assumptions
   (``configs/baseline.yaml`` restricted to ``model: ground`` and its parameters, 180 days)
   at 100,000 replications, serial (one core); target >= 20,000/s. (The full campaign,
   which the baseline now runs, is measured by ``bench_campaign.py``.)
2. the engine's overhead on a trivial user model (three sampled parameters, one outcome)
   against the same computation in plain numpy at 1,000,000 replications; target <= 1.5x;
3. peak resident memory of ``scenario run configs/baseline.yaml -n 100000``; target < 1 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import scenario
from scenario import Block, BlockOutput, OutcomeInfo, ParameterInfo
from scenario.config.loader import config_from_dict

ROOT = Path(__file__).resolve().parents[1]
PROV = {"source": "benchmark", "as_of": dt.date(2024, 11, 1), "confidence": "high"}


class Trivial:
    """y = a * b + c: the smallest meaningful model."""

    name = "trivial"
    parameters = tuple(
        ParameterInfo(group="t", name=k, unit="-", meaning=k) for k in ("a", "b", "c")
    )
    levers: tuple[str, ...] = ()
    outcomes = (OutcomeInfo(name="y", unit="-", description="a*b+c"),)
    series = ()
    streams = ("t",)

    def simulate(self, block: Block) -> BlockOutput:
        i = block.inputs
        return BlockOutput(outcomes={"y": i["t.a"] * i["t.b"] + i["t.c"]})


def _best(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return min(times)


def ground_baseline() -> scenario.ScenarioConfig:
    """The baseline's ground-model part: ``model: ground`` and its parameters only."""
    data = scenario.load_config(ROOT / "configs" / "baseline.yaml").model_dump(mode="json")
    data["model"] = "ground"
    data["parameters"] = {"ground": data["parameters"]["ground"]}
    return config_from_dict(data)


def bench_baseline(n: int) -> float:
    cfg = ground_baseline()
    scenario.run(cfg, replications=min(n, 2000))  # warm-up
    t = _best(lambda: scenario.run(cfg, replications=n), 1)
    return n / t


def bench_overhead(n: int) -> tuple[float, float]:
    cfg = config_from_dict(
        {
            "name": "trivial",
            "model": "trivial",
            "horizon_days": 1,
            "run": {"replications": n, "block_size": 100_000, "series_replications": 0},
            "parameters": {
                "t": {
                    "a": {"dist": "uniform", "low": 0, "high": 1, **PROV},
                    "b": {"dist": "normal", "mean": 2, "sd": 1, **PROV},
                    "c": {"dist": "triangular", "low": 0, "mode": 1, "high": 3, **PROV},
                }
            },
        }
    )
    model = Trivial()

    def engine() -> None:
        scenario.run(cfg, model=model)

    def plain() -> None:
        rng = np.random.default_rng(1)
        a = rng.uniform(0, 1, n)
        b = rng.normal(2, 1, n)
        c = rng.triangular(0, 1, 3, n)
        y = a * b + c
        y.sum()

    engine()
    plain()
    return _best(engine, 5), _best(plain, 5)


def bench_memory(n: int) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(
        [
            sys.executable,
            "-m",
            "scenario",
            "run",
            str(ROOT / "configs" / "baseline.yaml"),
            "-n",
            str(n),
            "-q",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(before, after) / 1024  # KiB -> MiB


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print results against targets."""
    parser = argparse.ArgumentParser(description="scenario core benchmarks")
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    args = parser.parse_args(argv)
    n_base, n_triv, n_mem = (5_000, 50_000, 5_000) if args.quick else (100_000, 1_000_000, 100_000)

    rate = bench_baseline(n_base)
    t_engine, t_plain = bench_overhead(n_triv)
    peak = bench_memory(n_mem)
    ratio = t_engine / t_plain

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    print(
        f"scenario {scenario.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}"
    )
    print(
        f"ground model on the baseline, {n_base:,} replications x 180 days, serial: "
        f"{rate:,.0f} replications/s "
        f"(target >= 20,000: {verdict(rate >= 20_000)})"
    )
    print(
        f"trivial model, {n_triv:,} replications: engine {t_engine * 1e3:.1f} ms, plain numpy "
        f"{t_plain * 1e3:.1f} ms, overhead {ratio:.2f}x (target <= 1.5x: {verdict(ratio <= 1.5)})"
    )
    print(
        f"peak memory of `scenario run configs/baseline.yaml -n {n_mem:,}`: {peak:,.0f} MiB "
        f"(target < 1 GB: {verdict(peak < 1000)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
