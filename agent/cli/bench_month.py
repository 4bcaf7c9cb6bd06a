"""``housemind bench month``: a household's paragraph for a simulated month."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from housemind.agent.cli._common import JsonOpt, check_days, console, fail

__all__ = ["bench_month"]


def bench_month(
    days: Annotated[float, typer.Option(help="Simulated days.")] = 30.0,
    seed: Annotated[int, typer.Option(help="HomeSim seed.")] = 0,
    home: Annotated[str, typer.Option(help="Floor plan.")] = "house",
    instructions: Annotated[
        Path | None,
        typer.Option(help="A paragraph of standing instructions (default: the README's)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """A household's month: chores on time per goal, the run's wall and CPU time."""
    from housemind.agent.household_bench import MONTH_PARAGRAPH, run_month
    from housemind.agent.runs import RunError, read_instruction_lines

    check_days(days)
    text = MONTH_PARAGRAPH
    if instructions is not None:
        try:
            text = " ".join(read_instruction_lines(instructions))
        except RunError as e:
            fail(f"--instructions: {e}")
        if not text:
            fail(f"--instructions {instructions} is empty: write the standing instructions in it")
    try:
        res = run_month(text, home, days=days, seed=seed)
    except (ValueError, KeyError) as e:
        fail(str(e))
    if as_json:
        typer.echo(json.dumps(res))
        return
    from rich.table import Table

    t = Table(title=f"{res['home']}, {res['days']:g} simulated days, seed {res['seed']}")
    for col in ("chore", "due", "done", "on time", "finished (first-last)"):
        t.add_column(col)
    for goal, g in res["per_goal"].items():
        span = f"{g['first_finished']}-{g['last_finished']}" if g["first_finished"] else ""
        t.add_row(goal, str(g["due"]), str(g["done"]), str(g["on_time"]), span)
    con = console()
    con.print(t)
    for c in res["not_on_time"]:
        con.print(f"[red]{c['status']}[/]: {c['goal']} (due {c['due']}) {c['reason'] or ''}")
    con.print(
        f"{res['chores_on_time']}/{res['chores_due']} on time · {res['chores_failed']} failed · "
        f"check-ins {res['checkins_answered']}/{res['checkins_asked']} answered · "
        f"{res['subtasks']} subtasks · wall {res['wall_s']} s · CPU {res['cpu_s']} s "
        f"({res['machine']})"
    )
