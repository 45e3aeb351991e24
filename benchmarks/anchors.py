"""Anchors (issue 12, part 7): one toy model through scenario, plain numpy, EMA Workbench and
monaco, in one run, with ratios.

The model has three uncertain inputs and two outputs, the same in every framework::

    a ~ Uniform(0, 1), b ~ Normal(2, 1), c ~ Triangular(0, 1, 3)
    y1 = a * b + c            E[y1] = 7/3
    y2 = max(a - c, 0)        E[y2] = 1/36

It runs through ``scenario`` (a user model through the public API, at the default block size
and at 100,000 replications per block), plain numpy (the floor: the same draws and arithmetic,
no framework), EMA Workbench's ``SequentialEvaluator`` (Monte Carlo sampling) and monaco
single-threaded (random sampling). EMA Workbench and monaco are used only when installed;
otherwise the script says "not installed" and still compares scenario with numpy.

    python benchmarks/anchors.py            # scenario and numpy at 1,000,000 (about 30 s)
    python benchmarks/anchors.py --quick    # small sizes, to check the script runs

The anchors call Python once per replication, so they run at two sizes that take seconds, not
at a million: their cost per replication is extrapolated linearly to 1,000,000 (the printed
rates at both sizes show it is linear), and the ratios use the faster of the two rates (the
anchor's benefit of the doubt). scenario and numpy take the best of five runs, interleaved
with the anchor runs (the machine may be shared); the spread of the runs is printed.

Peak memory is the rise of the peak resident set (Linux ``VmHWM``, reset through
``/proc/self/clear_refs``) over the resident set after the imports and a warm-up, in a fresh
subprocess per framework (elsewhere ``ru_maxrss``, which also counts the imports' peak). It
counts everything a run allocates and keeps or frees (numpy buffers and Python objects alike);
tracemalloc would slow the anchors' per-replication Python several-fold.

Every framework's means of y1 and y2 are compared with the exact expectations (z-scores), so
they are shown to compute the same model.

EMA Workbench 3 needs Python >= 3.12, so the anchors live in their own environment
(``benchmarks/requirements-anchors.txt``)::

    ~/.pyenv/versions/3.12.1/bin/python3.12 -m venv /tmp/anchors-venv
    /tmp/anchors-venv/bin/pip install -r benchmarks/requirements-anchors.txt
    /tmp/anchors-venv/bin/pip install -e .
    /tmp/anchors-venv/bin/python benchmarks/anchors.py
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import importlib
import importlib.metadata
import importlib.util
import json
import logging
import math
import resource
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

import scenario
from scenario import Block, BlockOutput, OutcomeInfo, ParameterInfo
from scenario.config.loader import config_from_dict
from scenario.config.schema import RunSettings

SEED = 12
LARGE = 1_000_000
TARGET = 1_000.0
BIG_BLOCK = 100_000  # also run at this block size unless --block-size is given
SCENARIO_BIG = f"scenario b={BIG_BLOCK // 1000}k"
EXPECTED = {"y1": 7 / 3, "y2": 1 / 36}
PROV = {"source": "benchmark", "as_of": dt.date(2024, 11, 1), "confidence": "high"}

Outputs = dict[str, np.ndarray]
Runner = Callable[[], Outputs]


def toy(a: float, b: float, c: float) -> tuple[float, float]:
    """The toy model for one replication (the anchors call it once per replication)."""
    return a * b + c, max(a - c, 0.0)


class Toy:
    """The toy model as a scenario user model, vectorized over a block."""

    name = "anchors_toy"
    parameters = tuple(
        ParameterInfo(group="t", name=k, unit="-", meaning=k) for k in ("a", "b", "c")
    )
    levers: tuple[str, ...] = ()
    outcomes = (
        OutcomeInfo(name="y1", unit="-", description="a*b+c"),
        OutcomeInfo(name="y2", unit="-", description="max(a-c, 0)"),
    )
    series = ()
    streams = ("t",)

    def simulate(self, block: Block) -> BlockOutput:
        """Both outputs for every replication of the block."""
        a, b, c = (block.inputs[f"t.{k}"] for k in ("a", "b", "c"))
        return BlockOutput(outcomes={"y1": a * b + c, "y2": np.maximum(a - c, 0.0)})


def prepare_scenario(n: int, block_size: int | None) -> Runner:
    """``scenario.run`` of the toy model (config and model built outside the timing)."""
    run: dict[str, Any] = {"replications": n, "seed": SEED, "series_replications": 0}
    if block_size is not None:
        run["block_size"] = block_size
    cfg = config_from_dict(
        {
            "name": "anchors",
            "model": Toy.name,
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
    model = Toy()
    return lambda: dict(scenario.run(cfg, model=model).outcomes)


def prepare_scenario_big(n: int, block_size: int | None) -> Runner:
    """``scenario.run`` at :data:`BIG_BLOCK` replications per block (fewer, larger blocks)."""
    return prepare_scenario(n, BIG_BLOCK)


def prepare_numpy(n: int, block_size: int | None) -> Runner:
    """The floor: the same draws and arithmetic in plain numpy, one array each."""

    def go() -> Outputs:
        rng = np.random.default_rng(SEED)
        a = rng.uniform(0, 1, n)
        b = rng.normal(2, 1, n)
        c = rng.triangular(0, 1, 3, n)
        return {"y1": a * b + c, "y2": np.maximum(a - c, 0.0)}

    return go


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence the anchors' logging and warnings (progress messages, optional extras)."""
    logging.disable(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.disable(logging.NOTSET)


def prepare_ema(n: int, block_size: int | None) -> Runner:
    """EMA Workbench: ``perform_experiments`` with a ``SequentialEvaluator``, MC sampling."""
    with quiet():
        ema = importlib.import_module("ema_workbench")
        st = importlib.import_module("scipy.stats")

    def function(a: float, b: float, c: float) -> dict[str, float]:
        y1, y2 = toy(a, b, c)
        return {"y1": y1, "y2": y2}

    model = ema.Model("anchors", function=function)
    model.uncertainties = [
        ema.RealParameter.from_dist("a", st.uniform(0, 1)),
        ema.RealParameter.from_dist("b", st.norm(2, 1)),
        ema.RealParameter.from_dist("c", st.triang(1 / 3, 0, 3)),
    ]
    model.outcomes = [ema.ScalarOutcome("y1"), ema.ScalarOutcome("y2")]

    def go() -> Outputs:
        with quiet(), ema.SequentialEvaluator(model) as evaluator:
            _, out = ema.perform_experiments(
                model,
                scenarios=n,
                evaluator=evaluator,
                uncertainty_sampling=ema.Samplers.MC,
                uncertainty_sampling_kwargs={"rng": SEED},
                log_progress=True,  # progress through its (silenced) logger, not tqdm
            )
        return {k: np.asarray(out[k], dtype=float) for k in ("y1", "y2")}

    return go


def prepare_monaco(n: int, block_size: int | None) -> Runner:
    """monaco: ``Sim(..., singlethreaded=True)``, random sampling, nothing saved."""
    with quiet():
        mc = importlib.import_module("monaco")
        st = importlib.import_module("scipy.stats")

    def pre(case: Any) -> tuple[float, float, float]:
        return case.invals["a"].val, case.invals["b"].val, case.invals["c"].val

    def post(case: Any, y1: float, y2: float) -> None:
        case.addOutVal("y1", y1)
        case.addOutVal("y2", y2)

    fcns = {
        mc.SimFunctions.PREPROCESS: pre,
        mc.SimFunctions.RUN: toy,
        mc.SimFunctions.POSTPROCESS: post,
    }

    def go() -> Outputs:
        with quiet():
            sim = mc.Sim(
                name="anchors",
                ndraws=n,
                fcns=fcns,
                samplemethod=mc.SampleMethod.RANDOM,
                seed=SEED,
                singlethreaded=True,
                verbose=False,
            )
            sim.addInVar("a", dist=st.uniform, distkwargs={"loc": 0, "scale": 1})
            sim.addInVar("b", dist=st.norm, distkwargs={"loc": 2, "scale": 1})
            sim.addInVar("c", dist=st.triang, distkwargs={"c": 1 / 3, "loc": 0, "scale": 3})
            sim.runSim()
        return {k: np.asarray(sim.outvars[k].nums, dtype=float) for k in ("y1", "y2")}

    return go


@dataclass(frozen=True)
class Framework:
    """One framework: its label, the packages it needs and how to prepare a run."""

    key: str
    label: str
    packages: tuple[str, ...]
    prepare: Callable[[int, int | None], Runner]
    anchor: bool


FRAMEWORKS = (
    Framework("scenario", "scenario", (), prepare_scenario, anchor=False),
    Framework("scenario_big", SCENARIO_BIG, (), prepare_scenario_big, anchor=False),
    Framework("numpy", "plain numpy", (), prepare_numpy, anchor=False),
    Framework("ema", "EMA Workbench", ("ema_workbench", "scipy"), prepare_ema, anchor=True),
    Framework("monaco", "monaco", ("monaco", "scipy"), prepare_monaco, anchor=True),
)


def unavailable(fw: Framework) -> str | None:
    """Why ``fw`` cannot run here (``None`` when it can)."""
    for pkg in fw.packages:
        if importlib.util.find_spec(pkg) is None:
            return "not installed"
    try:
        fw.prepare(10, None)()
    except Exception as exc:  # an installed but broken anchor is reported, not fatal
        return f"not usable ({type(exc).__name__}: {exc})"
    return None


def timed(runner: Runner) -> tuple[float, Outputs]:
    """Wall time of one run and its outputs."""
    gc.collect()
    t0 = time.perf_counter()
    out = runner()
    return time.perf_counter() - t0, out


@dataclass
class Timing:
    """Wall times of one framework by size, and the outputs of its largest run."""

    fw: Framework
    times: dict[int, list[float]]
    outputs: Outputs

    def rate(self, n: int) -> float:
        """Replications per second at ``n``, from the fastest run."""
        return n / min(self.times[n])

    @property
    def n_max(self) -> int:
        """The largest size run."""
        return max(self.times)

    @property
    def best_rate(self) -> float:
        """The fastest rate over the sizes run (an anchor's benefit of the doubt)."""
        return max(self.rate(n) for n in self.times)


def measure(
    fws: list[Framework], n_fast: int, sizes: tuple[int, ...], block_size: int | None, repeat: int
) -> dict[str, Timing]:
    """Time every framework, interleaved: round r runs scenario and numpy once each and
    every anchor at ``sizes[r]`` (while there are sizes left)."""
    plan = {fw.key: ((n_fast,) * repeat if not fw.anchor else sizes) for fw in fws}
    runners = {(k, n): f.prepare(n, block_size) for f in fws for k in [f.key] for n in plan[k]}
    for fw in fws:  # warm-up: caches, lazy imports, first-call costs
        if not fw.anchor:
            fw.prepare(min(n_fast, 10_000), block_size)()
    timings = {fw.key: Timing(fw, {}, {}) for fw in fws}
    for r in range(max(repeat, len(sizes))):
        for fw in fws:
            if r < len(plan[fw.key]):
                n = plan[fw.key][r]
                t, out = timed(runners[fw.key, n])
                timings[fw.key].times.setdefault(n, []).append(t)
                if n == max(plan[fw.key]):
                    timings[fw.key].outputs = out
    return timings


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise OSError(f"no {field} in /proc/self/status")


def memory_child(key: str, n: int, block_size: int | None) -> int:
    """In a fresh process: the rise of the peak resident set during one run of ``n``."""
    fw = next(f for f in FRAMEWORKS if f.key == key)
    fw.prepare(min(n, 1_000), block_size)()  # imports and first-call costs, not counted
    runner = fw.prepare(n, block_size)
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # resets VmHWM to the current resident set
        method, before = "VmHWM", _status_kib("VmRSS")
    except OSError:
        method, before = "ru_maxrss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    runner()
    peak = (
        _status_kib("VmHWM")
        if method == "VmHWM"
        else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    )
    print(json.dumps({"rise_bytes": (peak - before) * 1024, "method": method}))
    return 0


def memory(fw: Framework, n: int, block_size: int | None) -> dict[str, Any]:
    """Run :func:`memory_child` for ``fw`` in a subprocess of this interpreter."""
    cmd = [sys.executable, __file__, "--memory-child", fw.key, "--n", str(n)]
    if block_size is not None:
        cmd += ["--block-size", str(block_size)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=900)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode or not lines:
        err = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"failed ({err})"}
    result: dict[str, Any] = json.loads(lines[-1])
    result["n"] = n
    return result


