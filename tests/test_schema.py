"""The committed JSON Schema stays in sync, and every config references it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scenario.config.schema import ScenarioConfig, json_schema

ROOT = Path(__file__).resolve().parents[1]
# Record files (configs/record/) are data, not scenarios.
CONFIG_FILES = sorted(p for p in (ROOT / "configs").rglob("*.yaml") if "record" not in p.parts)


def test_committed_schema_is_in_sync() -> None:
    committed = json.loads((ROOT / "configs" / "scenario.schema.json").read_text())
    assert committed == json_schema(), (
        "configs/scenario.schema.json is stale: run `scenario schema --out "
        "configs/scenario.schema.json`"
    )


@pytest.mark.parametrize("path", CONFIG_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_config_has_the_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("$schema=", 1)[1].strip()).resolve()
    assert target == (ROOT / "configs" / "scenario.schema.json").resolve()


def test_schema_forbids_extra_keys_and_knows_extends() -> None:
    schema = json_schema()
    assert schema["additionalProperties"] is False
    assert "extends" in schema["properties"]
    assert set(ScenarioConfig.model_fields) <= set(schema["properties"])


def test_models_are_frozen() -> None:
    cfg = ScenarioConfig()
    with pytest.raises(Exception, match="frozen"):
        cfg.name = "x"  # type: ignore[misc]
