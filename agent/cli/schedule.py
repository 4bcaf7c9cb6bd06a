"""``housemind schedule``, ``housemind tasks`` and ``housemind answer``: the week and its tasks."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

import typer

from housemind.agent.cli._common import (
    DbOpt,
    HomeIdOpt,
    JsonOpt,
    check_days,
    console,
    fail,
    open_db,
    shown,
)

__all__ = ["register"]


def schedule(
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
    days: Annotated[float, typer.Option("--days", help="How many days ahead.")] = 7,
    now: Annotated[
        str | None, typer.Option("--now", help="ISO 8601 time to start from (default: now).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The coming week's chores as a table, with clashes (overlaps, quiet hours).

    JSON: ``{"from", "to", "runs": [{"at", "deadline", "goal", "kind", "instruction_id",
    "duration_s"}], "paused": [instruction ids], "conflicts": [...]}``.
    """
    from housemind.scheduler.agenda import household_agenda

    check_days(days)
    database = open_db(
        db, home_id, hint=f"give instructions with 'housemind instruct --db {shown(db)}'"
    )
    try:
        week = household_agenda(database, days=days, now=now)
    except ValueError as e:
        fail(str(e))
    finally:
        database.close()
    week.pop("instructions")  # the --json contract is the agenda's
    week.pop("timezone")
    if as_json:
        typer.echo(json.dumps(week))
        return
    from rich.table import Table

    table = Table(title=f"the next {days:g} days ({shown(db)})")
    for col in ("when", "chore", "kind", "ready by"):
        table.add_column(col)
    for r in week["runs"]:
        at = datetime.fromisoformat(r["at"])
        by = datetime.fromisoformat(r["deadline"]).strftime("%H:%M") if r["deadline"] else ""
        table.add_row(at.strftime("%a %d %b %H:%M"), r["goal"], r["kind"], by)
    con = console()
    con.print(table)
    for c in week["conflicts"]:
        con.print(f"[yellow]clash:[/] {c['text']}")
    if week["paused"]:
        con.print(f"[dim]paused: {', '.join(week['paused'])}[/]")


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


def tasks(db: DbOpt = "housemind.db", home_id: HomeIdOpt = None, as_json: JsonOpt = False) -> None:
    """List tasks: each fired chore, its due time, state and dispatch count."""
    from housemind.scheduler import TaskQueue

    database = open_db(db, home_id)
    rows = [_task_row(t) for t in TaskQueue(database.session).list()]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    from rich.table import Table

    t = Table(title=f"tasks in {shown(db)}")
    for col in ("id", "goal", "due", "state", "dispatched"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["id"], r["goal"], r["due_at"], r["state"], str(r["dispatch_count"]))
    console().print(t)


def answer(
    task_id: Annotated[str, typer.Argument(help="The waiting task (see 'housemind tasks').")],
    text: Annotated[str, typer.Argument(help="Your answer, e.g. 'eggs and bread'.")],
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
    by: Annotated[str, typer.Option("--by", help="Who answers.")] = "owner",
) -> None:
    """Answer a task that waits for you (a check-in); the run picks it up."""
    from housemind.agent.runtime import record_answer
    from housemind.scheduler import TaskQueue

    database = open_db(db, home_id)
    try:
        record_answer(database, task_id, text, by=by)
    except (KeyError, ValueError) as e:
        fail(str(e.args[0] if e.args else e))
    t = TaskQueue(database.session).get(task_id)
    typer.echo(f"answered {task_id} ({t.goal}); the running robot picks it up")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(schedule)
    app.command()(tasks)
    app.command()(answer)