def _ms(t: float) -> str:
    return f"{t * 1e3:,.1f} ms" if t < 1 else f"{t:,.2f} s"


def print_speed(timings: dict[str, Timing]) -> None:
    """Rates per framework and size, with the spread of the repeated runs."""
    print("\nSpeed (wall time, one process, one core):")
    print(f"  {'framework':<17}{'replications':>13}{'time':>12}{'replications/s':>17}  note")
    for tm in timings.values():
        for n, ts in sorted(tm.times.items()):
            if len(ts) > 1:
                note = f"best of {len(ts)}; slowest +{(max(ts) / min(ts) - 1) * 100:.0f}%"
            else:
                note = "one run"
            print(f"  {tm.fw.label:<17}{n:>13,}{_ms(min(ts)):>12}{tm.rate(n):>15,.0f}/s  {note}")


def print_ratios(timings: dict[str, Timing], n_fast: int, quick: bool) -> None:
    """Each scenario variant against numpy (the floor) and against each anchor (extrapolated)."""
    print(
        f"\nRatios at {n_fast:,} replications"
        + (" (--quick: not the target size)" if quick else "")
    )
    npy = timings["numpy"]
    anchors = [tm for tm in timings.values() if tm.fw.anchor]
    for tm in anchors:
        rate = tm.best_rate
        sizes = " and ".join(f"{n:,}" for n in sorted(tm.times))
        print(
            f"  {tm.fw.label}: measured at {sizes}, at best {rate:,.0f}/s, extrapolated linearly "
            f"to {_ms(n_fast / rate)} for {n_fast:,}"
        )
    for sc in (tm for tm in timings.values() if tm.fw.key.startswith("scenario")):
        rate = sc.rate(n_fast)
        parts = [f"{npy.rate(n_fast) / rate:.2f}x the time of plain numpy (the floor)"]
        for tm in anchors:
            ratio = rate / tm.best_rate
            verdict = "" if quick else f" (target >= {TARGET:,.0f}x: "
            verdict += "" if quick else ("met)" if ratio >= TARGET else "MISSED)")
            parts.append(f"{ratio:,.0f}x faster than {tm.fw.label}{verdict}")
        print(f"  {sc.fw.label}: " + "; ".join(parts))


