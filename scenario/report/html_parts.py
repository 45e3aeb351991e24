"""Building blocks of the HTML report: escaping, number formats, cells, tables, figures.

Every piece of text that can come from a config, a results directory or a record file goes
through :func:`esc` (``html.escape`` with quotes), so config text is shown literally and
never read as markup. Numbers are written by :func:`number` (three significant places,
thousands separators: the same rule as the terminal tables) and probabilities by
:func:`percent`; each numeric cell also carries its exact value in ``data-value`` (Python's
``repr`` of the float) so that a test, or a reader's tool, can check the page against the
results. :class:`Figures` turns the plots of :mod:`scenario.report.plots` into inline SVG,
with every ``id`` in a figure prefixed so that figures cannot capture each other's clip
paths or glyphs.
"""

from __future__ import annotations

import html
import importlib.util
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from scenario.errors import ScenarioError

__all__ = [
    "Figures",
    "ci_cell",
    "esc",
    "num_cell",
    "number",
    "percent",
    "section",
    "swatch",
    "table",
]

DIRECTION_WORDS = {
    "minimize": "lower is better",
    "maximize": "higher is better",
    "info": "reported, not ranked",
}


def esc(text: object) -> str:
    """``str(text)`` with ``& < > " '`` escaped for HTML text and attribute values."""
    from scenario.tables.text import literal

    return html.escape(literal(str(text), lines=True), quote=True)


def number(x: float) -> str:
    """A number as the report prints it: 3 significant places, thousands separators.

    ``n/a`` for NaN; ``12,345`` from 1,000 up; one decimal from 10; three decimals
    (trailing zeros dropped) from 0.01; below, three significant digits (``0.00737``,
    ``7.37e-05`` under 1e-4).
    """
    x = float(x)
    if math.isnan(x):
        return "n/a"
    ax = abs(x)
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if ax >= 1000:
        return f"{x:,.0f}"
    if ax >= 10:
        return f"{x:.1f}"
    if ax >= 0.01 or ax == 0:
        return f"{x:.3f}".rstrip("0").rstrip(".")
    return f"{x:.3g}"


def percent(p: float) -> str:
    """A probability as a percentage: whole percent, one decimal within 1 % of 0 or 100."""
    p = float(p)
    if math.isnan(p):
        return "n/a"
    pct = 100.0 * p
    if 0.0 < pct < 1.0 or 99.0 < pct < 100.0:
        return f"{pct:.1f}%"
    return f"{pct:.0f}%"


def _value(x: float) -> str:
    return repr(float(x))


def num_cell(x: float, stat: str, *, text: str | None = None, extra: str = "") -> str:
    """A right-aligned ``<td>`` holding ``number(x)`` (or ``text``), with ``data-stat`` and
    the exact value in ``data-value``."""
    shown = number(x) if text is None else text
    cls = f"num {extra}".strip()
    return f'<td class="{cls}" data-stat="{esc(stat)}" data-value="{_value(x)}">{esc(shown)}</td>'


def ci_cell(lo: float, hi: float, stat: str, *, n: int, fmt: Any = number) -> str:
    """A 95 % interval cell ``lo – hi``; blank (not zero-width) with fewer than 2 values."""
    if n < 2 or math.isnan(lo) or math.isnan(hi):
        return f'<td class="num ci" data-stat="{esc(stat)}"></td>'
    return (
        f'<td class="num ci" data-stat="{esc(stat)}" data-lo="{_value(lo)}" '
        f'data-hi="{_value(hi)}">{esc(fmt(lo))} – {esc(fmt(hi))}</td>'
    )


def swatch(color: str | None) -> str:
    """A small colour square for an option (its colour in every plot)."""
    if not color:
        return ""
    return f'<span class="swatch" style="--c: {esc(color)}" aria-hidden="true"></span>'


