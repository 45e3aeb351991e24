"""The `scenario sensitivity` command (see scenario.analysis)."""

from __future__ import annotations
