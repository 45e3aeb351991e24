"""The `scenario compare` command (see scenario.analysis)."""

from __future__ import annotations
