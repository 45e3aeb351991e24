"""Emitters: a rich table that fits a width (names wrapped on word boundaries), Markdown,
CSV and JSON (NaN as null; text with control characters escaped)."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from scenario.tables.text import literal, wrap_words

if TYPE_CHECKING:
    from rich.table import Table

__all__ = ["csv_text", "json_text", "markdown_table", "rich_table"]


def rich_table(
    heads: Sequence[str],
    cells: Sequence[Sequence[str]],
    *,
    width: int | None = None,
    title: str = "",
    left: int = 1,
    wrap: int = 0,
) -> Table:
    """A borderless rich table of plain text (no markup), the first ``left`` columns left.

    Column ``wrap`` holds names; with ``width`` they are wrapped on word boundaries
    (:func:`wrap_words`) so that the table fits ``width`` columns. Other columns never wrap.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text(literal(title)) if title else None,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        header_style="bold",
    )
    room = _room(heads, cells, width, wrap) if width is not None else None
    for i, head in enumerate(heads):
        justify: Literal["left", "right"] = "left" if i < left else "right"
        table.add_column(head, justify=justify, no_wrap=i != wrap, overflow="fold")
    for row in cells:
        texts = [literal(c, lines=True) for c in row]
        if room is not None:
            texts[wrap] = wrap_words(texts[wrap], room)
        table.add_row(*map(Text, texts))
    return table


def _room(
    heads: Sequence[str], cells: Sequence[Sequence[str]], width: int, wrap: int, gap: int = 2
) -> int:
    """Width left to column ``wrap`` once the others have their widest cell (at least 12)."""
    others = sum(
        max([len(h), *(len(line) for r in cells for line in r[i].splitlines())])
        for i, h in enumerate(heads)
        if i != wrap
    )
    return max(width - others - gap * (len(heads) - 1), 12)


def markdown_table(heads: Sequence[str], cells: Sequence[Sequence[str]], *, left: int = 1) -> str:
    """A GitHub-flavoured Markdown table (``|`` in cells escaped)."""

    def row(items: Iterable[str]) -> str:
        return "| " + " | ".join(literal(c).replace("|", "\\|") for c in items) + " |"

    align = ["---" if i < left else "---:" for i in range(len(heads))]
    return "\n".join([row(heads), "| " + " | ".join(align) + " |", *map(row, cells)]) + "\n"


def _plain(value: Any) -> Any:
    """JSON-ready: NaN and infinities as None, text with control characters escaped."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return literal(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _cell(value: Any) -> Any:
    """A CSV cell: None empty, booleans ``true``/``false``, the rest as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def csv_text(records: Sequence[Mapping[str, Any]]) -> str:
    """Records as CSV with a header line (floats at full precision, None as empty)."""
    buf = io.StringIO()
    if records:
        writer = csv.DictWriter(buf, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        for rec in records:
            writer.writerow({k: _cell(v) for k, v in _plain(rec).items()})
    return buf.getvalue()


def json_text(doc: Any) -> str:
    """``doc`` as indented JSON (NaN as null)."""
    return json.dumps(_plain(doc), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
