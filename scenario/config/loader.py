"""Reading scenario files: YAML 1.2, ``extends``, ``--set`` overrides, located errors.

Files are read with ruamel.yaml's round-trip parser (YAML 1.2, duplicate keys rejected) and
converted to plain Python while recording where every key and value came from
(:mod:`scenario.config.yaml_io`). Any tag that could construct an object
(``!!python/object``, ``!!binary``, custom ``!tags``) is rejected. ``extends: base.yaml``
(or a list) is resolved relative to the file; mappings deep-merge (the extending file wins),
lists and scalars replace, and a cycle is reported with its chain. ``extends`` resolves
symlinks first (a loop is an error), reads only regular ``.yaml``/``.yml`` files, and refuses
an extended file with no scenario key at the top, without echoing its contents. Keys a
``--set`` creates are located at the ``--set``. Validation runs on the
merged result, and every problem is reported as
``FILE:LINE:COL: dotted.key: what is wrong (got VALUE)``.
"""

from __future__ import annotations

import copy
import difflib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scenario.config.distributions import DISTRIBUTION_NAMES
from scenario.config.locations import KeyPath, Loc, SourceMap, issue_at, locate
from scenario.config.locations import dotted as _dotted
from scenario.config.posterior import resolve_posterior_file
from scenario.config.schema import ScenarioConfig
from scenario.config.yaml_io import parse_text, read_file, short_repr
from scenario.errors import ConfigError, ConfigIssue

__all__ = [
    "Document",
    "Loc",
    "SourceMap",
    "apply_overrides",
    "config_from_dict",
    "issue_at",
    "load_config",
    "load_document",
    "locate",
    "parse_override",
]

Path_ = KeyPath
_DISTS = ", ".join(DISTRIBUTION_NAMES)
_TOP_KEYS = frozenset({*ScenarioConfig.model_fields, "extends"})


@dataclass(frozen=True)
class Document:
    """A merged scenario document: plain data plus where each part came from."""

    data: dict[str, Any]
    source_map: SourceMap


def _merge(
    base: dict[str, Any],
    base_locs: dict[Path_, Loc],
    top: Mapping[str, Any],
    top_locs: Mapping[Path_, Loc],
    prefix: Path_ = (),
) -> None:
    """Deep-merge ``top`` into ``base`` in place: mappings merge, everything else replaces.

    A mapping that names a different ``dist:`` than the one it overrides replaces it whole
    (a new distribution does not inherit the old one's arguments).
    """
    for key, value in top.items():
        path = (*prefix, key)
        old = base.get(key)
        if (
            isinstance(value, dict)
            and isinstance(old, dict)
            and ("dist" not in value or value.get("dist") == old.get("dist"))
        ):
            if path in top_locs:
                base_locs[path] = top_locs[path]
            _merge(base[key], base_locs, value, top_locs, path)
            continue
        for p in [p for p in base_locs if p[: len(path)] == path]:
            del base_locs[p]
        base[key] = copy.deepcopy(value)
        for p, loc in top_locs.items():
            if p[: len(path)] == path:
                base_locs[p] = loc


def _extends_target(path: Path, parent: str, chain: tuple[Path, ...], line: int, col: int) -> Path:
    """The resolved file ``extends: parent`` of ``path`` names, after every check that can be
    made without reading it: symlinks resolve (no loop), it is a regular ``.yaml``/``.yml``
    file (so ``/etc/shadow`` is never opened), and it is not already in the chain."""

    def refuse(message: str) -> ConfigError:
        return ConfigError(ConfigIssue(str(path), line, col, "extends", message))

    try:
        target = (path.parent / parent).resolve(strict=True)
    except FileNotFoundError:
        missing = (path.parent / parent).absolute()
        raise refuse(f"file not found: {missing} (got {parent!r})") from None
    except (OSError, RuntimeError) as exc:  # ELOOP: RuntimeError before Python 3.13
        reason = "a symlink loop" if "loop" in str(exc).lower() else "cannot be resolved"
        raise refuse(f"{reason} (got {parent!r})") from None
    if target in chain or target == path:
        cycle = " -> ".join(str(p) for p in (*chain, path, target))
        raise refuse(f"cycle of extends: {cycle} (got {parent!r})")
    if target.suffix.lower() not in {".yaml", ".yml"}:
        raise refuse(f"must name a .yaml or .yml scenario file (got {parent!r})")
    if not target.is_file():
        raise refuse(f"not a regular file: {target} (got {parent!r})")
    return target


def _check_scenario_keys(path: Path, data: dict[str, Any], where: tuple[str, int, int]) -> None:
    """Refuse an extended file none of whose top-level keys is a scenario key, without
    echoing its contents (it may be any YAML file the user can read)."""
    if data and not any(key in _TOP_KEYS for key in data):
        raise ConfigError(
            ConfigIssue(
                *where,
                "extends",
                f"{path} is not a scenario file (none of its top-level keys is a scenario key)",
            )
        )


