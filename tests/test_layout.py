"""Layout rule (issue 6): no module under scenario/ over 500 lines, no function over 80.

A function is counted from its ``def`` line to the end of its body (decorators excluded). A
module may exceed either limit only if its docstring has a line starting with ``Size:``
followed by the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scenario"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
EXEMPTION = "Size:"


def _size_reason(tree: ast.Module) -> str:
    """The reason after ``Size:`` in the module docstring, or "" if there is none."""
    for line in (ast.get_docstring(tree) or "").splitlines():
        if line.startswith(EXEMPTION) and line[len(EXEMPTION) :].strip():
            return line[len(EXEMPTION) :].strip()
    return ""


def _functions(
    body: list[ast.stmt], prefix: str = ""
) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function and method in ``body``, nested ones included, by qualified name."""
    found: list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]] = []
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = f"{prefix}{node.name}"
            found.append((name, node))
            found.extend(_functions(node.body, f"{name}.<locals>."))
        elif isinstance(node, ast.ClassDef):
            found.extend(_functions(node.body, f"{prefix}{node.name}."))
        else:
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    found.extend(_functions(inner, prefix))
            for case in getattr(node, "cases", []):
                found.extend(_functions(case.body, prefix))
    return found


def layout_problems(source: str, name: str) -> list[str]:
    """Violations of the layout rule in one module's ``source`` (empty if none or exempt)."""
    tree = ast.parse(source, filename=name)
    if _size_reason(tree):
        return []
    problems: list[str] = []
    n_lines = len(source.splitlines())
    if n_lines > MAX_MODULE_LINES:
        problems.append(
            f"{name}: module has {n_lines} lines (max {MAX_MODULE_LINES}); split it, or give "
            f"the reason on a line starting with {EXEMPTION!r} in its docstring"
        )
    for qualname, node in _functions(tree.body):
        assert node.end_lineno is not None
        length = node.end_lineno - node.lineno + 1
        if length > MAX_FUNCTION_LINES:
            problems.append(
                f"{name}:{node.lineno}: function {qualname} has {length} lines "
                f"(max {MAX_FUNCTION_LINES}); split it, or give the reason on a line starting "
                f"with {EXEMPTION!r} in the module docstring"
            )
    return problems


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_package_has_modules() -> None:
    assert len(MODULES) > 10 and PACKAGE / "engine" / "runner.py" in MODULES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_and_function_sizes(path: Path) -> None:
    rel = str(path.relative_to(ROOT))
    assert layout_problems(path.read_text(encoding="utf-8"), rel) == []


# --- the check itself, on synthetic sources --------------------------------------------------


def _function(name: str, lines: int, indent: str = "") -> str:
    """Source of a function spanning exactly ``lines`` lines from ``def`` to its end."""
    body = "".join(f"{indent}    x{i} = {i}\n" for i in range(lines - 2))
    return f"{indent}def {name}() -> int:\n{body}{indent}    return 0\n"


def test_a_function_of_80_lines_passes_and_of_81_fails() -> None:
    assert layout_problems(_function("ok", 80), "m.py") == []
    problems = layout_problems(_function("long", 81), "m.py")
    assert len(problems) == 1
    assert problems[0].startswith("m.py:1: function long has 81 lines (max 80)")


def test_decorators_are_not_counted_and_methods_are_named() -> None:
    decorated = "import functools\n\n\n@functools.cache\n@staticmethod\n" + _function("f", 80)
    assert layout_problems(decorated, "m.py") == []
    cls = "class C:\n" + _function("method", 81, indent="    ")
    assert layout_problems(cls, "m.py")[0].startswith("m.py:2: function C.method has 81 lines")
    nested = "def outer() -> None:\n" + _function("inner", 81, indent="    ")
    problems = layout_problems(nested, "m.py")
    assert [p.split(" has ")[0] for p in problems] == [
        "m.py:1: function outer",
        "m.py:2: function outer.<locals>.inner",
    ]


def test_a_module_of_500_lines_passes_and_of_501_fails() -> None:
    assert layout_problems('"""Doc."""\n' + "x = 1\n" * 499, "m.py") == []
    problems = layout_problems('"""Doc."""\n' + "x = 1\n" * 500, "m.py")
    assert len(problems) == 1 and problems[0].startswith("m.py: module has 501 lines (max 500)")


def test_a_size_line_in_the_module_docstring_exempts_it() -> None:
    doc = (
        '"""A big table of data.\n\nSize: one literal table; splitting it would scatter it.\n"""\n'
    )
    source = doc + "x = 1\n" * 600 + _function("long", 120)
    assert layout_problems(source, "m.py") == []


@pytest.mark.parametrize(
    "doc",
    [
        '"""No reason given.\n\nSize:\n"""\n',
        '"""Mentions Size: but not at the start of a line."""\n',
        "# Size: a comment is not the docstring\n",
        'x = 0\n"""Size: a string after code is not the docstring."""\n',
    ],
)
def test_only_a_size_line_with_a_reason_in_the_docstring_exempts(doc: str) -> None:
    problems = layout_problems(doc + _function("long", 81), "m.py")
    assert len(problems) == 1 and "function long has 81 lines" in problems[0]
