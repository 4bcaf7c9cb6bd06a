"""``housemind train ...``: train the learned parts (the built-in planner, the VLA)."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer

from housemind.agent.cli._common import JsonOpt, console, fail
from housemind.agent.cli.vla import train_vla_cmd

__all__ = ["register"]

train_app = typer.Typer(help="Train the learned parts of housemind.", no_args_is_help=True)


@train_app.command("planner")
def train_planner(
    out: Annotated[
        Path,
        typer.Option(
            help="Folder for model.safetensors, config.json and training.json "
            "(the shipped weights: agent/planners/builtin/weights)."
        ),
    ] = Path("planner-weights"),
    seed: Annotated[int, typer.Option(help="Data, split, initialisation and batch seed.")] = 0,
    epochs: Annotated[int, typer.Option(help="Passes over the training examples.")] = 12,
    episodes: Annotated[int, typer.Option(help="Episodes (seeds) per task and training home.")] = 8,
    wordings: Annotated[int, typer.Option(help="Goal wordings each decision is learned in.")] = 4,
    augment: Annotated[
        float,
        typer.Option(help="Chance each extra wording is rewritten the way people ask (0-1)."),
    ] = 0.5,
    home: Annotated[
        list[str] | None,
        typer.Option(help="Training home (repeat); default apartment, studio, one_bedroom."),
    ] = None,
    task: Annotated[list[str] | None, typer.Option(help="Only this task (repeat).")] = None,
    workers: Annotated[int, typer.Option(help="Processes for the rollouts.")] = 1,
    dagger: Annotated[
        int,
        typer.Option(
            help="DAgger: episodes per task and training home in which the planner trained "
            "on the experts' rollouts drives and the symbolic planner labels its mistakes; "
            "then it is trained again on both (0: experts' rollouts only)."
        ),
    ] = 0,
    dagger_from: Annotated[
        Path | None,
        typer.Option(help="With --dagger: roll out these weights instead of training them first."),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(help="Folder for cached rollouts and checkpoints (default: user cache)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Train the built-in planner on HomeSim expert rollouts (CPU, minutes).

    Rollouts and a checkpoint per epoch are cached: the same command again reuses the
    rollouts and continues an interrupted training.
    """
    from housemind.agent.planner_eval import TRAIN_HOMES, WordingsError

    for name, value in (("--epochs", epochs), ("--episodes", episodes), ("--wordings", wordings)):
        if value < 1:
            fail(f"{name} must be at least 1, got {value}")
    if workers < 1:
        fail(f"--workers must be at least 1, got {workers}")
    if dagger < 0:
        fail(f"--dagger must be 0 or more, got {dagger}")
    if dagger_from is not None and not (dagger_from / "model.safetensors").is_file():
        fail(f"--dagger-from {dagger_from} has no model.safetensors; give a weights folder")
    if not 0.0 <= augment <= 1.0:
        fail(f"--augment is a chance between 0 and 1, got {augment}")
    from housemind.sim.home.plans import plan_names
    from housemind.sim.home.tasks import task_names

    homes = tuple(home or TRAIN_HOMES)
    for h in homes:
        if h not in plan_names():
            fail(f"unknown home {h!r}; homes: {', '.join(plan_names())}")
    for t in task or []:
        if t not in task_names():
            fail(f"unknown task {t!r}; 'housemind sim tasks' lists them")
    if out.exists() and not out.is_dir():
        fail(f"--out {out} is a file; give a folder")

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from housemind.agent.planners.builtin.training import TrainSettings
    from housemind.agent.planners.builtin.training import train_planner as train

    settings = TrainSettings(
        out=out,
        seed=seed,
        epochs=epochs,
        homes=homes,
        episodes_per_task=episodes,
        wordings_per_decision=wordings,
        augment=augment,
        workers=workers,
        tasks=list(task) if task else None,
        cache_dir=cache,
        dagger_episodes=dagger,
        dagger_learner=str(dagger_from) if dagger_from is not None else "",
        command="housemind " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
    )
    con = console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[note]}"),
        console=con,
        transient=as_json,
    ) as progress:
        current: dict[str, int] = {}

        def stage(name: str, total: int) -> None:
            current["id"] = progress.add_task(name, total=total, note="")

        def advance(n: int) -> None:
            progress.advance(current["id"], n)

        def epoch(e: int, loss: float, acc: float) -> None:
            progress.update(current["id"], note=f"loss {loss:.3f}  val acc {acc:.3f}")

        try:
            report = train(settings, on_stage=stage, on_advance=advance, on_epoch=epoch)
        except WordingsError as e:
            fail(str(e))
    if as_json:
        typer.echo(json.dumps(report.as_dict()))
        return
    con = console()
    con.print(
        f"[bold]built-in planner[/] -> {out}: {report.parameters:,} parameters, "
        f"{report.decisions} decisions from {report.episodes} episodes "
        f"({report.episodes_succeeded} reached the goal)"
    )
    con.print(
        f"validation accuracy {report.val_accuracy:.3f} (without the image "
        f"{report.val_accuracy_no_image:.3f}), best epoch {report.best_epoch}/{report.epochs}; "
        f"{report.seconds_total:.0f} s (rollouts {report.seconds_rollouts:.0f} s, "
        f"features {report.seconds_features:.0f} s, training {report.seconds_training:.0f} s)"
    )


train_app.command("vla")(train_vla_cmd)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(train_app, name="train")
