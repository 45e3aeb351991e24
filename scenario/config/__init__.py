"""Scenario configuration: schema, distributions, the YAML loader and source locations."""

from scenario.config.distributions import (
    DISTRIBUTION_NAMES,
    DistributionSpec,
    describe,
    is_assumption,
    sample,
)
from scenario.config.loader import (
    Document,
    config_from_dict,
    load_config,
    load_document,
)
from scenario.config.locations import Loc, SourceMap, issue_at, locate
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
    "Loc",
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
