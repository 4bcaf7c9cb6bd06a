"""``housemind bench metaworld``: what a Meta-World frame costs and how good the experts are.

:func:`run_bench` measures:

- ``step_ms``: one control step without an image (state mode), p50/p95;
- ``frame_ms``: one observation (``env.observe()``: the camera image and the arm state)
  after each step, wall-clock p50/p95 and mean CPU time for each image size, with the
  cheap settings every recording uses, and ``frame_ms_default`` at the largest size with
  MuJoCo's default visual quality (shadows, reflections, 4x multisampling) to compare;
- ``expert``: per task, the share of seeded episodes (seeds ``seed .. seed + episodes -
  1``) that Meta-World's scripted expert solves within the 500-step horizon, and the mean
  steps it needed; averages per difficulty split and over the suite.

Experts run without rendering (they read the privileged state), so the sweep costs about
0.2 s of physics per episode, not pictures.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from housemind.sim.metaworld.tasks import DIFFICULTIES, get_task, suite

__all__ = ["expert_success", "frame_cost", "run_bench"]


def _p(values: list[float], q: float) -> float:
    return round(float(np.percentile(np.asarray(values) * 1000.0, q)), 3)


def _mean_ms(values: list[float]) -> float:
    return round(float(np.mean(values)) * 1000.0, 3)


def frame_cost(
    sizes: Sequence[int] = (64, 96, 128),
    *,
    frames: int = 100,
    task: str = "coffee-button-v3",
    seed: int = 0,
) -> dict[str, Any]:
    """Time steps and observations of ``task`` while its expert acts.

    Returns:
        ``{"step_ms": {...}, "frame_ms": {size: {"p50", "p95"}}, "frame_ms_default": ...}``.
    """
    from housemind.sim.metaworld.env import MetaWorldEnv
    from housemind.sim.metaworld.rendering import RenderSettings

    def timed(
        size: int, settings: RenderSettings | None, n: int
    ) -> tuple[list[float], list[float], list[float]]:
        env = MetaWorldEnv(task, image_size=size, render_settings=settings)
        try:
            env.reset(seed=seed)
            expert = env.expert("metaworld_task", {"task": task})
            env.observe()  # the first frame builds the OpenGL context: not timed
            obs_t, step_t, cpu_t = [], [], []
            for _ in range(n):
                if env.steps >= env.max_episode_steps:
                    env.reset()
                t0 = time.perf_counter()
                env.step(expert.act())
                t1 = time.perf_counter()
                c1 = time.process_time()
                env.observe()
                obs_t.append(time.perf_counter() - t1)
                cpu_t.append(time.process_time() - c1)
                step_t.append(t1 - t0)
            return obs_t, step_t, cpu_t
        finally:
            env.close()

    def cost(obs_t: list[float], cpu_t: list[float]) -> dict[str, float]:
        # Wall time depends on what else runs; CPU time (all threads of this process,
        # Mesa's rasteriser included) much less: both are reported.
        return {"p50": _p(obs_t, 50), "p95": _p(obs_t, 95), "cpu_mean": _mean_ms(cpu_t)}

    out: dict[str, Any] = {"task": task, "frames": frames, "frame_ms": {}}
    steps: list[float] = []
    for size in sizes:
        obs_t, step_t, cpu_t = timed(int(size), None, frames)
        out["frame_ms"][str(size)] = cost(obs_t, cpu_t)
        steps.extend(step_t)
    out["step_ms"] = {"p50": _p(steps, 50), "p95": _p(steps, 95)}
    big = int(max(sizes))
    default = RenderSettings(shadows=True, reflections=True, multisamples=4)
    obs_t, _, cpu_t = timed(big, default, max(5, frames // 5))
    out["frame_ms_default"] = {"size": big, **cost(obs_t, cpu_t)}
    return out


def expert_success(
    tasks: Sequence[str],
    *,
    episodes: int = 5,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run Meta-World's scripted expert on seeded episodes of each task.

    Returns:
        ``{"per_task": {task: {"success", "solved", "episodes", "mean_steps",
        "failed_seeds"}}, "per_split": {split: rate}, "average": rate}``.
    """
    from housemind.sim.metaworld.env import MetaWorldEnv

    say = progress or (lambda _msg: None)
    per_task: dict[str, dict[str, Any]] = {}
    for task in tasks:
        say(f"expert on {task} ({episodes} episodes)")
        env = MetaWorldEnv(task, image_size=16, render_size=16)
        try:
            expert = env.expert("metaworld_task", {"task": task})
            solved, steps, failed = 0, [], []
            for ep in range(episodes):
                env.reset(seed=seed + ep)
                while not env.solved and env.steps < env.max_episode_steps:
                    env.step(expert.act())
                if env.solved:
                    solved += 1
                    steps.append(env.steps)
                else:
                    failed.append(seed + ep)
        finally:
            env.close()
        per_task[task] = {
            "success": round(solved / episodes, 4),
            "solved": solved,
            "episodes": episodes,
            "mean_steps": round(float(np.mean(steps)), 1) if steps else None,
            "failed_seeds": failed,
        }
    per_split: dict[str, float] = {}
    for split in DIFFICULTIES:
        rates = [r["success"] for t, r in per_task.items() if get_task(t).difficulty == split]
        if rates:
            per_split[split] = round(float(np.mean(rates)), 4)
    rates = [r["success"] for r in per_task.values()]
    return {
        "per_task": per_task,
        "per_split": per_split,
        "average": round(float(np.mean(rates)), 4) if rates else None,
    }


def run_bench(
    *,
    suite_name: str = "mt50",
    episodes: int = 5,
    frames: int = 100,
    sizes: Sequence[int] = (64, 96, 128),
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the Meta-World benchmark and return its numbers (JSON-serialisable).

    Args:
        suite_name: Tasks for the expert sweep (``mt10``, ``mt50``, a split, or names).
        episodes: Seeded episodes per task for the expert sweep (0 skips it).
        frames: Observations timed per image size (0 skips the frame timing).
        sizes: Image sides to time.
        seed: First episode seed.
        progress: Called with a line of text as each phase starts.
    """
    from housemind.sim.metaworld.rendering import import_mujoco

    mujoco = import_mujoco()
    say = progress or (lambda _msg: None)
    out: dict[str, Any] = {
        "machine": {
            "cpu_count": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "versions": {"mujoco": mujoco.__version__, "metaworld": _metaworld_version()},
        "gl": os.environ.get("MUJOCO_GL", ""),
        "sizes": {"suite": suite_name, "episodes": episodes, "frames": frames, "seed": seed},
    }
    if frames > 0:
        say(f"timing {frames} frames at {', '.join(map(str, sizes))} px")
        out["render"] = frame_cost(sizes, frames=frames, seed=seed)
    if episodes > 0:
        out["expert"] = expert_success(
            suite(suite_name), episodes=episodes, seed=seed, progress=say
        )
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return out


def _metaworld_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("metaworld")
    except PackageNotFoundError:
        return "unknown"
