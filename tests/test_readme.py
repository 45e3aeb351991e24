"""The README's commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bash_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def test_quickstart_has_the_two_setup_commands_first() -> None:
    blocks = _bash_blocks()
    assert blocks[0] == "pip install -e . && scenario run configs/baseline.yaml"
    assert blocks[1].startswith('pip install -e ".[test,dev]" && ')


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = _bash_blocks()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in ci