def _load_tree(
    path: Path, chain: tuple[Path, ...], where: tuple[str, int, int] | None = None
) -> tuple[dict[str, Any], dict[Path_, Loc], list[str]]:
    data, locs = read_file(path)
    if where is not None:
        _check_scenario_keys(path, data, where)
    files = [str(path)]
    ext = data.pop("extends", None)
    ext_loc = locs.get(("extends",))
    if ext is None:
        return data, {p: v for p, v in locs.items() if p[:1] != ("extends",)}, files
    parents = [ext] if isinstance(ext, str) else ext
    if not isinstance(parents, list) or not all(isinstance(p, str) and p for p in parents):
        line, col = (ext_loc.vline, ext_loc.vcolumn) if ext_loc else (1, 1)
        raise ConfigError(
            ConfigIssue(
                str(path),
                line,
                col,
                "extends",
                f"must be a file name or a list of file names (got {short_repr(ext)})",
            )
        )
    merged: dict[str, Any] = {}
    merged_locs: dict[Path_, Loc] = {}
    for i, parent in enumerate(parents):
        site = locs.get(("extends", i)) if isinstance(ext, list) else ext_loc
        line, col = (site.vline, site.vcolumn) if site else (1, 1)
        target = _extends_target(path, parent, chain, line, col)
        pdata, plocs, pfiles = _load_tree(target, (*chain, path), (str(path), line, col))
        _merge(merged, merged_locs, pdata, plocs)
        files.extend(pfiles)
    own = {p: v for p, v in locs.items() if p[:1] != ("extends",)}
    _merge(merged, merged_locs, data, own)
    return merged, merged_locs, files


def load_document(path: str | os.PathLike[str]) -> Document:
    """Read a scenario file and everything it extends into one merged :class:`Document`.

    Parameters
    ----------
    path : str or path-like
        The YAML file.

    Raises
    ------
    ConfigError
        Malformed YAML, a forbidden tag, duplicate keys, an empty or non-mapping document, a
        missing file in ``extends`` or a cycle; every message is located.
    """
    try:
        p = Path(path).resolve(strict=True)
    except FileNotFoundError:
        raise ConfigError(ConfigIssue(str(path), 0, 0, "", "file not found")) from None
    except (OSError, RuntimeError) as exc:  # ELOOP: RuntimeError before Python 3.13
        reason = "a symlink loop" if "loop" in str(exc).lower() else "cannot be resolved"
        raise ConfigError(ConfigIssue(str(path), 0, 0, "", reason)) from None
    data, locs, files = _load_tree(p, ())
    return Document(data, SourceMap(locs, root=str(p), files=tuple(dict.fromkeys(files))))


def parse_override(text: str) -> tuple[tuple[str, ...], Any, str]:
    """Parse ``dotted.key=value`` (value in YAML syntax) into ``(path, value, label)``."""
    label = f"<--set {text}>"
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError(
            ConfigIssue(label, 1, 1, "", f"an override is dotted.key=value (got {text!r})")
        )
    parts = tuple(key.split("."))
    if any(not part.strip() for part in parts):
        raise ConfigError(ConfigIssue(label, 1, 1, key, f"empty part in dotted key (got {key!r})"))
    if raw.strip() == "":
        raise ConfigError(
            ConfigIssue(label, 1, len(key) + 2, key, f"missing value (got {text!r})")
        )
    try:
        value, _ = parse_text(raw, label, what="override")
    except ConfigError as exc:  # positions within the value: shift them past "key="
        shift = len(text) - len(raw)
        raise ConfigError([_shifted(i, key, shift) for i in exc.issues]) from None
    return parts, value, label


def _shifted(issue: ConfigIssue, key: str, shift: int) -> ConfigIssue:
    """An issue inside an override's value, moved to its place in ``key=value``."""
    col = issue.column + shift if issue.line == 1 else issue.column
    sub = issue.key
    full = key if not sub else f"{key}{sub}" if sub.startswith("[") else f"{key}.{sub}"
    return ConfigIssue(issue.file, issue.line, col, full, issue.message)


def apply_overrides(doc: Document, overrides: Iterable[str]) -> Document:
    """Return a new :class:`Document` with ``dotted.key=value`` overrides applied in order.

    The value is parsed as YAML (``true``, ``2``, ``[a, b]``, ``{low: 1, high: 2}``); a
    mapping value deep-merges into an existing mapping, anything else replaces.
    """
    data = copy.deepcopy(doc.data)
    locs = dict(doc.source_map.locations)
    for text in overrides:
        parts, value, label = parse_override(text)
        vcol = len(".".join(parts)) + 2
        top: Any = value
        for part in reversed(parts):
            top = {part: top}
        top_locs: dict[Path_, Loc] = {parts: Loc(label, 1, 1, 1, vcol)}
        for n in range(1, len(parts)):  # keys the override creates are located at it
            if not _value_at(data, parts[:n])[0]:
                top_locs[parts[:n]] = Loc(label, 1, 1, 1, 1)
        for sub in _paths(value, parts):
            top_locs[sub] = Loc(label, 1, vcol, 1, vcol)
        _merge(data, locs, top, top_locs)
    return Document(data, SourceMap(locs, doc.source_map.root, doc.source_map.files))


