"""Scenario configuration: schema, distributions and the YAML loader."""

from scenario.config.distributions import (
    DISTRIBUTION_NAMES,
    DistributionSpec,
    describe,
    is_assumption,
    sample,
)
from scenario.config.loader import (
    Document,
    SourceMap,
    config_from_dict,
    issue_at,
    load_config,
    load_document,
    locate,
)
from scenario.config.schema import (
    Advisors,
    OffensiveAid,
    Policy,
    RunSettings,
    ScenarioConfig,
    json_schema,
)

__all__ = [
    "DISTRIBUTION_NAMES",
    "Advisors",
    "DistributionSpec",
    "Document",
    "OffensiveAid",
    "Policy",
    "RunSettings",
    "ScenarioConfig",
    "SourceMap",
    "config_from_dict",
    "describe",
    "is_assumption",
    "issue_at",
    "json_schema",
    "load_config",
    "load_document",
    "locate",
    "sample",
]
