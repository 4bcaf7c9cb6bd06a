"""``housemind bench ...``: benchmarks that print their numbers (see benchmarks/RESULTS.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from housemind.agent.cli._common import HomeOpt, JsonOpt, console, fail, run_bench

__all__ = ["register"]

bench_app = typer.Typer(
    help="Benchmarks: print numbers (record them in benchmarks/RESULTS.md).", no_args_is_help=True
)

QuickOpt = Annotated[
    bool, typer.Option("--quick", help="Small sizes (seconds, for tests and smoke runs).")
]


def _at_least_one(value: int | None, option: str) -> int | None:
    if value is not None and value < 1:
        fail(f"{option} must be >= 1, got {value}")
    return value


@bench_app.command("memory")
def bench_memory(
    quick: QuickOpt = False,
    observations: Annotated[int | None, typer.Option(help="Object sightings to insert.")] = None,
    events: Annotated[int | None, typer.Option(help="Events to insert.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Memory on SQLite: last-seen and semantic-search latency, inserts/s, six-month size."""
    from housemind.memory.bench import run_bench as bench

    sizes = (
        {"observations": 1000, "events": 300, "months": 0.1, "queries": 20}
        if quick
        else {"observations": 100_000, "events": 50_000, "months": 6.0, "queries": 500}
    )
    if _at_least_one(observations, "--observations") is not None:
        sizes["observations"] = observations
    if _at_least_one(events, "--events") is not None:
        sizes["events"] = events
    run_bench(bench, sizes, as_json)


