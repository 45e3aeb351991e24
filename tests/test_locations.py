"""Source locations: positions of keys travel with the loaded config."""

from __future__ import annotations

from pathlib import Path

import scenario.config
import scenario.config.loader as loader
from scenario.config.loader import config_from_dict, load_config
from scenario.config.locations import Loc, SourceMap, dotted, issue_at, locate
from scenario.config.schema import ScenarioConfig


def test_loaded_config_knows_where_its_keys_are(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("name: x\nrun:\n  replications: 50\n", encoding="utf-8")
    cfg = load_config(path)
    assert cfg.locations is not None
    assert cfg.locations.files == (str(path.resolve()),)
    assert locate(cfg, ("run", "replications")) == (str(path.resolve()), 3, 17)
    assert locate(cfg, ("run", "replications"), value=False) == (str(path.resolve()), 3, 3)
    issue = issue_at(cfg, ("run", "replications"), "too few")
    assert (issue.line, issue.column, issue.key, issue.message) == (
        3,
        17,
        "run.replications",
        "too few",
    )


def test_a_config_built_in_python_has_no_locations() -> None:
    cfg = ScenarioConfig()
    assert cfg.locations is None
    assert locate(cfg, ("name",)) == ("<python>", 0, 0)


def test_with_locations_returns_a_copy_carrying_them() -> None:
    cfg = ScenarioConfig(name="a")
    smap = SourceMap({("name",): Loc("f.yaml", 1, 1, 1, 7)}, root="f.yaml", files=("f.yaml",))
    located = cfg.with_locations(smap)
    assert located.locations is smap and cfg.locations is None
    assert located.model_dump() == cfg.model_dump()
    assert locate(located, ("name",)) == ("f.yaml", 1, 7)
    assert locate(located, ("run", "seed")) == ("f.yaml", 1, 1)
    assert config_from_dict({"name": "b"}).locations == SourceMap()


def test_old_import_paths_still_work() -> None:
    assert loader.issue_at is issue_at and loader.locate is locate
    assert loader.SourceMap is SourceMap and loader.Loc is Loc
    assert scenario.config.issue_at is issue_at and scenario.config.Loc is Loc
    assert dotted(("a", 0, "b")) == "a[0].b"
