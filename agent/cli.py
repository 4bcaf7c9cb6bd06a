"""The ``housemind`` command line.

Heavy libraries (langgraph, litellm, torch, SQLAlchemy models, the simulator) are
imported inside the commands, so ``housemind --help`` starts fast. ``--json`` output is
a stable, machine-readable contract; people get rich tables and a live view.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = ["app", "main"]

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

app = typer.Typer(
    name="housemind",
    help="Household robots that take standing instructions and carry them out for months.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
safety_app = typer.Typer(help="The safety monitor.", no_args_is_help=True)
memory_app = typer.Typer(help="What the robot remembers.", no_args_is_help=True)
bench_app = typer.Typer(
    help="Benchmarks: print numbers (record them in benchmarks/RESULTS.md).", no_args_is_help=True
)
app.add_typer(safety_app, name="safety")
app.add_typer(memory_app, name="memory")
app.add_typer(bench_app, name="bench")
instructions_app = typer.Typer(
    help="Edit standing instructions: list, pause, resume, change, delete.", no_args_is_help=True
)
app.add_typer(instructions_app, name="instructions")
sim_app = typer.Typer(
    help="HomeSim: look at a home, record an episode, list the task suite.", no_args_is_help=True
)
app.add_typer(sim_app, name="sim")

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
DbOpt = Annotated[Path, typer.Option("--db", help="Project database file.")]


def _open_db(db: Path, *, must_exist: bool = True, hint: str = "pass --db PATH") -> Any:
    """Open the project database at ``db``, or exit with a message that says what to do."""
    from memory import MemoryStoreError, open_database

    if must_exist and not db.exists():
        _fail(f"no database at {db}; {hint}")
    try:
        return open_database(f"sqlite:///{db}")
    except MemoryStoreError as e:
        _fail(str(e))


def _fail(msg: str, code: int = 2) -> None:
    from rich.console import Console

    Console(stderr=True).print(f"[bold red]error:[/] {msg}")
    raise typer.Exit(code)


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
) -> None:
    from rich.logging import RichHandler

    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(show_path=False)],
    )


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="HomeSim seed.")] = 0,
    days: Annotated[float, typer.Option(help="Simulated days to run.")] = 1.0,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Keep the run in this database file (default: a temporary one)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run one simulated day at home with three standing instructions (offline)."""
    from agent.demo import DEMO_INSTRUCTIONS, run_demo

    if db is not None and db.exists():
        _fail(f"{db} already exists; the demo starts a new home — pass a new --db path")
    if as_json:
        summary = run_demo(seed=seed, days=days, db_path=db)
        typer.echo(json.dumps(summary))
        return
    from agent.live import LiveView

    with LiveView(
        title=f"housemind demo · HomeSim seed {seed}", instructions=DEMO_INSTRUCTIONS
    ) as view:
        summary = run_demo(seed=seed, days=days, db_path=db, on_event=view.on_event)
    view.print_summary(summary)
    if summary["chores_failed"]:
        raise typer.Exit(1)


