"""``scenario run CONFIG``: run a scenario and print its outcome table.

With ``--out`` the blocks stream to disk as they finish (:func:`scenario.run_to_directory`;
``--resume`` continues a killed run); with ``--precision`` blocks are added until the
targets are met; ``--scheduler`` / ``--cluster`` run on dask (:mod:`scenario.cli_cluster`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

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
from scenario.errors import ScenarioError

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from scenario.config.schema import ScenarioConfig
    from scenario.results import Results

__all__ = ["InputsOpt", "StreamTo", "run"]


class InputsOpt(enum.StrEnum):
    """How ``run --out`` stores the sampled inputs."""

    full = "full"
    float32 = "float32"
    none = "none"


@dataclasses.dataclass(frozen=True)
class StreamTo:
    """Where and how ``run --out`` streams its blocks."""

    out: Path
    resume: bool
    overwrite: bool
    inputs: Literal["full", "float32", "none"]


OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="Save results (Parquet + manifest.json) here; blocks go to disk as they finish.",
    ),
]
OverwriteOpt = Annotated[
    bool, typer.Option("--overwrite", help="Replace earlier results in --out.")
]
ResumeOpt = Annotated[
    bool,
    typer.Option(
        "--resume",
        help="Continue the run a kill stopped: its finished blocks are kept beside --out "
        "(same command, same seed; the results equal an uninterrupted run's).",
    ),
]
InputsArg = Annotated[
    InputsOpt,
    typer.Option(
        "--inputs",
        help="With --out: store sampled inputs as float64 (full), float32, or not at all (none).",
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
PrecisionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--precision",
        help="Add blocks until the 95% CI half-width of OUTCOME's mean is at most H, "
        "as OUTCOME=H. Repeatable; not with -n.",
        show_default=False,
    ),
]
MaxReplicationsOpt = Annotated[
    int | None,
    typer.Option("--max-replications", help="Cap of a --precision run (default 100 blocks)."),
]


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
    out: OutOpt = None,
    overwrite: OverwriteOpt = False,
    resume: ResumeOpt = False,
    inputs: InputsArg = InputsOpt.full,
    quiet: QuietOpt = False,
    precision: PrecisionOpt = None,
    max_replications: MaxReplicationsOpt = None,
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
            targets = _precision_targets(precision)
            streamed = out is not None and targets is None
            if resume and not streamed:
                raise _usage_error("--resume continues a run saved with --out (not --precision)")
            results = _run_with_progress(
                cfg,
                replications=replications,
                seed=seed,
                workers=1 if executor is not None else workers,
                quiet=quiet,
                precision=targets,
                max_replications=max_replications,
                stream=StreamTo(out, resume, overwrite, inputs.value)
                if out is not None and streamed
                else None,
                executor=executor,
            )
            try:
                if out is not None and not streamed:
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
    stream: StreamTo | None = None,
    executor: Executor | None = None,
) -> Results:
    """Run ``cfg`` (on ``executor`` if given), with a transient progress bar on stderr only
    when stderr is a terminal: replications done (within blocks too), replications per
    second and time left. With ``stream``, blocks go to disk as they finish
    (:func:`scenario.run_to_directory`)."""
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

        if stream is not None:
            from scenario.engine.streamed import run_to_directory

            return run_to_directory(
                cfg,
                stream.out,
                replications=replications,
                seed=seed,
                workers=workers,
                progress=progress if show else None,
                resume=stream.resume,
                overwrite=stream.overwrite,
                inputs=stream.inputs,
                executor=executor,
            )
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


def _usage_error(message: str) -> ScenarioError:
    from scenario.errors import EngineError

    return EngineError(message)


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
