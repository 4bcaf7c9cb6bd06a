"""``housemind eval ...``: evaluations of the whole stack (tasks, planner) and the VLA."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from housemind.agent.cli._common import JsonOpt, console, fail
from housemind.agent.cli.vla import eval_vla_cmd

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


def _planner(spec: str) -> Any:
    """``builtin``, ``symbolic``, or ``backend:argument`` for backends that take one."""
    from housemind.agent.planners import get_planner, planner_backends

    name, _, arg = spec.partition(":")
    try:
        if not arg:
            return get_planner(name)
        if name == "builtin":
            return get_planner(name, weights=arg)  # builtin:FOLDER, other trained weights
        return get_planner(name, arg)
    except KeyError:
        fail(f"unknown planner {name!r}; planners: {', '.join(planner_backends())}")
    except TypeError as e:
        fail(f"planner {name!r} takes no argument like {arg!r}: {e}")
    except (FileNotFoundError, ValueError) as e:
        fail(f"cannot build planner {spec!r}: {e}")


@eval_app.command("planner")
def eval_planner(
    planner: Annotated[
        str,
        typer.Option(
            help="Planner backend: builtin, symbolic, builtin:WEIGHTS_DIR, or backend:argument."
        ),
    ] = "builtin",
    seeds: Annotated[int, typer.Option(help="Held-out seeds per task and home.")] = 1,
    seed_base: Annotated[
        int, typer.Option(help="First seed (training uses seeds below 1000).")
    ] = 1000,
    paraphrases: Annotated[
        bool,
        typer.Option(
            "--paraphrases",
            help="Each task in its held-out wordings (benchmarks/planner) instead of its own goal.",
        ),
    ] = False,
    goals: Annotated[
        Path | None,
        typer.Option(help='JSON lines {"task": NAME, "goal": TEXT}: evaluate these wordings.'),
    ] = None,
    home: Annotated[
        list[str] | None,
        typer.Option(help="Home to evaluate in (repeat); default two_bedroom and house."),
    ] = None,
    task: Annotated[list[str] | None, typer.Option(help="Only this task (repeat).")] = None,
    wordings: Annotated[
        Path | None, typer.Option(help="Another held-out wordings file for --paraphrases.")
    ] = None,
    furniture_seed: Annotated[
        int | None,
        typer.Option(
            help="Rearrange the homes' furniture with this seed (dev checks in training homes)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run the task suite with a planner on held-out seeds and homes; print success."""
    from housemind.agent.planner_eval import WordingsError, evaluate_planner, load_goal_file

    if seeds < 1:
        fail(f"--seeds must be at least 1, got {seeds}")
    if seed_base < 0:
        fail(f"--seed-base must be 0 or more, got {seed_base}")
    if goals is not None and paraphrases:
        fail("give either --paraphrases or --goals FILE, not both")
    try:
        pairs = load_goal_file(goals) if goals is not None else None
    except WordingsError as e:
        fail(str(e))
    backend = _planner(planner)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    con = console(stderr=True)
    with Progress(
        TextColumn("[bold]eval planner[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[note]}"),
        console=con,
        transient=True,
    ) as progress:
        bar: dict[str, Any] = {}
        wins = [0, 0]

        def start(n: int) -> None:
            bar["id"] = progress.add_task("", total=n, note="")

        def episode(row: dict[str, Any]) -> None:
            if "success" in row:
                wins[0] += int(row["success"])
                wins[1] += 1
            progress.update(
                bar["id"],
                advance=1,
                note=f"{row['task']} in {row['home']}: success {wins[0]}/{wins[1]}",
            )

        try:
            report = evaluate_planner(
                backend,
                seeds=seeds,
                homes=home,
                tasks=task,
                paraphrases=paraphrases,
                goals=pairs,
                wordings_path=wordings,
                seed_offset=seed_base,
                furniture_seed=furniture_seed,
                on_start=start,
                on_episode=episode,
            )
        except WordingsError as e:
            fail(str(e))
        except KeyError as e:
            fail(str(e).strip("'\""))
    if as_json:
        typer.echo(json.dumps(report.as_dict()))
        return
    _print(report)


def _print(report: Any) -> None:
    from rich.table import Table

    con = console()
    table = Table(title=f"{report.planner} planner, {report.wordings} wordings")
    for col in ("task", "episodes", "success", "plan length", "replans"):
        table.add_column(col, justify="left" if col == "task" else "right")
    for name, row in sorted(report.per_task.items()):
        table.add_row(
            name,
            str(row["episodes"]),
            f"{row['success']:.2f}",
            f"{row['plan_length']:.1f}",
            f"{row['replans']:.1f}",
        )
    con.print(table)
    for name, why in sorted(report.excluded.items()):
        con.print(f"[dim]not evaluated: {name} ({why})[/]")
    con.print(
        f"[bold]success {report.success:.3f}[/] over {report.episodes} episodes in "
        f"{', '.join(report.homes)} (seeds {report.seeds[0]}..{report.seeds[-1]}); "
        f"plan length {report.plan_length:.1f}, replans {report.replans:.1f}, safety "
        f"interventions {report.safety_interventions}; per decision "
        f"{report.latency_ms.get('p50', 0):.0f} ms p50, {report.latency_ms.get('p95', 0):.0f} ms "
        f"p95, {report.tokens_per_decision:.0f} tokens; {report.wall_seconds:.0f} s"
    )


eval_app.command("vla")(eval_vla_cmd)


def register(app: typer.Typer) -> None:
    """Add the ``eval`` group to ``app``."""
    app.add_typer(eval_app, name="eval")
