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
        "nk_casualties [troops]",
        "mean",
        "95% CI",
        "p50",
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
    configs = [
        str(p) for p in sorted((ROOT / "configs").rglob("*.yaml")) if "record" not in p.parts
    ]
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
    assert "nk_new_troops_today [troops] ground -> (unread)" in res.output
    assert "ru_sector_casualties_today [troops] ground -> manpower (today)" in res.output
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
    # Which submodel reads each parameter.
    assert "read by" in res.output
    row = next(line for line in res.output.splitlines() if "logistics.damage_drone" in line)
    assert "logistics" in row.split("logistics.damage_drone", 1)[1]
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


# --- scenario discover ------------------------------------------------------------------------

MSAM = str(ROOT / "configs" / "options" / "msam.yaml")


@pytest.fixture(scope="module")
def msam_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("discover") / "msam"
    res = runner.invoke(app, ["run", MSAM, "-n", "1000", "--seed", "1", "-q", "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_discover_prints_the_box_and_the_sentence(msam_results: Path) -> None:
    res = runner.invoke(
        app, ["discover", str(msam_results), "--outcome", "ad_leakers", "--above", "1700"]
    )
    assert res.exit_code == 0, res.output
    for word in ("restricted inputs", "quasi-p", "coverage", "density", "mass", "pasted"):
        assert word in res.output
    assert "ad_leakers is above 1,700 in " in res.output
    assert "air_defence.drone_per_day" in res.output  # drones drive leakers under M-SAM
    assert "peeling trajectory (" not in res.output
    res = runner.invoke(
        app,
        [
            "discover",
            str(msam_results),
            "--outcome",
            "ad_leakers",
            "--above",
            "1700",
            "--trajectory",
            "--inputs",
            "air_defence.drone_per_day,air_defence.ua_channels",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "peeling trajectory (" in res.output and "*" in res.output
    assert "ground." not in res.output


def test_discover_runs_a_config_first() -> None:
    res = runner.invoke(
        app,
        [
            "discover",
            MSAM,
            "-n",
            "500",
            "--seed",
            "2",
            "--outcome",
            "ad_leakers",
            "--below",
            "500",
            "--inputs",
            "air_defence.drone_per_day,air_defence.ua_resupply_per_day",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "msam: 500 replications (seed 2" in res.output
    assert "ad_leakers is below 500 in " in res.output


def test_discover_tables_fit_80_columns(msam_results: Path) -> None:
    from rich.console import Console

    from scenario.analysis import discover
    from scenario.commands.discover import box_table, trajectory_table
    from scenario.results import load_results

    found = discover(load_results(msam_results), "ad_leakers", above=1000)
    assert found.box.restrictions
    texts = []
    for table in (box_table(found), trajectory_table(found)):
        console = Console(width=80, record=True)
        console.print(table)
        texts.append(console.export_text())
        assert max(len(line) for line in texts[-1].splitlines()) <= 80
    assert all(r.input in texts[0] for r in found.box.restrictions)  # names are not cut


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ["--outcome", "ad_leakrs", "--above", "1"],
            "no outcome 'ad_leakrs'; did you mean 'ad_leakers'?",
        ),
        (["--outcome", "ad_leakers"], "give exactly one of --above T or --below T (got neither)"),
        (
            ["--outcome", "ad_leakers", "--above", "1", "--below", "2"],
            "(got both, --above 1.0 --below 2.0)",
        ),
        (
            ["--outcome", "ad_leakers", "--above", "1e9"],
            "no replication of 1,000 is above 1,000,000,000",
        ),
        (
            ["--outcome", "ad_leakers", "--above", "1", "-n", "5"],
            "-n, --seed and --set apply to a config file",
        ),
        (
            ["--outcome", "ad_leakers", "--above", "1", "--inputs", "air_defence.dron"],
            "did you mean 'air_defence.",
        ),
    ],
)
def test_discover_user_mistakes_are_one_line(
    msam_results: Path, args: list[str], error: str
) -> None:
    res = runner.invoke(app, ["discover", str(msam_results), *args])
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("error: ")
    assert error in res.stderr and "Traceback" not in res.output


def test_discover_refuses_a_directory_without_results(tmp_path: Path) -> None:
    res = runner.invoke(app, ["discover", str(tmp_path), "--outcome", "x", "--above", "1"])
    assert res.exit_code == 1
    assert (
        res.stderr
        == f"error: {tmp_path} holds no manifest.json: not a scenario results directory\n"
    )
    res = runner.invoke(
        app, ["discover", str(tmp_path / "nope"), "--outcome", "x", "--above", "1"]
    )
    assert res.exit_code == 1 and "no such results directory or config file" in res.stderr


def test_discover_help() -> None:
    res = runner.invoke(app, ["discover", "--help"])
    assert res.exit_code == 0
    for option in ("--outcome", "--above", "--below", "--inputs", "--mass-min", "--trajectory"):
        assert option in res.output


# --- scenario compare (issue 7) ---------------------------------------------------------

OPTIONS_DIR = ROOT / "configs" / "options"
MSAM_SWEEP = str(OPTIONS_DIR / "msam_sweep.yaml")


def test_compare_table_fits_80_columns() -> None:
    import io

    from rich.console import Console

    from scenario.analysis import compare_options
    from scenario.commands.compare import comparison_renderables

    comparison = compare_options(
        BASELINE,
        MSAM_SWEEP,
        OPTIONS_DIR / "advisors.yaml",
        replications=300,
        seed=3,
        outcomes=["nk_casualties", "ad_leakers", "cost_total_usd_m", "nk_killed", "esc_reached_4"],
        objectives={"thresholds": {"ad_leakers": {"at_most": 900}}},
    )
    console = Console(width=80, record=True, file=io.StringIO())
    for part in comparison_renderables(comparison, robustness=True):
        console.print(part)
    text = console.export_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80, max(lines, key=len)
    for word in (
        "nk_casualties [troops], maximize: higher is better",
        "ad_leakers [threats], minimize: lower is better",
        "nk_killed [troops], info: reported, not ranked",
        "Δ vs base ±95%",
        "better/tie/worse",
        "tie (all)",  # M-SAM puts no personnel in theatre: it cannot reach level 4
        "msam.batteries=4",  # sweep points without the leading "policy."
        "advisors",
        "regret mean",
        "P(met)",
        "ad_leakers <= 900",
    ):
        assert word in text, word
    row = next(ln for ln in lines if ln.split()[1:2] == ["advisors"] and "±" in ln)
    assert row.split()[-1].count("/") == 2  # better/tie/worse shares


def test_compare_command_runs_options_and_a_sweep() -> None:
    res = runner.invoke(
        app,
        [
            "compare",
            BASELINE,
            str(OPTIONS_DIR / "msam.yaml"),
            "-n",
            "200",
            "--outcomes",
            "ad_leakers,esc_reached_4",
        ],
    )
    assert res.exit_code == 0, res.output
    # M-SAM puts no personnel in theatre, so it cannot reach escalation level 4: all ties.
    assert "2 options, 200 replications each" in res.output and "tie (all)" in res.output
    res = runner.invoke(app, ["compare", MSAM_SWEEP, "-n", "200", "--outcomes", "ad_leakers"])
    assert res.exit_code == 0, res.output
    assert "Δ = option - base (policy.msam.batteries=1)" in res.output
    res = runner.invoke(
        app, ["compare", MSAM_SWEEP, "-n", "200", "--outcomes", "ad_leakers", "--wide"]
    )
    assert res.exit_code == 0, res.output
    assert "mean regret" in res.output and "policy.msam.batteries=4" in res.output


def test_compare_mistakes_are_one_line() -> None:
    res = runner.invoke(
        app, ["compare", BASELINE, MSAM_SWEEP, "-n", "50", "--outcomes", "ad_leakrs"]
    )
    assert res.exit_code == 1
    assert res.stderr.startswith("error: ") and "did you mean 'ad_leakers'" in res.stderr
    assert "Traceback" not in res.output
    res = runner.invoke(app, ["compare", BASELINE])
    assert res.exit_code == 2 and "at least one OPTION" in res.output


def test_run_on_a_sweep_prints_a_table_per_point(tmp_path: Path) -> None:
    out = tmp_path / "points"
    res = runner.invoke(app, ["run", MSAM_SWEEP, "-n", "100", "-q", "--out", str(out)])
    assert res.exit_code == 0, res.output
    for i, b in enumerate((1, 2, 4), start=1):
        assert f"msam_sweep [policy.msam.batteries={b}] (point {i} of 3)" in res.output
    assert res.output.count("failed replications: 0") == 3
    assert (out / "policy.msam.batteries=2" / "manifest.json").is_file()
    saved = [str(out / f"policy.msam.batteries={b}") for b in (1, 2, 4)]
    res = runner.invoke(app, ["compare", *saved, "--outcomes", "ad_leakers"])
    assert res.exit_code == 0, res.output
    assert "Δ = option - base (msam_sweep[policy.msam.batteries=1])" in res.output
    assert "msam_sweep[msam.batteries=4]" in res.output


def test_validate_checks_every_sweep_point(tmp_path: Path) -> None:
    bad = tmp_path / "sweep.yaml"
    bad.write_text(f"extends: {MSAM_SWEEP}\nsweep:\n  policy.msam.batteries: [1, -4]\n")
    res = runner.invoke(app, ["validate", MSAM_SWEEP, str(bad)])
    assert res.exit_code == 1
    assert res.output.count("ok: ") == 1
    assert f"{bad}:3:30: policy.msam.batteries:" in res.stderr
    assert "in sweep point policy.msam.batteries=-4" in res.stderr


def test_wiring_reports_a_trigger_on_an_event_outside_the_composition() -> None:
    res = runner.invoke(
        app,
        [
            "wiring",
            BASELINE,
            "--set",
            "submodels=[ground]",
            "--set",
            "policy.msam.trigger={event: escalation_level_at_least, threshold: 2}",
        ],
    )
    assert res.exit_code == 1
    assert "order: ground" in res.output
    assert "no submodel of model 'campaign' declares this event" in res.output


# --- tables that fit (issue 10) -------------------------------------------------------------

MARKUP_NAME = "option [/b] test \\e[31mred\\a"  # YAML escapes: ESC and BEL
MARKUP_SHOWN = "option [/b] test \\x1b[31mred\\x07"


@pytest.fixture
def no_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests of the default width: COLUMNS of the terminal running the tests must not count."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def markup_config(tmp_path: Path) -> Path:
    path = tmp_path / "markup.yaml"
    path.write_text(
        f'extends: {BASELINE}\nname: "{MARKUP_NAME}"\n'
        "parameters:\n  ground:\n    nk_wave1_size:\n"
        '      source: "[/b] [bold]see[/] \\e[2J"\n',
        encoding="utf-8",
    )
    return path


def test_run_table_fits_80_columns_and_every_number_is_the_statistic(tmp_path: Path) -> None:
    from test_tables import _check_number, _check_share, _tokens

    from scenario.results import load_results
    from scenario.tables import outcome_rows

    out = tmp_path / "r"
    args = ["run", BASELINE, "-n", "200", "--seed", "3", "-q", "--out", str(out)]
    res = runner.invoke(app, args, env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, max(lines, key=len)
    assert "…" not in res.stdout
    rows = outcome_rows(load_results(out))
    cells = _tokens(res.stdout, rows)
    for row in rows:
        s = row.summary
        got = cells[s.name]
        for token, value in zip(got[:5], (s.mean, row.half, s.p5, s.p50, s.p95), strict=True):
            _check_number(token, value, row.places)
        if row.censoring is not None:
            _check_share(got[5], row.censoring.never)
    esc = next(line for line in lines if line.startswith("esc_first_day [day]"))
    assert "≥180" in esc and esc.split()[2].startswith("≥")  # the mean is a lower bound
    assert "kill_chain_min [minutes]" in res.stdout


def test_columns_is_read_per_command_and_does_not_leak(no_columns: None) -> None:
    args = ["run", BASELINE, "-n", "30", "--seed", "3", "-q"]
    wide = runner.invoke(app, args, env={"COLUMNS": "200"})
    narrow = runner.invoke(app, args)  # not a terminal, no COLUMNS: 80
    assert wide.exit_code == narrow.exit_code == 0
    assert max(len(line) for line in wide.stdout.splitlines()) > 80
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80


def test_consoles_take_their_width_on_each_call(monkeypatch: pytest.MonkeyPatch) -> None:
    from scenario.cli_common import err, out

    monkeypatch.setenv("COLUMNS", "57")
    assert out().width == 57 and err().width == 57
    monkeypatch.setenv("COLUMNS", "133")
    assert out().width == 133
    monkeypatch.delenv("COLUMNS")
    assert out().width == 80 and out(piped=220).width == 220  # pytest captures: a pipe


def test_one_replication_leaves_cis_blank(no_columns: None) -> None:
    res = runner.invoke(app, ["run", BASELINE, "-n", "1", "--seed", "3", "-q"])
    assert res.exit_code == 0, res.output
    assert "1 replication," in res.stdout
    assert "CIs need two finite replications or more: left blank." in res.stdout
    row = next(line for line in res.stdout.splitlines() if line.startswith("nk_casualties"))
    assert "±" not in row and len(row.split()) == 2 + 4  # label, unit, mean, p5, p50, p95
    res = runner.invoke(app, ["run", BASELINE, "-n", "1", "-q", "--format", "json"])
    doc = json.loads(res.stdout)
    first = doc["outcomes"][0]
    assert first["mean_lo"] is None and first["sd"] is None and first["n"] == 1


def test_run_formats_for_piping(tmp_path: Path) -> None:
    import csv
    import io

    from scenario.analysis import summarize_results
    from scenario.results import load_results

    out = tmp_path / "r"
    args = ["run", BASELINE, "-n", "50", "--seed", "4", "-q"]
    res = runner.invoke(app, [*args, "--format", "csv", "--out", str(out)])
    assert res.exit_code == 0, res.output
    results = load_results(out)
    table = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["outcome"] for r in table] == list(results.outcomes)
    got = {r["outcome"]: r for r in table}
    for s in summarize_results(results, ["nk_casualties", "esc_first_day"]):
        assert float(got[s.name]["mean"]) == s.mean and float(got[s.name]["p95"]) == s.p95
    assert got["esc_first_day"]["censored"] == "true" and got["nk_killed"]["p_never"] == ""
    assert "failed replications: 0" in res.stderr and "results saved" in res.stderr
    doc = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert doc["replications"] == 50 and doc["horizon_days"] == 180
    assert {o["outcome"] for o in doc["outcomes"]} == set(results.outcomes)
    assert runner.invoke(app, [*args, "--format", "xml"]).exit_code == 2


def test_run_markdown_and_wide() -> None:
    args = ["run", BASELINE, "-n", "50", "--seed", "4", "-q"]
    md = runner.invoke(app, [*args, "--format", "markdown"]).stdout
    assert "| outcome [unit] | mean | 95% CI | p5 | p50 | p95 | never |" in md
    assert "| esc_first_day [day] | ≥" in md and "failed replications: 0" in md
    wide = runner.invoke(app, [*args, "--wide"], env={"COLUMNS": "80"}).stdout
    assert "p95 95% CI" in wide and "maximum" in wide and "…" not in wide
    assert max(len(line) for line in wide.splitlines()) > 80  # as wide as it needs


def test_run_on_a_sweep_as_csv_has_a_point_column() -> None:
    import csv
    import io

    res = runner.invoke(app, ["run", MSAM_SWEEP, "-n", "30", "-q", "--format", "csv"])
    assert res.exit_code == 0, res.output
    table = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len({r["point"] for r in table}) == 3 and table[0]["outcome"]
    assert res.stderr.count("failed replications: 0") == 3


def test_config_text_is_printed_literally_by_run_and_validate(markup_config: Path) -> None:
    res = runner.invoke(app, ["run", str(markup_config), "-n", "20", "-q"])
    assert res.exit_code == 0, res.output
    assert MARKUP_SHOWN in res.stdout and "\x1b" not in res.output
    res = runner.invoke(app, ["validate", str(markup_config)])
    assert res.exit_code == 0 and MARKUP_SHOWN in res.stdout and "\x1b" not in res.output


def test_config_text_is_printed_literally_by_params_and_compare(markup_config: Path) -> None:
    res = runner.invoke(app, ["params", str(markup_config)], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    assert "[/b] [bold]see[/] \\x1b[2J" in res.stdout and "\x1b" not in res.output
    res = runner.invoke(
        app, ["compare", BASELINE, str(markup_config), "-n", "20", "--outcomes", "nk_casualties"]
    )
    assert res.exit_code == 0, res.output
    assert "\x1b" not in res.output and "\x07" not in res.output
    flat = "".join(line.strip() for line in res.stdout.splitlines())
    assert MARKUP_SHOWN.replace(" ", "") in flat.replace(" ", "")


def test_compare_fits_80_columns_and_wraps_names_on_word_boundaries(
    tmp_path: Path, no_columns: None
) -> None:
    long = "advisors_with_a_long_descriptive_name, thirty days, Sudzha"
    path = tmp_path / "long.yaml"
    path.write_text(f'extends: {OPTIONS_DIR / "advisors.yaml"}\nname: "{long}"\n')
    args = ["compare", BASELINE, str(path), "-n", "40", "--outcomes", "nk_casualties,ua_exit_day"]
    res = runner.invoke(app, [*args, "-r"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80 and "…" not in res.stdout
    start = next(i for i, ln in enumerate(lines) if ln[3:].startswith("advisors_with_a_"))
    pieces = [lines[start][3:].split("  ")[0].strip()]
    pieces += [ln.strip() for ln in lines[start + 1 : start + 6] if ln.startswith("   ")]
    assert "".join(pieces).replace(" ", "") == long.replace(" ", "")
    at = 0
    for piece in pieces[:-1]:  # broken after a separator or a space, never mid-word
        at = long.index(piece, at) + len(piece)
        assert piece[-1] in "_," or long[at] == " ", pieces
    assert "≥180" in res.stdout and "never" in res.stdout  # ua_exit_day is censored


def test_compare_formats_for_piping() -> None:
    import csv
    import io

    args = ["compare", BASELINE, MSAM, "-n", "40", "--outcomes", "ad_leakers,msam_dry_day"]
    res = runner.invoke(app, [*args, "--format", "csv"])
    assert res.exit_code == 0, res.output
    table = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [(r["outcome"], r["option"]) for r in table] == [
        ("ad_leakers", "baseline"),
        ("ad_leakers", "msam"),
        ("msam_dry_day", "baseline"),
        ("msam_dry_day", "msam"),
    ]
    assert table[0]["diff_mean"] == "" and float(table[1]["diff_mean"]) < 0
    assert float(table[2]["p_never"]) == 1.0  # the baseline has no M-SAM: never ran dry


def test_comparison_as_markdown_json_and_wide() -> None:
    import io

    from rich.console import Console

    from scenario.analysis import compare_options
    from scenario.tables import comparison_markdown, comparison_records, comparison_renderables

    c = compare_options(BASELINE, MSAM, replications=40, outcomes=["ad_leakers", "msam_dry_day"])
    records = comparison_records(c)
    assert len(records) == 4 and records[1]["diff_mean"] == c.outcomes[0].options[1].diff.diff_mean
    md = comparison_markdown(c)
    assert "**ad_leakers [threats], minimize: lower is better**" in md
    assert "| # | option | mean | p5–p95 | Δ vs base ±95% | better/tie/worse |" in md
    assert "| never |" in md  # msam_dry_day is censored
    console = Console(width=400, record=True, file=io.StringIO())
    for part in comparison_renderables(c, wide=True):
        console.print(part)
    wide = console.export_text()
    assert "P better [95% CI]" in wide and "CVaR90" in wide and "…" not in wide
