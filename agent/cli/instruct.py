"""``housemind instruct`` and ``housemind instructions ...``: standing instructions."""

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
)

__all__ = ["register"]

instructions_app = typer.Typer(
    help="Edit standing instructions: list, pause, resume, change, delete.", no_args_is_help=True
)


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
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Give standing instructions in plain language (read back, safety-checked, stored).

    Exit codes: 0 understood, 1 refused by the safety monitor (nothing stored), 3 only
    questions back (nothing understood well enough to store).
    """
    from housemind.agent.instructions import give_instructions
    from housemind.memory import MemoryStoreError
    from housemind.scheduler.agenda import parse_now

    if (text is None) == (file is None):
        fail("give exactly one of TEXT or --file PATH")
    if file is not None and not file.is_file():
        fail(f"no such file: {file}")
    url = db_url(db, home_id, creating=not dry_run)
    lines = file.read_text().splitlines() if file is not None else [text or ""]
    try:
        out = give_instructions(
            lines, db=url, now=parse_now(now, tz), tz=tz, actor=actor, dry_run=dry_run
        )
    except (ValueError, MemoryStoreError) as e:
        fail(str(e))
    if dry_run:
        _print_dry_run(out, per_line=file is not None, as_json=as_json)
    elif as_json:
        _print_json(out)
    else:
        _print_stored(out)
    raise typer.Exit(out.exit_code)


def _fact_sentence(fact: Any) -> str:
    from housemind.scheduler.readback import read_back_fact

    return read_back_fact(fact)


def _print_dry_run(out: Any, *, per_line: bool, as_json: bool) -> None:
    from housemind.scheduler import read_back
    from housemind.scheduler.agenda import parse_result_json

    for line, result in out.results:
        if as_json:
            payload = parse_result_json(result, out.now)
            typer.echo(json.dumps({"input": line, **payload} if per_line else payload))
            continue
        if per_line:
            typer.echo(f"> {line}")
        for instr in result.instructions:
            typer.echo(read_back(instr))
        for fact in result.facts:
            typer.echo(_fact_sentence(fact))
        for note in result.notes:
            typer.echo(f"note: {note}")
        for q in result.questions:
            typer.echo(f"question: {q}")


def _print_json(out: Any) -> None:
    from housemind.scheduler.agenda import fact_json, instruction_json

    typer.echo(
        json.dumps(
            {
                "stored": [instruction_json(i, out.now) for i in out.stored],
                "facts": [fact_json(f) for f in out.facts],
                "questions": out.questions,
                "notes": out.notes,
                "needs_approval": out.needs_approval,
                "approvals": out.approvals,
                "conflicts": out.conflicts,
                "denied": out.denied,
            }
        )
    )


def _print_stored(out: Any) -> None:
    from housemind.scheduler import read_back

    if out.denied:
        for d in out.denied:
            typer.echo(f"refused: {d['text']}")
            for reason in d["reasons"]:
                typer.echo(f"  · {reason}")
        typer.echo("nothing was stored.")
        return
    waiting = {a["instruction_id"]: a for a in out.approvals}
    for instr in out.stored:
        a = waiting.get(instr.id)
        note = (
            f" (paused until a person approves it: housemind approve {a['approval_id']} --by NAME)"
            if a
            else ""
        )
        typer.echo(read_back(instr) + note)
        for reason in a["reasons"] if a else []:
            typer.echo(f"  · {reason}")
    for fact in out.facts:
        typer.echo(_fact_sentence(fact))
    for note in out.notes:
        typer.echo(f"note: {note}")
    for q in out.questions:
        typer.echo(f"question: {q}")
    for c in out.conflicts:
        typer.echo(f"clash: {c['text']}")
    if not out.stored and not out.facts:
        typer.echo("nothing was stored: answer the questions above and say it again.")


#: Exit codes of ``instructions change`` and ``instructions resume``.
EXIT_REFUSED, EXIT_NEEDS_APPROVAL = 4, 3


def _edit(
    action: str,
    instruction_id: str,
    db: str,
    home_id: str | None,
    actor: str = "owner",
    **updates: Any,
) -> None:
    from housemind.agent.instructions import (
        InstructionRefused,
        NeedsApproval,
        change_instruction,
        delete_instruction,
        pause_instruction,
        resume_instruction,
    )
    from housemind.scheduler import UnknownInstructionError, read_back

    open_db(db, home_id, hint="give instructions first with 'housemind instruct'").close()
    url = db_url(db, home_id)
    unknown = f"no instruction {instruction_id!r}; 'housemind instructions list' shows them"
    try:
        if action == "change":
            out = change_instruction(instruction_id, db=url, actor=actor, **updates)
        elif action == "resume":
            out = resume_instruction(instruction_id, db=url, actor=actor)
        elif action == "delete":
            delete_instruction(instruction_id, db=url, actor=actor)
            typer.echo(f"deleted {instruction_id}; its past tasks are kept")
            return
        else:
            out = pause_instruction(instruction_id, db=url, actor=actor)
    except UnknownInstructionError:
        fail(unknown)
    except InstructionRefused as e:
        typer.echo(f"refused: {e.text}")
        for reason in e.reasons:
            typer.echo(f"  · {reason}")
        typer.echo("nothing was changed.")
        raise typer.Exit(EXIT_REFUSED) from None
    except NeedsApproval as e:
        typer.echo(f"{instruction_id} (paused): {e.text}")
        for reason in e.reasons:
            typer.echo(f"  · {reason}")
        typer.echo(
            f"it needs a person's approval first: housemind approve {e.approval_id} --by NAME"
        )
        raise typer.Exit(EXIT_NEEDS_APPROVAL) from None
    except ValueError as e:
        fail(str(e))
    state = "active" if out.enabled else "paused"
    typer.echo(f"{out.id} ({state}): {read_back(out)}")


@instructions_app.command("list")
def instructions_list(
    db: DbOpt = "housemind.db", home_id: HomeIdOpt = None, as_json: JsonOpt = False
) -> None:
    """Every standing instruction with its id, state and schedule."""
    from housemind.scheduler import InstructionStore, read_back

    database = open_db(db, home_id, hint="give instructions first with 'housemind instruct'")
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
        for i in InstructionStore(database.session).list()
    ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    from rich.table import Table

    t = Table(title="standing instructions")
    for col in ("id", "state", "what I'll do"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["id"], "active" if r["enabled"] else "paused", r["read_back"])
    console().print(t)


ActorOpt = Annotated[str, typer.Option("--actor", help="Who is speaking.")]


@instructions_app.command("pause")
def instructions_pause(
    instruction_id: str,
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
    actor: ActorOpt = "owner",
) -> None:
    """Stop firing an instruction (missed times are not made up on resume)."""
    _edit("pause", instruction_id, db, home_id, actor=actor)


@instructions_app.command("resume")
def instructions_resume(
    instruction_id: str,
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
    actor: ActorOpt = "owner",
) -> None:
    """Fire a paused instruction again, from now on (safety-checked again).

    Exit codes: 0 resumed, 3 it needs a person's approval first (the request's id is
    printed), 4 refused by the safety monitor (it stays paused).
    """
    _edit("resume", instruction_id, db, home_id, actor=actor)


@instructions_app.command("delete")
def instructions_delete(
    instruction_id: str,
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
    actor: ActorOpt = "owner",
) -> None:
    """Forget an instruction (its past tasks stay in the record)."""
    _edit("delete", instruction_id, db, home_id, actor=actor)


@instructions_app.command("change")
def instructions_change(
    instruction_id: str,
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
    goal: Annotated[str | None, typer.Option(help="New goal in words.")] = None,
    rrule: Annotated[
        str | None, typer.Option(help="New RRULE, e.g. 'RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0'.")
    ] = None,
    priority: Annotated[int | None, typer.Option(help="New priority.")] = None,
    actor: ActorOpt = "owner",
) -> None:
    """Change an instruction's goal, schedule or priority, keeping its id.

    A new goal is safety-checked like a new instruction. Exit codes: 0 changed, 3 changed
    but paused until a person approves it, 4 refused (nothing changed).
    """
    updates = {
        k: v
        for k, v in {"goal": goal, "rrule": rrule, "priority": priority}.items()
        if v is not None
    }
    if not updates:
        fail("nothing to change: pass --goal, --rrule or --priority")
    if goal is not None and not goal.strip():
        fail("--goal is empty; say what to do, e.g. --goal 'water the plants'")
    _edit("change", instruction_id, db, home_id, actor=actor, **updates)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(instruct)
    app.add_typer(instructions_app, name="instructions")
