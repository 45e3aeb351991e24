"""Reading one YAML file as plain data, recording where every key and value came from.

Files are read with ruamel.yaml's round-trip parser (YAML 1.2, duplicate keys rejected) and
converted to plain Python (dicts, lists, str, int, float, bool, None, dates) while recording
each key's and value's position (:class:`~scenario.config.locations.Loc`). Any tag that
could construct an object (``!!python/object``, ``!!binary``, custom ``!tags``), sets, byte
strings and non-string keys are rejected. Every problem is a located
:class:`~scenario.errors.ConfigError`.

:mod:`scenario.config.loader` builds on this: ``extends``, overrides and validation.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from scenario.config.locations import KeyPath, Loc
from scenario.config.locations import dotted as _dotted
from scenario.errors import ConfigError, ConfigIssue

__all__ = ["parse_text", "read_file", "short_repr"]

Path_ = KeyPath

_SAFE_TAGS = {
    None,
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}


def _yaml() -> YAML:
    y = YAML(typ="rt", pure=True)
    y.version = (1, 2)
    y.allow_duplicate_keys = False
    return y


def short_repr(value: Any) -> str:
    """``value`` as shown after ``got`` in an error message, cut to 80 characters."""
    text = repr(value) if isinstance(value, str) else str(value)
    if isinstance(value, dict | list):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _tag_of(node: Any) -> str | None:
    tag = getattr(node, "tag", None)
    if tag is None:
        return None
    value = getattr(tag, "value", tag)
    return value if isinstance(value, str) else None


def _plain(
    node: Any, path: Path_, file: str, locs: dict[Path_, Loc], issues: list[ConfigIssue]
) -> Any:
    """Convert a round-trip node to plain Python, recording positions and rejecting tags."""
    tag = _tag_of(node) if isinstance(node, CommentedMap | CommentedSeq | TaggedScalar) else None

    def reject(what: str, value: Any) -> None:
        where = locs.get(path)
        line, col = (where.vline, where.vcolumn) if where else (1, 1)
        issues.append(
            ConfigIssue(
                file,
                line,
                col,
                _dotted(path),
                f"{what} not allowed: scenario files hold plain data only "
                f"(got {short_repr(value)})",
            )
        )

    if isinstance(node, TaggedScalar) or tag not in _SAFE_TAGS:
        reject(f"YAML tag {tag!s} is", getattr(node, "value", node))
        return None
    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        for key, value in node.items():
            kl, kc = node.lc.key(key)
            vl, vc = node.lc.value(key)
            if not isinstance(key, str):
                issues.append(
                    ConfigIssue(
                        file,
                        kl + 1,
                        kc + 1,
                        _dotted(path),
                        f"keys must be strings (got {short_repr(key)})",
                    )
                )
                continue
            sub = (*path, key)
            locs[sub] = Loc(file, kl + 1, kc + 1, vl + 1, vc + 1)
            out[key] = _plain(value, sub, file, locs, issues)
        return out
    if isinstance(node, CommentedSeq):
        items: list[Any] = []
        for i, value in enumerate(node):
            il, ic = node.lc.item(i)
            sub = (*path, i)
            locs[sub] = Loc(file, il + 1, ic + 1, il + 1, ic + 1)
            items.append(_plain(value, sub, file, locs, issues))
        return items
    if isinstance(node, bytes | bytearray | set):
        reject(f"{type(node).__name__} values are", node)
        return None
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, dt.datetime | dt.date):
        return node
    return node


def parse_text(text: str, file: str, what: str = "file") -> tuple[Any, dict[Path_, Loc]]:
    """Parse YAML ``text`` (from ``file``, used in messages) into plain data and the
    position of every key path in it."""
    try:
        node = _yaml().load(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = (exc.problem or exc.context or "malformed YAML").strip()
        if "duplicate key" in problem:
            problem = problem.replace("found duplicate key", "duplicate key")
            problem = problem.split(" with value")[0] + " (each key may appear once per mapping)"
            got = ""
        else:
            got = ""
        raise ConfigError(
            ConfigIssue(file, line, col, "", f"malformed YAML: {problem}{got}")
        ) from None
    except YAMLError as exc:
        raise ConfigError(ConfigIssue(file, 1, 1, "", f"malformed YAML: {exc}")) from None
    locs: dict[Path_, Loc] = {}
    issues: list[ConfigIssue] = []
    data = _plain(node, (), file, locs, issues)
    if issues:
        raise ConfigError(issues)
    return data, locs


def read_file(path: Path) -> tuple[dict[str, Any], dict[Path_, Loc]]:
    """Read one scenario file (no ``extends`` resolution): a mapping and its positions."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(ConfigIssue(file, 0, 0, "", "file not found")) from None
    except IsADirectoryError:
        raise ConfigError(
            ConfigIssue(file, 0, 0, "", "is a directory, expected a YAML file")
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            ConfigIssue(file, 1, 1, "", f"not UTF-8 text (byte {exc.start})")
        ) from None
    except OSError as exc:
        raise ConfigError(
            ConfigIssue(file, 0, 0, "", f"cannot read file: {exc.strerror}")
        ) from None
    data, locs = parse_text(text, file)
    if data is None:
        raise ConfigError(
            ConfigIssue(file, 1, 1, "", "empty document: expected a mapping of scenario keys")
        )
    if not isinstance(data, dict):
        raise ConfigError(
            ConfigIssue(
                file,
                1,
                1,
                "",
                f"the document must be a mapping of scenario keys (got a {type(data).__name__}: "
                f"{short_repr(data)})",
            )
        )
    return data, locs
