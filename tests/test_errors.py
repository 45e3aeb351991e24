from __future__ import annotations

import pytest

from scenario.errors import (
    ConfigError,
    ConfigIssue,
    EngineError,
    ModelError,
    ResultsError,
    ScenarioError,
)


@pytest.mark.parametrize("cls", [ConfigError, EngineError, ModelError, ResultsError])
def test_errors_derive_from_scenario_error_and_exception(cls: type) -> None:
    assert issubclass(cls, ScenarioError)
    assert issubclass(ScenarioError, Exception)
    assert not issubclass(ScenarioError, KeyboardInterrupt)


def test_config_error_is_one_line_per_issue() -> None:
    err = ConfigError(
        [
            ConfigIssue("a.yaml", 3, 5, "run.seed", "must be >= 0 (got -1)"),
            ConfigIssue("b.yaml", 1, 1, "", "empty document"),
        ]
    )
    assert str(err).splitlines() == [
        "a.yaml:3:5: run.seed: must be >= 0 (got -1)",
        "b.yaml:1:1: empty document",
    ]
    assert len(err.issues) == 2
