"""``housemind train vla`` and ``housemind eval vla``: the built-in VLA's commands.

``train.py`` and ``eval.py`` add them to their groups; heavy imports (torch, the
simulator) happen inside the commands.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from housemind.agent.cli._common import JsonOpt, console, fail

__all__ = ["eval_vla_cmd", "train_vla_cmd"]


def train_vla_cmd(
    data: Annotated[
        Path, typer.Option("--data", help="A LeRobotDataset v3.0 recording (housemind record).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Output folder (resumes if it has one).")],
    steps: Annotated[int, typer.Option(help="Optimiser steps in all.")] = 12_000,
    batch_size: Annotated[
        int, typer.Option(help="Frames per step in all (split across torchrun processes).")
    ] = 64,
    lr: Annotated[float, typer.Option(help="Peak learning rate.")] = 4e-4,
    warmup: Annotated[int, typer.Option(help="Warm-up steps.")] = 500,
    seed: Annotated[int, typer.Option(help="Seeds the weights and the batches.")] = 0,
    device: Annotated[str, typer.Option(help="auto (CUDA when present), cpu or cuda.")] = "auto",
    threads: Annotated[int | None, typer.Option(help="CPU threads for torch.")] = None,
    save_every: Annotated[int, typer.Option(help="Steps between checkpoints.")] = 1000,
    val_data: Annotated[
        Path | None, typer.Option("--val-data", help="A recording whose loss is reported.")
    ] = None,
    max_episodes: Annotated[
        int | None, typer.Option(help="Use only this many successful episodes.")
    ] = None,
    cache: Annotated[
        Path | None, typer.Option(help="Cache folder for cropped images (default: ~/.cache).")
    ] = None,
    chunk_size: Annotated[int | None, typer.Option(help="Actions per chunk (H).")] = None,
    denoise_steps: Annotated[int | None, typer.Option(help="Flow integration steps.")] = None,
    fps: Annotated[int | None, typer.Option(help="Actions per second the model predicts.")] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Start over even if --out holds a checkpoint.")
    ] = False,
    fp16: Annotated[
        bool, typer.Option("--fp16", help="Store the final model's weights in float16.")
    ] = False,
    stop_after: Annotated[
        int | None,
        typer.Option(
            help="Stop after this step of the --steps schedule and write the model there "
            "(run again without it to continue)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Train the built-in VLA on a recording (seeded, resumable; CPU unless CUDA is here).

    Run it under ``torchrun --nproc_per_node=N`` to train on N processes (GPUs) at once.
    """
    from housemind.skills.recording import DatasetFormatError
    from housemind.skills.vla.configuration import VLAConfig
    from housemind.skills.vla.distributed import launched_rank
    from housemind.skills.vla.training import TrainConfig, train_vla

    if not (data / "meta" / "info.json").is_file():
        fail(f"{data} holds no dataset (meta/info.json); record one with `housemind record`")
    if steps < 1 or batch_size < 1:
        fail(f"--steps and --batch-size must be >= 1 (got {steps}, {batch_size})")
    model_opts = {
        k: v
        for k, v in {"chunk_size": chunk_size, "denoise_steps": denoise_steps, "fps": fps}.items()
        if v is not None
    }
    try:
        mcfg = VLAConfig(**model_opts)
    except ValueError as e:
        fail(str(e))
    tcfg = TrainConfig(
        dataset=str(data),
        out=str(out),
        steps=steps,
        batch_size=batch_size,
        lr=lr,
        warmup=warmup,
        seed=seed,
        device=device,
        threads=threads,
        save_every=save_every,
        val_dataset=str(val_data) if val_data else None,
        max_episodes=max_episodes,
        cache=str(cache) if cache else None,
        resume=not fresh,
        fp16=fp16,
        stop_after=stop_after,
        command=" ".join(["housemind", *map(shlex.quote, sys.argv[1:])]),
    )
    try:
        if launched_rank() != 0:  # another torchrun process: rank 0 reports for all
            train_vla(tcfg, mcfg if model_opts else None)
            return
        if as_json:
            info = train_vla(tcfg, mcfg if model_opts else None)
        else:
            info = _with_progress(tcfg, mcfg if model_opts else None, train_vla)
    except (DatasetFormatError, ValueError, KeyError) as e:
        fail(str(e).strip("'\""))
    if as_json:
        typer.echo(json.dumps({k: v for k, v in info.items() if k != "history"}))
        return
    ranks = f" on {info['world_size']} processes" if info.get("world_size", 1) > 1 else ""
    console().print(
        f"trained {info['params']:,} parameters for {info['steps']} steps{ranks} in "
        f"{info['wall_s'] / 60:.1f} min; final loss {info['final_loss']}; model in {info['model']}"
    )


