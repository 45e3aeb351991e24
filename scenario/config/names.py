"""Suggesting the declared parameter a mistyped name most likely meant."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

__all__ = ["closest_parameter"]


def closest_parameter(name: str, declared: Sequence[str]) -> str | None:
    """The declared parameter key closest to ``name``, by the whole ``group.name`` key or,
    failing that, by its name part (so a wrong group still finds the parameter)."""
    close = difflib.get_close_matches(name, list(declared), n=1)
    if close:
        return close[0]
    by_name = {k.split(".", 1)[-1]: k for k in declared}
    close = difflib.get_close_matches(name.split(".", 1)[-1], list(by_name), n=1)
    return by_name[close[0]] if close else None