def print_memory(mem: dict[str, dict[str, Any]], fws: list[Framework]) -> None:
    """Peak memory rise per framework, per replication, and as a multiple of scenario's."""
    methods = {m["method"] for m in mem.values() if "method" in m}
    print(
        f"\nPeak memory: rise of the peak resident set ({'/'.join(sorted(methods)) or '-'}) "
        "over the resident set\nafter imports and a warm-up, in a fresh subprocess each:"
    )
    base = mem.get("scenario", {})
    base_per = base["rise_bytes"] / base["n"] if "rise_bytes" in base else math.nan
    for fw in fws:
        m = mem[fw.key]
        if "error" in m:
            print(f"  {fw.label:<17}{m['error']}")
            continue
        per = m["rise_bytes"] / m["n"]
        vs = "" if fw.key == "scenario" else f", {per / base_per:,.1f}x scenario's per replication"
        print(
            f"  {fw.label:<17}{m['n']:>13,} replications: {m['rise_bytes'] / 2**20:8,.1f} MiB, "
            f"{per:,.0f} bytes/replication{vs}"
        )


def agreement(timings: dict[str, Timing], z_max: float = 4.0) -> bool:
    """Print each framework's means of y1 and y2 against the exact expectations (z-scores)."""
    print(
        f"\nSame model? Means against the exact E[y1] = 7/3 = {EXPECTED['y1']:.5f} and "
        f"E[y2] = 1/36 = {EXPECTED['y2']:.5f}\n"
        f"(z = error / standard error; agree if |z| <= {z_max:g}):"
    )
    ok = True
    for tm in timings.values():
        cells = []
        for k in ("y1", "y2"):
            y = tm.outputs[k]
            mean, se = float(np.mean(y)), float(np.std(y, ddof=1) / math.sqrt(y.size))
            z = (mean - EXPECTED[k]) / se
            ok &= abs(z) <= z_max
            cells.append(f"{k} {mean:.5f} ± {se:.5f} (z {z:+.1f})")
        print(f"  {tm.fw.label:<17}{tm.n_max:>10,}  " + "   ".join(cells))
    print("  all agree" if ok else "  DISAGREE: the frameworks do not compute the same model")
    return ok


