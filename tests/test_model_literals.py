"""No judgement hides in the campaign's equations: every number in a submodel's functions is
an index, an axis or a shape, a unit conversion, a numerical guard, or one of the identities
0 and 1. Everything else must be a parameter in configs/baseline.yaml (with its source) or a
named, documented module constant."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CAMPAIGN = Path(__file__).resolve().parents[1] / "scenario" / "models" / "campaign"

ALLOWED: dict[float, str] = {
    0: "identity / empty",
    1: "identity / complement",
    -1: "last index",
    30.0: "days per month (unit conversion)",
    365.0: "days per year (unit conversion)",
    1e6: "US dollars per million (unit conversion)",
    3600.0: "seconds per hour (unit conversion)",
    86400.0: "seconds per day (unit conversion)",
    100.0: "casualties per hundred (the parameter's unit: log-hazard per 100/day)",
    1000.0: "troops per thousand (the parameter's unit: log-hazard per 1,000)",
    1e-9: "guard against division by zero",
    1e-300: "guard against division by zero",
}
SHAPE_CALLS = {"zeros", "ones", "full", "empty", "arange", "spawn", "range", "stack"}


def _exempt(tree: ast.AST) -> set[int]:
    """ids of constants that are indices, axes or shapes."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript):
            out |= {id(c) for c in ast.walk(node.slice) if isinstance(c, ast.Constant)}
        elif isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg in {"axis", "ndmin"}:
                    out |= {id(c) for c in ast.walk(kw.value) if isinstance(c, ast.Constant)}
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            if name in SHAPE_CALLS and node.args:
                out |= {id(c) for c in ast.walk(node.args[0]) if isinstance(c, ast.Constant)}
    return out


def _literals(path: Path) -> list[tuple[int, float]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt = _exempt(tree)
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, int | float)
                and not isinstance(node.value, bool)
                and id(node) not in exempt
            ):
                found.append((node.lineno, float(node.value)))
    return found


@pytest.mark.parametrize("path", sorted(CAMPAIGN.glob("*.py")), ids=lambda p: p.name)
def test_no_unexplained_numbers_in_the_equations(path: Path) -> None:
    bad = [(line, v) for line, v in _literals(path) if v not in ALLOWED]
    assert not bad, (
        f"{path.name}: numeric literals in model code {bad}: make each a parameter in "
        "configs/baseline.yaml (with a source or ASSUMPTION) or a named module constant"
    )


def test_the_scan_finds_a_planted_judgement(tmp_path: Path) -> None:
    planted = tmp_path / "m.py"
    planted.write_text("def step(x):\n    return x[:, 2] * 0.85 + 30.0\n", encoding="utf-8")
    assert sorted(_literals(planted)) == [(2, 0.85), (2, 30.0)]
