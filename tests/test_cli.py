"""The command line: each command, --help, and errors without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from _toys import Toy
from typer.testing import CliRunner

import scenario.engine.runner
from scenario.cli import app

ROOT = Path(__file__).resolve().parents[1]
BASELINE = str(ROOT / "configs" / "baseline.yaml")
runner = CliRunner()


def test_run_prints_the_outcome_table() -> None:
    res = runner.invoke(app, ["run", BASELINE, "-n", "300", "--seed", "3", "-q"])
    assert res.exit_code == 0, res.output
    for word in (
        "nk_casualties",
        "mean [95% CI]",
        "p50 [95% CI]",
        "p95",
        "failed replications: 0",
        "ASSUMPTION",
    ):
        assert word in res.output


def test_run_saves_results(tmp_path: Path) -> None:
    out = tmp_path / "res"
    res = runner.invoke(app, ["run", BASELINE, "-n", "200", "-q", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "manifest.json").is_file()
    res = runner.invoke(app, ["run", BASELINE, "-n", "200", "-q", "--out", str(out)])
    assert res.exit_code == 1 and "--overwrite" in res.output
    res = runner.invoke(
        app, ["run", BASELINE, "-n", "200", "-q", "--out", str(out), "--overwrite"]
    )
    assert res.exit_code == 0


def test_run_with_set_override() -> None:
    res = runner.invoke(
        app,
        [
            "run",
            BASELINE,
            "-n",
            "200",
            "-q",
            "--set",
            "policy.advisors.deploy=true",
            "--set",
            "policy.advisors.personnel=20",
        ],
    )
    assert res.exit_code == 0, res.output


def test_validate(tmp_path: Path) -> None:
    configs = [str(p) for p in sorted((ROOT / "configs").rglob("*.yaml"))]
    res = runner.invoke(app, ["validate", *configs])
    assert res.exit_code == 0, res.output
    assert res.output.count("ok: ") == len(configs)
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {BASELINE}\npolcy: {{}}\n")
    res = runner.invoke(app, ["validate", str(bad)])
    assert res.exit_code == 1
    assert f"{bad}:2:1: polcy: unknown key; did you mean 'policy'?" in res.output


@pytest.mark.parametrize(
    ("override", "error"),
    [
        (
            "submodels=[grund]",
            "error: <--set submodels=[grund]>:1:11: submodels[0]: unknown submodel; "
            "did you mean 'ground'?",
        ),
        (
            "policy.bices.trigger={event: sunrise}",
            "error: <--set policy.bices.trigger={event: sunrise}>:1:22: "
            "policy.bices.trigger.event: no submodel of model 'campaign' declares this event",
        ),
    ],
)
def test_validate_runs_the_model_checks(override: str, error: str) -> None:
    res = runner.invoke(app, ["validate", BASELINE, "--set", override])
    assert res.exit_code == 1
    assert res.output.startswith(error), res.output
    assert len(res.output.splitlines()) == 1 and "Traceback" not in res.output


def test_wiring_shows_signals_order_and_events() -> None:
    res = runner.invoke(app, ["wiring", BASELINE])
    assert res.exit_code == 0, res.output
    assert "order: intel -> " in res.output
    # Printed as plain text: "[troops]" is not taken for markup.
    assert "ru_sector_casualties_today [troops] ground -> (unread)" in res.output
    assert "events:" in res.output and "nk_second_wave" in res.output
    assert "ignored" not in res.output


def test_wiring_of_a_subset_of_submodels() -> None:
    res = runner.invoke(app, ["wiring", BASELINE, "--set", "submodels=[ground]"])
    assert res.exit_code == 0, res.output
    assert "order: ground\n" in res.output
    assert "(absent: default" in res.output
    (ignored,) = [line for line in res.output.splitlines() if line.startswith("ignored: ")]
    assert "parameters of submodels not in this composition" in ignored


def test_wiring_of_a_model_that_is_not_a_composition(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scenario.engine.runner, "resolve_model", lambda config: Toy())
    res = runner.invoke(app, ["wiring", BASELINE])
    assert res.exit_code == 0, res.output
    assert res.output == "model toy is not a composition of submodels\n"


def test_wiring_reports_a_users_mistake_in_one_located_line() -> None:
    res = runner.invoke(app, ["wiring", BASELINE, "--set", "submodels=[grund]"])
    assert res.exit_code == 1
    assert res.output.startswith("error: <--set submodels=[grund]>:1:11: submodels[0]: ")
    assert len(res.output.splitlines()) == 1 and "Traceback" not in res.output


def test_run_a_subset_of_submodels() -> None:
    res = runner.invoke(app, ["run", BASELINE, "--set", "submodels=[ground]", "-n", "200"])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert any(line.startswith("note: ") and "ignored" in line for line in lines), res.output
    assert "nk_casualties" in res.output and "ad_leakers" not in res.output


def test_show_and_show_resolved() -> None:
    res = runner.invoke(app, ["show", str(ROOT / "configs" / "options" / "advisors.yaml")])
    assert res.exit_code == 0 and "personnel: 30" in res.output and "extends" not in res.output
    res = runner.invoke(app, ["show", "--resolved", BASELINE])
    assert res.exit_code == 0 and "block_size:" in res.output and "offensive_aid:" in res.output


def test_params_lists_the_register() -> None:
    res = runner.invoke(app, ["params", BASELINE])
    assert res.exit_code == 0
    assert "ground.nk_wave1_size" in res.output and "NIS via Yonhap" in res.output
    assert "ASSUMPTION" in res.output and "marked ASSUMPTION" in res.output
    res = runner.invoke(app, ["params", "--assumptions", BASELINE])
    assert "ground.nk_wave1_size" not in res.output


def test_schema_command() -> None:
    res = runner.invoke(app, ["schema"])
    assert res.exit_code == 0
    assert json.loads(res.output)["title"] == "scenario configuration"


@pytest.mark.parametrize(
    "cmd", [[], ["run"], ["validate"], ["wiring"], ["show"], ["params"], ["schema"]]
)
def test_help(cmd: list[str]) -> None:
    res = runner.invoke(app, [*cmd, "--help"])
    assert res.exit_code == 0 and "Usage" in res.output


def test_user_error_exits_1_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    proc = subprocess.run(
        [sys.executable, "-m", "scenario", "run", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr.startswith(f"error: {bad}:")
    proc = subprocess.run(
        [sys.executable, "-m", "scenario", "run", BASELINE, "-n", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "replications: must be an integer" in proc.stderr


def test_version() -> None:
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.startswith("scenario ")