def _with_progress(tcfg: Any, mcfg: Any, train: Any) -> dict[str, Any]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    con = console()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[loss]}"),
        console=con,
    ) as bar:
        task = bar.add_task("preparing", total=tcfg.steps, loss="")

        def show(rec: dict[str, Any]) -> None:
            if "stage" in rec:
                bar.update(task, description=rec["stage"])
                return
            loss = f"loss {rec['loss']:.4f}"
            if "val_loss" in rec:
                loss += f" val {rec['val_loss']:.4f}"
            bar.update(task, completed=rec["step"], description="training", loss=loss)

        return train(tcfg, mcfg, progress=show)


def eval_vla_cmd(
    spec: Annotated[
        Path | None,
        typer.Option(help="Evaluation spec JSON (default: the committed held-out one)."),
    ] = None,
    checkpoint: Annotated[
        Path | None, typer.Option(help="VLA model folder (default: the shipped one).")
    ] = None,
    episodes: Annotated[
        int | None, typer.Option(help="Instances per skill (default: the spec's).")
    ] = None,
    skills: Annotated[str | None, typer.Option(help="Only these skills, comma-separated.")] = None,
    backend: Annotated[str, typer.Option(help="VLA runtime: auto, onnx or torch.")] = "auto",
    no_expert: Annotated[
        bool, typer.Option("--no-expert", help="Skip the experts (VLA only).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Per-skill success of the VLA beside the scripted experts on held-out homes and seeds."""
    from housemind.sim.home.datasets import eval_cases, load_eval_spec
    from housemind.skills.policies import get_policy_factory
    from housemind.skills.policies.vla import configure_vla, vla_checkpoint

    if backend not in ("auto", "onnx", "torch"):
        fail(f"--backend must be auto, onnx or torch, got {backend!r}")
    if episodes is not None and episodes < 1:
        fail(f"--episodes must be >= 1, got {episodes}")
    try:
        sp = load_eval_spec(spec)
    except ValueError as e:
        fail(str(e))
    if checkpoint is not None and not (checkpoint / "config.json").is_file():
        fail(f"{checkpoint} holds no VLA model (config.json); pass a model folder")
    configure_vla(checkpoint, backend)
    if not (vla_checkpoint() / "config.json").is_file():
        fail(f"no VLA checkpoint at {vla_checkpoint()}; pass --checkpoint DIR")
    chosen = [s.strip() for s in skills.split(",")] if skills else list(sp["skills"])
    unknown = [s for s in chosen if s not in sp["skills"]]
    if unknown:
        fail(f"skills {unknown} are not in the spec's {sp['skills']}")
    from housemind.skills.vla.evaluation import evaluate_backends

    def factory(name: str):  # noqa: ANN202 - a policy_for for the executor
        make = get_policy_factory(name)
        return lambda sk, env: make(sk.spec, sk.args, env)

    backends = {"vla": factory("vla")}
    if not no_expert:
        backends["expert"] = factory("scripted")
    cases = eval_cases(
        skills=chosen,
        homes=sp["homes"],
        furniture_seeds=sp["furniture_seeds"],
        seed=sp["seed"],
        episodes_per_skill=episodes or sp["episodes_per_skill"],
        hz=sp["hz"],
        image_size=sp["image_size"],
    )
    total = len(chosen) * (episodes or sp["episodes_per_skill"]) * len(backends)
    if as_json:
        res = evaluate_backends(cases, backends, rate_hz=sp["hz"])
    else:
        from rich.progress import Progress

        with Progress(console=console()) as bar:
            task = bar.add_task("evaluating", total=total)
            res = evaluate_backends(
                cases,
                backends,
                rate_hz=sp["hz"],
                on_result=lambda r: bar.update(task, advance=1, description=r["skill"]),
            )
    res["spec"] = {k: sp[k] for k in sp if k != "note"}
    res["checkpoint"] = str(vla_checkpoint())
    if as_json:
        typer.echo(json.dumps(res))
        return
    from rich.table import Table

    t = Table(title=f"VLA vs experts ({res['checkpoint']})")
    for col in ("skill", "n", *backends):
        t.add_column(col)
    for skill, rates in res["per_skill"].items():
        t.add_row(skill, str(res["n"][skill]), *(f"{rates[b]:.0%}" for b in backends))
    t.add_row("overall", "", *(f"{res['overall'][b]:.1%}" for b in backends))
    console().print(t)
