"""Analysis commands of the CLI, one module each, added to :data:`scenario.cli_common.app`.

Each module defines its typer command(s) on the shared app when imported and imports
everything heavy inside the command, so ``scenario --help`` stays fast.
"""

from __future__ import annotations

import importlib

__all__ = ["COMMANDS", "register_all"]

COMMANDS: tuple[str, ...] = (
    "compare",
    "sensitivity",
    "voi",
    "discover",
    "calibrate",
    "plot",
    "report",
)
"""Modules of :mod:`scenario.commands` whose commands join the CLI, in help order."""


def register_all() -> None:
    """Import every command module (each registers its commands on the shared app)."""
    for name in COMMANDS:
        importlib.import_module(f"scenario.commands.{name}")
