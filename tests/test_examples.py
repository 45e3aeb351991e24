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
    "add_submodel.py": ["-n", "300"],
    "add_lever.py": ["-n", "300"],
    "sensitivity.py": ["-n", "100", "--sobol-n", "64"],
    "voi.py": ["-n", "1000"],
    "validate_calibration.py": ["-n", "1000"],
    "discover.py": ["-n", "2000"],
    "small_force.py": ["-n", "2000"],
    "option_effects.py": ["-n", "200", "--workers", "1"],
}
EXPECT = {
    "quickstart.py": "offensive_aid",
    "custom_model.py": "shortage_days_share",
    "compare_options.py": "graduated_response",
    "msam_des_study.py": "M-SAM shots",
    "add_submodel.py": "shell_short_days",
    "add_lever.py": "swap_shells_to_kursk",
    "sensitivity.py": "top driver",
    "voi.py": "most valuable uncertainty",
    "validate_calibration.py": "calibrated: match every fit point",
    "discover.py": "replications where",
    "small_force.py": "which kernel",
    "option_effects.py": "| ru_net_manpower_change (troops, minimize) |",
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


def test_added_submodel_joins_without_changing_the_campaign() -> None:
    """The shell-stock submodel of examples/add_submodel.py joins the campaign from outside:
    every campaign outcome is unchanged (it writes nothing others read, and draws from its
    own stream), its outcomes respond to the aid lever, and 2 workers give the same
    numbers."""
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import add_submodel

        import scenario

        scenario.register_submodel(add_submodel.ShellStockSubmodel(), replace=True)
        path = ROOT / "examples" / "add_submodel.yaml"
        cfg = scenario.load_config(path)
        with_sub = scenario.run(cfg, replications=400, seed=3)
        base = scenario.run(
            scenario.load_config(ROOT / "configs" / "baseline.yaml"), replications=400, seed=3
        )
        for k, v in base.outcomes.items():
            assert (with_sub.outcomes[k] == v).all(), k
        aid = scenario.load_config(
            path,
            overrides=[
                "policy.offensive_aid.deploy=true",
                "policy.offensive_aid.shells_per_month=60000",
            ],
        )
        helped = scenario.run(aid, replications=400, seed=3)
        d = helped.outcomes["shell_short_days"] - with_sub.outcomes["shell_short_days"]
        assert (d <= 0).all() and d.mean() < 0
        two = scenario.run(cfg, replications=400, seed=3, workers=2)
        assert (two.outcomes["shell_short_days"] == with_sub.outcomes["shell_short_days"]).all()
    finally:
        sys.path.remove(str(ROOT / "examples"))


def test_option_effects_separates_the_stopping_rule_from_the_intensity_assumption() -> None:
    """Offensive aid keeps the grouping in Kursk longer: counted only in the sector it looks
    worse for Ukrainian casualties; with equal fighting after the exit it is better."""
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import option_effects

        text = option_effects.censoring(2000, 1)
    finally:
        sys.path.remove(str(ROOT / "examples"))
    means = [float(line.split()[-3].replace(",", "")) for line in text.splitlines()[1:]]
    in_sector, _, same_intensity = means
    assert in_sector > 500 and same_intensity < 0