def _paths(value: Any, prefix: tuple[str | int, ...]) -> Iterable[tuple[str | int, ...]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield (*prefix, i)
            yield from _paths(v, (*prefix, i))


def _value_at(data: Any, path: Sequence[str | int]) -> tuple[bool, Any]:
    node = data
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return False, None
    return True, node


def _allowed_keys(model_path: Sequence[str | int]) -> list[str]:
    """Field names allowed at a path of ScenarioConfig (for 'did you mean')."""
    from pydantic import BaseModel

    cls: Any = ScenarioConfig
    for part in model_path:
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
            return []
        info = cls.model_fields.get(str(part))
        if info is None:
            return []
        ann = info.annotation
        cls = ann if isinstance(ann, type) else None
    if isinstance(cls, type) and issubclass(cls, BaseModel):
        names = list(cls.model_fields)
        return [*names, "extends"] if cls is ScenarioConfig else names
    return []


def _issues_from_validation(
    exc: ValidationError, data: dict[str, Any], smap: SourceMap
) -> list[ConfigIssue]:
    issues: list[ConfigIssue] = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        # Drop discriminator tags pydantic inserts into the path (e.g. 'triangular').
        path: list[str | int] = []
        for part in loc:
            ok, _ = _value_at(data, (*path, part))
            if ok or not path:
                path.append(part)
                continue
            parent_ok, parent = _value_at(data, path)
            if parent_ok and isinstance(parent, dict) and parent.get("dist") == part:
                continue
            path.append(part)
        kind = err["type"]
        msg = str(err["msg"])
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        # A validator message "field: text" names a sub-key: move it into the path.
        head, sep, rest = msg.partition(": ")
        if sep and head.isidentifier() and " " not in head:
            parent_ok, parent = _value_at(data, path)
            if parent_ok and isinstance(parent, dict):
                path.append(head)
                msg = rest
        found, value = _value_at(data, path)
        if kind == "extra_forbidden":
            allowed = _allowed_keys([p for p in path[:-1] if isinstance(p, str)])
            close = difflib.get_close_matches(str(path[-1]), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            choices = f" (allowed: {', '.join(allowed)})" if allowed and not close else ""
            msg = f"unknown key{hint}{choices}"
            file, line, col = smap.find(path, value=False)
            issues.append(ConfigIssue(file, line, col, _dotted(path), msg))
            continue
        if kind == "missing":
            file, line, col = smap.find(path, value=False)
            issues.append(ConfigIssue(file, line, col, _dotted(path), "required key is missing"))
            continue
        if kind == "union_tag_invalid" or kind == "union_tag_not_found":
            parent_ok, parent = _value_at(data, path)
            if kind == "union_tag_not_found":
                msg = f"a distribution needs 'dist:', one of {_DISTS}"
                file, line, col = smap.find(path, value=False)
                issues.append(ConfigIssue(file, line, col, _dotted(path), msg))
                continue
            path.append("dist")
            found, value = _value_at(data, path)
            msg = f"unknown distribution; expected one of {_DISTS}"
        file, line, col = smap.find(path, value=True)
        got = f" (got {short_repr(value)})" if found and "(got" not in msg else ""
        issues.append(ConfigIssue(file, line, col, _dotted(path), f"{msg}{got}"))
    return issues


def config_from_dict(
    data: dict[str, Any], *, source_map: SourceMap | None = None
) -> ScenarioConfig:
    """Validate plain data into a :class:`ScenarioConfig`, with located errors.

    Raises
    ------
    ConfigError
        One issue per problem pydantic found.
    """
    smap = source_map or SourceMap()
    if not isinstance(data, dict):
        raise ConfigError(
            ConfigIssue(smap.root, 0, 0, "", f"expected a mapping (got {short_repr(data)})")
        )
    data = resolve_posterior_file(data, smap)  # relative to the file that set it
    try:
        config = ScenarioConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_issues_from_validation(exc, data, smap)) from None
    return config.with_locations(smap)


def load_config(path: str | os.PathLike[str], *, overrides: Iterable[str] = ()) -> ScenarioConfig:
    """Load, merge, override and validate a scenario file.

    Parameters
    ----------
    path : str or path-like
        A YAML scenario file (it may ``extends:`` others).
    overrides : iterable of str
        ``dotted.key=value`` strings applied after merging, value in YAML syntax
        (``policy.advisors.deploy=true``, ``run.replications=2000``).

    Returns
    -------
    ScenarioConfig
        Frozen and validated; it remembers where each key came from.

    Raises
    ------
    ConfigError
        Every problem, one line each: ``FILE:LINE:COL: dotted.key: what is wrong (got VALUE)``.
    """
    doc = load_document(path)
    overrides = list(overrides)
    if overrides:
        doc = apply_overrides(doc, overrides)
    return config_from_dict(doc.data, source_map=doc.source_map)
