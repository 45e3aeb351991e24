"""Exceptions raised by :mod:`scenario`.

Every error the library raises on purpose derives from :class:`ScenarioError`, itself a
plain :class:`Exception`, so ``except ScenarioError`` catches a user's mistake without
swallowing ``KeyboardInterrupt`` or ``SystemExit``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ConfigError",
    "ConfigIssue",
    "EngineError",
    "ModelError",
    "ResultsError",
    "ScenarioError",
]


class ScenarioError(Exception):
    """Base class of every error raised by :mod:`scenario`."""


@dataclass(frozen=True, slots=True)
class ConfigIssue:
    """One located problem in a configuration.

    Attributes
    ----------
    file : str
        The file the offending value came from (or ``<--set ...>`` for an override).
    line, column : int
        1-based position of the offending key or value; 0 when unknown.
    key : str
        Dotted key path, for example ``parameters.ground.nk_wave1_size.low``.
    message : str
        What is wrong, ending with ``(got VALUE)`` where a value was given.
    """

    file: str
    line: int
    column: int
    key: str
    message: str

    def __str__(self) -> str:
        key = f"{self.key}: " if self.key else ""
        return f"{self.file}:{self.line}:{self.column}: {key}{self.message}"


class ConfigError(ScenarioError):
    """A configuration could not be read, merged or validated.

    ``str(error)`` is one line per problem, each ``FILE:LINE:COL: key: message (got VALUE)``.
    The individual problems are in :attr:`issues`.
    """

    def __init__(self, issues: list[ConfigIssue] | ConfigIssue) -> None:
        self.issues: tuple[ConfigIssue, ...] = (
            (issues,) if isinstance(issues, ConfigIssue) else tuple(issues)
        )
        super().__init__("\n".join(str(i) for i in self.issues))


class ModelError(ScenarioError):
    """A model is malformed, unknown, or produced output that breaks the model protocol."""


class EngineError(ScenarioError):
    """A run could not be carried out (bad arguments, a worker died, out of memory)."""


class ResultsError(ScenarioError):
    """Results could not be saved, loaded or summarised."""
