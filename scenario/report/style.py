r"""The house style of the plots: option colours and line styles, fonts, axis labels, saving.

Every option keeps one :class:`OptionStyle` (colour, line style, marker, hatch) in every
plot. ``baseline`` (or ``base``) is always grey and solid; the options of
``configs/options/`` have fixed slots; any other name takes the slot
:math:`\mathrm{crc32}(name) \bmod 8` (stable across processes), moved to the next free slot
when another name of the same plot holds it. Slot :math:`k` has colour
:math:`P_{k \bmod 8}` of the Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008, *Color
Universal Design*), line style :math:`L_{k \bmod 8}` and marker :math:`M_{k \bmod 8}`, so
that lines differ in dash pattern and marker too and read in greyscale.

Figures are built with the object-oriented API (:class:`matplotlib.figure.Figure`, never
pyplot), with explicit font sizes rather than global ``rcParams``, so they can be drawn
headless and from threads. :func:`save` writes PNG (150 dpi) and SVG; :func:`to_svg` returns
an inline ``<svg>`` element (no XML declaration, no DOCTYPE, text as paths, so it refers to
no external font or file).
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scenario.errors import ScenarioError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from scenario.results import Results

__all__ = [
    "BASE_NAMES",
    "FONT",
    "OptionStyle",
    "PlotError",
    "axis_label",
    "finish",
    "new_figure",
    "option_colors",
    "option_styles",
    "outcome_meta",
    "safe_name",
    "save",
    "series_meta",
    "to_svg",
    "wrap",
]


class PlotError(ScenarioError):
    """A plot cannot be drawn or saved (matplotlib missing, unknown format)."""


PALETTE: tuple[str, ...] = (
    "#0072b2",  # blue
    "#d55e00",  # vermillion
    "#009e73",  # bluish green
    "#cc79a7",  # reddish purple
    "#e69f00",  # orange
    "#56b4e9",  # sky blue
    "#000000",  # black
    "#9e8a00",  # dark yellow (Okabe-Ito yellow #F0E442 darkened to read on white)
)
"""Okabe–Ito colours (lower-case hex, as matplotlib reports them), the options' slots 0–7."""

LINESTYLES: tuple[Any, ...] = (
    "--",
    "-.",
    ":",
    (0, (8, 2)),
    (0, (3, 1, 1, 1, 1, 1)),
    (0, (1, 3)),
    (0, (10, 2, 2, 2, 2, 2)),
    (0, (2, 1)),
)
MARKERS: tuple[str, ...] = ("s", "^", "D", "v", "P", "X", "*", "h")
HATCHES: tuple[str, ...] = ("//", "\\\\", "xx", "..", "++", "--", "oo", "||")

BASE_NAMES: tuple[str, ...] = ("baseline", "base")
"""Option names drawn as the base: grey, solid line, round marker, no hatch."""

KNOWN: dict[str, int] = {
    "msam": 0,
    "offensive_aid": 1,
    "advisors": 2,
    "bices": 3,
    "european_troops": 4,
    "graduated_response": 5,
    "full_package": 6,
}
"""Fixed slots of the options in ``configs/options/``."""

FONT: dict[str, float] = {"title": 11.0, "label": 9.5, "tick": 8.5, "legend": 8.0, "note": 7.5}
"""Font sizes (points) of titles, axis labels, tick labels, legends and notes."""


@dataclass(frozen=True, slots=True)
class OptionStyle:
    """How one option is drawn in every plot.

    Attributes
    ----------
    color : str
        Hex colour.
    linestyle : str or tuple
        Matplotlib line style (solid for the base only).
    marker : str
        Matplotlib marker.
    hatch : str
        Hatch pattern for filled areas (empty for the base).
    """

    color: str
    linestyle: Any
    marker: str
    hatch: str


_BASE_STYLE = OptionStyle(color="#6e6e6e", linestyle="-", marker="o", hatch="")


def _slot_style(k: int) -> OptionStyle:
    return OptionStyle(
        color=PALETTE[k % len(PALETTE)],
        linestyle=LINESTYLES[k % len(LINESTYLES)],
        marker=MARKERS[k % len(MARKERS)],
        hatch=HATCHES[k % len(HATCHES)],
    )


def _free_slot(preferred: int, taken: set[int]) -> int:
    """``preferred`` if free, else the next free slot (first the 8 colours, then beyond)."""
    n = len(PALETTE)
    for step in range(n):
        k = (preferred + step) % n
        if k not in taken:
            return k
    k = n
    while k in taken:
        k += 1
    return k


def option_styles(names: Sequence[str]) -> dict[str, OptionStyle]:
    """The style of each option (see module docstring), in the order of ``names``.

    Parameters
    ----------
    names : sequence of str
        Option names (duplicates are styled once).

    Returns
    -------
    dict of str to OptionStyle
        The same name gets the same style in every call unless two unknown names of one
        call want the same slot (then the later one in sorted order moves on).
    """
    taken: set[int] = set()
    slots: dict[str, int] = {}
    for name in names:
        if name in KNOWN and name not in slots:
            slots[name] = KNOWN[name]
            taken.add(KNOWN[name])
    for name in sorted(set(names)):
        if name in BASE_NAMES or name in slots:
            continue
        k = _free_slot(zlib.crc32(name.encode("utf-8")) % len(PALETTE), taken)
        slots[name] = k
        taken.add(k)
    return {n: _BASE_STYLE if n in BASE_NAMES else _slot_style(slots[n]) for n in names}


