"""The `scenario discover` command (see scenario.analysis)."""

from __future__ import annotations
