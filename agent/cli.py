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

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
DbOpt = Annotated[Path, typer.Option("--db", help="Project database file.")]


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

    from memory import Memory, MemoryStoreError, open_database

    if not db.exists():
        _fail(f"no database at {db}; run 'housemind demo --db {db}' first or pass --db")
    try:
        mem = Memory(open_database(f"sqlite:///{db}"))
    except MemoryStoreError as e:
        _fail(str(e))
    ans = mem.ask(question, now=datetime.now(UTC))
    if as_json:
        typer.echo(ans.model_dump_json())
        return
    from rich.console import Console

    con = Console()
    con.print(ans.answer)
    for ev in ans.evidence:
        con.print(f"  · {ev.model_dump_json()}")


@app.command()
def tasks(db: DbOpt = Path("housemind.db"), as_json: JsonOpt = False) -> None:
    """List tasks: each fired chore, its due time, state and dispatch count."""
    from memory import MemoryStoreError, open_database
    from scheduler import TaskQueue

    if not db.exists():
        _fail(f"no database at {db}; pass --db PATH")
    try:
        database = open_database(f"sqlite:///{db}")
    except MemoryStoreError as e:
        _fail(str(e))
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
