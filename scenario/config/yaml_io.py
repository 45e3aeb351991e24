"""Reading one YAML file as plain data, recording where every key and value came from.

Files are read with ruamel.yaml's round-trip parser (YAML 1.2, duplicate keys rejected) and
converted to plain Python (dicts, lists, str, int, float, bool, None, dates) while recording
each key's and value's position (:class:`~scenario.config.locations.Loc`). Any tag that
could construct an object (``!!python/object``, ``!!binary``, custom ``!tags``), sets, byte
strings and non-string keys are rejected. Every problem is a located
:class:`~scenario.errors.ConfigError`.

Limits, checked on the parser's event stream *before* anything is composed or converted (so
an alias bomb is refused before it is expanded, and deep nesting before any recursion):

* a file is at most :data:`MAX_BYTES` bytes (read no further);
* at most :data:`MAX_NODES` nodes, counting every alias as the size of what it expands to,
  so the plain data can never hold more than ``MAX_NODES`` values;
* at most :data:`MAX_ALIASES` alias references, and no alias inside its own anchor;
* collections nested at most :data:`MAX_DEPTH` deep.

YAML 1.1 constructs are refused with a located hint: merge keys (``<<:``), ``!!omap``,
``!!set``, ``!!pairs`` and every other explicit tag beyond the plain scalar, map and
sequence tags; unquoted ``yes``/``no``/``on``/``off`` as values (YAML 1.2 reads them as
text, which a boolean field would silently take for true or false). A date that does not
exist (``2024-02-30``), an integer of more than :data:`MAX_INT_DIGITS` digits and a NUL byte
are refused with their position. A leading UTF-8 byte-order mark is accepted and dropped.

:mod:`scenario.config.loader` builds on this: ``extends``, overrides and validation.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
)
from ruamel.yaml.util import create_timestamp, timestamp_regexp

from scenario.config.locations import KeyPath, Loc
from scenario.config.locations import dotted as _dotted
from scenario.errors import ConfigError, ConfigIssue

__all__ = [
    "MAX_ALIASES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "MAX_NODES",
    "parse_text",
    "read_file",
    "short_repr",
]

MAX_BYTES = 512 * 1024
"""Largest scenario file read, in bytes (12 times the shipped baseline)."""
MAX_NODES = 10_000
"""Most YAML nodes in one file, aliases counted as what they expand to (baseline: ~2,100)."""
MAX_ALIASES = 1_000
"""Most alias references (``*name``) in one file."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists (baseline: 5)."""
MAX_INT_DIGITS = 300
"""Longest integer literal, in digits."""

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


_YAML11 = {
    "tag:yaml.org,2002:omap": "write a plain mapping",
    "tag:yaml.org,2002:pairs": "write a plain mapping",
    "tag:yaml.org,2002:set": "write a list",
    "tag:yaml.org,2002:merge": "write the keys out",
}
_OLD_BOOLS = frozenset({"yes", "no", "on", "off"})
_DIGITS = re.compile(r"[-+]?[0-9_]+")
_OPENERS = re.compile(r"[\[{](?:\s*[\[{]){" + str(MAX_DEPTH) + "}")


@dataclass
class _Frame:
    """An open collection while checking the event stream."""

    is_map: bool
    anchor: str | None
    children: int = 0
    size: int = 1
    key: str | int = ""


class _LimitError(Exception):
    """A limit or a refused construct, with the event it was found at."""

    def __init__(self, event: Any, message: str, path: Path_ = ()) -> None:
        super().__init__(message)
        mark = event.start_mark
        self.line, self.column = mark.line + 1, mark.column + 1
        self.message = message
        self.path = path


def _event_tag(event: Any) -> str | None:
    tag = getattr(event, "tag", None)
    value = getattr(tag, "value", tag)
    return value if isinstance(value, str) else None