def option_colors(names: Sequence[str]) -> dict[str, str]:
    """Stable colour of each option: grey for the base, Okabe–Ito colours for the others.

    Parameters
    ----------
    names : sequence of str
        Option names.

    Returns
    -------
    dict of str to str
        Hex colour by name (see :func:`option_styles` for line styles and markers).
    """
    return {name: style.color for name, style in option_styles(names).items()}


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches with constrained layout (no pyplot).

    Raises
    ------
    PlotError
        matplotlib is not installed.
    """
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise PlotError(
            "plots need matplotlib: pip install -e '.[plot]' in the repository "
            "(or pip install matplotlib)"
        ) from None
    return Figure(figsize=(width, height), layout="constrained")


def finish(ax: Axes, title: str, xlabel: str, ylabel: str, *, legend: bool = True) -> None:
    """Title, axis labels, tick and legend fonts, light grid: the same on every axes."""
    ax.set_title(title, fontsize=FONT["title"], loc="left")
    ax.set_xlabel(xlabel, fontsize=FONT["label"])
    ax.set_ylabel(ylabel, fontsize=FONT["label"])
    ax.tick_params(labelsize=FONT["tick"])
    ax.grid(True, color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=FONT["legend"], frameon=False)


def wrap(text: str, width: int = 80) -> str:
    """``text`` wrapped onto lines of at most ``width`` characters (for titles)."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def axis_label(name: str, unit: str) -> str:
    """``"name (unit)"``; ``"(dimensionless)"`` when the unit is empty or ``-``."""
    shown = unit if unit and unit != "-" else "dimensionless"
    return f"{name} ({shown})"


def _close(name: str, known: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def outcome_meta(results: Results, name: str) -> tuple[str, str]:
    """``(unit, description)`` of an outcome of ``results``.

    Raises
    ------
    ResultsError
        No such outcome (with the closest name).
    """
    from scenario.errors import ResultsError

    if name not in results.outcomes:
        raise ResultsError(f"unknown outcome {name!r}{_close(name, list(results.outcomes))}")
    meta = {o.name: o for o in results.outcome_info}.get(name)
    return (meta.unit, meta.description) if meta else ("", "")


def series_meta(results: Results, name: str) -> tuple[str, str]:
    """``(unit, description)`` of a kept daily series of ``results``.

    Raises
    ------
    ResultsError
        No such series, or the run kept none (with the closest name, or how to keep them).
    """
    from scenario.errors import ResultsError

    if not results.series:
        raise ResultsError(
            f"results {results.config.name!r} keep no daily series; run with "
            "--set run.series_replications=200 (or more) to keep them"
        )
    if name not in results.series:
        raise ResultsError(f"unknown series {name!r}{_close(name, list(results.series))}")
    for entry in results.manifest.get("series", []):
        if isinstance(entry, dict) and entry.get("name") == name:
            return str(entry.get("unit", "")), str(entry.get("description", ""))
    return "", ""


def safe_name(text: str) -> str:
    """``text`` as a file name part: anything but letters, digits, ``._-`` becomes ``_``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "plot"


_FORMATS = ("png", "svg", "pdf")


def literal_text(fig: Figure) -> None:
    """Escape control characters in every text of ``fig`` (titles and legends carry config
    names, which are untrusted; an ESC has no glyph and must not reach a file)."""
    from matplotlib.text import Text

    from scenario.tables.text import literal

    for t in fig.findobj(Text):
        text = t.get_text()
        safe = literal(text, lines=True)
        if safe != text:
            t.set_text(safe)


def save(
    fig: Figure, path_stem: str | Path, formats: Sequence[str] = ("png", "svg")
) -> list[Path]:
    """Write ``fig`` as ``<path_stem>.<format>`` for each format (directories are created).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    path_stem : path
        File path without extension (a dot in the stem is kept).
    formats : sequence of str
        Any of ``png`` (150 dpi), ``svg``, ``pdf``.

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.

    Raises
    ------
    PlotError
        An unknown format.
    """
    bad = [f for f in formats if f not in _FORMATS]
    if bad:
        raise PlotError(f"unknown plot format {bad[0]!r} (formats: {', '.join(_FORMATS)})")
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    literal_text(fig)
    written: list[Path] = []
    for fmt in formats:
        path = stem.with_name(f"{stem.name}.{fmt}")
        meta: dict[str, Any] = {"Date": None} if fmt == "svg" else {}
        fig.savefig(path, format=fmt, dpi=150, metadata=meta or None)
        written.append(path)
    return written


def to_svg(fig: Figure) -> str:
    """``fig`` as one inline ``<svg>`` element for an HTML page.

    Returns
    -------
    str
        Starts with ``<svg``; no XML declaration, no DOCTYPE (which names a remote DTD),
        no metadata, no date; text is drawn as paths, so no font is needed. Every ``id``
        (and each reference to it) is prefixed with a hash of the figure, so several
        figures inline in one page do not share ids.
    """
    import hashlib

    buf = io.StringIO()
    literal_text(fig)
    fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    text = text[max(text.find("<svg"), 0) :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.DOTALL)
    prefix = "s" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8] + "-"
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', text)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", text)
