"""``housemind say``: correct the robot while it works ("no, put it in the top drawer")."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from housemind.agent.cli._common import DbOpt, HomeIdOpt, JsonOpt, console, db_url, fail, open_db

__all__ = ["register"]


def say(
    text: Annotated[
        str,
        typer.Argument(
            help="Your correction, e.g. 'no, put it in the top drawer', 'that's not trash'."
        ),
    ],
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
    by: Annotated[str, typer.Option("--by", help="Who says it.")] = "owner",
    task: Annotated[
        str | None,
        typer.Option("--task", help="The task it corrects (default: the running one)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Correct the running chore; the robot replans at its next step and remembers it.

    Exit codes: 0 noted, 2 bad input, 4 refused by the safety gate. JSON: fact_id,
    task_id, goal, text, running, by; or refused and reasons.
    """
    from housemind.agent.instructions import InstructionRefused, give_correction
    from housemind.agent.status import robot_now

    if not " ".join(text.split()):
        fail("the correction is empty; say what to do instead, e.g. 'no, the top drawer'")
    database = open_db(db, home_id, hint="run the robot first: 'housemind run --db PATH'")
    try:
        now = robot_now(database)  # the robot's clock (a simulated run's is not the wall's)
    finally:
        database.close()
    try:
        out = give_correction(text, db=db_url(db, home_id), actor=by, now=now, task_id=task)
    except InstructionRefused as e:
        if as_json:
            typer.echo(json.dumps({"refused": True, "text": e.text, "reasons": e.reasons}))
            raise typer.Exit(4) from None
        fail(f"not noted: {' '.join(e.reasons)}", code=4)
    except ValueError as e:
        fail(str(e))
    out["by"] = by
    if as_json:
        typer.echo(json.dumps(out))
        return
    con = console()
    if out["running"]:
        con.print(
            f"noted ({by}): {out['text']!r}; the robot replans '{out['goal']}' "
            f"({out['task_id']}) after its current step and remembers it for next time",
            highlight=False,
            soft_wrap=True,
        )
    elif out["task_id"]:
        con.print(
            f"noted ({by}): {out['text']!r} about '{out['goal']}' ({out['task_id']}, not "
            "running now); used the next time that chore is planned",
            highlight=False,
            soft_wrap=True,
        )
    else:
        con.print(
            f"noted ({by}): {out['text']!r}; no chore is running, so it is only remembered",
            highlight=False,
            soft_wrap=True,
        )


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(say)
