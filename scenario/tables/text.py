r"""Formatting primitives of the tables: numbers to their precision, shares, labels, and
text from configs made safe to print.

Precision. A row's numbers are rounded to one decimal place :math:`d`. With :math:`h` the
half-width of the 95 % CI of the mean, :math:`d = 1 - \lfloor\log_{10} h\rfloor` (two
significant digits of :math:`h`; a negative :math:`d` rounds to tens, hundreds, ...).
Without a half-width (fewer than two finite replications, or every value equal)
:math:`d = \max(3 - \lfloor\log_{10} m\rfloor, 0)` for the largest magnitude :math:`m`
(four significant digits, never rounding units away); always :math:`d \le 6`. Quantiles,
minima and maxima that are whole numbers print without decimals; thousands are separated by
commas. A value that is only a lower bound (a censored outcome, see
:mod:`scenario.tables.censoring`) prints as ``≥`` value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scenario.tables.censoring import Censoring

__all__ = [
    "MAX_PLACES",
    "UNIT_WORDS",
    "bounded",
    "bounded_mean",
    "label",
    "literal",
    "number",
    "percent",
    "places",
    "wrap_words",
]

MAX_PLACES = 6
UNIT_WORDS = {"min": "minutes"}
"""Units written out in labels (a unit "min" would read as the minimum)."""

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_BREAK = re.compile(r"(?<=[ _.,=/\]])|(?=\[)")


def literal(text: str, *, lines: bool = False) -> str:
    """``text`` safe to print as is: control characters escaped, so no ANSI sequence acts.

    Parameters
    ----------
    text : str
        Text from a config or the user (names, notes, sources).
    lines : bool
        Keep newlines (else they print as ``\\n``); tabs become spaces.

    Returns
    -------
    str
        C0 and C1 control characters, DEL, line separators and bidirectional overrides as
        ``\\xNN`` or ``\\uNNNN``.
    """

    def escape(m: re.Match[str]) -> str:
        code = ord(m.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    text = _CONTROL.sub(escape, text.replace("\t", " "))
    return text if lines else text.replace("\n", "\\n")


def places(half: float, values: Iterable[float]) -> int:
    """Decimal places for a row: from the CI half-width, else 4 significant digits.

    Parameters
    ----------
    half : float
        Half-width of the 95 % CI of the mean (NaN or 0 when there is none).
    values : iterable of float
        The row's statistics (for the fallback).

    Returns
    -------
    int
        Decimal places, at most :data:`MAX_PLACES`; negative rounds to tens, hundreds, ...
    """
    big = max((abs(v) for v in values if math.isfinite(v)), default=0.0)
    if math.isfinite(half) and half > 1e-9 * big:
        return min(1 - math.floor(math.log10(half)), MAX_PLACES)
    if big == 0:
        return 0
    return min(max(3 - math.floor(math.log10(big)), 0), MAX_PLACES)


def number(x: float, digits: int, *, whole: bool = False, sign: bool = False) -> str:
    """``x`` rounded to ``digits`` decimal places with thousands separators ("" for NaN).

    Parameters
    ----------
    x : float
        The value.
    digits : int
        Decimal places (negative: round to tens, hundreds, ...).
    whole : bool
        Print a whole number without decimals.
    sign : bool
        Prefix ``+`` to a positive value.
    """
    if math.isnan(x):
        return ""
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if whole and x == math.floor(x):
        digits = min(digits, 0)
    if digits < 0:
        x = round(x, digits)
        digits = 0
    text = f"{x:{'+' if sign else ''},.{digits}f}"
    return text.lstrip("+-") if float(text.replace(",", "")) == 0 else text


def percent(p: float) -> str:
    """A share as a whole percentage; ``<1%`` and ``>99%`` rather than 0 % or 100 %."""
    if math.isnan(p):
        return ""
    if p in (0.0, 1.0):
        return f"{p * 100:.0f}%"
    if p < 0.01:
        return "<1%"
    if p > 0.99:
        return ">99%"
    return f"{p * 100:.0f}%"


def label(name: str, unit: str) -> str:
    """``name [unit]`` (the unit written out where it could be misread, e.g. minutes)."""
    unit = UNIT_WORDS.get(unit, unit)
    return literal(f"{name} [{unit}]" if unit else name)


def wrap_words(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` after a space or ``_ . , = / ]``, or
    before ``[``.

    A label ``name [unit]`` too long for one line puts ``[unit]`` on the next line when the
    name fits. A piece longer than ``width`` with no such break is cut (the last resort).
    """
    width = max(width, 1)
    head, bracket, unit = text.rpartition(" [")
    if len(text) > width and bracket and len(head) <= width:
        return f"{head}\n{wrap_words('[' + unit, width)}"
    lines: list[str] = []
    line = ""
    for piece in _BREAK.split(text):
        if line and len(line) + len(piece.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        while len(piece) > width:
            lines.append(piece[:width])
            piece = piece[width:]
        line += piece
    lines.append(line.rstrip())
    return "\n".join(x for x in lines if x)


def bounded(x: float, digits: int, cens: Censoring | None) -> str:
    """A quantile, minimum or maximum: :func:`number`, ``≥`` where only a lower bound."""
    text = number(x, digits, whole=True)
    return f"≥{text}" if text and cens is not None and cens.bound(x) else text


def bounded_mean(x: float, digits: int, cens: Censoring | None, *, whole: bool = False) -> str:
    """A mean: :func:`number`, ``≥`` when some replications are censored."""
    text = number(x, digits, whole=whole)
    return f"≥{text}" if text and cens is not None and cens.never > 0 else text