def main(argv: list[str] | None = None) -> int:
    """Run every available framework on the toy model and print rates, memory and ratios."""
    parser = argparse.ArgumentParser(description="scenario against EMA Workbench and monaco")
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--block-size", type=int, default=None, help="scenario's block size")
    parser.add_argument("--repeat", type=int, default=5, help="runs of scenario and numpy")
    parser.add_argument("--memory-child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        return memory_child(args.memory_child, args.n, args.block_size)
    n_fast, sizes = (100_000, (300, 1_500)) if args.quick else (LARGE, (5_000, 25_000))

    print(
        "Anchors: a ~ U(0,1), b ~ N(2,1), c ~ Triangular(0,1,3); y1 = a*b + c, y2 = max(a - c, 0)"
    )
    versions = [f"Python {sys.version.split()[0]}", f"numpy {np.__version__}"]
    versions.append(f"scenario {scenario.__version__}")
    fws: list[Framework] = []
    for fw in FRAMEWORKS:
        if fw.key == "scenario_big" and args.block_size is not None:
            continue
        why = unavailable(fw)
        if why is None:
            fws.append(fw)
            if fw.anchor:
                versions.append(f"{fw.label} {importlib.metadata.version(fw.packages[0])}")
        else:
            versions.append(f"{fw.label}: {why}")
    print(", ".join(versions))
    block = args.block_size or RunSettings().block_size
    print(
        f"scenario: block size {block:,}"
        + ("" if args.block_size else f" (the default); {SCENARIO_BIG}: block size {BIG_BLOCK:,}")
    )

    timings = measure(fws, n_fast, sizes, args.block_size, args.repeat)
    print_speed(timings)
    print_ratios(timings, n_fast, args.quick)
    mem = {f.key: memory(f, sizes[-1] if f.anchor else n_fast, args.block_size) for f in fws}
    print_memory(mem, fws)
    return 0 if agreement(timings) else 1


if __name__ == "__main__":
    raise SystemExit(main())
