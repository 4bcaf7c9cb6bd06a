"""``housemind record``: record skill episodes in LeRobotDataset v3.0 layout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from housemind.agent.cli._common import JsonOpt, console, fail

__all__ = ["register"]


def _split(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def record(
    out: Annotated[Path, typer.Option("--out", help="Dataset folder (new, or see --append).")],
    episodes: Annotated[int, typer.Option(help="Episodes per skill.")] = 10,
    skills: Annotated[
        list[str] | None,
        typer.Option(help="Skills, comma-separated or repeated (default: manipulation skills)."),
    ] = None,
    homes: Annotated[
        list[str] | None, typer.Option(help="Floor plans, comma-separated (default: all).")
    ] = None,
    furniture_seeds: Annotated[
        str | None,
        typer.Option(
            "--furniture-seeds",
            help="Furniture arrangements, e.g. 'none,1-20' (default: the training ones).",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Base seed of the instances.")] = 0,
    hz: Annotated[int, typer.Option(help="Control rate and the dataset's fps.")] = 50,
    image_size: Annotated[int, typer.Option(help="Camera image side in pixels.")] = 128,
    policy: Annotated[
        str | None,
        typer.Option(help="Policy backend for every skill (default: scripted experts)."),
    ] = None,
    append: Annotated[
        bool, typer.Option("--append", help="Add episodes to the dataset already at --out.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Record HomeSim skill instances (image, proprioception, action, language, success)."""
    from housemind.sim.home.datasets import parse_furniture_seeds, record_homesim

    if episodes < 1:
        fail(f"--episodes must be >= 1, got {episodes}")
    if image_size < 16:
        fail(f"--image-size must be at least 16 pixels, got {image_size}")
    if out.exists() and not append and any(out.iterdir()):
        fail(f"{out} is not empty; pass --append to add to the dataset there, or a new --out")
    if append and not (out / "meta" / "info.json").is_file():
        fail(f"--append: {out} holds no dataset (meta/info.json is missing)")
    try:
        fseeds = parse_furniture_seeds(furniture_seeds) if furniture_seeds else None
    except ValueError as e:
        fail(str(e))
    skill_list = _split(skills)
    kwargs = dict(
        episodes=episodes,
        skills=skill_list,
        homes=_split(homes),
        furniture_seeds=fseeds,
        seed=seed,
        hz=hz,
        image_size=image_size,
        policy=policy,
        append=append,
    )
    try:
        if as_json:
            res = record_homesim(out, **kwargs)
        else:
            from rich.progress import Progress

            n_skills = len(skill_list) if skill_list else 12
            with Progress(console=console()) as bar:
                task = bar.add_task("recording", total=episodes * n_skills)

                def tick(ep: dict) -> None:
                    bar.update(task, advance=1, description=f"{ep['skill']:>8s}")

                res = record_homesim(out, on_episode=tick, **kwargs)
    except (KeyError, ValueError) as e:
        fail(str(e).strip("'\""))
    if as_json:
        typer.echo(json.dumps(res))
        return
    con = console()
    con.print(
        f"recorded {res['episodes']} episodes ({res['frames']} frames, "
        f"{res['successes']} successful) into {res['out']}"
    )
    for skill, r in res["per_skill"].items():
        con.print(f"  {skill:8s} {r['successes']}/{r['episodes']}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(record)