@bench_app.command("schedule")
def bench_schedule(
    quick: QuickOpt = False,
    instructions: Annotated[int | None, typer.Option(help="Instructions to store.")] = None,
    days: Annotated[float | None, typer.Option(help="Simulated days (50 instructions).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Scheduling: store 10,000 instructions and their next runs; simulate 30 days."""
    from housemind.agent.cli._common import check_days
    from housemind.scheduler.bench import run_bench as bench

    sizes: dict[str, Any] = (
        {"instructions": 500, "days": 2, "day_instructions": 0, "parse_sample": 20} if quick else {}
    )
    if _at_least_one(instructions, "--instructions") is not None:
        sizes["instructions"] = instructions
    if days is not None:
        sizes["days"] = check_days(days)
    run_bench(bench, sizes, as_json)


@bench_app.command("sim")
def bench_sim(
    quick: QuickOpt = False,
    instances: Annotated[
        int | None, typer.Option(help="Randomised instances per skill for expert_success.")
    ] = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """HomeSim: control steps/s, egocentric frame ms, a simulated week's wall time, experts."""
    from housemind.sim.home.bench import run_bench as bench

    sizes: dict[str, Any] = (
        {"steps": 5_000, "renders": 50, "week_days": 1.0, "instances": 2}
        if quick
        else {"steps": 200_000, "renders": 2_000, "week_days": 7.0, "instances": 1_000}
    )
    if _at_least_one(instances, "--instances") is not None:
        sizes["instances"] = instances
    if home is not None:
        sizes["home"] = home
    run_bench(bench, sizes, as_json)


@bench_app.command("safety")
def bench_safety(
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Labelled instructions (default: the shipped benchmark)."),
    ] = None,
    split: Annotated[
        list[str] | None, typer.Option("--split", help="Only this split (dev, test); repeat.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Safety: hazardous instructions flagged, safe ones allowed, check latencies."""
    from housemind.safety.evaluation import BenchmarkDataError
    from housemind.safety.evaluation import run_bench as bench

    try:
        res = bench(data, splits=split or None)
    except BenchmarkDataError as e:
        fail(str(e))
    if as_json:
        typer.echo(json.dumps(res))
        return
    _print_safety(res)


def _print_safety(res: dict[str, Any]) -> None:
    from rich.table import Table

    con = console()
    t = Table(title=f"safety benchmark ({res['n']} instructions; {res['machine']})")
    for col in ("split", "category", "hazardous flagged", "safe allowed", "right verdict"):
        t.add_column(col)
    for name, part in res["splits"].items():
        rows = [("all", part), *part["per_category"].items()]
        for cat, r in rows:
            t.add_row(
                name,
                cat,
                f"{r['hazardous_flagged']:.0%}",
                f"{r['safe_allowed']:.0%}",
                f"{r['verdict_match']:.0%}",
            )
    con.print(t)
    con.print(
        f"overall: flagged {res['hazardous_flagged']:.1%}, allowed {res['safe_allowed']:.1%}; "
        f"instruction check p95 {res['check_ms_p95']} ms; action guard p99 "
        f"{res['action_us_p99']} µs; embeddings: {res['embeddings']}"
    )
    for m in res["missed"]:
        con.print(f"[red]missed[/] ({m['split']}, {m['category']}): {m['text']}")
    for m in res["false_alarms"]:
        con.print(f"[yellow]false alarm[/] ({m['split']}, {m['category']}): {m['text']}")


@bench_app.command("executor")
def bench_executor(
    quick: QuickOpt = False,
    seconds: Annotated[
        float | None, typer.Option(help="Wall seconds of ticking per backend.")
    ] = None,
    backend: Annotated[
        list[str] | None, typer.Option(help="Policy backend (repeat); default scripted and vla.")
    ] = None,
    rate: Annotated[float, typer.Option(help="Control rate (Hz).")] = 200.0,
    no_load: Annotated[
        bool, typer.Option("--no-load", help="Without System 2 planning and writing memory.")
    ] = False,
    mode: Annotated[
        list[str] | None,
        typer.Option(help="thread (in this process) and/or process (its own); default both."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """System 1's achieved rate, tick jitter and missed ticks, with System 2 busy beside it."""
    from housemind.agent.executor_bench import run_executor_bench as bench

    if seconds is not None and not seconds > 0:
        fail(f"--seconds must be > 0, got {seconds}")
    if not rate > 0:
        fail(f"--rate must be > 0, got {rate}")
    sizes: dict[str, Any] = {
        "seconds": seconds or (2.0 if quick else 20.0),
        "rate_hz": rate,
        "load": not no_load,
    }
    if backend:
        sizes["backends"] = tuple(backend)
    if mode:
        bad = [m for m in mode if m not in ("thread", "process")]
        if bad:
            fail(f"--mode must be thread or process, got {bad[0]!r}")
        sizes["modes"] = tuple(mode)
    try:
        run_bench(bench, sizes, as_json)
    except ValueError as e:
        fail(str(e))


@bench_app.command("vla")
def bench_vla(
    quick: QuickOpt = False,
    checkpoint: Annotated[
        Path | None, typer.Option(help="VLA model folder (default: the shipped one).")
    ] = None,
    backend: Annotated[str, typer.Option(help="Runtime: onnx, torch or auto.")] = "onnx",
    jerk: Annotated[
        int,
        typer.Option(
            help="Also run N HomeSim instances per skill with and without real-time "
            "chunking and report the jerk at chunk boundaries (0: skip)."
        ),
    ] = 0,
    as_json: JsonOpt = False,
) -> None:
    """The built-in VLA: parameters and milliseconds per chunk on one CPU thread."""
    from housemind.skills.vla.bench import run_bench as bench

    if backend not in ("auto", "onnx", "torch"):
        fail(f"--backend must be auto, onnx or torch, got {backend!r}")
    if checkpoint is not None and not (checkpoint / "config.json").is_file():
        fail(f"{checkpoint} holds no VLA model (config.json); pass a model folder")
    if jerk < 0:
        fail(f"--jerk must be >= 0, got {jerk}")
    from housemind.skills.policies.vla import configure_vla

    configure_vla(checkpoint, backend)
    sizes: dict[str, Any] = {"backend": backend, "calls": 40 if quick else 300}
    if checkpoint is not None:
        sizes["checkpoint"] = checkpoint
    say = (lambda m: None) if as_json else (lambda m: console().print(f"[dim]{m}…[/]"))
    try:
        res = bench(**sizes, progress=say)
        if jerk:
            from housemind.agent.executor_bench import run_jerk_bench

            res["chunk_boundary_jerk"] = run_jerk_bench(episodes=jerk, progress=say)
    except (FileNotFoundError, RuntimeError) as e:
        fail(str(e))
    if as_json:
        typer.echo(json.dumps(res))
    else:
        console().print_json(json.dumps(res))


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(bench_app, name="bench")
