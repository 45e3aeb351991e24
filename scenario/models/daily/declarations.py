"""Declared seams between the submodels of a daily campaign: signals, quantities, events.

A **signal** is a per-day array of shape ``(n,)`` that one submodel writes and others read;
a **quantity** is a signal that triggers may watch (a cumulative value such as NK
casualties so far). An **event** is something that happens on a day in some replications
(``nk_second_wave``), either marked directly by its producer or derived from a quantity
crossing a threshold (``nk_casualties_above``). Each is declared once, in the module of
the submodel that produces it, with its unit, meaning and producer; other submodels refer
to that object.

A submodel says what it reads and when: :func:`today` (the producer runs first in the day
and its value of the same day is seen) or :func:`yesterday` (the value written on the
previous day; the declared default on day 0). Composition orders the submodels so that
every same-day read comes after its producer, whatever order they were listed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from scenario.errors import ModelError

__all__ = [
    "Event",
    "Quantity",
    "Read",
    "Signal",
    "ThresholdEvent",
    "Timing",
    "today",
    "yesterday",
]

Timing = Literal["today", "yesterday"]
Comparison = Literal["above", "below", "at_least"]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_name(kind: str, name: str, producer: str) -> None:
    if not _NAME.match(name):
        raise ModelError(f"{kind} name must match [a-z][a-z0-9_]* (got {name!r})")
    if not _NAME.match(producer):
        raise ModelError(f"{kind} {name!r}: producer must be a submodel name (got {producer!r})")


@dataclass(frozen=True)
class Signal:
    """A per-day array one submodel writes and others read.

    Attributes
    ----------
    name : str
        Unique name of the signal.
    unit : str
        Unit of its values.
    meaning : str
        One line on what it measures.
    producer : str
        Name of the submodel that writes it (only that submodel may).
    default : float or None
        Value a reader sees when the producer is not part of the composition (and, for a
        ``yesterday`` read, on day 0). ``None``: the producer is required.
    """

    name: str
    unit: str
    meaning: str
    producer: str
    default: float | None = None

    def __post_init__(self) -> None:
        _check_name(type(self).__name__.lower(), self.name, self.producer)


@dataclass(frozen=True)
class Quantity(Signal):
    """A signal that triggers may watch (through a :class:`ThresholdEvent`)."""


@dataclass(frozen=True)
class Event:
    """Something that first happens on a day, marked by its producer.

    A lever whose ``trigger.event`` names the event starts ``delay_days`` after the day it is
    first observed.
    """

    name: str
    meaning: str
    producer: str

    def __post_init__(self) -> None:
        _check_name("event", self.name, self.producer)

    @property
    def needs_threshold(self) -> bool:
        """Whether a trigger on this event takes a ``threshold``."""
        return False


@dataclass(frozen=True)
class ThresholdEvent(Event):
    """An event derived from a quantity: it happens when ``quantity`` is ``compare``
    (``above``, ``below`` or ``at_least``) the trigger's threshold at the end of a day.
    Its producer is the quantity's producer."""

    quantity: Quantity | None = None
    compare: Comparison = "above"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.quantity is None:
            raise ModelError(f"threshold event {self.name!r} needs a quantity")
        if self.quantity.producer != self.producer:
            raise ModelError(
                f"threshold event {self.name!r}: producer {self.producer!r} must be the "
                f"producer of its quantity ({self.quantity.producer!r})"
            )

    @property
    def needs_threshold(self) -> bool:
        """Always true: the trigger says the level."""
        return True


@dataclass(frozen=True)
class Read:
    """A submodel's read of a signal: which one and whether today's or yesterday's value.

    ``signal`` may be the declaration itself or its name (resolved when the campaign is
    composed; an unknown name is an error naming the closest declared one).
    """

    signal: Signal | str
    when: Timing = "today"

    @property
    def name(self) -> str:
        """Name of the signal read."""
        return self.signal if isinstance(self.signal, str) else self.signal.name


def today(signal: Signal | str) -> Read:
    """Read ``signal``'s value of the same day (its producer runs first)."""
    return Read(signal, "today")


def yesterday(signal: Signal | str) -> Read:
    """Read ``signal``'s value of the previous day (its default on day 0)."""
    return Read(signal, "yesterday")
