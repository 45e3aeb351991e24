"""``import scenario`` is light: the heavy dependencies load only when used (not timed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("scipy.stats", "pandas", "pyarrow", "simpy", "typer", "ruamel")


def _imported(code: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip())
    assert "scenario" in names, proc.stderr[-2000:]
    return names


def _loaded(names: set[str], module: str) -> bool:
    return any(n == module or n.startswith(module + ".") for n in names)


def test_import_scenario_loads_no_heavy_dependency() -> None:
    names = _imported("import scenario")
    assert [m for m in HEAVY if _loaded(names, m)] == []
    assert not _loaded(names, "rich")


def test_public_names_resolve_on_first_use() -> None:
    code = (
        "import scenario\n"
        "assert callable(scenario.run) and callable(scenario.load_config)\n"
        "assert callable(scenario.summarize) and isinstance(scenario.Results, type)\n"
        "from scenario.analysis.summary import summarize_results\n"
        "assert scenario.summarize is summarize_results\n"
        "assert isinstance(scenario.__version__, str)\n"
        "assert set(scenario.__all__) <= set(dir(scenario))\n"
        "for name in scenario.__all__:\n"
        "    getattr(scenario, name)\n"
        "print('ok')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"


def test_unknown_attribute_is_an_attribute_error() -> None:
    import scenario

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        scenario.nope  # type: ignore[attr-defined]  # noqa: B018
    assert not hasattr(scenario, "summary")


def test_importing_the_summary_module_does_not_load_scipy_stats() -> None:
    names = _imported("import scenario.analysis.summary")
    assert not _loaded(names, "scipy.stats")
