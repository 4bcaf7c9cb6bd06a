"""``housemind eval ...``: evaluations of the whole stack (tasks; more commands join the group)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from housemind.agent.cli._common import JsonOpt, console, fail

__all__ = ["eval_app", "register"]

eval_app = typer.Typer(
    help="Evaluate the whole stack (results go in benchmarks/RESULTS.md).", no_args_is_help=True
)


@eval_app.command("tasks")
def eval_tasks(
    seeds: Annotated[int, typer.Option("--seeds", help="Held-out seeds per task and home.")] = 5,
    seed_base: Annotated[
        int | None,
        typer.Option("--seed-base", help="First seed (default: the held-out range, 1000)."),
    ] = None,
    home: Annotated[
        list[str] | None,
        typer.Option("--home", help="Only this floor plan (repeatable; default: all)."),
    ] = None,
    task: Annotated[
        list[str] | None,
        typer.Option("--task", help="Only this task (repeatable; default: the whole suite)."),
    ] = None,
    planner: Annotated[str, typer.Option("--planner", help="Planner backend.")] = "symbolic",
    no_conventions: Annotated[
        bool,
        typer.Option(
            "--no-conventions",
            help="Do not tell the robot where things belong first (common sense only).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Run every task of the suite from its plain words through the whole stack.

    Each episode: a fresh home of the plan, the task sampled into it, its goal in words
    to the runtime (planner, validation, safety, executor with HomeSim's experts), and
    the task's goal predicate on the true state.
    """
    from housemind.agent.evaluation import HELD_OUT_SEED_BASE, evaluate_tasks
    from housemind.agent.planners import planner_backends

    if seeds < 1:
        fail(f"--seeds must be >= 1, got {seeds}")
    if planner not in planner_backends():
        fail(f"unknown planner {planner!r}; registered: {', '.join(planner_backends())}")
    err = console(stderr=True)

    def progress(info: dict[str, Any]) -> None:
        if not as_json:
            mark = "[green]ok[/]" if info["success"] else f"[red]{info['status']}[/]"
            err.print(
                f"{info['task']:32s} {info['home']:12s} seed {info['seed']:<5d} {mark}"
                + ("" if info["success"] else f"  {info['reason'][:100]}"),
                highlight=False,
            )

    try:
        res = evaluate_tasks(
            seeds=seeds,
            seed_base=HELD_OUT_SEED_BASE if seed_base is None else seed_base,
            homes=home or None,
            tasks=task or None,
            planner=planner,
            conventions=not no_conventions,
            on_episode=progress,
        )
    except KeyError as e:
        fail(str(e).strip("'\""))
    except ValueError as e:
        fail(str(e))
    out = res.as_dict()
    if as_json:
        print(json.dumps(out))
        return
    from rich.table import Table

    table = Table(
        title=f"eval tasks: {res.episodes} episodes, seeds {res.seeds[0]}-{res.seeds[-1]}"
    )
    for col in ("task", "success", "n", "homes"):
        table.add_column(col)
    for name, row in sorted(res.per_task.items()):
        homes = ", ".join(f"{h} {v:.2f}" for h, v in row["homes"].items())
        table.add_row(name, f"{row['success']:.2f}", str(row["n"]), homes)
    c = console()
    c.print(table)
    c.print(
        f"success {res.success:.3f}; per home: "
        + ", ".join(f"{h} {v:.3f}" for h, v in res.per_home.items())
        + f"; planning per chore p50 {res.planning['per_chore']['p50']:.2f} s, "
        f"p95 {res.planning['per_chore']['p95']:.2f} s; {res.wall_s:.0f} s"
    )


def register(app: typer.Typer) -> None:
    """Add the ``eval`` group to ``app``."""
    app.add_typer(eval_app, name="eval")
