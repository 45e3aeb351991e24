"""Peak memory of a streamed run (not a timed test): does it grow with the replications?

    python benchmarks/bench_memory.py                  # 1M and 2M replications, then 10M
    python benchmarks/bench_memory.py --sizes 100000 200000   # quick

For each size, a fresh ``scenario run configs/baseline.yaml -n N --out DIR --inputs none
--workers W -q`` runs in a child process; its peak resident memory (``ru_maxrss`` of the
child, which includes the worker processes only through their own accounting, so the
workers' peaks are read from the same ``RUSAGE_CHILDREN`` of the run) and its wall time are
printed, with the in-memory estimate the memory guard would have used without streaming
(``estimate_memory``). Target: 10,000,000 replications with ``--out`` under 1.5 GB peak RSS;
the figure that matters is that the peak does not grow with N (the ratio of the largest to
the smallest size's peak, printed).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _peak(n: int, workers: int, tmp: Path) -> tuple[float, float]:
    """Peak RSS (MiB, the largest of the run's processes) and wall seconds of one run."""
    out = tmp / f"r{n}"
    cmd = [
        sys.executable,
        "-c",
        "import resource, sys\nfrom scenario.cli import main\n"
        "sys.argv = ['scenario', *sys.argv[1:]]\n"
        "try:\n    main()\nfinally:\n"
        "    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "    print(f'PEAK {me} {kids}', file=sys.stderr)",
        "run",
        str(ROOT / "configs" / "baseline.yaml"),
        "-n",
        str(n),
        "--out",
        str(out),
        "--inputs",
        "none",
        "--workers",
        str(workers),
        "-q",
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    line = [x for x in proc.stderr.splitlines() if x.startswith("PEAK")][-1]
    me, kids = (int(v) for v in line.split()[1:])
    shutil.rmtree(out, ignore_errors=True)
    return max(me, kids) / 1024, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 2_000_000, 10_000_000])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    import scenario
    from scenario.engine.planning import estimate_memory
    from scenario.engine.runner import resolve_model

    cfg = scenario.load_config(ROOT / "configs" / "baseline.yaml")
    model = resolve_model(cfg)
    print(f"streamed runs of configs/baseline.yaml, --inputs none, --workers {args.workers}")
    head = ("replications", "peak RSS MiB", "in memory (est.) MiB", "s", "reps/s")
    print(f"{head[0]:>13} {head[1]:>13} {head[2]:>21} {head[3]:>8} {head[4]:>9}")
    peaks = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            peak, wall = _peak(n, args.workers, Path(tmp))
            peaks.append(peak)
            est = estimate_memory(cfg, model, n) / 2**20
            print(
                f"{n:>13,} {peak:>13,.0f} {est:>21,.0f} {wall:>8.1f} {n / wall:>9,.0f}", flush=True
            )
    print(f"peak at the largest size / peak at the smallest: {peaks[-1] / peaks[0]:.2f}x")
    verdict = "met" if peaks[-1] < 1536 else "NOT met"
    print(f"target: peak RSS < 1.5 GB at {args.sizes[-1]:,} replications: {verdict}")


if __name__ == "__main__":
    main()
