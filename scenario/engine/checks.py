"""Checks of a config against the model it runs: which model, which parameters, each
parameter's domain (:attr:`~scenario.models.protocol.ParameterInfo.bounds`, whole, fixed),
the posterior's columns, and the issues the model itself can see.

:func:`resolve_model` and :func:`check_config` run before any block (``scenario.run``,
``scenario.run_to_directory``, ``scenario validate``); every problem is a located
:class:`~scenario.errors.ConfigError` line.
"""

from __future__ import annotations

import difflib
from typing import Any

from scenario.config.locations import issue_at
from scenario.config.posterior import check_posterior
from scenario.config.schema import ScenarioConfig
from scenario.errors import ConfigError, ConfigIssue
from scenario.models.protocol import Model, ParameterInfo
from scenario.models.registry import default_registry

__all__ = ["check_config", "resolve_model"]


def resolve_model(config: ScenarioConfig, model: Model | None = None) -> Model:
    """The model ``config`` runs: ``model`` or the registered ``config.model``, restricted
    to ``config.submodels`` when given.

    Raises
    ------
    ConfigError
        ``submodels`` names an unknown submodel, or the model is not a composition.
    """
    if model is None and config.model not in default_registry():
        names = default_registry().names()
        close = difflib.get_close_matches(config.model, names, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ConfigError(
            issue_at(
                config,
                ("model",),
                f"unknown model; {hint}registered: {', '.join(names)} (got {config.model!r})",
            )
        )
    mdl = model if model is not None else default_registry().get(config.model)
    if config.submodels is None:
        return mdl
    with_submodels = getattr(mdl, "with_submodels", None)
    if with_submodels is None:
        raise ConfigError(
            issue_at(
                config,
                ("submodels",),
                f"model {mdl.name!r} is not composed of submodels; remove submodels",
            )
        )
    from scenario.models.registry import submodel_registry

    reg = submodel_registry()
    issues: list[ConfigIssue] = []
    for i, name in enumerate(config.submodels):
        if name not in reg:
            close = difflib.get_close_matches(name, reg.names(), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            issues.append(
                issue_at(
                    config,
                    ("submodels", i),
                    f"unknown submodel; {hint}registered: {', '.join(reg.names())} (got {name!r})",
                )
            )
    if not config.submodels:
        issues.append(issue_at(config, ("submodels",), "must name at least one submodel"))
    if issues:
        raise ConfigError(issues)
    composed: Model = with_submodels(list(config.submodels))
    return composed


def check_config(config: ScenarioConfig, model: Model) -> list[str]:
    """Check that ``config.parameters`` holds the parameters ``model`` declares, that the
    columns of ``config.posterior``'s file are among them (and are not correlated), and any
    config issue the model itself can see (for a composition: triggers on undeclared
    events).

    Parameters of submodels known to a composition but not in it are ignored (not
    sampled); the returned notes say so, in one line.

    Returns
    -------
    list of str
        Notes for the user (may be empty).

    Raises
    ------
    ConfigError
        One located issue per missing or unknown parameter, per model-level issue, or per
        problem with the posterior file (:func:`scenario.config.posterior.check_posterior`).
    """
    declared = {p.key: p for p in model.parameters}
    ignorable: frozenset[str] = getattr(model, "ignored_parameters", frozenset())
    given = config.flat_parameters()
    issues: list[ConfigIssue] = []
    for key, info in declared.items():
        if key not in given:
            issues.append(
                issue_at(
                    config,
                    ("parameters", info.group, info.name),
                    f"required by model {model.name!r} ({info.meaning}, {info.unit}) but "
                    "missing: give a distribution with source, as_of and confidence",
                    value=False,
                )
            )
    ignored = sorted(k for k in given if k not in declared and k in ignorable)
    for key in given:
        if key not in declared and key not in ignorable:
            group, name = key.split(".", 1)
            close = difflib.get_close_matches(key, list(declared), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            issues.append(
                issue_at(
                    config,
                    ("parameters", group, name),
                    f"unknown parameter for model {model.name!r}{hint}",
                    value=False,
                )
            )
    for key, info in declared.items():
        problem = _domain_issue(info, given[key]) if key in given else None
        if problem is not None:
            issues.append(_domain_issue_at(config, info, given[key], problem))
    model_issues = getattr(model, "config_issues", None)
    if model_issues is not None:
        for path, message in model_issues(config):
            issues.append(issue_at(config, path, message))
    post_issues, notes = check_posterior(config, declared, ignorable, model_name=model.name)
    issues.extend(post_issues)
    if issues:
        raise ConfigError(issues)
    if ignored:
        groups = sorted({k.split(".", 1)[0] for k in ignored})
        notes.append(
            f"note: {len(ignored)} parameters of submodels not in this composition were "
            f"ignored (groups: {', '.join(groups)})"
        )
    return notes


def _domain_issue(info: ParameterInfo, spec: Any) -> str | None:
    """Why ``spec`` cannot feed parameter ``info`` (its support leaves ``info.bounds``, it is
    not fixed or not whole where ``info`` says so), or ``None``."""
    from scenario.config.distribution_specs import Fixed
    from scenario.config.distributions import describe, ppf

    if info.fixed and not isinstance(spec, Fixed):
        return f"must be the same in every replication: use dist: fixed (got dist: {spec.dist})"
    low, high = (float(v) for v in ppf(spec, [0.0, 1.0]))
    b_low, b_high = info.bounds
    if low < b_low or high > b_high:
        return (
            f"values in {info.unit} must lie in [{b_low:g}, {b_high:g}], but this "
            f"{spec.dist} distribution reaches [{low:g}, {high:g}]"
        )
    if info.whole and not (isinstance(spec, Fixed) and float(spec.value).is_integer()):
        return f"must be a whole number (got {describe(spec)})"
    return None


def _domain_issue_at(
    config: ScenarioConfig, info: ParameterInfo, spec: Any, message: str
) -> ConfigIssue:
    """The issue located at the distribution's field a ``--set`` changed, if one did (the
    user's last edit), else at the parameter."""
    base = ("parameters", info.group, info.name)
    known = config.locations.locations if config.locations is not None else {}
    for field in type(spec).model_fields:
        loc = known.get((*base, field))
        if loc is not None and loc.file.startswith("<--set"):
            return issue_at(config, (*base, field), message)
    return issue_at(config, base, message)
