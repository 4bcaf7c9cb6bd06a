"""``housemind bench ...``: benchmarks that print their numbers (see benchmarks/RESULTS.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from housemind.agent.cli._common import HomeOpt, JsonOpt, QuickOpt, console, fail, run_bench
from housemind.agent.cli.bench_month import bench_month
from housemind.agent.cli.bench_system1 import bench_executor, bench_vla

__all__ = ["register"]

bench_app = typer.Typer(
    help="Benchmarks: print numbers (record them in benchmarks/RESULTS.md).", no_args_is_help=True
)


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


@bench_app.command("policy-server")
def bench_policy_server(
    quick: QuickOpt = False,
    clients: Annotated[int, typer.Option(help="Concurrent clients.")] = 8,
    requests: Annotated[int | None, typer.Option(help="Requests per client.")] = None,
    checkpoint: Annotated[
        str | None,
        typer.Option(
            help="A stateless checkpoint to serve (default: a small linear policy, to time "
            "serving itself)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Policy server (openpi protocol): requests/s and p99 latency with concurrent clients."""
    from housemind.skills.policies.bench import run_bench as bench

    _at_least_one(clients, "--clients")
    sizes: dict[str, Any] = {"clients": clients, "requests": 30 if quick else 500}
    if _at_least_one(requests, "--requests") is not None:
        sizes["requests"] = requests
    if checkpoint is not None:
        sizes["checkpoint"] = checkpoint
    try:
        run_bench(bench, sizes, as_json)
    except RuntimeError as e:
        fail(str(e))


@bench_app.command("metaworld")
def bench_metaworld(
    quick: QuickOpt = False,
    suite: Annotated[
        str, typer.Option("--suite", help="Expert sweep tasks: mt10, mt50, a split or names.")
    ] = "mt50",
    episodes: Annotated[
        int | None, typer.Option(help="Seeded episodes per task for the expert sweep (0: skip).")
    ] = None,
    frames: Annotated[
        int | None, typer.Option(help="Frames timed per image size (0: skip).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Meta-World: ms per camera frame by image size, scripted-expert success per task."""
    try:
        from housemind.sim.metaworld.bench import run_bench as bench
        from housemind.sim.metaworld.tasks import UnknownTaskError
        from housemind.sim.metaworld.tasks import suite as tasks_of
    except ImportError as e:
        fail(str(e))
    try:
        tasks_of(suite)
    except UnknownTaskError as e:
        fail(str(e))
    sizes: dict[str, Any] = {"suite_name": suite}
    sizes.update({"episodes": 1, "frames": 10} if quick else {"episodes": 5, "frames": 100})
    for name, value in (("episodes", episodes), ("frames", frames)):
        if value is not None:
            if value < 0:
                fail(f"--{name} must be >= 0, got {value}")
            sizes[name] = value
    run_bench(bench, sizes, as_json)


@bench_app.command("fleet")
def bench_fleet(
    db: Annotated[
        str,
        typer.Option(
            "--db",
            envvar="HOUSEMIND_DB",
            help="The PostgreSQL server: postgresql+psycopg://user@host/dbname (homes "
            "fleetbench_N are created in it and dropped after).",
        ),
    ],
    quick: QuickOpt = False,
    homes: Annotated[int | None, typer.Option(help="Homes, one process each (20).")] = None,
    days: Annotated[float | None, typer.Option(help="Simulated days per home (7).")] = None,
    keep: Annotated[bool, typer.Option("--keep", help="Keep the homes afterwards.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Fleet: homes running together on one PostgreSQL: chores/s, claim p50/p99, no chore twice."""
    from housemind.agent.cli._common import check_days, db_url
    from housemind.agent.fleet_bench import run_bench as bench
    from housemind.memory import MemoryStoreError

    sizes: dict[str, Any] = {"homes": 2, "days": 1.0} if quick else {"homes": 20, "days": 7.0}
    if _at_least_one(homes, "--homes") is not None:
        sizes["homes"] = homes
    if days is not None:
        sizes["days"] = check_days(days)
    sizes.update(url=db_url(db), keep=keep)
    try:
        run_bench(bench, sizes, as_json)
    except MemoryStoreError as e:
        fail(str(e))


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


@bench_app.command("phrasings")
def bench_phrasings(
    data: Annotated[
        Path | None,
        typer.Option(
            "--data", help="One labelled phrasing file (default: the shipped dev and held-out)."
        ),
    ] = None,
    part: Annotated[
        list[str] | None,
        typer.Option("--part", help="Only this part of the shipped set (dev, heldout); repeat."),
    ] = None,
    show_wrong: Annotated[
        bool, typer.Option("--show-wrong", help="List the phrasings read wrong.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Language: share of phrasings whose kinds and next five runs are read right."""
    from housemind.scheduler.phrasing_bench import PhrasingBenchError, run_phrasing_bench

    try:
        res = run_phrasing_bench(data, parts=part or None)
    except PhrasingBenchError as e:
        fail(str(e))
    if as_json:
        typer.echo(json.dumps(res))
        return
    _print_phrasings(res, show_wrong=show_wrong)


def _print_phrasings(res: dict[str, Any], *, show_wrong: bool) -> None:
    from rich.table import Table

    con = console()
    for name, part in res["parts"].items():
        title = f"phrasings: {name} ({part['n']}, now {part['now']} {part['timezone']})"
        t = Table(title=title)
        for col in ("category", "n", "right (kinds + next 5 runs)", "goals right too"):
            t.add_column(col)
        for cat, r in part["per_category"].items():
            t.add_row(cat, str(r["n"]), f"{r['share']:.0%}", f"{r['goal_right'] / r['n']:.0%}")
        t.add_row("all", str(part["n"]), f"{part['share']:.1%}", f"{part['goal_share']:.1%}")
        con.print(t)
        if show_wrong:
            for w in part["wrong"]:
                con.print(f"[red]wrong[/] ({w['category']}): {w['text']}")


bench_app.command("executor")(bench_executor)
bench_app.command("month")(bench_month)
bench_app.command("vla")(bench_vla)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(bench_app, name="bench")