def table(
    head: Sequence[tuple[str, bool]],
    body: str,
    *,
    caption: str = "",
    cls: str = "",
    table_id: str = "",
) -> str:
    """A table in a scroll box: ``head`` is ``(label, numeric)`` pairs, ``body`` the
    already-built ``<tbody>`` markup; ``caption`` is plain text."""
    ths = "".join(
        f'<th scope="col"{" class=num" if numeric else ""}>{esc(label)}</th>'
        for label, numeric in head
    )
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    ident = f' id="{esc(table_id)}"' if table_id else ""
    klass = f' class="{esc(cls)}"' if cls else ""
    return (
        f'<div class="table-wrap"><table{ident}{klass}>{cap}'
        f"<thead><tr>{ths}</tr></thead>{body}</table></div>"
    )


def section(ident: str, title: str, body: str, *, major: bool = True) -> str:
    """A ``<section>`` with an ``<h2>``; a major section starts a new printed page."""
    cls = ' class="major"' if major else ""
    return f'<section id="{esc(ident)}"{cls}><h2>{esc(title)}</h2>{body}</section>'


def paragraphs(lines: Iterable[str]) -> str:
    """Plain text lines as escaped ``<p>`` elements."""
    return "".join(f"<p>{esc(line)}</p>" for line in lines)


_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(\bid="|href="#|url\(#)([^")]+)')


def scope_svg(svg: str, prefix: str) -> str:
    """An SVG document as an inline ``<svg>`` element with its ids prefixed.

    Drops anything before ``<svg`` (XML declaration, doctype, comments) and rewrites
    ``id="x"``, ``href="#x"`` and ``url(#x)`` for every id the SVG defines.
    """
    start = svg.find("<svg")
    if start < 0:
        raise ScenarioError("a figure did not render to SVG (no <svg> element)")
    body = svg[start:]
    ids = set(_ID.findall(body))

    def rename(m: re.Match[str]) -> str:
        head, name = m.group(1), m.group(2)
        return f"{head}{prefix}{name}" if name in ids else m.group(0)

    return _REF.sub(rename, body) if ids else body


class Figures:
    """Renders figures of :mod:`scenario.report.plots` as inline SVG ``<figure>`` elements.

    Without matplotlib, or with ``enabled`` False, no figure is drawn and :attr:`missing`
    says why (the page shows it once, at the top); the report is still written.
    """

    def __init__(self, *, enabled: bool = True) -> None:
        self.count = 0
        self.missing = ""
        self.enabled = enabled
        self._plots: Any = None
        if not enabled:
            self.missing = "Figures were left out of this report; the tables are complete."
            return
        if importlib.util.find_spec("matplotlib") is None:
            self.enabled = False
            self.missing = (
                "Figures need matplotlib (pip install -e '.[plot]'); the tables are complete."
            )
            return
        from scenario.report import plots

        self._plots = plots

    def colors(self, names: Sequence[str]) -> dict[str, str]:
        """Each option's colour, as in the plots (none without the plots)."""
        if self._plots is None:
            return {}
        return {str(k): str(v) for k, v in self._plots.option_colors(list(names)).items()}

    def figure(self, plot: str, *args: Any, caption: str, **kwargs: Any) -> str:
        """``plots.<plot>(*args, **kwargs)`` as a ``<figure>`` with a plain-text caption.

        A :class:`~scenario.errors.ScenarioError` from the plot (for example, a series that
        was not kept) becomes a visible note in place of the figure.
        """
        cap = f"<figcaption>{esc(caption)}</figcaption>"
        if not self.enabled or self._plots is None:
            return ""
        try:
            fig = getattr(self._plots, plot)(*args, **kwargs)
            svg = self._plots.to_svg(fig)
            fig.clear()
        except ScenarioError as exc:
            return f'<figure><p class="missing">not drawn: {esc(exc)}</p>{cap}</figure>'
        self.count += 1
        body = scope_svg(svg, f"f{self.count}-")
        return f'<figure data-plot="{esc(plot)}">{body}{cap}</figure>'


def figures_grid(items: Iterable[str], *, columns: int = 1) -> str:
    """Figures one per line, or side by side (``columns=2``) on a wide screen; one per line
    on a narrow screen and on paper."""
    inner = "".join(items)
    cls = "figs two" if columns == 2 else "figs"
    return f'<div class="{cls}">{inner}</div>' if inner else ""
