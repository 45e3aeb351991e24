"""Command-line interface: a thin typer app over the library.

``scenario run CONFIG`` prints the outcome table; ``validate``, ``show``, ``params``,
``wiring`` and ``schema`` inspect configs. A user's mistake (bad config, bad option value)
prints located error lines and exits with code 1, without a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scenario.cli_common import (
    ConfigArg,
    SetOpt,
    app,
)
from scenario.cli_common import fail as _fail
from scenario.cli_common import load as _load
from scenario.cli_common import out as _out
from scenario.cli_common import print_error as _print_error
from scenario.errors import ScenarioError

if TYPE_CHECKING:
    pass

# Everything heavy (rich, the loader, the engine, the models, SciPy) is imported inside the
# commands, so ``scenario --help`` only pays for typer.

__all__ = ["app", "main"]


# ``scenario run`` lives in scenario.commands.run; importing it registers it first.
import scenario.commands.run  # noqa: F401


@app.command()
def validate(
    configs: Annotated[
        list[Path], typer.Argument(help="Scenario YAML files.", show_default=False)
    ],
    sets: SetOpt = None,
) -> None:
    """Check config files (syntax, schema, the submodels, that the model's parameters are
    all given, and that triggers watch events the model declares)."""
    from scenario.engine.runner import check_config, resolve_model

    failed = False
    for path in configs:
        try:
            cfg = _load(path, sets)
            check_config(cfg, resolve_model(cfg))
            if cfg.sweep:  # every point's values, as the run will see them
                from scenario.analysis.sweep import sweep_configs

                for _, point in sweep_configs(cfg):
                    check_config(point, resolve_model(point))
        except ScenarioError as exc:
            failed = True
            _print_error(str(exc))
            continue
        _out().print(f"ok: {path} ({cfg.name}, model {cfg.model})", markup=False, highlight=False)
    if failed:
        raise typer.Exit(code=1)


@app.command()
def wiring(config: ConfigArg, sets: SetOpt = None) -> None:
    """Show which submodel produces and reads each signal, the order of the day, and the
    events triggers can watch."""
    from scenario.engine.runner import resolve_model

    try:
        cfg = _load(config, sets)
        model = resolve_model(cfg)
    except ScenarioError as exc:
        raise _fail(exc) from None
    plain = functools.partial(
        _out().print, markup=False, highlight=False, emoji=False, soft_wrap=True
    )
    wired = getattr(model, "wiring", None)
    if wired is None:
        plain(f"model {model.name} is not a composition of submodels")
        return
    plain(wired.describe())
    found = getattr(model, "config_issues", None)
    problems = found(cfg) if found is not None else []
    ignored: frozenset[str] = getattr(model, "ignored_parameters", frozenset())
    if ignored:
        groups = sorted({k.split(".", 1)[0] for k in ignored})
        plain(
            f"ignored: {len(ignored)} parameters of submodels not in this composition "
            f"(groups: {', '.join(groups)})"
        )
    if problems:  # e.g. a trigger on an event this composition does not declare
        from scenario.config.locations import issue_at

        for path, message in problems:
            _print_error(str(issue_at(cfg, path, message)))
        raise typer.Exit(code=1)


@app.command()
def show(
    config: ConfigArg,
    resolved: Annotated[
        bool,
        typer.Option("--resolved", help="Print the merged, validated config with all defaults."),
    ] = False,
    sets: SetOpt = None,
) -> None:
    """Print a config: as merged from its extends chain, or fully resolved (--resolved)."""
    from ruamel.yaml import YAML

    from scenario.config.loader import apply_overrides, load_document

    try:
        if resolved:
            data: Any = _load(config, sets).model_dump(mode="json")
        else:
            doc = load_document(config)
            if sets:
                doc = apply_overrides(doc, sets)
            data = json.loads(json.dumps(doc.data, default=str))
    except ScenarioError as exc:
        raise _fail(exc) from None
    y = YAML(typ="safe", pure=True)
    y.default_flow_style = False
    y.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    buf = io.StringIO()
    y.dump(data, buf)
    sys.stdout.write(buf.getvalue())


@app.command()
def params(
    config: ConfigArg,
    assumptions: Annotated[
        bool, typer.Option("--assumptions", help="Only the parameters marked ASSUMPTION.")
    ] = False,
    sets: SetOpt = None,
) -> None:
    """Print the assumptions register: every parameter, its distribution and source."""
    from rich.table import Table

    from scenario.config.distributions import describe, is_assumption
    from scenario.models.registry import default_registry

    try:
        cfg = _load(config, sets)
        model = default_registry().get(cfg.model)
    except ScenarioError as exc:
        raise _fail(exc) from None
    info = {p.key: p for p in model.parameters}
    readers = {p.key: sm.name for sm in getattr(model, "submodels", ()) for p in sm.parameters}
    table = Table(title=f"assumptions register: {cfg.name}", show_lines=True, header_style="bold")
    cols = (
        "parameter",
        "unit",
        "read by",
        "distribution",
        "source",
        "as_of",
        "confidence",
        "flag",
    )
    for col in cols:
        table.add_column(col, overflow="fold")
    rows = 0
    n_assume = 0
    for key, spec in cfg.flat_parameters().items():
        flag = "ASSUMPTION" if is_assumption(spec) else ""
        n_assume += bool(flag)
        if assumptions and not flag:
            continue
        unit = info[key].unit if key in info else "?"
        table.add_row(
            key,
            unit,
            readers.get(key, model.name),
            describe(spec),
            spec.source,
            spec.as_of.isoformat(),
            spec.confidence,
            flag,
        )
        rows += 1
    _out(piped=220).print(table)  # a register is wide: 220 columns when piped (COLUMNS wins)
    _out().print(f"{len(cfg.flat_parameters())} parameters, {n_assume} marked ASSUMPTION")


@app.command()
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of scenario files (editors use it for completion)."""
    from scenario.config.schema import json_schema

    text = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")


def _version(value: bool) -> None:
    if value:
        from scenario import __version__

        _out().print(f"scenario {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Distributions of outcomes for South Korea's policy options on North Korea's deployment
    to Kursk."""


def _register_commands() -> None:
    """Add the analysis commands (compare, sensitivity, voi, discover, ...)."""
    from scenario.commands import register_all

    register_all()


_register_commands()


def main() -> None:
    """Entry point of the ``scenario`` console script.

    SIGINT (Ctrl-C) and SIGTERM print one ``interrupted`` line and unwind the command (no
    results are saved half-way: saving is atomic), exiting with 128 + the signal number; a
    second signal exits at once, even if a model ignores the first.
    """
    with _interruptible():
        app()


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Install the CLI's SIGINT and SIGTERM handlers for the duration of the command."""
    import os
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def handler(signum: int, frame: Any) -> None:
        received.append(signum)
        name = signal.Signals(signum).name
        if len(received) > 1:
            os.write(2, f"scenario: {name} again: exiting now\n".encode())
            os._exit(128 + signum)
        line = f"scenario: interrupted by {name}; stopping (send it again to exit at once)\n"
        os.write(2, line.encode())
        raise SystemExit(128 + signum)

    old = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, previous in old.items():
            signal.signal(sig, previous)
