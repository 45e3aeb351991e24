"""The ``sweep:`` block of a scenario file: levers to vary over a list of values.

.. code-block:: yaml

    sweep:
      policy.msam.batteries: [1, 2, 4]
      policy.msam.doctrine: [salvo, shoot_look_shoot]

Each key is a dotted lever key (it starts with ``policy.``: levers are set by the analyst,
uncertain parameters are sampled, never swept), each value a non-empty list without
repeats. Several keys make a grid: the cartesian product of the lists, in key order (the
last key varies fastest). :func:`scenario.analysis.sweep.run_sweep` runs every point on the
same seed, so the points are paired on common random numbers.

This module checks the keys against the lever schema (:class:`scenario.config.schema.Policy`)
when the file is validated, so a key that is not a lever, an unknown key or an empty list is
a located ``ConfigError``. The values themselves are validated point by point, as overrides
of the config (:func:`scenario.analysis.sweep.sweep_configs`).
"""

from __future__ import annotations

import difflib
import json
from typing import Annotated, Any, get_args

from pydantic import AfterValidator, BaseModel, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = ["SweepSpec", "check_sweep", "lever_key_known", "point_name"]

_NAME = object()  # the next key part is a registered lever's name (policy.added.<name>)
_FREE = object()  # the next key part is any name (policy.custom.<name>)


def _model_in(annotation: Any) -> Any:
    """The pydantic model class in ``annotation`` (``Trigger | None`` -> Trigger), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def lever_key_known(key: str) -> bool:
    """Whether ``key`` (``policy.msam.batteries``) names a lever or a field of one.

    Parameters
    ----------
    key : str
        Dotted key starting with ``policy.``. Levers registered from user code are under
        ``policy.added.<name>``; values of user models under ``policy.custom.<name>``.

    Returns
    -------
    bool
        True if every part of the key names a field of the lever schema.
    """
    from scenario.config.levers import lever_class
    from scenario.config.schema import Policy

    parts = key.split(".")
    if len(parts) < 2 or parts[0] != "policy":
        return False
    node: Any = Policy
    for part in parts[1:]:
        if node is _FREE:
            node = None
            continue
        if node is _NAME:
            node = lever_class(part)
            if node is None:
                return False
            continue
        if node is None or part not in node.model_fields:
            return False
        if node is Policy and part in ("added", "custom"):
            node = _NAME if part == "added" else _FREE
        else:
            node = _model_in(node.model_fields[part].annotation)
    return node is not _NAME and node is not _FREE


def _known_keys() -> list[str]:
    """Every built-in lever key and its prefixes (for 'did you mean')."""
    from scenario.config.schema import Policy

    keys: set[str] = set()
    for name, field in Policy.model_fields.items():
        keys.add(f"policy.{name}")
        model = _model_in(field.annotation)
        if model is not None:
            keys.update(f"policy.{name}.{f}" for f in model.model_fields)
    return sorted(keys)


def _key_problem(key: str) -> str | None:
    """What is wrong with a sweep key, or None."""
    if not key.startswith("policy.") or key == "policy.":
        return (
            "not a lever: sweep keys are dotted lever keys starting with 'policy.' "
            f"(uncertain parameters are sampled, not swept) (got {key!r})"
        )
    if lever_key_known(key):
        return None
    close = difflib.get_close_matches(key, _known_keys(), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown lever key{hint} (got {key!r})"


def _values_problem(values: list[Any]) -> str | None:
    """What is wrong with a sweep's list of values, or None."""
    if not values:
        return "needs at least one value (got [])"
    seen: set[str] = set()
    for value in values:
        text = json.dumps(value, sort_keys=True, default=str)
        if text in seen:
            return f"repeats the value {value!r}; each point must differ (got {values!r})"
        seen.add(text)
    return None


def check_sweep(value: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Validate a ``sweep:`` mapping: lever keys only, non-empty lists without repeats.

    Parameters
    ----------
    value : dict of str to list
        Dotted lever key to the values it takes.

    Returns
    -------
    dict of str to list
        ``value`` unchanged.

    Raises
    ------
    pydantic.ValidationError
        One error per bad key, located at ``sweep.<key>``.
    """
    errors: list[InitErrorDetails] = []
    for key, values in value.items():
        problem = _key_problem(key) or _values_problem(values)
        if problem is not None:
            errors.append(
                {
                    "type": PydanticCustomError("sweep", "{problem}", {"problem": problem}),
                    "loc": (key,),
                    "input": values,
                }
            )
    if errors:
        raise ValidationError.from_exception_data("sweep", errors)
    return value


SweepSpec = Annotated[dict[str, list[Any]], AfterValidator(check_sweep)]
"""Type of :attr:`scenario.config.schema.ScenarioConfig.sweep`: lever key to its values."""


def point_name(coordinates: dict[str, Any]) -> str:
    """Name of a sweep point: ``"policy.msam.batteries=2"``, keys joined by ``", "``.

    Parameters
    ----------
    coordinates : dict of str to Any
        Lever key to the value it takes at this point.

    Returns
    -------
    str
        ``key=value`` pairs in key order; strings as is, other values as JSON.
    """
    return ", ".join(
        f"{k}={v if isinstance(v, str) else json.dumps(v, sort_keys=True)}"
        for k, v in coordinates.items()
    )
