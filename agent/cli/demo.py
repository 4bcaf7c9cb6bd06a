"""``housemind demo`` and ``housemind run``: simulated days at home."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from housemind.agent.cli._common import JsonOpt, check_days, console, fail

__all__ = ["PolicyOpt", "parse_policy", "register"]

PolicyOpt = Annotated[
    str | None,
    typer.Option(
        "--policy",
        help="System 1 backend: scripted (default: each skill's own), vla (the built-in VLA "
        "for the skills it learned, navigation stays scripted), or skill=backend pairs.",
    ),
]


def parse_policy(policy: str | None) -> object:
    """The policy override of ``--policy``, or exit with what to pass."""
    from housemind.skills.policies import parse_policy_choice

    try:
        return parse_policy_choice(policy)
    except ValueError as e:
        fail(str(e))


def demo(
    seed: Annotated[int, typer.Option(help="HomeSim seed.")] = 0,
    days: Annotated[float, typer.Option(help="Simulated days to run.")] = 1.0,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Keep the run in this database file (default: a temporary one)."),
    ] = None,
    policy: PolicyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run one simulated day at home with three standing instructions (offline)."""
    from housemind.agent.demo import DEMO_INSTRUCTIONS, run_demo

    check_days(days)
    choice = parse_policy(policy)
    if db is not None and db.exists():
        fail(f"{db} already exists; the demo starts a new home — pass a new --db path")
    if db is not None and not db.parent.is_dir():
        fail(f"cannot create {db}: the folder {db.parent} does not exist; create it first")
    if as_json:
        summary = run_demo(seed=seed, days=days, db_path=db, policy=choice)
        typer.echo(json.dumps(summary))
        return
    from housemind.agent.live import LiveView

    with LiveView(
        title=f"housemind demo · HomeSim seed {seed}", instructions=DEMO_INSTRUCTIONS
    ) as view:
        summary = run_demo(seed=seed, days=days, db_path=db, on_event=view.on_event, policy=choice)
    view.print_summary(summary)
    if summary["chores_failed"]:
        raise typer.Exit(1)


def run(
    db: Annotated[Path, typer.Option("--db", help="Project database (created if new).")],
    days: Annotated[float, typer.Option(help="Simulated days from the start of the run.")] = 7.0,
    seed: Annotated[int, typer.Option(help="HomeSim seed (for a new run).")] = 0,
    instructions: Annotated[
        Path | None,
        typer.Option("--instructions", help="Standing instructions, one per line, to add."),
    ] = None,
    home: Annotated[
        str | None, typer.Option("--home", help="Floor plan of a new run (default: apartment).")
    ] = None,
    policy: PolicyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run the home in simulation; resumes where a killed run stopped (same --db)."""
    from housemind.agent.runs import RunError, read_instruction_lines, run_simulated

    check_days(days)
    choice = parse_policy(policy)
    try:
        lines = read_instruction_lines(instructions) if instructions is not None else None
        out = run_simulated(db, days=days, seed=seed, instructions=lines, policy=choice, home=home)
    except RunError as e:
        fail(str(e))
    if as_json:
        typer.echo(json.dumps(out))
        return
    until = datetime.fromisoformat(out["until"]) if out.get("until") else None
    when = f" to {until:%Y-%m-%d %H:%M}" if until else ""
    console().print(
        f"{'resumed and ' if out['resumed'] else ''}ran{when}: "
        f"{out['chores_done']} of {out['chores_due']} chores done, "
        f"{out['chores_failed']} failed, {out['subtasks']} subtasks"
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(demo)
    app.command()(run)
