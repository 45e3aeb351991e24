"""Every example script runs (with few replications) and prints what it promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
ARGS = {
    "quickstart.py": ["-n", "300"],
    "custom_model.py": ["-n", "500"],
    "compare_options.py": ["-n", "200"],
    "msam_des_study.py": ["-n", "30"],
}
EXPECT = {
    "quickstart.py": "offensive_aid",
    "custom_model.py": "shortage_days_share",
    "compare_options.py": "graduated_response",
    "msam_des_study.py": "M-SAM shots",
}


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script: Path) -> None:
    assert script.name in ARGS, f"add {script.name} to ARGS/EXPECT in this test"
    proc = subprocess.run(
        [sys.executable, str(script), *ARGS[script.name]],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert EXPECT[script.name] in proc.stdout


def test_custom_model_in_process() -> None:
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import custom_model

        import scenario

        scenario.register_model(custom_model.ShellStockModel(), replace=True)
        cfg = scenario.load_config(ROOT / "examples" / "shell_stock.yaml")
        a = scenario.run(cfg, replications=1000, seed=3)
        b = scenario.run(cfg, replications=1000, seed=3, workers=2)
        assert a.outcomes.keys() == b.outcomes.keys()
        for k in a.outcomes:
            assert (a.outcomes[k] == b.outcomes[k]).all()
        assert 0 <= a.outcomes["shortage_days_share"].min() <= 1
    finally:
        sys.path.remove(str(ROOT / "examples"))
