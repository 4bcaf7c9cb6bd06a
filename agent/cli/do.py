"""``housemind do``: one chore now, in a fresh simulated home."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from housemind.agent.cli._common import (
    ApiBaseOpt,
    HomeOpt,
    JsonOpt,
    PlannerOpt,
    PolicyOpt,
    build_planner,
    console,
    fail,
    parse_policy,
)

__all__ = ["register"]


def do(
    goal: Annotated[
        str, typer.Argument(help="The chore in words, e.g. 'take the mug to the sink'.")
    ],
    home: HomeOpt = None,
    seed: Annotated[int, typer.Option(help="Seed of the home (objects, residents).")] = 0,
    planner: PlannerOpt = None,
    api_base: ApiBaseOpt = None,
    policy: PolicyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run one chore now in a fresh simulated home and print what happened."""
    from housemind.agent.episodes import EpisodeError, run_episode

    chosen = build_planner(planner, api_base)
    choice = parse_policy(policy)
    try:
        if as_json:
            result = run_episode(goal, home=home, seed=seed, planner=chosen, policy=choice)
        else:
            with console(stderr=True).status(f"{goal} ({chosen.name})…"):
                result = run_episode(goal, home=home, seed=seed, planner=chosen, policy=choice)
    except EpisodeError as e:
        fail(str(e))
    if as_json:
        typer.echo(json.dumps(result.as_dict()))
        return
    from rich.table import Table

    con = console()
    colour = "green" if result.status == "done" else "red"
    t = Table(title=f"{result.goal} · {result.home}, seed {result.seed}")
    for col in ("#", "subtask", "outcome", "note"):
        t.add_column(col)
    for i, s in enumerate(result.subtasks, 1):
        ok = s["status"] == "success"
        t.add_row(str(i), s["text"], f"[{'green' if ok else 'red'}]{s['status']}[/]", s["reason"])
    con.print(t)
    con.print(
        f"[{colour}]{result.status}[/] · planner {result.planner or '—'} · "
        f"replans {result.replans} · planner fallbacks {result.planner_fallbacks} · "
        f"{result.sim_seconds:.0f} s robot time in {result.wall_seconds:.1f} s",
        highlight=False,
    )
    if result.reason:
        con.print(f"note: {result.reason}", highlight=False, soft_wrap=True)
    if result.status != "done":
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(do)
