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
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scenario.cli_cluster import ClusterOpt, SchedulerOpt, dask_executor
from scenario.cli_common import (
    ConfigArg,
    FormatOpt,
    OutcomeBlock,
    OutputFormat,
    SetOpt,
    WideOpt,
    app,
    print_outcomes,
)
from scenario.cli_common import err as _err
from scenario.cli_common import fail as _fail
from scenario.cli_common import fmt as _fmt
from scenario.cli_common import load as _load
from scenario.cli_common import out as _out
from scenario.cli_common import print_error as _print_error
from scenario.errors import ScenarioError

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from scenario.config.schema import ScenarioConfig
    from scenario.results import Results

# Everything heavy (rich, the loader, the engine, the models, SciPy) is imported inside the
# commands, so ``scenario --help`` only pays for typer.

__all__ = ["app", "main"]


@app.command()
def run(
    config: ConfigArg,
    replications: Annotated[
        int | None,
        typer.Option("-n", "--replications", help="Replications (default: run.replications)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Root seed (default: run.seed).")
    ] = None,
    workers: Annotated[
        int,
        typer.Option("--workers", "-w", min=1, help="Worker processes (results do not change)."),
    ] = 1,
    scheduler: SchedulerOpt = None,
    cluster: ClusterOpt = None,
    sets: SetOpt = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Save results (Parquet + manifest.json) here."),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace earlier results in --out.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    precision: Annotated[
        list[str] | None,
        typer.Option(
            "--precision",
            help="Add blocks until the 95% CI half-width of OUTCOME's mean is at most H, "
            "as OUTCOME=H. Repeatable; not with -n.",
            show_default=False,
        ),
    ] = None,
    max_replications: Annotated[
        int | None,
        typer.Option("--max-replications", help="Cap of a --precision run (default 100 blocks)."),
    ] = None,
    wide: WideOpt = False,
    output: FormatOpt = OutputFormat.table,
) -> None:
    """Run a scenario and print its outcome distributions."""
    save_error: ScenarioError | None = None
    try:
        cfg = _load(config, sets)
        with _claimed(out, overwrite), dask_executor(cfg, scheduler, cluster, workers) as executor:
            if cfg.sweep:  # one summary table per point of the sweep
                from scenario.commands.compare import print_sweep_run

                print_sweep_run(
                    cfg,
                    replications=replications,
                    seed=seed,
                    workers=workers,
                    save_to=out,
                    overwrite=overwrite,
                    wide=wide,
                    output=output,
                )
                return
            results = _run_with_progress(
                cfg,
                replications=replications,
                seed=seed,
                workers=1 if executor is not None else workers,
                quiet=quiet,
                precision=_precision_targets(precision),
                max_replications=max_replications,
                executor=executor,
            )
            try:
                if out is not None:
                    results.save(out, overwrite=overwrite)
            except ScenarioError as exc:  # e.g. disk full: still print the table
                save_error = exc
    except ScenarioError as exc:
        raise _fail(exc) from None
    _print_report(cfg, results, None if save_error else out, wide=wide, output=output)
    _print_precision(results, output)
    if save_error is not None:
        raise _fail(save_error)