def _check_scalar(event: ScalarEvent, is_key: bool) -> None:
    """Refuse the YAML 1.1 readings and impossible values of one plain scalar."""
    if event.style or not event.implicit[0]:
        return  # quoted or tagged: text as written
    value = event.value
    if is_key and value == "<<":
        raise _LimitError(
            event, "merge keys (<<) are not supported in YAML 1.2: write the keys out"
        )
    if not is_key and value.lower() in _OLD_BOOLS:
        raise _LimitError(
            event,
            f"{value!r} is text in YAML 1.2, not a boolean: write true or false, "
            f"or quote it if you mean the text (got {value!r})",
        )
    stamp = timestamp_regexp.match(value)
    if stamp is not None:
        try:
            create_timestamp(**stamp.groupdict())
        except (ValueError, OverflowError) as exc:
            raise _LimitError(event, f"invalid date: {exc} (got {short_repr(value)})") from None
    if _DIGITS.fullmatch(value) and len(value.strip("+-").replace("_", "")) > MAX_INT_DIGITS:
        raise _LimitError(
            event, f"integer of more than {MAX_INT_DIGITS} digits (got {short_repr(value)})"
        )


def _tag_name(tag: str | None) -> str:
    return str(tag).replace("tag:yaml.org,2002:", "!!")


def _check_node(event: NodeEvent, stack: list[_Frame], sizes: dict[str, int]) -> int:
    """Check one node event against the limits; return the nodes it expands to."""
    parent = stack[-1] if stack else None
    is_key = parent is not None and parent.is_map and parent.children % 2 == 0
    if parent is not None:
        if not parent.is_map:
            parent.key = parent.children
        elif is_key:
            parent.key = str(getattr(event, "value", "?"))
        parent.children += 1
    path: Path_ = tuple(f.key for f in (stack[:-1] if is_key else stack))
    try:
        return _node_size(event, is_key, stack, sizes)
    except _LimitError as exc:
        exc.path = path
        raise


def _node_size(event: NodeEvent, is_key: bool, stack: list[_Frame], sizes: dict[str, int]) -> int:
    if isinstance(event, AliasEvent):
        anchor = str(event.anchor)
        if any(f.anchor == anchor for f in stack):
            raise _LimitError(event, f"alias *{anchor} inside its own anchor (a recursive value)")
        return sizes.get(anchor, 1)
    tag = _event_tag(event)
    if tag not in _SAFE_TAGS:
        hint = _YAML11.get(str(tag), "scenario files hold plain data only")
        raise _LimitError(event, f"YAML tag {_tag_name(tag)} is not allowed: {hint}")
    if isinstance(event, ScalarEvent):
        _check_scalar(event, is_key)
        if event.anchor is not None:
            sizes[str(event.anchor)] = 1
    return 1


