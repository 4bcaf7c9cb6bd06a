"""``housemind eval ...``: evaluations that print numbers (``eval vla``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from housemind.agent.cli._common import JsonOpt, console, fail

__all__ = ["register"]

eval_app = typer.Typer(
    help="Evaluations (record them in benchmarks/RESULTS.md).", no_args_is_help=True
)


@eval_app.command("vla")
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


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(eval_app, name="eval")
