"""Where every key of a scenario came from: ``file:line:column`` of keys and values.

The loader records a :class:`Loc` for every key path of the merged document in a
:class:`SourceMap`, which travels with the validated config
(:attr:`scenario.config.schema.ScenarioConfig.locations`). :func:`locate` and
:func:`issue_at` turn a key path of a config into a position or a located
:class:`~scenario.errors.ConfigIssue`, so checks made long after loading (the engine's
parameter check, for example) still point at the line that is wrong.

This module imports nothing from the loader, the engine or the models: anything may use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scenario.errors import ConfigIssue

if TYPE_CHECKING:
    from scenario.config.schema import ScenarioConfig

__all__ = ["KeyPath", "Loc", "SourceMap", "dotted", "issue_at", "locate"]

KeyPath = tuple[str | int, ...]
"""A key path into a document: mapping keys and list indices, outermost first."""


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a key (``line``, ``column``) and its value (``vline``, ``vcolumn``) stand; 1-based."""

    file: str
    line: int
    column: int
    vline: int
    vcolumn: int


@dataclass(frozen=True)
class SourceMap:
    """Positions of every key path of a (merged) document, and the files it came from."""

    locations: dict[KeyPath, Loc] = field(default_factory=dict)
    root: str = "<python>"
    files: tuple[str, ...] = ()

    def find(self, path: Sequence[str | int], *, value: bool = True) -> tuple[str, int, int]:
        """Return ``(file, line, column)`` of ``path`` or of its nearest recorded ancestor.

        Parameters
        ----------
        path : sequence of str or int
            Key path into the document.
        value : bool
            Position of the value (default) rather than of the key.

        Returns
        -------
        tuple of (str, int, int)
            The file, and the 1-based line and column; ``(root, 1, 1)`` when nothing on the
            path was recorded, ``("<python>", 0, 0)`` for a config built in Python.
        """
        p = tuple(path)
        while p:
            loc = self.locations.get(p)
            if loc is not None:
                return (
                    (loc.file, loc.vline, loc.vcolumn)
                    if value
                    else (loc.file, loc.line, loc.column)
                )
            p = p[:-1]
        return (self.root, 1, 1) if self.root != "<python>" else (self.root, 0, 0)


def dotted(path: Sequence[str | int]) -> str:
    """Render a key path as ``a.b[0].c``.

    Parameters
    ----------
    path : sequence of str or int
        Key path; integers are list indices.

    Returns
    -------
    str
        The dotted form used in error messages.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def locate(
    config: ScenarioConfig, path: Sequence[str | int], *, value: bool = True
) -> tuple[str, int, int]:
    """Return ``(file, line, column)`` where ``path`` of a loaded config was written.

    Parameters
    ----------
    config : ScenarioConfig
        A config; one built in Python (not loaded from a file) has no locations.
    path : sequence of str or int
        Key path into the config.
    value : bool
        Position of the value (default) rather than of the key.

    Returns
    -------
    tuple of (str, int, int)
        ``("<python>", 0, 0)`` when the config carries no source map.
    """
    smap = config.locations
    if smap is None:
        return ("<python>", 0, 0)
    return smap.find(path, value=value)


def issue_at(
    config: ScenarioConfig, path: Sequence[str | int], message: str, *, value: bool = True
) -> ConfigIssue:
    """Build a located :class:`~scenario.errors.ConfigIssue` for ``path`` of ``config``.

    Parameters
    ----------
    config : ScenarioConfig
        The config the issue is about.
    path : sequence of str or int
        Key path of the offending key.
    message : str
        What is wrong.
    value : bool
        Point at the value (default) rather than at the key.

    Returns
    -------
    ConfigIssue
        Located at ``path`` (or its nearest recorded ancestor).
    """
    file, line, col = locate(config, path, value=value)
    return ConfigIssue(file, line, col, dotted(path), message)