@app.command()
def run(
    db: Annotated[Path, typer.Option("--db", help="Project database (created if new).")],
    days: Annotated[float, typer.Option(help="Simulated days from the start of the run.")] = 7.0,
    seed: Annotated[int, typer.Option(help="HomeSim seed (for a new run).")] = 0,
    instructions: Annotated[
        Path | None,
        typer.Option("--instructions", help="Standing instructions, one per line, to add."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run the home in simulation; resumes where a killed run stopped (same --db)."""
    from agent.runtime import HomeRuntime, InstructionDenied
    from memory import MemoryStoreError
    from scheduler import InstructionParseError, parse_instruction
    from sim.home import HomeSimEnv
    from sim.home.conversation import SimulatedResident

    if instructions is not None and not instructions.is_file():
        _fail(f"no such file: {instructions}")
    env = HomeSimEnv(seed=seed)
    env.reset(seed=seed)
    try:
        rt = HomeRuntime(
            env, env.clock, db_url=f"sqlite:///{db}", answerer=SimulatedResident(env, seed)
        )
    except MemoryStoreError as e:
        _fail(str(e))
    with rt:
        status = rt.run_status("main")
        if status is not None:
            until = rt.resume_run("main")  # the simulated home as the last process left it
            env_seed = rt.snapshot().get("seed") if rt.snapshot() else seed
            if env_seed != seed:
                _fail(
                    f"{db} holds a run of seed {env_seed}; pass --seed {env_seed} to resume "
                    "it, or use a new --db"
                )
        else:
            until = env.clock.now() + timedelta(days=days)
        if instructions is not None:
            for line in instructions.read_text().splitlines():
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                try:
                    rt.instruct(
                        parse_instruction(line, now=env.clock.now(), tz=str(env.clock.tz)),
                        actor="owner",
                    )
                except (InstructionParseError, InstructionDenied) as e:
                    _fail(f"{instructions}: {e}")
        if not rt.instructions.list():
            _fail(f"{db} has no standing instructions; add them with --instructions FILE")
        done = status == "finished"
        summary = rt.summarize() if done else rt.run_until(until, run_id="main")
    out = summary.as_dict()
    out["seed"] = seed
    out["resumed"] = status == "running"
    if as_json:
        typer.echo(json.dumps(out))
        return
    from rich.console import Console

    Console().print(
        f"{'resumed and ' if out['resumed'] else ''}ran to {until:%Y-%m-%d %H:%M}: "
        f"{out['chores_done']} of {out['chores_due']} chores done, "
        f"{out['chores_failed']} failed, {out['subtasks']} subtasks"
    )


@app.command()
def answer(
    task_id: Annotated[str, typer.Argument(help="The waiting task (see 'housemind tasks').")],
    text: Annotated[str, typer.Argument(help="Your answer, e.g. 'eggs and bread'.")],
    db: DbOpt = Path("housemind.db"),
    by: Annotated[str, typer.Option("--by", help="Who answers.")] = "owner",
) -> None:
    """Answer a task that waits for you (a check-in); the run picks it up."""
    from agent.runtime import record_answer
    from scheduler import TaskQueue

    database = _open_db(db)

    try:
        record_answer(database, task_id, text, by=by)
    except (KeyError, ValueError) as e:
        _fail(str(e.args[0] if e.args else e))
    t = TaskQueue(database.session).get(task_id)
    typer.echo(f"answered {task_id} ({t.goal}); the running robot picks it up")


@app.command("skills")
def skills_cmd(as_json: JsonOpt = False) -> None:
    """List the registered skills."""
    from skills import REGISTRY

    REGISTRY.load_entry_points()
    rows = [
        {
            "name": s.name,
            "template": s.template,
            "params": list(s.params.model_fields),
            "preconditions": list(s.preconditions),
            "effects": list(s.effects),
            "risk": s.risk,
            "timeout_s": s.timeout_s,
            "policy": s.policy,
        }
        for s in REGISTRY
    ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title="skills")
    for col in ("name", "template", "preconditions", "effects", "risk", "timeout", "policy"):
        t.add_column(col)
    for r in rows:
        t.add_row(
            r["name"],
            r["template"],
            ", ".join(r["preconditions"]),
            ", ".join(r["effects"]),
            r["risk"],
            f"{r['timeout_s']:g} s",
            r["policy"],
        )
    Console().print(t)


@safety_app.command("check")
def safety_check(
    text: Annotated[str | None, typer.Argument(help="An instruction to check.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="One instruction per line.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check instructions with the safety monitor (no robot needed)."""
    from safety import SafetyMonitor

    if (text is None) == (file is None):
        _fail("give exactly one of TEXT or --file PATH")
    if file is not None:
        if not file.is_file():
            _fail(f"no such file: {file}")
        lines = [ln.strip() for ln in file.read_text().splitlines() if ln.strip()]
    else:
        lines = [text or ""]
    mon = SafetyMonitor()
    results = []
    for line in lines:
        v = mon.check_instruction(line)
        results.append(
            {
                "instruction": line,
                "verdict": v.verdict.value,
                "reasons": v.reasons,
                "rules": v.rules,
            }
        )
    if as_json:
        for r in results:
            r = {
                "verdict": r["verdict"],
                "reasons": r["reasons"],
                "rules": r["rules"],
                **({"instruction": r["instruction"]} if file is not None else {}),
            }
            typer.echo(json.dumps(r))
        return
    from rich.console import Console

    colour = {"allow": "green", "confirm": "yellow", "deny": "red"}
    con = Console()
    for r in results:
        con.print(f"[{colour[r['verdict']]}]{r['verdict']:>7}[/]  {r['instruction']}")
        for reason in r["reasons"]:
            con.print(f"         · {reason}")


@memory_app.command("ask")
def memory_ask(
    question: Annotated[str, typer.Argument(help="e.g. 'where are my keys?'")],
    db: DbOpt = Path("housemind.db"),
    as_json: JsonOpt = False,
) -> None:
    """Ask the robot's memory a question."""
    from datetime import UTC, datetime

    from memory import Memory

    database = _open_db(db, hint=f"run 'housemind demo --db {db}' first or pass --db")
    mem = Memory(database, semantic=True)
    ans = mem.ask(question, now=_robot_now(database) or datetime.now(UTC))
    if as_json:
        typer.echo(ans.model_dump_json())
        return
    from rich.console import Console

    con = Console()
    con.print(ans.answer)
    for ev in ans.evidence:
        con.print(f"  · {ev.model_dump_json()}")


@memory_app.command("export")
def memory_export(
    db: DbOpt = Path("housemind.db"),
    out: Annotated[Path, typer.Option("--out", help="JSON file to write ('-': stdout).")] = Path(
        "memory.json"
    ),
) -> None:
    """Export the home's memory (places, objects, facts, lists, events) as JSON."""
    from memory import Memory

    mem = Memory(_open_db(db))
    text = json.dumps(mem.export_json())
    mem.close()
    if str(out) == "-":
        typer.echo(text)
        return
    out.write_text(text)
    typer.echo(f"wrote {out}")


@memory_app.command("import")
def memory_import(
    file: Annotated[Path, typer.Argument(help="A file written by 'housemind memory export'.")],
    db: DbOpt = Path("housemind.db"),
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite a database that holds memories.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import a home's memory from JSON into a new (or, with --replace, existing) database."""
    from memory import Memory

    if not file.is_file():
        _fail(f"no such file: {file}")
    try:
        data = json.loads(file.read_text())
    except (OSError, ValueError) as e:
        _fail(f"{file} is not a JSON memory export: {e}")
    mem = Memory(_open_db(db, must_exist=False))
    try:
        counts = mem.import_json(data, replace=replace)
    except ValueError as e:
        _fail(str(e))
    finally:
        mem.close()
    typer.echo(json.dumps(counts) if as_json else f"imported into {db}: {counts}")


@bench_app.command("memory")
def bench_memory(
    quick: Annotated[
        bool, typer.Option("--quick", help="Small sizes (seconds, for tests and smoke runs).")
    ] = False,
    observations: Annotated[int | None, typer.Option(help="Object sightings to insert.")] = None,
    events: Annotated[int | None, typer.Option(help="Events to insert.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Memory on SQLite: last-seen and semantic-search latency, inserts/s, six-month size."""
    from memory.bench import run_bench

    sizes = (
        {"observations": 1000, "events": 300, "months": 0.1, "queries": 20}
        if quick
        else {"observations": 100_000, "events": 50_000, "months": 6.0, "queries": 500}
    )
    if observations is not None:
        sizes["observations"] = observations
    if events is not None:
        sizes["events"] = events
    _run_bench(run_bench, sizes, as_json)


@app.command()
def instruct(
    text: Annotated[
        str | None, typer.Argument(help="What to do and when, in plain language.")
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", help="One instruction per line.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show how it was read; store nothing.")
    ] = False,
    now: Annotated[
        str | None, typer.Option("--now", help="ISO 8601 time to count from (default: now).")
    ] = None,
    tz: Annotated[str, typer.Option("--tz", help="The home's IANA time zone.")] = "UTC",
    actor: Annotated[str, typer.Option("--actor", help="Who is speaking.")] = "owner",
    db: DbOpt = Path("housemind.db"),
    as_json: JsonOpt = False,
) -> None:
    """Give standing instructions in plain language (read back, safety-checked, stored)."""
    from scheduler.cli import instruct_command

    if (text is None) == (file is None):
        _fail("give exactly one of TEXT or --file PATH")
    if file is not None and not file.is_file():
        _fail(f"no such file: {file}")

    monitors: list[Any] = []

    def check(line: str) -> Any:
        if not monitors:
            from safety import SafetyMonitor

            monitors.append(SafetyMonitor())
        return monitors[0].check_instruction(line, actor=actor)

    try:
        code = instruct_command(
            text=text, file=file, dry_run=dry_run, now=now, tz=tz, actor=actor, db=db,
            as_json=as_json, check=check,
        )  # fmt: skip
    except ValueError as e:
        _fail(str(e))
    raise typer.Exit(code)


@app.command()
def schedule(
    db: DbOpt = Path("housemind.db"),
    days: Annotated[float, typer.Option("--days", help="How many days ahead.")] = 7,
    now: Annotated[
        str | None, typer.Option("--now", help="ISO 8601 time to start from (default: now).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The coming week's chores as a table, with clashes (overlaps, quiet hours)."""
    from scheduler.cli import schedule_command

    if not db.exists():
        _fail(f"no database at {db}; give instructions with 'housemind instruct --db {db}'")
    try:
        schedule_command(db=db, days=days, now=now, as_json=as_json)
    except ValueError as e:
        _fail(str(e))


@bench_app.command("schedule")
def bench_schedule(
    quick: Annotated[
        bool, typer.Option("--quick", help="Small sizes (seconds, for tests and smoke runs).")
    ] = False,
    instructions: Annotated[int | None, typer.Option(help="Instructions to store.")] = None,
    days: Annotated[float | None, typer.Option(help="Simulated days (50 instructions).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Scheduling: store 10,000 instructions and their next runs; simulate 30 days."""
    from scheduler.bench import run_bench

    sizes: dict[str, Any] = (
        {"instructions": 500, "days": 2, "day_instructions": 0, "parse_sample": 20} if quick else {}
    )
    if instructions is not None:
        sizes["instructions"] = instructions
    if days is not None:
        sizes["days"] = days
    _run_bench(run_bench, sizes, as_json)


@bench_app.command("sim")
def bench_sim(
    quick: Annotated[
        bool, typer.Option("--quick", help="Small sizes (seconds, for tests and smoke runs).")
    ] = False,
    instances: Annotated[
        int | None, typer.Option(help="Randomised instances per skill for expert_success.")
    ] = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """HomeSim: control steps/s, egocentric frame ms, a simulated week's wall time, experts."""
    from sim.home.bench import run_bench

    sizes: dict[str, Any] = (
        {"steps": 5_000, "renders": 50, "week_days": 1.0, "instances": 2}
        if quick
        else {"steps": 200_000, "renders": 2_000, "week_days": 7.0, "instances": 1_000}
    )
    if instances is not None:
        if instances < 1:
            _fail(f"--instances must be >= 1, got {instances}")
        sizes["instances"] = instances
    if home is not None:
        sizes["home"] = home
    _run_bench(run_bench, sizes, as_json)


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
    from safety.evaluation import BenchmarkDataError, run_bench

    try:
        res = run_bench(data, splits=split or None)
    except BenchmarkDataError as e:
        _fail(str(e))
    if as_json:
        typer.echo(json.dumps(res))
        return
    from rich.console import Console
    from rich.table import Table

    con = Console()
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


def _approval_book(db: Path) -> Any:
    from safety.approvals import ApprovalBook

    return ApprovalBook(_open_db(db))


ByOpt = Annotated[
    str | None, typer.Option("--by", help="Who answers (a person registered in this home).")
]
WhyOpt = Annotated[str | None, typer.Option("--why", help="Your reason, for the audit log.")]


@app.command()
def approve(
    approval_id: Annotated[str, typer.Argument(metavar="ID", help="The request's id.")],
    scope: Annotated[
        str,
        typer.Option(
            help="once: this step; task: this task; instruction: its standing "
            "instruction; rule: these rules anywhere."
        ),
    ] = "once",
    days: Annotated[
        float | None, typer.Option(help="How long it lasts (default 1; instruction 30; rule 7).")
    ] = None,
    by: ByOpt = None,
    why: WhyOpt = None,
    db: DbOpt = Path("housemind.db"),
    as_json: JsonOpt = False,
) -> None:
    """Approve a step the robot asked about (a 'confirm' verdict)."""
    from safety.approvals import ApprovalError

    book = _approval_book(db)
    try:
        a = book.approve(approval_id, by=by or "", scope=scope, days=days, why=why)
    except ApprovalError as e:
        _fail(str(e))
    if as_json:
        typer.echo(a.model_dump_json())
        return
    typer.echo(f"approved {a.id} ({a.scope}, until {a.expires_at:%Y-%m-%d %H:%M}): {a.subject}")


@app.command()
def deny(
    approval_id: Annotated[str, typer.Argument(metavar="ID", help="The request's id.")],
    by: ByOpt = None,
    why: WhyOpt = None,
    db: DbOpt = Path("housemind.db"),
    as_json: JsonOpt = False,
) -> None:
    """Deny a step the robot asked about; it will not be done."""
    from safety.approvals import ApprovalError

    book = _approval_book(db)
    try:
        a = book.deny(approval_id, by=by or "", why=why)
    except ApprovalError as e:
        _fail(str(e))
    if as_json:
        typer.echo(a.model_dump_json())
        return
    typer.echo(f"denied {a.id}: {a.subject}")


@safety_app.command("pending")
def safety_pending(db: DbOpt = Path("housemind.db"), as_json: JsonOpt = False) -> None:
    """List the requests waiting for a person's approval."""
    rows = [json.loads(a.model_dump_json()) for a in _approval_book(db).pending()]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    from rich.console import Console

    con = Console()
    if not rows:
        con.print("nothing is waiting for approval")
    for r in rows:
        con.print(f"[yellow]{r['id']}[/]  {r['subject']}  ({', '.join(r['rules'])})")
        for reason in r["reasons"]:
            con.print(f"          · {reason}")


@app.command()
def tasks(db: DbOpt = Path("housemind.db"), as_json: JsonOpt = False) -> None:
    """List tasks: each fired chore, its due time, state and dispatch count."""
    from scheduler import TaskQueue

    database = _open_db(db)
    rows = [_task_row(t) for t in TaskQueue(database.session).list()]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"tasks in {db}")
    for col in ("id", "goal", "due", "state", "dispatched"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["id"], r["goal"], r["due_at"], r["state"], str(r["dispatch_count"]))
    Console().print(t)


def _run_bench(run_bench: Any, sizes: dict[str, Any], as_json: bool) -> None:
    """Run a benchmark: one JSON line, or progress and pretty JSON for people."""
    if as_json:
        typer.echo(json.dumps(run_bench(**sizes)))
        return
    from rich.console import Console

    con = Console()
    res = run_bench(**sizes, progress=lambda msg: con.print(f"[dim]{msg}…[/]"))
    con.print_json(json.dumps(res))


HomeOpt = Annotated[
    str | None,
    typer.Option("--home", help="Floor plan (default: the v1 apartment)."),
]
FurnitureOpt = Annotated[
    int | None,
    typer.Option("--furniture-seed", help="Seed of the furniture arrangement (plan default)."),
]


def _sim_env(seed: int, home: str | None, furniture_seed: int | None, **kwargs: Any) -> Any:
    """A HomeSim env for the CLI, or exit with a message naming what went wrong."""
    from sim.home.tasks import make_env

    if furniture_seed is not None:
        kwargs["furniture_seed"] = furniture_seed
    try:
        return make_env(home, seed, **kwargs)
    except (KeyError, ValueError) as e:
        _fail(str(e).strip("'\""))
    except TypeError as e:  # an option this HomeSim does not know
        _fail(f"HomeSim cannot build that home: {e}")


def _parse_hhmm(text: str) -> tuple[int, int]:
    try:
        h, m = (int(p) for p in text.split(":"))
    except ValueError:
        h = m = -1
    if not (0 <= h < 24 and 0 <= m < 60):
        _fail(f"--time must be HH:MM (24-hour), got {text!r}")
    return h, m


@sim_app.command("view")
def sim_view(
    out: Annotated[Path, typer.Option("--out", help="PNG file to write.")] = Path("home.png"),
    seed: Annotated[int, typer.Option(help="HomeSim seed (objects, residents).")] = 0,
    home: HomeOpt = None,
    furniture_seed: FurnitureOpt = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--time",
            help="Let the home live until this time of the first day (HH:MM; earlier than "
            "the 06:00 start means the next morning).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Write the labelled top-down picture of a home (rooms, fixtures, objects, people)."""
    from datetime import timedelta

    from PIL import Image

    env = _sim_env(seed, home, furniture_seed)
    if at is not None:
        h, m = _parse_hhmm(at)
        now = env.clock.now()
        when = now.replace(hour=h, minute=m, second=0, microsecond=0)
        if when < now:
            when += timedelta(days=1)
        env.idle_until(when)
    frame = env.render()
    out.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(frame).save(out)
    info = {
        "out": str(out),
        "width": frame.shape[1],
        "height": frame.shape[0],
        "time": env.clock.now().isoformat(),
        "home": home or "apartment",
    }
    typer.echo(json.dumps(info) if as_json else f"wrote {out} ({frame.shape[1]}x{frame.shape[0]})")


@sim_app.command("record")
def sim_record(
    out: Annotated[Path, typer.Option("--out", help="Recording to write: .gif or .mp4.")],
    seed: Annotated[int, typer.Option(help="HomeSim seed (and the task's sampler).")] = 0,
    task: Annotated[
        str | None,
        typer.Option(
            "--task", help="Record this task's expert solution (default: a short tidy-up tour)."
        ),
    ] = None,
    home: HomeOpt = None,
    furniture_seed: FurnitureOpt = None,
    view: Annotated[
        str, typer.Option(help="What a frame shows: top (map), ego (camera) or both.")
    ] = "both",
    every: Annotated[int, typer.Option(help="Keep one frame every this many ticks.")] = 10,
    fps: Annotated[float, typer.Option(help="Frames per second of the recording.")] = 10.0,
    max_frames: Annotated[int, typer.Option(help="Keep at most this many frames.")] = 1500,
    as_json: JsonOpt = False,
) -> None:
    """Record an episode: a task's expert solution, or a short scripted tidy-up tour."""
    from sim.home.recording import VIDEO_FORMATS, EpisodeRecorder, RecordingError
    from sim.home.tasks import TaskSampleError, get_task, run_solution

    if out.suffix.lower() not in VIDEO_FORMATS:
        _fail(f"--out must end in .gif or .mp4, got {out.name!r}")
    if view not in ("top", "ego", "both"):
        _fail(f"--view must be top, ego or both, got {view!r}")
    env = _sim_env(seed, home, furniture_seed)
    goal = "tour: put a misplaced thing back where it belongs"
    if task is not None:
        try:
            t = get_task(task)
            inst = t.sample(env, seed)
        except (KeyError, TaskSampleError) as e:
            _fail(str(e).strip("'\""))
        steps, goal = inst.solution(env), inst.goal
    else:
        steps = _tour(env)
    rec = EpisodeRecorder(
        env,
        view=view,  # type: ignore[arg-type]
        every=every,
        max_frames=max_frames,
        caption=goal if task is None else f"{task}: {goal}",
    )
    start_s = env.clock.elapsed
    rec.capture()
    ok = run_solution(env, steps, on_tick=rec.tick, on_wait=rec.capture)
    rec.capture()
    if task is not None:
        ok = ok and inst.check(env)
    try:
        path = rec.save(out, fps=fps)
    except RecordingError as e:
        _fail(str(e))
    res = {
        "out": str(path),
        "frames": len(rec.frames),
        "ticks": rec.ticks,
        "sim_seconds": round(env.clock.elapsed - start_s, 1),
        "task": task,
        "goal": goal,
        "success": ok,
    }
    if as_json:
        typer.echo(json.dumps(res))
    else:
        typer.echo(
            f"wrote {path}: {res['frames']} frames, {res['sim_seconds']} simulated s; "
            f"{goal!r}: {'done' if ok else 'NOT done'}"
        )
    if not ok:
        raise typer.Exit(1)


@sim_app.command("tasks")
def sim_tasks(
    category: Annotated[
        str | None, typer.Option(help="Only this category (tidying, dishes, cooking, ...).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the household task suite: name, category, goal and the homes each applies to."""
    from sim.home.tasks import CATEGORIES, get_task, task_names

    if category is not None and category not in CATEGORIES:
        _fail(f"unknown category {category!r}; categories: {', '.join(CATEGORIES)}")
    rows = [get_task(n).info() for n in task_names(category)]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"HomeSim tasks ({len(rows)})")
    for col in ("name", "category", "goal", "homes"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["name"], r["category"], r["goal"], ", ".join(r["homes"]))
    Console().print(t)


def _tour(env: Any) -> list[tuple[str, dict[str, Any]]]:
    """Fetch the first misplaced object and put it back where it belongs."""
    name = env.misplaced[0]
    rel, place = env.layout.objects[name].home
    steps: list[tuple[str, dict[str, Any]]] = [
        ("navigate", {"target": name}),
        ("pick", {"object": name}),
        ("navigate", {"target": place}),
    ]
    openable = env.layout.fixtures[place].openable
    if openable:
        steps.append(("open", {"target": place}))
    steps.append(("place", {"object": name, "target": place, "relation": rel}))
    if openable:
        steps.append(("close", {"target": place}))
    return steps


def _store(db: Path) -> Any:
    from scheduler import InstructionStore

    return InstructionStore(_open_db(db).session)


def _edit(action: str, instruction_id: str, db: Path, **updates: Any) -> None:
    from scheduler import UnknownInstructionError, read_back

    store = _store(db)
    unknown = f"no instruction {instruction_id!r}; 'housemind instructions list' shows them"
    if action == "delete":
        if not store.delete(instruction_id):
            _fail(unknown)
        typer.echo(f"deleted {instruction_id}; its past tasks are kept")
        return
    try:
        out = getattr(store, action)(instruction_id, **updates)
    except UnknownInstructionError:
        _fail(unknown)
    except ValueError as e:
        _fail(str(e))
    state = "active" if out.enabled else "paused"
    typer.echo(f"{out.id} ({state}): {read_back(out)}")


@instructions_app.command("list")
def instructions_list(db: DbOpt = Path("housemind.db"), as_json: JsonOpt = False) -> None:
    """Every standing instruction with its id, state and schedule."""
    from scheduler import read_back

    rows = [
        {
            "id": i.id,
            "text": i.text,
            "kind": i.kind.value,
            "goal": i.goal,
            "rrule": i.rrule,
            "enabled": i.enabled,
            "read_back": read_back(i),
        }
        for i in _store(db).list()
    ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    from rich.console import Console
    from rich.table import Table

    t = Table(title="standing instructions")
    for col in ("id", "state", "what I'll do"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["id"], "active" if r["enabled"] else "paused", r["read_back"])
    Console().print(t)


@instructions_app.command("pause")
def instructions_pause(instruction_id: str, db: DbOpt = Path("housemind.db")) -> None:
    """Stop firing an instruction (missed times are not made up on resume)."""
    _edit("pause", instruction_id, db)


@instructions_app.command("resume")
def instructions_resume(instruction_id: str, db: DbOpt = Path("housemind.db")) -> None:
    """Fire a paused instruction again, from now on."""
    _edit("resume", instruction_id, db)


@instructions_app.command("delete")
def instructions_delete(instruction_id: str, db: DbOpt = Path("housemind.db")) -> None:
    """Forget an instruction (its past tasks stay in the record)."""
    _edit("delete", instruction_id, db)


@instructions_app.command("change")
def instructions_change(
    instruction_id: str,
    db: DbOpt = Path("housemind.db"),
    goal: Annotated[str | None, typer.Option(help="New goal in words.")] = None,
    rrule: Annotated[
        str | None, typer.Option(help="New RRULE, e.g. 'RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0'.")
    ] = None,
    priority: Annotated[int | None, typer.Option(help="New priority.")] = None,
) -> None:
    """Change an instruction's goal, schedule or priority, keeping its id."""
    updates = {
        k: v
        for k, v in {"goal": goal, "rrule": rrule, "priority": priority}.items()
        if v is not None
    }
    if not updates:
        _fail("nothing to change: pass --goal, --rrule or --priority")
    _edit("change", instruction_id, db, **updates)


def _robot_now(database: Any) -> Any:
    """The robot's 'now' for a database a simulated run wrote (its clock, not the wall's)."""
    from sqlalchemy import select

    from memory.models import RunRecord

    with database.session() as s:
        return s.scalars(select(RunRecord.updated_at).order_by(RunRecord.updated_at.desc())).first()


def _task_row(t: Any) -> dict[str, Any]:
    return {
        "id": t.id,
        "instruction_id": t.instruction_id,
        "goal": t.goal,
        "due_at": t.due_at.isoformat(),
        "state": t.state,
        "dispatch_count": t.dispatch_count,
        "result": t.result,
    }


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
