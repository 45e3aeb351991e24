"""Config loading: extends, overrides, and a located error for every kind of bad input."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from scenario.config.loader import load_config, load_document
from scenario.engine.runner import run
from scenario.errors import ConfigError

Write = Callable[[str, str], Path]
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<rest>.*)$")

PARAM = "{dist: uniform, low: 1, high: 2, source: test, as_of: 2024-01-01, confidence: low}"


def errors_of(path: Path, **kw: object) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(path, **kw)  # type: ignore[arg-type]
    lines = str(info.value).splitlines()
    for line in lines:
        assert LINE.match(line), line
    return lines


def only(lines: list[str]) -> re.Match[str]:
    assert len(lines) == 1, lines
    m = LINE.match(lines[0])
    assert m is not None
    return m


def test_baseline_loads(baseline_path: Path) -> None:
    cfg = load_config(baseline_path)
    assert cfg.name == "baseline"
    assert cfg.horizon_days == 180
    assert str(cfg.start_date) == "2024-11-01"
    assert not cfg.policy.advisors.deploy
    assert len(cfg.flat_parameters()) > 30


def test_typo_in_key_names_file_line_and_suggestion(write: Write, baseline_path: Path) -> None:
    p = write("t.yaml", f"extends: {baseline_path}\npolicy:\n  advisors:\n    personel: 3\n")
    m = only(errors_of(p))
    assert m["file"] == str(p) and m["line"] == "4" and m["col"] == "5"
    assert m["rest"] == "policy.advisors.personel: unknown key; did you mean 'personnel'?"


def test_wrong_type(write: Write, baseline_path: Path) -> None:
    p = write("t.yaml", f"extends: {baseline_path}\nhorizon_days: lots\n")
    m = only(errors_of(p))
    assert (m["line"], m["col"]) == ("2", "15")
    assert m["rest"].startswith("horizon_days: ") and m["rest"].endswith("(got 'lots')")


def test_value_out_of_range(write: Write, baseline_path: Path) -> None:
    p = write("t.yaml", f"extends: {baseline_path}\nrun:\n  replications: 0\n  seed: -3\n")
    lines = errors_of(p)
    assert len(lines) == 2
    assert any("run.replications:" in x and "(got 0)" in x and ":3:17:" in x for x in lines)
    assert any("run.seed:" in x and "(got -3)" in x for x in lines)


def test_bad_distribution_arguments_are_located_on_the_argument(
    write: Write, baseline_path: Path
) -> None:
    p = write(
        "t.yaml",
        f"extends: {baseline_path}\nparameters:\n  ground:\n    nk_wave1_size:\n"
        "      dist: triangular\n      low: 12000\n      mode: 9000\n      high: 13000\n",
    )
    m = only(errors_of(p))
    assert (m["line"], m["col"]) == ("7", "13")
    assert m["rest"].startswith("parameters.ground.nk_wave1_size.mode: must lie in [low, high]")
    assert "(got 9000.0)" in m["rest"]


def test_unknown_distribution(write: Write, baseline_path: Path) -> None:
    p = write(
        "t.yaml",
        f"extends: {baseline_path}\nparameters:\n  ground:\n    nk_wave1_size:\n      dist: gamma\n",
    )
    m = only(errors_of(p))
    assert m["rest"].startswith("parameters.ground.nk_wave1_size.dist: unknown distribution")
    assert m["rest"].endswith("(got 'gamma')")


def test_changing_dist_replaces_the_spec_instead_of_merging(
    write: Write, baseline_path: Path
) -> None:
    p = write(
        "t.yaml",
        f"extends: {baseline_path}\nparameters:\n  ground:\n    nk_wave1_size:\n"
        "      dist: uniform\n      low: 1\n      high: 2\n",
    )
    lines = errors_of(p)
    # The base file's provenance is not inherited by a different distribution.
    rests = [x.split(": ", 1)[1] for x in lines]
    assert rests == [
        f"parameters.ground.nk_wave1_size.{k}: required key is missing"
        for k in ("source", "as_of", "confidence")
    ]


def test_missing_source(write: Write) -> None:
    p = write(
        "t.yaml",
        "parameters:\n  g:\n    x: {dist: fixed, value: 1, as_of: 2024-01-01, confidence: low}\n",
    )
    m = only(errors_of(p))
    assert m["rest"] == "parameters.g.x.source: required key is missing"
    assert m["line"] == "3"


def test_missing_file_in_extends(write: Write) -> None:
    p = write("t.yaml", "extends: nothere.yaml\n")
    m = only(errors_of(p))
    assert (m["line"], m["col"]) == ("1", "10")
    assert "extends: file not found" in m["rest"] and "(got 'nothere.yaml')" in m["rest"]


def test_cycle_shows_the_chain(write: Write) -> None:
    a = write("a.yaml", "extends: b.yaml\n")
    write("b.yaml", "extends: [c.yaml]\n")
    write("c.yaml", "extends: a.yaml\n")
    m = only(errors_of(a))
    assert "cycle of extends" in m["rest"]
    assert re.search(r"a\.yaml -> .*b\.yaml -> .*c\.yaml -> .*a\.yaml", m["rest"])


def test_malformed_yaml(write: Write) -> None:
    p = write("t.yaml", "name: x\npolicy: [1, 2\n")
    m = only(errors_of(p))
    assert m["rest"].startswith("malformed YAML")


def test_empty_file(write: Write) -> None:
    m = only(errors_of(write("t.yaml", "")))
    assert "empty document" in m["rest"]
    m = only(errors_of(write("c.yaml", "# only a comment\n")))
    assert "empty document" in m["rest"]


def test_non_mapping_document(write: Write) -> None:
    m = only(errors_of(write("t.yaml", "- 1\n- 2\n")))
    assert "must be a mapping" in m["rest"] and "(got a list: [1, 2])" in m["rest"]
    m = only(errors_of(write("s.yaml", "just a string\n")))
    assert "must be a mapping" in m["rest"]


def test_duplicate_keys(write: Write) -> None:
    m = only(errors_of(write("t.yaml", "name: a\nhorizon_days: 3\nname: b\n")))
    assert m["line"] == "3"
    assert 'duplicate key "name"' in m["rest"]


@pytest.mark.parametrize(
    "text",
    [
        "name: !!python/object/apply:os.system ['echo hacked']\n",
        "name: !!python/name:os.system\n",
        "run: !custom {seed: 1}\n",
        "name: !!binary aGVsbG8=\n",
    ],
)
def test_object_constructing_tags_are_rejected(write: Write, text: str) -> None:
    m = only(errors_of(write("t.yaml", text)))
    assert m["line"] == "1"
    assert "not allowed" in m["rest"] and "plain data only" in m["rest"]


def test_huge_replication_count_is_refused_before_allocating(
    write: Write, baseline_path: Path
) -> None:
    p = write("t.yaml", f"extends: {baseline_path}\nrun:\n  replications: 900000000\n")
    cfg = load_config(p)
    with pytest.raises(ConfigError) as info:
        run(cfg)
    m = only(str(info.value).splitlines())
    assert m["file"] == str(p) and m["line"] == "3"
    assert "GiB" in m["rest"] and "(got 900000000)" in m["rest"]


def test_unknown_and_missing_parameters_are_located(write: Write, baseline_path: Path) -> None:
    p = write(
        "t.yaml", f"extends: {baseline_path}\nparameters:\n  ground:\n    nk_wave3_size: {PARAM}\n"
    )
    cfg = load_config(p)
    with pytest.raises(ConfigError) as info:
        run(cfg, replications=10)
    m = only(str(info.value).splitlines())
    assert (m["line"], m["col"]) == ("4", "5")
    assert (
        "unknown parameter for model 'campaign'; did you mean 'ground.nk_wave2_size'" in m["rest"]
    )


def test_extends_deep_merges_mappings_and_replaces_lists(write: Write) -> None:
    write(
        "base.yaml",
        "name: base\npolicy:\n  advisors:\n    personnel: 5\n    roles: [tactics_analysis, interrogation]\n"
        "run:\n  seed: 7\n",
    )
    child = write(
        "sub/child.yaml",
        "extends: ../base.yaml\nname: child\npolicy:\n  advisors:\n    deploy: true\n"
        "    roles: [interrogation]\n",
    )
    cfg = load_config(child)
    assert cfg.name == "child"
    assert cfg.run.seed == 7
    assert cfg.policy.advisors.deploy and cfg.policy.advisors.personnel == 5
    assert cfg.policy.advisors.roles == ("interrogation",)


def test_extends_list_later_wins(write: Write) -> None:
    write("a.yaml", "name: a\nhorizon_days: 10\n")
    write("b.yaml", "name: b\n")
    c = write("c.yaml", "extends: [a.yaml, b.yaml]\n")
    cfg = load_config(c)
    assert (cfg.name, cfg.horizon_days) == ("b", 10)


def test_errors_point_to_the_file_that_set_the_value(write: Write) -> None:
    write("a.yaml", "horizon_days: -1\n")
    c = write("c.yaml", "extends: a.yaml\nname: c\n")
    m = only(errors_of(c))
    assert m["file"].endswith("a.yaml") and m["line"] == "1"


def test_overrides(baseline_path: Path) -> None:
    cfg = load_config(
        baseline_path,
        overrides=[
            "policy.advisors.deploy=true",
            "policy.advisors.personnel=12",
            "parameters.ground.nk_wave1_size.mode=11500",
            "run.replications=500",
        ],
    )
    assert cfg.policy.advisors.deploy and cfg.policy.advisors.personnel == 12
    assert cfg.parameters["ground"]["nk_wave1_size"].mode == 11500  # type: ignore[union-attr]
    assert cfg.run.replications == 500


def test_bad_overrides_are_located(baseline_path: Path) -> None:
    m = only(errors_of(baseline_path, overrides=["policy.advisors.personnel=-2"]))
    assert m["file"] == "<--set policy.advisors.personnel=-2>"
    assert "(got -2)" in m["rest"]
    m = only(errors_of(baseline_path, overrides=["nonsense"]))
    assert "dotted.key=value" in m["rest"]
    m = only(errors_of(baseline_path, overrides=["polcy.x=1"]))
    assert "did you mean 'policy'" in m["rest"]


def test_lever_constraint_names_the_field(baseline_path: Path) -> None:
    m = only(errors_of(baseline_path, overrides=["policy.advisors.deploy=true"]))
    assert m["rest"] == (
        "policy.advisors.personnel: must be at least 1 when deploy is true (got 0)"
    )


def test_document_records_positions(baseline_path: Path) -> None:
    doc = load_document(baseline_path)
    file, line, col = doc.source_map.find(("parameters", "ground", "nk_wave1_size"), value=False)
    assert file == str(baseline_path) and line > 1 and col == 5
    assert doc.source_map.files == (str(baseline_path),)


def test_missing_config_file(tmp_path: Path) -> None:
    m = only(errors_of(tmp_path / "nope.yaml"))
    assert "file not found" in m["rest"]


def test_override_creating_unknown_keys_is_located_at_the_set(baseline_path: Path) -> None:
    m = only(errors_of(baseline_path, overrides=["bogus.deep.key=1"]))
    assert m["file"] == "<--set bogus.deep.key=1>"
    assert m["rest"].startswith("bogus: unknown key")


def test_invalid_dates_are_located(write: Write, baseline_path: Path) -> None:
    m = only(errors_of(baseline_path, overrides=["start_date=2024-13-45"]))
    assert (m["file"], m["col"]) == ("<--set start_date=2024-13-45>", "12")
    assert m["rest"] == "start_date: invalid date: month must be in 1..12 (got '2024-13-45')"
    p = write(
        "t.yaml",
        f"extends: {baseline_path}\nparameters:\n  ground:\n    nk_wave1_size:\n"
        "      as_of: 2024-02-30\n",
    )
    m = only(errors_of(p))
    assert (m["line"], m["col"]) == ("5", "14")
    assert m["rest"].startswith("parameters.ground.nk_wave1_size.as_of: invalid date: day is")


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("name: !!omap [{a: 1}]\n", "1", "name: YAML tag !!omap is not allowed: write a plain"),
        ("name: !!set {a: null}\n", "1", "name: YAML tag !!set is not allowed: write a list"),
        ("b: &b {seed: 1}\nrun:\n  <<: *b\n", "3", "run: merge keys (<<) are not supported"),
        ("policy:\n  advisors: {deploy: off}\n", "2", "policy.advisors.deploy: 'off' is text"),
    ],
)
def test_yaml_1_1_constructs_are_refused_with_a_hint(
    write: Write, text: str, line: str, fragment: str
) -> None:
    m = only(errors_of(write("t.yaml", text)))
    assert m["line"] == line
    assert m["rest"].startswith(fragment), m["rest"]


def test_quoted_yes_is_text(write: Write) -> None:
    p = write("t.yaml", "name: 'yes'\nhorizon_days: -1\n")
    m = only(errors_of(p))  # only the horizon is wrong: 'yes' is a fine name
    assert m["rest"].startswith("horizon_days:")


def test_symlink_loops_are_located(write: Write, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    m = only(errors_of(write("t.yaml", "name: t\nextends: [a.yaml]\n")))
    assert (m["line"], m["col"]) == ("2", "11")
    assert m["rest"] == "extends: a symlink loop (got 'a.yaml')"
    m = only(errors_of(tmp_path / "a.yaml"))
    assert m["rest"] == "a symlink loop"


def test_extends_reads_only_scenario_yaml_and_echoes_nothing(write: Write) -> None:
    write("secret", "token: SECRET\n")
    m = only(errors_of(write("t.yaml", "extends: secret\n")))
    assert m["rest"] == "extends: must name a .yaml or .yml scenario file (got 'secret')"
    write("other.yaml", "token: SECRET\nlist: [SECRET]\n")
    lines = errors_of(write("u.yaml", "extends: other.yaml\n"))
    m = only(lines)
    assert "is not a scenario file" in m["rest"] and "SECRET" not in lines[0]
