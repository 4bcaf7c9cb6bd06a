"""``housemind memory ...``: ask, export and import what the robot remembers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from housemind.agent.cli._common import (
    DbOpt,
    HomeIdOpt,
    JsonOpt,
    console,
    db_url,
    fail,
    open_db,
    shown,
)

__all__ = ["register"]

memory_app = typer.Typer(help="What the robot remembers.", no_args_is_help=True)


def _robot_now(database: Any) -> Any:
    """The robot's 'now' for a database a simulated run wrote (its clock, not the wall's)."""
    from sqlalchemy import select

    from housemind.memory.models import RunRecord

    with database.session() as s:
        return s.scalars(select(RunRecord.updated_at).order_by(RunRecord.updated_at.desc())).first()


@memory_app.command("ask")
def memory_ask(
    question: Annotated[str, typer.Argument(help="e.g. 'where are my keys?'")],
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Ask the robot's memory a question."""
    from datetime import UTC, datetime

    from housemind.memory import Memory

    if not question.strip():
        fail("the question is empty; ask e.g. 'where are my keys?'")
    database = open_db(
        db, home_id, hint=f"run 'housemind demo --db {shown(db)}' first or pass --db"
    )
    mem = Memory(database, semantic=True)
    ans = mem.ask(question, now=_robot_now(database) or datetime.now(UTC))
    if as_json:
        typer.echo(ans.model_dump_json())
        return
    con = console()
    con.print(ans.answer)
    for ev in ans.evidence:
        con.print(f"  · {ev.model_dump_json()}")


@memory_app.command("export")
def memory_export(
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
    out: Annotated[Path, typer.Option("--out", help="JSON file to write ('-': stdout).")] = Path(
        "memory.json"
    ),
) -> None:
    """Export the home's memory (places, objects, facts, lists, events) as JSON."""
    from housemind.memory import Memory

    if str(out) != "-" and not out.parent.is_dir():
        fail(f"cannot write {out}: the folder {out.parent} does not exist")
    mem = Memory(open_db(db, home_id))
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
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite a database that holds memories.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import a home's memory from JSON into a new (or, with --replace, existing) database."""
    from housemind.memory import Memory

    if not file.is_file():
        fail(f"no such file: {file}")
    try:
        data = json.loads(file.read_text())
    except (OSError, ValueError) as e:
        fail(f"{file} is not a JSON memory export: {e}")
    from housemind.agent.instructions import InstructionRefused, gate_memory_import

    open_db(db, home_id, must_exist=False).close()
    try:
        # facts steer chores: the safety gate judges them
        gate_memory_import(data, db=db_url(db, home_id))
    except InstructionRefused as e:
        fail(f"{file}: nothing imported; {e}", code=4)
    mem = Memory(open_db(db, home_id, must_exist=False))
    try:
        counts = mem.import_json(data, replace=replace)
    except ValueError as e:
        fail(str(e))
    finally:
        mem.close()
    typer.echo(json.dumps(counts) if as_json else f"imported into {shown(db)}: {counts}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(memory_app, name="memory")
