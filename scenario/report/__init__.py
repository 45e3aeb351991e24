"""Pictures and reports of results: plots (:mod:`scenario.report.plots`, matplotlib) and the
self-contained HTML report (:mod:`scenario.report.html`).

Importing this package is cheap: it imports neither matplotlib nor any submodule. Submodules
(``plots``, ``style``, ``html``) and the report functions (``write_report``,
``render_report``) load on first attribute access (PEP 562) or on
``from scenario.report import plots``; plots need the ``plot`` extra
(``pip install -e '.[plot]'``).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["html", "plots", "render_report", "style", "write_report"]

_SUBMODULES = frozenset({"html", "plots", "style"})
_FUNCTIONS = {"render_report": "html", "write_report": "html"}


def __getattr__(name: str) -> Any:
    """Import submodule ``name``, or the module defining function ``name``, on first use."""
    if name in _SUBMODULES:
        return importlib.import_module(f"scenario.report.{name}")
    if name in _FUNCTIONS:
        return getattr(importlib.import_module(f"scenario.report.{_FUNCTIONS[name]}"), name)
    raise AttributeError(f"module 'scenario.report' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