def _precision_targets(items: list[str] | None) -> dict[str, float] | None:
    """``--precision OUTCOME=H`` options as ``{outcome: H}`` (None if there are none)."""
    from scenario.errors import EngineError

    if not items:
        return None
    targets: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            targets[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not name.strip():
            raise EngineError(
                f"--precision must be OUTCOME=HALF_WIDTH, e.g. nk_casualties=50 (got {item!r})"
            )
    return targets


def _print_precision(results: Results, output: OutputFormat = OutputFormat.table) -> None:
    """For a --precision run: each target, the half-width reached, and the replications
    (on stderr with ``--format csv|json``)."""
    report = results.manifest.get("precision")
    if not report:
        return
    say = (_err() if output.data_only else _out()).print
    for name, row in report.items():
        verdict = "met" if row["met"] else "NOT met"
        say(
            f"precision {name}: 95% CI half-width {_fmt(row['half_width'])} "
            f"(target {row['target']:g}): {verdict}"
        )
    met = all(row["met"] for row in report.values())
    say(
        f"replications used: {results.replications:,} of at most "
        f"{results.manifest['max_replications']:,}"
        + ("" if met else "; raise --max-replications or loosen --precision")
    )


def _claimed(out: Path | None, overwrite: bool) -> contextlib.AbstractContextManager[object]:
    """Claim ``--out`` for this run (:func:`scenario.results_files.claim`): refuses, before
    the run, an occupied or unwritable path, or one another run is writing."""
    if out is None:
        return contextlib.nullcontext()
    from scenario.results_files import claim

    return claim(out, overwrite)


def _run_with_progress(
    cfg: ScenarioConfig,
    *,
    replications: int | None,
    seed: int | None,
    workers: int,
    quiet: bool,
    precision: dict[str, float] | None = None,
    max_replications: int | None = None,
    executor: Executor | None = None,
) -> Results:
    """Run ``cfg`` (on ``executor`` if given), with a transient progress bar on stderr only
    when stderr is a terminal: replications done (within blocks too), replications per
    second and time left."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from scenario.engine.runner import run as run_scenario

    err_console = _err()
    show = not quiet and _stderr_is_terminal()
    with Progress(
        TextColumn("{task.description}", markup=False, style="bold"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}/{task.total:,.0f} reps", markup=False),
        _rate_column(),
        TimeRemainingColumn(compact=True),
        TextColumn("left", markup=False),
        console=err_console,
        transient=True,
        disable=not show,
    ) as bar:
        task = bar.add_task(cfg.name, total=replications or cfg.run.replications)

        def progress(done: float, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return run_scenario(
            cfg,
            replications=replications,
            seed=seed,
            workers=workers,
            progress=progress if show else None,
            precision=precision,
            max_replications=max_replications,
            executor=executor,
        )


def _stderr_is_terminal() -> bool:
    """Whether stderr is a terminal (not a pipe or file, whatever FORCE_COLOR says)."""
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty is not None and isatty())


def _rate_column() -> Any:
    """A progress column showing replications per second ("--" until rich can tell)."""
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text("-- reps/s" if speed is None else f"{speed:,.0f} reps/s", style="cyan")

    return RateColumn()


def _print_report(
    cfg: ScenarioConfig,
    results: Results,
    out: Path | None,
    *,
    wide: bool = False,
    output: OutputFormat = OutputFormat.table,
) -> None:
    """Print a run's notes, outcome table, failures and the assumptions reminder (with
    ``--format csv|json`` only the data on stdout, the rest on stderr)."""
    from scenario.config.distributions import is_assumption
    from scenario.tables.outcomes import outcome_rows

    n_assume = sum(is_assumption(s) for s in cfg.flat_parameters().values())
    seed = results.manifest["seed"]
    reps = f"{results.replications:,} replication" + ("s" if results.replications != 1 else "")
    title = f"{cfg.name}: {reps}, seed {seed}, {cfg.start_date} + {cfg.horizon_days} days"
    first = results.failures[0] if results.failures else None
    lines = [
        f"failed replications: {results.n_failed}"
        + (f" (first: #{first.index}: {first.message})" if first is not None else ""),
        f"{n_assume} of {len(cfg.flat_parameters())} parameters are ASSUMPTIONs "
        "(scenario params CONFIG lists them). Outcomes are model insight, not prediction.",
    ]
    if out is not None:
        lines.append(f"results saved to {out}")
    meta = {
        "name": cfg.name,
        "replications": results.replications,
        "failed": results.n_failed,
        "seed": seed,
        "start_date": str(cfg.start_date),
        "horizon_days": cfg.horizon_days,
    }
    print_outcomes(
        [OutcomeBlock(title, outcome_rows(results), meta)],
        wide=wide,
        fmt=output,
        notes=[str(n) for n in results.manifest.get("notes", [])],
        after=lines,
    )


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
    """Entry point of the ``scenario`` console script."""
    app()
