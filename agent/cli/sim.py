"""``housemind sim ...``: look at a HomeSim home, record an episode, list the task suite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from housemind.agent.cli._common import FurnitureOpt, HomeOpt, JsonOpt, console, fail

__all__ = ["register"]

sim_app = typer.Typer(
    help="HomeSim: look at a home, record an episode, list the task suite.", no_args_is_help=True
)


def _sim_env(seed: int, home: str | None, furniture_seed: int | None, **kwargs: Any) -> Any:
    """A HomeSim env for the CLI, or exit with a message naming what went wrong."""
    from housemind.sim.home.tasks import make_env

    if furniture_seed is not None:
        kwargs["furniture_seed"] = furniture_seed
    try:
        return make_env(home, seed, **kwargs)
    except (KeyError, ValueError) as e:
        fail(str(e).strip("'\""))
    except TypeError as e:  # an option this HomeSim does not know
        fail(f"HomeSim cannot build that home: {e}")


def _parse_hhmm(text: str) -> tuple[int, int]:
    try:
        h, m = (int(p) for p in text.split(":"))
    except ValueError:
        h = m = -1
    if not (0 <= h < 24 and 0 <= m < 60):
        fail(f"--time must be HH:MM (24-hour), got {text!r}")
    return h, m


@sim_app.command("view")
def sim_view(
    out: Annotated[Path, typer.Option("--out", help="PNG file to write.")] = Path("home.png"),
    seed: Annotated[int, typer.Option(help="HomeSim seed (objects, residents).")] = 0,
    home: HomeOpt = None,
    furniture_seed: FurnitureOpt = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--time",
            help="Let the home live until this time of the first day (HH:MM; earlier than "
            "the 06:00 start means the next morning).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Write the labelled top-down picture of a home (rooms, fixtures, objects, people)."""
    from datetime import timedelta

    from PIL import Image

    env = _sim_env(seed, home, furniture_seed)
    if at is not None:
        h, m = _parse_hhmm(at)
        now = env.clock.now()
        when = now.replace(hour=h, minute=m, second=0, microsecond=0)
        if when < now:
            when += timedelta(days=1)
        env.idle_until(when)
    frame = env.render()
    if not out.parent.is_dir():
        fail(f"cannot write {out}: the folder {out.parent} does not exist")
    Image.fromarray(frame).save(out)
    info = {
        "out": str(out),
        "width": frame.shape[1],
        "height": frame.shape[0],
        "time": env.clock.now().isoformat(),
        "home": home or "apartment",
    }
    typer.echo(json.dumps(info) if as_json else f"wrote {out} ({frame.shape[1]}x{frame.shape[0]})")


@sim_app.command("record")
def sim_record(
    out: Annotated[Path, typer.Option("--out", help="Recording to write: .gif or .mp4.")],
    seed: Annotated[int, typer.Option(help="HomeSim seed (and the task's sampler).")] = 0,
    task: Annotated[
        str | None,
        typer.Option(
            "--task", help="Record this task's expert solution (default: a short tidy-up tour)."
        ),
    ] = None,
    home: HomeOpt = None,
    furniture_seed: FurnitureOpt = None,
    view: Annotated[
        str, typer.Option(help="What a frame shows: top (map), ego (camera) or both.")
    ] = "both",
    every: Annotated[int, typer.Option(help="Keep one frame every this many ticks.")] = 10,
    fps: Annotated[float, typer.Option(help="Frames per second of the recording.")] = 10.0,
    max_frames: Annotated[int, typer.Option(help="Keep at most this many frames.")] = 1500,
    as_json: JsonOpt = False,
) -> None:
    """Record an episode: a task's expert solution, or a short scripted tidy-up tour."""
    from housemind.sim.home.recording import (
        VIDEO_FORMATS,
        EpisodeRecorder,
        RecordingError,
        tour_steps,
    )
    from housemind.sim.home.tasks import TaskSampleError, get_task, run_solution

    if out.suffix.lower() not in VIDEO_FORMATS:
        fail(f"--out must end in .gif or .mp4, got {out.name!r}")
    if view not in ("top", "ego", "both"):
        fail(f"--view must be top, ego or both, got {view!r}")
    if every < 1 or max_frames < 1 or not fps > 0:
        fail("--every and --max-frames must be at least 1 and --fps more than 0")
    env = _sim_env(seed, home, furniture_seed)
    goal = "tour: put a misplaced thing back where it belongs"
    if task is not None:
        try:
            t = get_task(task)
            inst = t.sample(env, seed)
        except (KeyError, TaskSampleError) as e:
            fail(str(e).strip("'\""))
        steps, goal = inst.solution(env), inst.goal
    else:
        steps = tour_steps(env)
    rec = EpisodeRecorder(
        env,
        view=view,  # type: ignore[arg-type]
        every=every,
        max_frames=max_frames,
        caption=goal if task is None else f"{task}: {goal}",
    )
    start_s = env.clock.elapsed
    rec.capture()
    ok = run_solution(env, steps, on_tick=rec.tick, on_wait=rec.capture)
    rec.capture()
    if task is not None:
        ok = ok and inst.check(env)
    try:
        path = rec.save(out, fps=fps)
    except RecordingError as e:
        fail(str(e))
    res = {
        "out": str(path),
        "frames": len(rec.frames),
        "ticks": rec.ticks,
        "sim_seconds": round(env.clock.elapsed - start_s, 1),
        "task": task,
        "goal": goal,
        "success": ok,
    }
    if as_json:
        typer.echo(json.dumps(res))
    else:
        typer.echo(
            f"wrote {path}: {res['frames']} frames, {res['sim_seconds']} simulated s; "
            f"{goal!r}: {'done' if ok else 'NOT done'}"
        )
    if not ok:
        raise typer.Exit(1)


@sim_app.command("tasks")
def sim_tasks(
    category: Annotated[
        str | None, typer.Option(help="Only this category (tidying, dishes, cooking, ...).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the household task suite: name, category, goal and the homes each applies to."""
    from housemind.sim.home.tasks import CATEGORIES, get_task, task_names

    if category is not None and category not in CATEGORIES:
        fail(f"unknown category {category!r}; categories: {', '.join(CATEGORIES)}")
    rows = [get_task(n).info() for n in task_names(category)]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    from rich.table import Table

    t = Table(title=f"HomeSim tasks ({len(rows)})")
    for col in ("name", "category", "goal", "homes"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["name"], r["category"], r["goal"], ", ".join(r["homes"]))
    console().print(t)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(sim_app, name="sim")
