"""The `scenario voi` command (see scenario.analysis)."""

from __future__ import annotations