def _check_events(text: str) -> None:
    """Walk the event stream of ``text`` enforcing every limit, before anything is built."""
    stack: list[_Frame] = []
    sizes: dict[str, int] = {}
    total = aliases = 0
    for event in _yaml().parse(io.StringIO(text)):
        if isinstance(event, CollectionEndEvent):
            frame = stack.pop()
            if frame.anchor is not None:
                sizes[frame.anchor] = frame.size
            if stack:
                stack[-1].size += frame.size
            continue
        if not isinstance(event, NodeEvent):
            continue
        size = _check_node(event, stack, sizes)
        aliases += isinstance(event, AliasEvent)
        total += size
        where = tuple(f.key for f in stack)
        if aliases > MAX_ALIASES:
            raise _LimitError(event, f"more than {MAX_ALIASES} aliases in one file", where)
        if total > MAX_NODES:
            raise _LimitError(
                event,
                f"more than {MAX_NODES} values in one file (aliases counted as what they "
                "expand to)",
                where,
            )
        if isinstance(event, CollectionStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise _LimitError(event, f"nested more than {MAX_DEPTH} levels deep", where)
            anchor = None if event.anchor is None else str(event.anchor)
            stack.append(_Frame(isinstance(event, MappingStartEvent), anchor))
        elif stack:
            stack[-1].size += size


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
            kl, kc = node.lc.key(key) or (0, 0)
            vl, vc = node.lc.value(key) or (kl, kc)
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
            il, ic = node.lc.item(i) or (0, 0)
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


def _yaml_issue(exc: YAMLError, file: str) -> ConfigIssue:
    """A parser or composer error as one located issue."""
    if not isinstance(exc, MarkedYAMLError):
        return ConfigIssue(file, 1, 1, "", f"malformed YAML: {str(exc).splitlines()[0]}")
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = " ".join((exc.problem or exc.context or "malformed YAML").split())
    if "duplicate key" in problem:
        problem = problem.replace("found duplicate key", "duplicate key")
        problem = problem.split(" with value")[0] + " (each key may appear once per mapping)"
    return ConfigIssue(file, line, col, "", f"malformed YAML: {problem}")


def parse_text(text: str, file: str, what: str = "file") -> tuple[Any, dict[Path_, Loc]]:
    """Parse YAML ``text`` (from ``file``, used in messages) into plain data and the
    position of every key path in it.

    Raises
    ------
    ConfigError
        Malformed YAML, a limit exceeded (see the module docstring), a refused construct;
        always one located issue, never another exception.
    """
    if len(text) > MAX_BYTES:
        raise ConfigError(
            ConfigIssue(file, 1, 1, "", f"{what} longer than the limit of {MAX_BYTES} bytes")
        )
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        col = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise ConfigError(ConfigIssue(file, line, col, "", "NUL byte: scenario files are text"))
    text = text.removeprefix("\ufeff")
    deep = _OPENERS.search(text)  # refused before the scanner's look-ahead over them
    if deep is not None:
        line = text.count("\n", 0, deep.start()) + 1
        col = deep.start() - (text.rfind("\n", 0, deep.start()) + 1) + 1
        raise ConfigError(
            ConfigIssue(file, line, col, "", f"nested more than {MAX_DEPTH} levels deep")
        )
    try:
        _check_events(text)
        node = _yaml().load(io.StringIO(text))
    except _LimitError as exc:
        key = _dotted(exc.path)
        key = key if len(key) <= 80 else key[:77] + "..."
        issue = ConfigIssue(file, exc.line, exc.column, key, exc.message)
        raise ConfigError(issue) from None
    except YAMLError as exc:
        raise ConfigError(_yaml_issue(exc, file)) from None
    except ConfigError:
        raise
    except (Exception, RecursionError, MemoryError) as exc:
        # A safety net: the event check above should have refused whatever gets here, but
        # ruamel's own constructors have bugs (``-_`` resolves as an integer, then raises
        # IndexError); whatever it raises is the text's fault, not a traceback for the user.
        raise ConfigError(
            ConfigIssue(file, 1, 1, "", f"unreadable YAML ({type(exc).__name__})")
        ) from None
    locs: dict[Path_, Loc] = {}
    issues: list[ConfigIssue] = []
    data = _plain(node, (), file, locs, issues)
    if issues:
        raise ConfigError(issues)
    return data, locs


def _read_bytes(path: Path, file: str) -> bytes:
    """At most :data:`MAX_BYTES` bytes of ``path``; a larger file is refused unread."""
    try:
        if path.is_dir():
            raise ConfigError(ConfigIssue(file, 0, 0, "", "is a directory, expected a YAML file"))
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(ConfigIssue(file, 0, 0, "", "file not found")) from None
    except (OSError, RuntimeError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise ConfigError(ConfigIssue(file, 0, 0, "", f"cannot read file: {reason}")) from None
    if len(raw) > MAX_BYTES:
        raise ConfigError(
            ConfigIssue(
                file, 1, 1, "", f"file larger than the limit of {MAX_BYTES} bytes for a scenario"
            )
        )
    return raw


def _decode(raw: bytes, file: str) -> str:
    """``raw`` as UTF-8 text; an invalid byte is refused with its line and column."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConfigError(
            ConfigIssue(file, line, col, "", f"not UTF-8 text (byte {raw[exc.start]:#04x})")
        ) from None


def read_file(path: Path) -> tuple[dict[str, Any], dict[Path_, Loc]]:
    """Read one scenario file (no ``extends`` resolution): a mapping and its positions.

    Raises
    ------
    ConfigError
        Unreadable, too large, not UTF-8, malformed, over a limit, or not a mapping.
    """
    file = str(path)
    text = _decode(_read_bytes(path, file), file)
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
