"""Core benchmarks (not timed tests): engine overhead, ground model, peak memory.

    python benchmarks/bench_core.py            # full sizes (about a minute on 2 cores)
    python benchmarks/bench_core.py --quick    # small sizes, to check the script runs

Every target is a ratio measured in the same run (absolute rates are printed for
information; they do not transfer between machines). Prints, for one run on this machine:

1. the engine's overhead on a trivial user model (three sampled parameters, one outcome)
   against the same computation in plain numpy at 1,000,000 replications, at the default
   block size (10,000) and at 1,000 and 100,000; target <= 1.25x at the default;
2. the Kursk ground model on the baseline's assumptions (``configs/baseline.yaml``
   restricted to ``model: ground`` and its parameters, 180 days, one block of 10,000
   replications) against its own random draws replayed alone (:mod:`variate_floor`), for
   information (the campaign's floor target is in ``bench_campaign.py``);
3. peak resident memory of ``scenario run configs/baseline.yaml -n 100000``; target < 1 GB
   (memory, not speed: it transfers between machines).

Measured and reference runs are interleaved, each the best of ``--repeat``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]  # this checkout's scenario, then helpers

from variate_floor import record, replay  # noqa: E402

import scenario  # noqa: E402
from scenario import Block, BlockOutput, OutcomeInfo, ParameterInfo  # noqa: E402
from scenario.config.loader import config_from_dict  # noqa: E402

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


def _seconds(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def interleaved(
    measured: Callable[[], object], reference: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Best seconds of ``measured`` and of ``reference``, timed alternately."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        a.append(_seconds(measured))
        b.append(_seconds(reference))
    return min(a), min(b)


def ground_baseline(n: int) -> scenario.ScenarioConfig:
    """The baseline's ground-model part: ``model: ground`` and its parameters only, one
    block of ``n`` replications."""
    data = scenario.load_config(ROOT / "configs" / "baseline.yaml").model_dump(mode="json")
    data["model"] = "ground"
    data["parameters"] = {"ground": data["parameters"]["ground"]}
    data["run"]["block_size"] = n
    return config_from_dict(data)


def bench_ground(n: int, repeat: int) -> tuple[float, float]:
    """Seconds of the ground model and of its variate floor, one block of ``n``."""
    cfg = ground_baseline(n)
    log, roots = record(cfg, n)
    scenario.run(cfg, replications=n)  # warm-up
    return interleaved(
        lambda: scenario.run(cfg, replications=n), lambda: replay(log, roots), repeat
    )


def trivial_config(n: int, block_size: int | None) -> scenario.ScenarioConfig:
    """The trivial model's scenario; ``block_size`` None keeps the default."""
    run: dict[str, int] = {"replications": n, "series_replications": 0}
    if block_size is not None:
        run["block_size"] = block_size
    return config_from_dict(
        {
            "name": "trivial",
            "model": "trivial",
            "horizon_days": 1,
            "run": run,
            "parameters": {
                "t": {
                    "a": {"dist": "uniform", "low": 0, "high": 1, **PROV},
                    "b": {"dist": "normal", "mean": 2, "sd": 1, **PROV},
                    "c": {"dist": "triangular", "low": 0, "mode": 1, "high": 3, **PROV},
                }
            },
        }
    )


def bench_overhead(n: int, block_size: int | None, repeat: int) -> tuple[float, float]:
    """Best seconds of the engine and of plain numpy on the trivial model."""
    cfg = trivial_config(n, block_size)
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
    return interleaved(engine, plain, repeat)


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
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(before, after) / 1024  # KiB -> MiB


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print their ratios against the targets."""
    parser = argparse.ArgumentParser(description="scenario core benchmarks")
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--repeat", type=int, default=None, help="timings per measure")
    args = parser.parse_args(argv)
    n_ground, n_triv, n_mem, repeat = (
        (2_000, 50_000, 5_000, 2) if args.quick else (10_000, 1_000_000, 100_000, 5)
    )
    repeat = args.repeat or repeat

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    print(
        f"scenario {scenario.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}"
    )
    default = trivial_config(n_triv, None).run.block_size
    for bs in (None, 1_000, 100_000):
        t_engine, t_plain = bench_overhead(n_triv, bs, repeat)
        ratio = t_engine / t_plain
        size = default if bs is None else bs
        target = (
            f"target <= 1.25x at the default: {verdict(ratio <= 1.25)}"
            if bs is None
            else "for information"
        )
        print(
            f"trivial model, {n_triv:,} replications, block size {size:,}"
            f"{' (default)' if bs is None else ''}: engine {t_engine * 1e3:.1f} ms, plain numpy "
            f"{t_plain * 1e3:.1f} ms, ratio {ratio:.2f}x ({target})"
        )
    t_ground, t_floor = bench_ground(n_ground, repeat)
    print(
        f"ground model on the baseline, {n_ground:,} replications x 180 days (one block): "
        f"{t_ground / t_floor:.2f}x its variate floor (for information; "
        f"{n_ground / t_ground:,.0f} replications/s)"
    )
    peak = bench_memory(n_mem)
    print(
        f"peak memory of `scenario run configs/baseline.yaml -n {n_mem:,}`: {peak:,.0f} MiB "
        f"(target < 1 GB: {verdict(peak < 1000)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
