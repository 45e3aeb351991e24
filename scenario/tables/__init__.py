"""Tables of outcomes and comparisons that fit a terminal, and the same as Markdown, CSV and
JSON.

* :mod:`scenario.tables.text`: numbers rounded to their precision (two significant digits of
  the 95 % CI half-width), thousands separators, shares, ``name [unit]`` labels, names
  wrapped on word boundaries, and :func:`literal` (control characters of config text
  escaped).
* :mod:`scenario.tables.censoring`: outcomes whose value can stand for "not within the
  horizon"; the share of replications without the event and which statistics are only
  lower bounds (``≥180``).
* :mod:`scenario.tables.outcomes`: the outcome table of a run (``scenario run``).
* :mod:`scenario.tables.comparison`: the paired comparison of options (``scenario
  compare``).
* :mod:`scenario.tables.emit`: rich tables (plain text, never read as markup), Markdown,
  CSV and JSON (full precision, NaN as null).

Importing this package is cheap (standard library only); NumPy, rich and the analysis
modules load inside the functions that need them.
"""

from scenario.tables.censoring import Censoring, censoring, censoring_of
from scenario.tables.comparison import (
    comparison_markdown,
    comparison_records,
    comparison_renderables,
)
from scenario.tables.emit import csv_text, json_text, markdown_table, rich_table
from scenario.tables.outcomes import (
    OutcomeRow,
    legend,
    outcome_cells,
    outcome_markdown,
    outcome_renderables,
    outcome_rows,
)
from scenario.tables.text import (
    bounded,
    bounded_mean,
    label,
    literal,
    number,
    percent,
    places,
    wrap_words,
)

__all__ = [
    "Censoring",
    "OutcomeRow",
    "bounded",
    "bounded_mean",
    "censoring",
    "censoring_of",
    "comparison_markdown",
    "comparison_records",
    "comparison_renderables",
    "csv_text",
    "json_text",
    "label",
    "legend",
    "literal",
    "markdown_table",
    "number",
    "outcome_cells",
    "outcome_markdown",
    "outcome_renderables",
    "outcome_rows",
    "percent",
    "places",
    "rich_table",
    "wrap_words",
]
