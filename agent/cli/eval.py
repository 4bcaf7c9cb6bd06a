"""``housemind eval ...``: evaluations that run the whole stack and print their numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from housemind.agent.cli._common import JsonOpt, console, fail

__all__ = ["register"]

eval_app = typer.Typer(help="Evaluate planners through the whole stack.", no_args_is_help=True)


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


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(eval_app, name="eval")
