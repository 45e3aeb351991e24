"""Import-time benchmark (not a timed test): ``import scenario`` and ``scenario --help``.

    python benchmarks/bench_import.py             # best of 5
    python benchmarks/bench_import.py --repeat 9  # best of 9

Prints, for this machine, the best-of-N wall time of fresh interpreters running

1. ``python -c pass``: the floor (interpreter start-up) every ratio is taken against;
2. ``python -c "import scenario"``;
3. ``python -m scenario --help``;
4. ``scenario --help``, the console script, when one is installed beside this Python
   (or on ``PATH``);

with the 0.5 s target for the help commands and the ratio to bare Python. Then it runs
``python -X importtime -c "import scenario"`` and reports whether any heavy module is
imported (``scipy.stats``, pandas, pyarrow, SimPy, typer, rich, ruamel.yaml); ``import
scenario`` must load none of them, and the exit code is 1 if it does. For ``--help`` it
lists which of them are loaded (typer is expected there).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 0.5
HEAVY = ("scipy.stats", "pandas", "pyarrow", "simpy", "typer", "rich", "ruamel")
"""Modules ``import scenario`` must not load (a prefix also matches its submodules)."""


def _console_script() -> str | None:
    """The ``scenario`` console script installed beside this interpreter, else on PATH."""
    scripts = sysconfig.get_path("scripts")
    for folder in (scripts, str(Path(sys.executable).parent)):
        candidate = Path(folder) / ("scenario.exe" if os.name == "nt" else "scenario")
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("scenario")


def best_wall(cmd: Sequence[str], repeat: int) -> float:
    """Best-of-``repeat`` wall time in seconds of running ``cmd`` to completion.

    Parameters
    ----------
    cmd : sequence of str
        The command line; it must exit with status 0.
    repeat : int
        Number of timed runs (after one untimed warm-up run).

    Returns
    -------
    float
        The shortest wall time observed.
    """
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    times: list[float] = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(
            cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
        )
        times.append(time.perf_counter() - t0)
    return min(times)


def imported_modules(args: Sequence[str]) -> dict[str, float]:
    """Modules a fresh ``python -X importtime ARGS`` imports, with their cumulative times.

    Parameters
    ----------
    args : sequence of str
        Arguments after ``python -X importtime`` (for example ``["-c", "import scenario"]``).

    Returns
    -------
    dict of str to float
        Every module name reported, mapped to its cumulative import time in seconds
        (itself plus what it imported).
    """
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    times: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line[len("import time:") :].split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue  # the header line
        times[parts[2].strip()] = int(parts[1]) / 1e6
    return times


def heavy_in(names: Iterable[str]) -> list[str]:
    """The entries of :data:`HEAVY` imported (as the module or one of its submodules)."""
    seen = list(names)
    return [h for h in HEAVY if any(n == h or n.startswith(h + ".") for n in seen)]


def main(argv: list[str] | None = None) -> int:
    """Time the imports, print them against the target, report heavy imports."""
    parser = argparse.ArgumentParser(description="scenario import-time benchmark")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per command")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    py = sys.executable
    commands: list[tuple[str, list[str], bool]] = [
        ("python -c pass", [py, "-c", "pass"], False),
        ('python -c "import scenario"', [py, "-c", "import scenario"], False),
        ("python -m scenario --help", [py, "-m", "scenario", "--help"], True),
    ]
    script = _console_script()
    if script is not None:
        commands.append(("scenario --help", [script, "--help"], True))

    timings = [(label, best_wall(cmd, repeat), targeted) for label, cmd, targeted in commands]
    bare = timings[0][1]

    print(f"Python {sys.version.split()[0]} ({py}); best of {repeat} wall times, cwd {ROOT}")
    if script is None:
        print("console script `scenario` not found; install with `pip install -e .`")
    else:
        print(f"console script: {script}")
    header = f"{'command':32s} {'best (s)':>9s} {'x bare':>7s} {'target':>8s}  verdict"
    print(header)
    print("-" * len(header))
    for label, seconds, targeted in timings:
        target = f"< {TARGET_S:.1f} s" if targeted else "-"
        verdict = ("met" if seconds < TARGET_S else "MISSED") if targeted else ""
        print(f"{label:32s} {seconds:9.3f} {seconds / bare:7.2f} {target:>8s}  {verdict}")

    times = imported_modules(["-c", "import scenario"])
    bad = heavy_in(times)
    print()
    print(
        f"python -X importtime -c 'import scenario': {len(times)} modules in all (site "
        f"included); the scenario package itself {times.get('scenario', 0.0) * 1e3:.1f} ms"
    )
    for heavy in HEAVY:
        status = "IMPORTED (must not be)" if heavy in bad else "not imported"
        print(f"  {heavy:12s} {status}")
    help_times = imported_modules(["-m", "scenario", "--help"])
    print(
        f"python -X importtime -m scenario --help: {len(help_times)} modules; scenario.cli "
        f"{help_times.get('scenario.cli', 0.0) * 1e3:.1f} ms; heavy modules loaded: "
        f"{', '.join(heavy_in(help_times)) or 'none'}"
    )
    print("import scenario is light: " + ("yes" if not bad else f"NO ({', '.join(bad)})"))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
